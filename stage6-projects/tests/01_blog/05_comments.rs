//! Milestone 5, comments: add one (`POST /articles/{slug}/comments`, 200 as the spec says),
//! list them (`GET /articles/{slug}/comments`, a token is optional), delete one
//! (`DELETE /articles/{slug}/comments/{id}`, 204), only by the comment's author. A comment is
//! `{id, createdAt, updatedAt, body, author}`, `id` an integer, `author` the commenter's
//! profile as the viewer sees it. The spec says nothing of the order of the list: the tests
//! compare it as a set (sorted by id).

use serde_json::{Value, json};
use testkit::http::{Method, Response};

use crate::common::*;

/// The spec's Comment as the test expects it, before the fields it cannot know.
fn comment(body: &str, author: Value) -> Value {
    json!({ "body": body, "author": author })
}

/// Compares the comment `got` with `want`, whole. What `want` leaves out of `id`, `createdAt`
/// and `updatedAt` is checked by its rule (an integer; [`check_timestamp`], `createdAt` ≤
/// `updatedAt`) and then taken from `got`.
#[track_caller]
fn expect_comment(response: &Response, got: &Value, want: &Value) {
    let mut want = want.clone();
    let object = want.as_object_mut().unwrap();
    if !object.contains_key("id") {
        if got["id"].as_i64().is_none() {
            response.fail(format!(
                "expected the comment's `id` to be an integer, got {}",
                got["id"]
            ));
        }
        object.insert("id".into(), got["id"].clone());
    }
    let created = check_timestamp(response, "createdAt", &got["createdAt"]);
    let updated = check_timestamp(response, "updatedAt", &got["updatedAt"]);
    if created > updated {
        response.fail("expected `createdAt` ≤ `updatedAt`");
    }
    for field in ["createdAt", "updatedAt"] {
        if !object.contains_key(field) {
            object.insert(field.into(), got[field].clone());
        }
    }
    expect_same(response, got, &want);
}

/// `user` comments `body` on the article `slug`; gives the comment the app answered.
async fn add_comment(blog: &Blog, user: &User, slug: &str, body: &str) -> Value {
    let response = blog
        .client
        .post(&format!("/articles/{slug}/comments"))
        .token(&user.token)
        .json(&json!({ "comment": { "body": body } }))
        .send()
        .await;
    response.expect_status(200);
    let answer = json_body(&response);
    if answer["comment"]["id"].as_i64().is_none() {
        response.fail("expected `comment.id`, an integer");
    }
    answer["comment"].clone()
}

/// The comments of `slug` as `viewer` sees them: 200 and `{"comments": want}`, in any order.
async fn expect_comments(blog: &Blog, slug: &str, viewer: Option<&User>, want: &[Value]) {
    let response = get_as(blog, &format!("/articles/{slug}/comments"), viewer).await;
    response.expect_status(200);
    let mut got = json_body(&response);
    let by_id = |a: &Value, b: &Value| a["id"].as_i64().cmp(&b["id"].as_i64());
    if let Some(list) = got.get_mut("comments").and_then(Value::as_array_mut) {
        list.sort_by(by_id);
    }
    let mut want = want.to_vec();
    want.sort_by(by_id);
    expect_same(&response, &got, &json!({ "comments": want }));
}

/// `comment` as a viewer who does or does not follow its author sees it.
fn seen_comment(comment: &Value, following: bool) -> Value {
    let mut comment = comment.clone();
    comment["author"]["following"] = json!(following);
    comment
}

#[tokio::test]
async fn an_article_without_comments_lists_none() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let article = blog.create_article(&ada, "Quiet", &[]).await;
    expect_comments(&blog, article["slug"].as_str().unwrap(), None, &[]).await;
}

#[tokio::test]
async fn adding_a_comment_returns_it_with_an_id_and_its_author() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let article = blog.create_article(&ada, "Discuss", &[]).await;
    let slug = article["slug"].as_str().unwrap();
    let response = blog
        .client
        .post(&format!("/articles/{slug}/comments"))
        .token(&bob.token)
        .json(&json!({ "comment": { "body": "Thank you so much!" } }))
        .send()
        .await;
    response.expect_status(200);
    let body = json_body(&response);
    if body.as_object().map(|o| o.len()) != Some(1) || !body["comment"].is_object() {
        response.fail("expected a body of the shape {\"comment\": {…}}, and nothing else");
    }
    expect_comment(
        &response,
        &body["comment"],
        &comment("Thank you so much!", bob.profile(false)),
    );
}

#[tokio::test]
async fn an_article_s_comments_are_listed_for_anyone() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let article = blog.create_article(&ada, "Discuss", &[]).await;
    let slug = article["slug"].as_str().unwrap();
    let first = add_comment(&blog, &bob, slug, "First!").await;
    let second = add_comment(&blog, &ada, slug, "Thanks, bob.").await;
    let third = add_comment(&blog, &bob, slug, "You're welcome.").await;
    let ids: Vec<i64> = [&first, &second, &third]
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert!(
        ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2],
        "expected each comment to have an id of its own, got {ids:?}"
    );
    for viewer in [None, Some(&ada), Some(&bob)] {
        expect_comments(
            &blog,
            slug,
            viewer,
            &[first.clone(), second.clone(), third.clone()],
        )
        .await;
    }
}

#[tokio::test]
async fn comments_belong_to_their_article() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let one = blog.create_article(&ada, "One", &[]).await;
    let two = blog.create_article(&ada, "Two", &[]).await;
    let (one, two) = (one["slug"].as_str().unwrap(), two["slug"].as_str().unwrap());
    let on_one = add_comment(&blog, &ada, one, "on one").await;
    let on_two = add_comment(&blog, &ada, two, "on two").await;
    expect_comments(&blog, one, None, &[on_one]).await;
    expect_comments(&blog, two, None, &[on_two]).await;
}

#[tokio::test]
async fn each_viewer_sees_whether_they_follow_a_commenter() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let carol = blog.register("carol").await;
    let article = blog.create_article(&ada, "Discuss", &[]).await;
    let slug = article["slug"].as_str().unwrap();
    let by_bob = add_comment(&blog, &bob, slug, "bob here").await;
    let by_ada = add_comment(&blog, &ada, slug, "ada here").await;
    blog.follow(&carol, &bob).await;
    expect_comments(
        &blog,
        slug,
        Some(&carol),
        &[seen_comment(&by_bob, true), seen_comment(&by_ada, false)],
    )
    .await;
    expect_comments(&blog, slug, None, &[by_bob.clone(), by_ada.clone()]).await;

    // The answer to a new comment shows the viewer's view of its author too: themselves.
    let response = blog
        .client
        .post(&format!("/articles/{slug}/comments"))
        .token(&carol.token)
        .json(&json!({ "comment": { "body": "carol here" } }))
        .send()
        .await;
    response.expect_status(200);
    let body = json_body(&response);
    expect_comment(
        &response,
        &body["comment"],
        &comment("carol here", carol.profile(false)),
    );
}

#[tokio::test]
async fn the_comment_s_author_deletes_it() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let article = blog.create_article(&ada, "Discuss", &[]).await;
    let slug = article["slug"].as_str().unwrap();
    let gone = add_comment(&blog, &bob, slug, "regrettable").await;
    let kept = add_comment(&blog, &bob, slug, "fine").await;
    let path = format!("/articles/{slug}/comments/{}", gone["id"]);
    expect_no_content(&blog.client.delete(&path).token(&bob.token).send().await);
    expect_comments(&blog, slug, None, &[kept]).await;
    expect_error(
        &blog.client.delete(&path).token(&bob.token).send().await,
        404,
    );
}

#[tokio::test]
async fn only_the_comment_s_author_may_delete_it_not_even_the_article_s_author() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let carol = blog.register("carol").await;
    let article = blog.create_article(&ada, "Discuss", &[]).await;
    let slug = article["slug"].as_str().unwrap();
    let by_bob = add_comment(&blog, &bob, slug, "bob's words").await;
    let path = format!("/articles/{slug}/comments/{}", by_bob["id"]);
    expect_error(
        &blog.client.delete(&path).token(&ada.token).send().await,
        403,
    );
    expect_error(
        &blog.client.delete(&path).token(&carol.token).send().await,
        403,
    );
    expect_error(&blog.client.delete(&path).send().await, 401);
    expect_comments(&blog, slug, None, &[by_bob]).await;
}

#[tokio::test]
async fn an_unknown_article_or_comment_is_404() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let one = blog.create_article(&ada, "One", &[]).await;
    let two = blog.create_article(&ada, "Two", &[]).await;
    let (one, two) = (one["slug"].as_str().unwrap(), two["slug"].as_str().unwrap());
    let on_one = add_comment(&blog, &ada, one, "on one").await;
    let id = on_one["id"].as_i64().unwrap();

    expect_error(
        &blog
            .client
            .get("/articles/no-such-article/comments")
            .send()
            .await,
        404,
    );
    let response = blog
        .client
        .post("/articles/no-such-article/comments")
        .token(&ada.token)
        .json(&json!({ "comment": { "body": "hello?" } }))
        .send()
        .await;
    expect_error(&response, 404);
    for path in [
        format!("/articles/no-such-article/comments/{id}"),
        format!("/articles/{one}/comments/{}", id + 1000),
        // A comment is deleted through its own article only.
        format!("/articles/{two}/comments/{id}"),
    ] {
        expect_error(
            &blog.client.delete(&path).token(&ada.token).send().await,
            404,
        );
    }
    // The spec's comment id is an integer: another id names no comment (404), or is refused
    // as invalid (422).
    let response = blog
        .client
        .delete(&format!("/articles/{one}/comments/abc"))
        .token(&ada.token)
        .send()
        .await;
    expect_error_in(&response, &[404, 422]);
    expect_comments(&blog, one, None, &[on_one]).await;
}

#[tokio::test]
async fn a_comment_without_a_body_or_with_an_empty_one_is_422() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let article = blog.create_article(&ada, "Discuss", &[]).await;
    let slug = article["slug"].as_str().unwrap();
    let path = format!("/articles/{slug}/comments");
    for comment in [
        json!({}),
        json!({ "body": "" }),
        json!({ "body": null }),
        json!({ "body": 42 }),
        json!({ "body": ["a"] }),
    ] {
        let response = blog
            .client
            .post(&path)
            .token(&ada.token)
            .json(&json!({ "comment": comment }))
            .send()
            .await;
        expect_error(&response, 422);
    }
    for (what, body) in malformed_bodies("comment", &json!({ "body": "hi" })) {
        let response = send_raw(&blog, Method::POST, &path, Some(&ada.token), &body).await;
        if response.status() != 422 {
            response.fail(format!(
                "expected 422 for {what}, got {}",
                response.status()
            ));
        }
        expect_error(&response, 422);
    }
    expect_comments(&blog, slug, None, &[]).await;
}

#[tokio::test]
async fn adding_or_deleting_a_comment_needs_a_valid_token() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let article = blog.create_article(&ada, "Discuss", &[]).await;
    let slug = article["slug"].as_str().unwrap();
    let kept = add_comment(&blog, &ada, slug, "mine").await;
    let add = format!("/articles/{slug}/comments");
    let delete = format!("/articles/{slug}/comments/{}", kept["id"]);
    let new = json!({ "comment": { "body": "anonymous" } });
    expect_error(&blog.client.post(&add).json(&new).send().await, 401);
    expect_error(&blog.client.delete(&delete).send().await, 401);
    for (what, token) in bad_tokens(&ada) {
        for response in [
            blog.client.post(&add).token(&token).json(&new).send().await,
            blog.client.delete(&delete).token(&token).send().await,
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
    expect_comments(&blog, slug, None, &[kept]).await;
}

/// The contract: where a token is optional, a missing one is an anonymous visitor, but an
/// invalid one is refused rather than ignored.
#[tokio::test]
async fn an_invalid_token_on_listing_comments_is_401() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let article = blog.create_article(&ada, "Discuss", &[]).await;
    let path = format!("/articles/{}/comments", article["slug"].as_str().unwrap());
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

#[tokio::test]
async fn deleting_an_article_deletes_its_comments() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let doomed = blog.create_article(&ada, "Doomed", &[]).await;
    let other = blog.create_article(&ada, "Other", &[]).await;
    let (doomed, other) = (
        doomed["slug"].as_str().unwrap(),
        other["slug"].as_str().unwrap(),
    );
    add_comment(&blog, &bob, doomed, "one").await;
    add_comment(&blog, &ada, doomed, "two").await;
    let kept = add_comment(&blog, &bob, other, "kept").await;
    let response = blog
        .client
        .delete(&format!("/articles/{doomed}"))
        .token(&ada.token)
        .send()
        .await;
    expect_no_content(&response);
    expect_error(
        &blog
            .client
            .get(&format!("/articles/{doomed}/comments"))
            .send()
            .await,
        404,
    );
    expect_comments(&blog, other, None, &[kept]).await;
}
