//! Milestone 7, feed and tags: `GET /articles/feed` (a token is required) lists the articles
//! of the authors the viewer follows, newest first, paged by `limit` and `offset` like
//! `GET /articles`, with `articlesCount` the number of them all; `GET /tags` answers
//! `{"tags": […]}`, every tag some article has, each once (in no order the spec names: the
//! tests compare them sorted).

use serde_json::{Value, json};

use crate::common::*;

/// `articles` as their author's follower sees them, newest first.
fn followed_newest_first(articles: &[&Value]) -> Vec<Value> {
    articles
        .iter()
        .rev()
        .map(|a| seen(a, false, true))
        .collect()
}

/// `GET /tags`: 200 and `{"tags": want}`, in any order.
async fn expect_tags(blog: &Blog, want: &[&str]) {
    let response = blog.client.get("/tags").send().await;
    response.expect_status(200);
    let mut got = json_body(&response);
    if let Some(tags) = got.get_mut("tags").and_then(Value::as_array_mut) {
        tags.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    let mut want = want.to_vec();
    want.sort_unstable();
    expect_same(&response, &got, &json!({ "tags": want }));
}

#[tokio::test]
async fn the_feed_needs_a_valid_token() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    blog.create_article(&ada, "Something", &[]).await;
    // Not an article whose slug is `feed`: the feed's own route.
    expect_error(&blog.client.get("/articles/feed").send().await, 401);
    for (what, token) in bad_tokens(&ada) {
        let response = blog.client.get("/articles/feed").token(&token).send().await;
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
async fn the_feed_of_someone_who_follows_nobody_is_empty() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    blog.create_article(&ada, "Ada's", &[]).await;
    blog.create_article(&bob, "Bob's own", &[]).await;
    let response = blog
        .client
        .get("/articles/feed")
        .token(&bob.token)
        .send()
        .await;
    expect_articles(&response, &[], 0);
}

#[tokio::test]
async fn the_feed_has_the_followed_authors_articles_newest_first() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let carol = blog.register("carol").await;
    let dave = blog.register("dave").await;
    blog.follow(&bob, &ada).await;
    blog.follow(&bob, &carol).await;
    let a1 = blog.create_article(&ada, "Ada one", &["x"]).await;
    blog.create_article(&dave, "Dave's", &[]).await;
    let c1 = blog.create_article(&carol, "Carol one", &[]).await;
    blog.create_article(&bob, "Bob's own", &[]).await;
    let a2 = blog.create_article(&ada, "Ada two", &["y", "x"]).await;
    let response = blog
        .client
        .get("/articles/feed")
        .token(&bob.token)
        .send()
        .await;
    expect_articles(&response, &followed_newest_first(&[&a1, &c1, &a2]), 3);
    // Carol follows ada only.
    blog.follow(&carol, &ada).await;
    let response = blog
        .client
        .get("/articles/feed")
        .token(&carol.token)
        .send()
        .await;
    expect_articles(&response, &followed_newest_first(&[&a1, &a2]), 2);
}

#[tokio::test]
async fn the_feed_pages_with_limit_and_offset_and_counts_them_all() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let carol = blog.register("carol").await;
    blog.follow(&bob, &ada).await;
    let mut mine = Vec::new();
    for n in 1..=4 {
        mine.push(blog.create_article(&ada, &format!("Ada {n}"), &[]).await);
        blog.create_article(&carol, &format!("Carol {n}"), &[])
            .await;
    }
    let refs: Vec<&Value> = mine.iter().collect();
    let feed = followed_newest_first(&refs);
    for (query, range) in [
        ("limit=2", 0..2),
        ("limit=2&offset=2", 2..4),
        ("offset=3", 3..4),
        ("offset=4", 4..4),
    ] {
        let response = blog
            .client
            .get(&format!("/articles/feed?{query}"))
            .token(&bob.token)
            .send()
            .await;
        expect_articles(&response, &feed[range], 4);
    }
}

#[tokio::test]
async fn the_feed_has_a_default_limit_of_20() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    blog.follow(&bob, &ada).await;
    let written = blog.create_articles(&ada, "Prolific", 21).await;
    let refs: Vec<&Value> = written.iter().collect();
    let feed = followed_newest_first(&refs);
    let response = blog
        .client
        .get("/articles/feed")
        .token(&bob.token)
        .send()
        .await;
    expect_articles(&response, &feed[..20], 21);
}

#[tokio::test]
async fn unfollowing_an_author_takes_their_articles_out_of_the_feed() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let carol = blog.register("carol").await;
    blog.follow(&bob, &ada).await;
    blog.follow(&bob, &carol).await;
    blog.create_article(&ada, "Ada's", &[]).await;
    let c1 = blog.create_article(&carol, "Carol's", &[]).await;
    blog.client
        .delete("/profiles/ada/follow")
        .token(&bob.token)
        .send()
        .await
        .expect_status(200);
    let response = blog
        .client
        .get("/articles/feed")
        .token(&bob.token)
        .send()
        .await;
    expect_articles(&response, &followed_newest_first(&[&c1]), 1);
}

#[tokio::test]
async fn the_feed_shows_which_articles_the_viewer_favorited() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let carol = blog.register("carol").await;
    blog.follow(&bob, &ada).await;
    let a1 = blog.create_article(&ada, "One", &[]).await;
    let a2 = blog.create_article(&ada, "Two", &[]).await;
    blog.favorite(&bob, a1["slug"].as_str().unwrap()).await;
    blog.favorite(&carol, a2["slug"].as_str().unwrap()).await;
    let response = blog
        .client
        .get("/articles/feed")
        .token(&bob.token)
        .send()
        .await;
    expect_articles(
        &response,
        &[
            counted(&seen(&a2, false, true), 1),
            counted(&seen(&a1, true, true), 1),
        ],
        2,
    );
}

#[tokio::test]
async fn a_bad_limit_or_offset_on_the_feed_is_422() {
    let blog = start().await;
    let bob = blog.register("bob").await;
    for query in ["limit=-1", "limit=many", "offset=-2", "offset=1e3"] {
        let response = blog
            .client
            .get(&format!("/articles/feed?{query}"))
            .token(&bob.token)
            .send()
            .await;
        expect_error(&response, 422);
    }
}

#[tokio::test]
async fn an_empty_blog_has_no_tags() {
    let blog = start().await;
    expect_tags(&blog, &[]).await;
}

#[tokio::test]
async fn every_tag_in_use_is_listed_once() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    blog.create_article(&ada, "One", &["rust", "web"]).await;
    blog.create_article(&bob, "Two", &["web", "databases"])
        .await;
    blog.create_article(&bob, "Three", &[]).await;
    blog.create_article(&ada, "Four", &["rust"]).await;
    expect_tags(&blog, &["databases", "rust", "web"]).await;
}

/// "Tags in use": a tag that only a deleted article had is no longer one.
#[tokio::test]
async fn a_tag_no_article_has_any_more_is_not_listed() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let doomed = blog
        .create_article(&ada, "Doomed", &["fleeting", "shared"])
        .await;
    blog.create_article(&ada, "Kept", &["shared"]).await;
    let response = blog
        .client
        .delete(&format!("/articles/{}", doomed["slug"].as_str().unwrap()))
        .token(&ada.token)
        .send()
        .await;
    expect_no_content(&response);
    expect_tags(&blog, &["shared"]).await;
}
