//! Milestone 3, articles: create (`POST /articles`, 201), read (`GET /articles/{slug}`, a
//! token is optional), update (`PUT /articles/{slug}`) and delete (`DELETE /articles/{slug}`,
//! 204), the last two only by the author (403 for anyone else). Every answer is
//! `{"article": {slug, title, description, body, tagList, createdAt, updatedAt, favorited,
//! favoritesCount, author}}`, `author` being the author's profile as the viewer sees it.

use std::time::Duration;

use serde_json::{Value, json};
use testkit::http::Method;

use crate::common::*;

#[tokio::test]
async fn creating_an_article_returns_it_with_its_slug_author_and_no_favorites() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let response = blog
        .client
        .post("/articles")
        .token(&ada.token)
        .json(&json!({ "article": {
            "title": "How to Train Your Dragon",
            "description": "Ever wonder how?",
            "body": "You have to believe.",
            "tagList": ["dragons", "training"],
        } }))
        .send()
        .await;
    let want = article(
        "How to Train Your Dragon",
        "Ever wonder how?",
        "You have to believe.",
        &["dragons", "training"],
        ada.profile(false),
        false,
        0,
    );
    expect_article_response(&response, 201, &want);
}

#[tokio::test]
async fn an_article_is_read_by_its_slug_anonymously_or_logged_in() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let created = blog
        .create_article(&ada, "Notes on the Engine", &["math"])
        .await;
    let slug = created["slug"].as_str().unwrap();
    for viewer in [None, Some(&bob), Some(&ada)] {
        let response = get_as(&blog, &format!("/articles/{slug}"), viewer).await;
        expect_article_response(&response, 200, &created);
    }
}

#[tokio::test]
async fn the_tag_list_is_sorted_each_tag_once_and_is_empty_when_left_out() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let tagged = blog
        .create_article(&ada, "Tagged", &["zeta", "alpha", "mid", "alpha"])
        .await;
    let slug = tagged["slug"].as_str().unwrap();
    let response = blog.client.get(&format!("/articles/{slug}")).send().await;
    let want = made_article(
        "Tagged",
        &["alpha", "mid", "zeta"],
        ada.profile(false),
        false,
        0,
    );
    expect_article_response(&response, 200, &want);

    let response = blog
        .client
        .post("/articles")
        .token(&ada.token)
        .json(&json!({ "article": { "title": "Untagged", "description": "d", "body": "b" } }))
        .send()
        .await;
    let want = article("Untagged", "d", "b", &[], ada.profile(false), false, 0);
    let created = expect_article_response(&response, 201, &want);
    let slug = created["slug"].as_str().unwrap();
    let response = blog.client.get(&format!("/articles/{slug}")).send().await;
    expect_article_response(&response, 200, &created);
}

#[tokio::test]
async fn the_slug_is_the_title_in_lowercase_with_dashes() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    for (title, base) in [
        ("  Hello, World -- Again!  ", "hello-world-again"),
        ("Rust 2024: What's New?", "rust-2024-what-s-new"),
        ("ALL CAPS", "all-caps"),
    ] {
        assert_eq!(slugify(title), base, "the test's own slug rule");
        let created = blog.create_article(&ada, title, &[]).await;
        let slug = created["slug"].as_str().unwrap();
        let response = blog.client.get(&format!("/articles/{slug}")).send().await;
        expect_article_response(&response, 200, &created);
        if slug != base && !slug.starts_with(&format!("{base}-")) {
            response.fail(format!(
                "expected the slug of {title:?} to start with {base:?}"
            ));
        }
    }
}

#[tokio::test]
async fn two_articles_with_the_same_title_get_different_slugs() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let first = blog.create_article(&ada, "Same Title", &[]).await;
    let second = blog.create_article(&ada, "Same Title", &[]).await;
    let third = blog.create_article(&bob, "Same Title", &[]).await;
    let slugs: Vec<&str> = [&first, &second, &third]
        .iter()
        .map(|a| a["slug"].as_str().unwrap())
        .collect();
    assert!(
        slugs[0] != slugs[1] && slugs[1] != slugs[2] && slugs[0] != slugs[2],
        "expected three articles titled \"Same Title\" to get three different slugs, got {slugs:?}"
    );
    for (created, author) in [(&first, &ada), (&second, &ada), (&third, &bob)] {
        let slug = created["slug"].as_str().unwrap();
        let response = blog.client.get(&format!("/articles/{slug}")).send().await;
        let want = made_article("Same Title", &[], author.profile(false), false, 0);
        let read = expect_article_response(&response, 200, &want);
        expect_same(&response, &read, created);
    }
}

#[tokio::test]
async fn a_followed_author_shows_as_followed_to_that_viewer_only() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let carol = blog.register("carol").await;
    let created = blog.create_article(&ada, "Followed", &[]).await;
    blog.follow(&bob, &ada).await;
    let slug = created["slug"].as_str().unwrap();
    for (viewer, following) in [(Some(&bob), true), (Some(&carol), false), (None, false)] {
        let response = get_as(&blog, &format!("/articles/{slug}"), viewer).await;
        expect_article_response(&response, 200, &seen(&created, false, following));
    }
}

#[tokio::test]
async fn an_article_shows_its_author_s_profile_as_it_is_now() {
    let blog = start().await;
    let mut ada = blog.register("ada").await;
    let created = blog.create_article(&ada, "Before the rename", &[]).await;
    let response = blog
        .client
        .put("/user")
        .token(&ada.token)
        .json(&json!({ "user": { "username": "countess", "bio": "Renamed." } }))
        .send()
        .await;
    response.expect_status(200);
    ada.username = "countess".into();
    ada.bio = json!("Renamed.");
    let mut want = created.clone();
    want["author"] = ada.profile(false);
    let path = format!("/articles/{}", created["slug"].as_str().unwrap());
    let response = blog.client.get(&path).send().await;
    expect_article_response(&response, 200, &want);
}

#[tokio::test]
async fn the_author_updates_an_article_and_updated_at_moves() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let created = blog.create_article(&ada, "Drafted", &["draft"]).await;
    let slug = created["slug"].as_str().unwrap();
    // Timestamps have milliseconds: let the clock move on.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let response = blog
        .client
        .put(&format!("/articles/{slug}"))
        .token(&ada.token)
        .json(&json!({ "article": { "description": "Now final.", "body": "The final text." } }))
        .send()
        .await;
    let mut want = created.clone();
    want["description"] = json!("Now final.");
    want["body"] = json!("The final text.");
    want.as_object_mut().unwrap().remove("updatedAt");
    let updated = expect_article_response(&response, 200, &want);
    if updated["updatedAt"].as_str() <= created["updatedAt"].as_str() {
        response.fail(format!(
            "expected `updatedAt` to move past {} after an update",
            created["updatedAt"]
        ));
    }
    let response = blog.client.get(&format!("/articles/{slug}")).send().await;
    expect_article_response(&response, 200, &updated);
}

#[tokio::test]
async fn changing_the_title_changes_the_slug() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let created = blog.create_article(&ada, "Old Title", &[]).await;
    let old_slug = created["slug"].as_str().unwrap();
    let response = blog
        .client
        .put(&format!("/articles/{old_slug}"))
        .token(&ada.token)
        .json(&json!({ "article": { "title": "A Brand New Title" } }))
        .send()
        .await;
    let mut want = created.clone();
    want["title"] = json!("A Brand New Title");
    for field in ["slug", "updatedAt"] {
        want.as_object_mut().unwrap().remove(field);
    }
    let updated = expect_article_response(&response, 200, &want);
    let new_slug = updated["slug"].as_str().unwrap();
    let response = blog
        .client
        .get(&format!("/articles/{new_slug}"))
        .send()
        .await;
    expect_article_response(&response, 200, &updated);
    let response = blog
        .client
        .get(&format!("/articles/{old_slug}"))
        .send()
        .await;
    expect_error(&response, 404);

    // A title another article has already: the slug is told apart, as at creation.
    let bobs = blog.create_article(&bob, "Taken Title", &[]).await;
    let response = blog
        .client
        .put(&format!("/articles/{new_slug}"))
        .token(&ada.token)
        .json(&json!({ "article": { "title": "Taken Title" } }))
        .send()
        .await;
    let mut want = updated.clone();
    want["title"] = json!("Taken Title");
    for field in ["slug", "updatedAt"] {
        want.as_object_mut().unwrap().remove(field);
    }
    let renamed = expect_article_response(&response, 200, &want);
    if renamed["slug"] == bobs["slug"] {
        response.fail("expected a slug other than the one bob's article has");
    }
    let bobs_path = format!("/articles/{}", bobs["slug"].as_str().unwrap());
    let response = blog.client.get(&bobs_path).send().await;
    expect_article_response(&response, 200, &bobs);
}

#[tokio::test]
async fn only_the_author_may_update_an_article() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let created = blog.create_article(&ada, "Ada's", &[]).await;
    let path = format!("/articles/{}", created["slug"].as_str().unwrap());
    let change = json!({ "article": { "title": "Bob's now", "body": "taken over" } });
    let response = blog
        .client
        .put(&path)
        .token(&bob.token)
        .json(&change)
        .send()
        .await;
    expect_error(&response, 403);
    let response = blog.client.put(&path).json(&change).send().await;
    expect_error(&response, 401);
    let response = blog.client.get(&path).send().await;
    expect_article_response(&response, 200, &created);
}

#[tokio::test]
async fn the_author_deletes_an_article_and_it_is_gone() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let created = blog.create_article(&ada, "Short-lived", &[]).await;
    let kept = blog.create_article(&ada, "Kept", &[]).await;
    let path = format!("/articles/{}", created["slug"].as_str().unwrap());
    let response = blog.client.delete(&path).token(&ada.token).send().await;
    expect_no_content(&response);
    expect_error(&blog.client.get(&path).send().await, 404);
    expect_error(
        &blog.client.delete(&path).token(&ada.token).send().await,
        404,
    );
    let kept_path = format!("/articles/{}", kept["slug"].as_str().unwrap());
    let response = blog.client.get(&kept_path).send().await;
    expect_article_response(&response, 200, &kept);
}

#[tokio::test]
async fn only_the_author_may_delete_an_article() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let created = blog.create_article(&ada, "Ada's", &[]).await;
    let path = format!("/articles/{}", created["slug"].as_str().unwrap());
    expect_error(
        &blog.client.delete(&path).token(&bob.token).send().await,
        403,
    );
    expect_error(&blog.client.delete(&path).send().await, 401);
    let response = blog.client.get(&path).send().await;
    expect_article_response(&response, 200, &created);
}

#[tokio::test]
async fn an_unknown_slug_is_404() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    blog.create_article(&ada, "Known", &[]).await;
    let path = "/articles/no-such-article";
    expect_error(&blog.client.get(path).send().await, 404);
    expect_error(&blog.client.get(path).token(&ada.token).send().await, 404);
    let response = blog
        .client
        .put(path)
        .token(&ada.token)
        .json(&json!({ "article": { "body": "x" } }))
        .send()
        .await;
    expect_error(&response, 404);
    expect_error(
        &blog.client.delete(path).token(&ada.token).send().await,
        404,
    );
}

#[tokio::test]
async fn creating_without_a_title_description_or_body_is_422() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let full = json!({ "title": "T", "description": "D", "body": "B", "tagList": ["t"] });
    for field in ["title", "description", "body"] {
        let mut missing = full.clone();
        missing.as_object_mut().unwrap().remove(field);
        let mut empty = full.clone();
        empty[field] = json!("");
        let mut null = full.clone();
        null[field] = Value::Null;
        for article in [missing, empty, null] {
            let response = blog
                .client
                .post("/articles")
                .token(&ada.token)
                .json(&json!({ "article": article }))
                .send()
                .await;
            expect_error(&response, 422);
        }
    }
}

#[tokio::test]
async fn creating_with_wrong_types_or_a_body_that_is_not_json_is_422() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    for article in [
        json!({ "title": 42, "description": "D", "body": "B" }),
        json!({ "title": "T", "description": ["D"], "body": "B" }),
        json!({ "title": "T", "description": "D", "body": { "text": "B" } }),
        json!({ "title": "T", "description": "D", "body": "B", "tagList": "rust" }),
        json!({ "title": "T", "description": "D", "body": "B", "tagList": [1, 2] }),
    ] {
        let response = blog
            .client
            .post("/articles")
            .token(&ada.token)
            .json(&json!({ "article": article }))
            .send()
            .await;
        expect_error(&response, 422);
    }
    let fields = json!({ "title": "T", "description": "D", "body": "B" });
    for (what, body) in malformed_bodies("article", &fields) {
        let response = send_raw(&blog, Method::POST, "/articles", Some(&ada.token), &body).await;
        if response.status() != 422 {
            response.fail(format!(
                "expected 422 for {what}, got {}",
                response.status()
            ));
        }
        expect_error(&response, 422);
    }
}

#[tokio::test]
async fn updating_with_an_empty_field_or_a_wrong_type_is_422_and_changes_nothing() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let created = blog.create_article(&ada, "Stable", &[]).await;
    let path = format!("/articles/{}", created["slug"].as_str().unwrap());
    for article in [
        json!({ "title": "" }),
        json!({ "description": "" }),
        json!({ "body": "" }),
        json!({ "title": 42 }),
        json!({ "body": ["B"] }),
        json!({ "description": "a fine description", "title": "" }),
    ] {
        let response = blog
            .client
            .put(&path)
            .token(&ada.token)
            .json(&json!({ "article": article }))
            .send()
            .await;
        expect_error(&response, 422);
    }
    for (what, body) in malformed_bodies("article", &json!({ "body": "B" })) {
        let response = send_raw(&blog, Method::PUT, &path, Some(&ada.token), &body).await;
        if response.status() != 422 {
            response.fail(format!(
                "expected 422 for {what}, got {}",
                response.status()
            ));
        }
        expect_error(&response, 422);
    }
    let response = blog.client.get(&path).send().await;
    expect_article_response(&response, 200, &created);
}

#[tokio::test]
async fn writing_articles_needs_a_valid_token() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let created = blog.create_article(&ada, "Guarded", &[]).await;
    let path = format!("/articles/{}", created["slug"].as_str().unwrap());
    let new = json!({ "article": { "title": "T", "description": "D", "body": "B" } });
    let change = json!({ "article": { "body": "changed" } });
    expect_error(&blog.client.post("/articles").json(&new).send().await, 401);
    for (what, token) in bad_tokens(&ada) {
        for response in [
            blog.client
                .post("/articles")
                .token(&token)
                .json(&new)
                .send()
                .await,
            blog.client
                .put(&path)
                .token(&token)
                .json(&change)
                .send()
                .await,
            blog.client.delete(&path).token(&token).send().await,
        ] {
            if response.status() != 401 {
                response.fail(format!(
                    "expected 401 for a token {what}, got {}",
                    response.status()
                ));
            }
            expect_error(&response, 401);
        }
    }
    let response = blog.client.get(&path).send().await;
    expect_article_response(&response, 200, &created);
}

/// The contract: where a token is optional, a missing one is an anonymous visitor, but an
/// invalid one is refused rather than ignored.
#[tokio::test]
async fn an_invalid_token_on_reading_an_article_is_401() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let created = blog.create_article(&ada, "Public", &[]).await;
    let path = format!("/articles/{}", created["slug"].as_str().unwrap());
    for (what, token) in bad_tokens(&ada) {
        let response = blog.client.get(&path).token(&token).send().await;
        if response.status() != 401 {
            response.fail(format!(
                "expected 401 for a token {what}, got {}",
                response.status()
            ));
        }
        expect_error(&response, 401);
    }
}
