//! Milestone 4, listing: `GET /articles` (a token is optional) answers `{"articles": […],
//! "articlesCount": n}`, newest first, filtered by `tag` and `author` (a username), paged by
//! `limit` (default 20) and `offset` (default 0), `articlesCount` being the number of all the
//! articles that match, not of those on the page. The spec's list items are articles without
//! their `body` (an app may keep it: then it must be the article's body).

use serde_json::{Value, json};

use crate::common::*;

/// `articles` newest first: the order of a list.
fn newest_first(articles: &[Value]) -> Vec<Value> {
    articles.iter().rev().cloned().collect()
}

#[tokio::test]
async fn an_empty_blog_lists_no_articles() {
    let blog = start().await;
    let response = blog.client.get("/articles").send().await;
    expect_json(
        &response,
        200,
        &json!({ "articles": [], "articlesCount": 0 }),
    );
}

#[tokio::test]
async fn articles_are_listed_newest_first_with_the_total_count() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let mut articles = blog.create_articles(&ada, "Ada's note", 2).await;
    articles.push(blog.create_article(&bob, "Bob's note", &["b", "a"]).await);
    articles.push(blog.create_article(&ada, "Ada's last", &["x"]).await);
    let want = newest_first(&articles);
    for viewer in [None, Some(&ada), Some(&bob)] {
        let response = get_as(&blog, "/articles", viewer).await;
        expect_articles(&response, &want, 4);
    }
}

#[tokio::test]
async fn limit_and_offset_page_through_the_articles_and_the_count_stays_the_total() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let articles = newest_first(&blog.create_articles(&ada, "Page", 5).await);
    for (query, range) in [
        ("limit=2", 0..2),
        ("limit=2&offset=2", 2..4),
        ("offset=2&limit=2", 2..4),
        ("limit=2&offset=4", 4..5),
        ("offset=3", 3..5),
        ("limit=10", 0..5),
        ("offset=5", 5..5),
        ("offset=100&limit=3", 5..5),
    ] {
        let response = blog.client.get(&format!("/articles?{query}")).send().await;
        expect_articles(&response, &articles[range], 5);
    }
}

#[tokio::test]
async fn the_default_limit_is_20() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let articles = newest_first(&blog.create_articles(&ada, "Many", 21).await);
    let response = blog.client.get("/articles").send().await;
    expect_articles(&response, &articles[..20], 21);
    let response = blog.client.get("/articles?offset=20").send().await;
    expect_articles(&response, &articles[20..], 21);
}

#[tokio::test]
async fn filtering_by_tag_gives_the_articles_with_exactly_that_tag() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let rust_web = blog
        .create_article(&ada, "Rust on the web", &["web", "rust"])
        .await;
    let rustacean = blog.create_article(&bob, "Crabs", &["rustacean"]).await;
    let web = blog.create_article(&bob, "Just the web", &["web"]).await;
    let cases: [(&str, Vec<Value>); 5] = [
        // The list shows each article's whole tag list, not only the tag asked for.
        ("rust", vec![rust_web.clone()]),
        ("web", vec![web.clone(), rust_web.clone()]),
        ("rustacean", vec![rustacean.clone()]),
        ("ru", vec![]),
        // A tag is a value, never SQL.
        ("x' OR '1'='1", vec![]),
    ];
    for (tag, want) in cases {
        let response = blog
            .client
            .get(&format!("/articles?tag={tag}"))
            .send()
            .await;
        let count = want.len() as i64;
        expect_articles(&response, &want, count);
    }
}

#[tokio::test]
async fn filtering_by_author_gives_that_user_s_articles() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let a1 = blog.create_article(&ada, "A one", &[]).await;
    let b1 = blog.create_article(&bob, "B one", &[]).await;
    let a2 = blog.create_article(&ada, "A two", &[]).await;
    let response = blog.client.get("/articles?author=ada").send().await;
    expect_articles(&response, &[a2, a1], 2);
    let response = blog.client.get("/articles?author=bob").send().await;
    expect_articles(&response, &[b1], 1);
    // An unknown author has no articles: an empty list, not an error.
    let response = blog.client.get("/articles?author=nobody").send().await;
    expect_articles(&response, &[], 0);
    let response = blog
        .client
        .get("/articles?author=ada'%20OR%20'1'='1")
        .send()
        .await;
    expect_articles(&response, &[], 0);
}

#[tokio::test]
async fn filters_combine_and_page_together() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let a1 = blog.create_article(&ada, "A rust one", &["rust"]).await;
    blog.create_article(&bob, "B rust", &["rust"]).await;
    blog.create_article(&ada, "A go", &["go"]).await;
    let a2 = blog
        .create_article(&ada, "A rust two", &["rust", "web"])
        .await;
    let a3 = blog.create_article(&ada, "A rust three", &["rust"]).await;
    let response = blog
        .client
        .get("/articles?tag=rust&author=ada")
        .send()
        .await;
    expect_articles(&response, &[a3.clone(), a2.clone(), a1.clone()], 3);
    let response = blog
        .client
        .get("/articles?author=ada&tag=rust&limit=1&offset=1")
        .send()
        .await;
    expect_articles(&response, &[a2], 3);
}

#[tokio::test]
async fn each_viewer_sees_whether_they_follow_each_author() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    let bob = blog.register("bob").await;
    let carol = blog.register("carol").await;
    let by_ada = blog.create_article(&ada, "By ada", &[]).await;
    let by_bob = blog.create_article(&bob, "By bob", &[]).await;
    blog.follow(&carol, &ada).await;
    let response = get_as(&blog, "/articles", Some(&carol)).await;
    expect_articles(
        &response,
        &[seen(&by_bob, false, false), seen(&by_ada, false, true)],
        2,
    );
    for viewer in [None, Some(&bob)] {
        let response = get_as(&blog, "/articles", viewer).await;
        expect_articles(&response, &[by_bob.clone(), by_ada.clone()], 2);
    }
}

#[tokio::test]
async fn a_negative_or_non_numeric_limit_or_offset_is_422() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    blog.create_article(&ada, "Something", &[]).await;
    for query in [
        "limit=-1",
        "limit=abc",
        "limit=1.5",
        "offset=-1",
        "offset=x",
        "limit=10&offset=-5",
    ] {
        let response = blog.client.get(&format!("/articles?{query}")).send().await;
        expect_error(&response, 422);
    }
}

/// The spec's `limitParam` has `minimum: 1`.
#[tokio::test]
async fn a_limit_of_zero_is_422_as_the_spec_s_minimum_is_one() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    blog.create_article(&ada, "Something", &[]).await;
    let response = blog.client.get("/articles?limit=0").send().await;
    expect_error(&response, 422);
}

/// The contract: where a token is optional, a missing one is an anonymous visitor, but an
/// invalid one is refused rather than ignored.
#[tokio::test]
async fn an_invalid_token_on_listing_is_401() {
    let blog = start().await;
    let ada = blog.register("ada").await;
    blog.create_article(&ada, "Something", &[]).await;
    for (what, token) in bad_tokens(&ada) {
        let response = blog.client.get("/articles").token(&token).send().await;
        if response.status() != 401 {
            response.fail(format!(
                "expected 401 for a token {what}, got {}",
                response.status()
            ));
        }
        expect_error(&response, 401);
    }
}
