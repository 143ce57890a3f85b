//! Milestone 6, favorites: favorite an article (`POST /articles/{slug}/favorite`) and
//! unfavorite it (`DELETE` the same), both answering `{"article": …}` with `favorited` (does
//! the viewer favorite it) and `favoritesCount` (how many users do), exact even when many users
//! favorite it at once; and the list's last filter, `GET /articles?favorited=<username>`.

use serde_json::json;
use testkit::http::Response;
use tokio::task::JoinSet;

use crate::common::*;

#[tokio::test]
async fn favoriting_returns_the_article_favorited_with_one_favorite() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let created = blog.create_article(&ada, "Likeable", &["nice"]).await;
    let slug = created["slug"].as_str().unwrap();
    let response = blog
        .client
        .post(&format!("/articles/{slug}/favorite"))
        .token(&bob.token)
        .send()
        .await;
    let want = counted(&seen(&created, true, false), 1);
    expect_article_response(&response, 200, &want);
    let response = get_as(&blog, &format!("/articles/{slug}"), Some(&bob)).await;
    expect_article_response(&response, 200, &want);
}

#[tokio::test]
async fn favoriting_twice_counts_once() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let created = blog.create_article(&ada, "Likeable", &[]).await;
    let slug = created["slug"].as_str().unwrap();
    for _ in 0..2 {
        let response = blog
            .client
            .post(&format!("/articles/{slug}/favorite"))
            .token(&bob.token)
            .send()
            .await;
        expect_article_response(&response, 200, &counted(&seen(&created, true, false), 1));
    }
}

#[tokio::test]
async fn unfavoriting_returns_the_article_no_longer_favorited() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let created = blog.create_article(&ada, "Likeable", &[]).await;
    let slug = created["slug"].as_str().unwrap();
    blog.favorite(&bob, slug).await;
    // Unfavoriting twice is not an error: the second changes nothing.
    for _ in 0..2 {
        let response = blog
            .client
            .delete(&format!("/articles/{slug}/favorite"))
            .token(&bob.token)
            .send()
            .await;
        expect_article_response(&response, 200, &created);
    }
    let response = get_as(&blog, &format!("/articles/{slug}"), Some(&bob)).await;
    expect_article_response(&response, 200, &created);
}

#[tokio::test]
async fn favorites_are_counted_for_everyone_and_favorited_per_viewer() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let carol = blog.register("carol").await;
    let created = blog.create_article(&ada, "Popular", &[]).await;
    let slug = created["slug"].as_str().unwrap();
    blog.follow(&bob, &ada).await;
    let response = blog
        .client
        .post(&format!("/articles/{slug}/favorite"))
        .token(&bob.token)
        .send()
        .await;
    // The answer is the article as bob sees it: he follows ada.
    expect_article_response(&response, 200, &counted(&seen(&created, true, true), 1));
    let response = blog
        .client
        .post(&format!("/articles/{slug}/favorite"))
        .token(&carol.token)
        .send()
        .await;
    expect_article_response(&response, 200, &counted(&seen(&created, true, false), 2));
    for (viewer, favorited, following) in [
        (Some(&bob), true, true),
        (Some(&carol), true, false),
        (Some(&ada), false, false),
        (None, false, false),
    ] {
        let response = get_as(&blog, &format!("/articles/{slug}"), viewer).await;
        expect_article_response(
            &response,
            200,
            &counted(&seen(&created, favorited, following), 2),
        );
    }
    let response = blog
        .client
        .delete(&format!("/articles/{slug}/favorite"))
        .token(&carol.token)
        .send()
        .await;
    expect_article_response(&response, 200, &counted(&created, 1));
}

#[tokio::test]
async fn listing_by_favorited_gives_the_articles_that_user_favorited() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let carol = blog.register("carol").await;
    let a1 = blog.create_article(&ada, "One", &[]).await;
    let a2 = blog.create_article(&ada, "Two", &[]).await;
    let a3 = blog.create_article(&carol, "Three", &["t"]).await;
    // Favorited in another order than written: the list is still newest article first.
    blog.favorite(&bob, a3["slug"].as_str().unwrap()).await;
    blog.favorite(&bob, a1["slug"].as_str().unwrap()).await;
    blog.favorite(&carol, a2["slug"].as_str().unwrap()).await;
    blog.favorite(&carol, a1["slug"].as_str().unwrap()).await;

    let response = blog.client.get("/articles?favorited=bob").send().await;
    expect_articles(&response, &[counted(&a3, 1), counted(&a1, 2)], 2);
    let response = blog.client.get("/articles?favorited=carol").send().await;
    expect_articles(&response, &[counted(&a2, 1), counted(&a1, 2)], 2);
    let response = blog
        .client
        .get("/articles?favorited=carol&limit=1&offset=1")
        .send()
        .await;
    expect_articles(&response, &[counted(&a1, 2)], 2);
    let response = blog.client.get("/articles?favorited=ada").send().await;
    expect_articles(&response, &[], 0);
    let response = blog.client.get("/articles?favorited=nobody").send().await;
    expect_articles(&response, &[], 0);
    let response = blog
        .client
        .get("/articles?favorited=bob&author=ada")
        .send()
        .await;
    expect_articles(&response, &[counted(&a1, 2)], 1);
}

#[tokio::test]
async fn each_viewer_sees_which_listed_articles_they_favorited() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let a1 = blog.create_article(&ada, "One", &[]).await;
    let a2 = blog.create_article(&ada, "Two", &[]).await;
    blog.favorite(&bob, a1["slug"].as_str().unwrap()).await;
    let response = get_as(&blog, "/articles", Some(&bob)).await;
    expect_articles(
        &response,
        &[a2.clone(), counted(&seen(&a1, true, false), 1)],
        2,
    );
    for viewer in [None, Some(&ada)] {
        let response = get_as(&blog, "/articles", viewer).await;
        expect_articles(&response, &[a2.clone(), counted(&a1, 1)], 2);
    }
}

#[tokio::test]
async fn an_unknown_slug_is_404() {
    let blog = start().await;
    let bob = blog.register("bob").await;
    let path = "/articles/no-such-article/favorite";
    expect_error(&blog.client.post(path).token(&bob.token).send().await, 404);
    expect_error(
        &blog.client.delete(path).token(&bob.token).send().await,
        404,
    );
}

#[tokio::test]
async fn favoriting_needs_a_valid_token() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let created = blog.create_article(&ada, "Guarded", &[]).await;
    let slug = created["slug"].as_str().unwrap();
    let path = format!("/articles/{slug}/favorite");
    expect_error(&blog.client.post(&path).send().await, 401);
    expect_error(&blog.client.delete(&path).send().await, 401);
    for (what, token) in bad_tokens(&bob) {
        for response in [
            blog.client.post(&path).token(&token).send().await,
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
    let response = get_as(&blog, &format!("/articles/{slug}"), Some(&bob)).await;
    expect_article_response(&response, 200, &created);
}

/// A count read, incremented and written back loses favorites when two users favorite at
/// the same time; the count must be exact.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_users_favoriting_at_once_count_twenty() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let created = blog.create_article(&ada, "Viral", &[]).await;
    let slug = created["slug"].as_str().unwrap().to_string();

    let mut registering = JoinSet::new();
    for n in 0..20 {
        let client = blog.client.clone();
        registering.spawn(async move { register_on(&client, &format!("fan{n}")).await });
    }
    let fans: Vec<User> = registering.join_all().await;

    for (method, favorited, count) in [("POST", true, 20), ("DELETE", false, 0)] {
        let mut requests = JoinSet::new();
        for fan in &fans {
            let client = blog.client.clone();
            let (path, token) = (format!("/articles/{slug}/favorite"), fan.token.clone());
            let method = method.parse().unwrap();
            requests.spawn(async move { client.request(method, &path).token(&token).send().await });
        }
        let responses: Vec<Response> = requests.join_all().await;
        for response in &responses {
            response.expect_status(200);
            let body = json_body(response);
            let seen_count = body["article"]["favoritesCount"].as_i64().unwrap_or(-1);
            if body["article"]["favorited"] != json!(favorited) || !(0..=20).contains(&seen_count) {
                response.fail(format!(
                    "expected `favorited` {favorited} and a `favoritesCount` from 0 to 20"
                ));
            }
        }
        let response = blog.client.get(&format!("/articles/{slug}")).send().await;
        if response.status() == 200 {
            let got = json_body(&response)["article"]["favoritesCount"].clone();
            if got != json!(count) {
                response.fail(format!(
                    "expected `favoritesCount` {count} after 20 users sent {method} \
                     /articles/{slug}/favorite at once, got {got}: were favorites lost to a \
                     read-modify-write race?"
                ));
            }
        }
        expect_article_response(&response, 200, &counted(&created, count));
    }
}

#[tokio::test]
async fn deleting_a_favorited_article_removes_it_from_the_favorites() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let doomed = blog.create_article(&ada, "Doomed", &[]).await;
    let kept = blog.create_article(&ada, "Kept", &[]).await;
    blog.favorite(&bob, doomed["slug"].as_str().unwrap()).await;
    blog.favorite(&bob, kept["slug"].as_str().unwrap()).await;
    let response = blog
        .client
        .delete(&format!("/articles/{}", doomed["slug"].as_str().unwrap()))
        .token(&ada.token)
        .send()
        .await;
    expect_no_content(&response);
    let response = blog.client.get("/articles?favorited=bob").send().await;
    expect_articles(&response, &[counted(&kept, 1)], 1);
}
