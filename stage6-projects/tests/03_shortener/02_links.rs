//! Milestone 2: links (`links.rs`). `POST /api/links {"url"}` → 201 `{code, url,
//! short_url}`; `GET /{code}` → 302 to the URL; 404 for a code that is no link; 422 for a
//! body that is not `{"url": "<http(s) URL>"}`. Codes are 1 to 11 base62 characters, and
//! unique across every instance of the service.

use std::collections::HashSet;

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::common::{PUBLIC_URL, Process, World, become_the_instance_in_a_child, create};

fn is_a_code(code: &str) -> bool {
    (1..=11).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[tokio::test]
async fn creating_a_link_answers_201_with_its_code_and_short_url() {
    let world = World::new().await;
    let app = world.instance(world.config()).await;
    let url = "https://example.com/articles/2026/12/a-long-title?ref=newsletter#part-2";
    let response = app
        .client
        .post("/api/links")
        .json(&json!({ "url": url }))
        .send()
        .await;
    response.expect_status(201);
    let link: Value = response.expect_json();
    let code = link["code"].as_str().unwrap_or_default().to_string();
    if !is_a_code(&code) {
        response.fail("`code` must be 1 to 11 base62 characters (0-9, A-Z, a-z)");
    }
    assert_eq!(
        link,
        json!({ "code": code, "url": url, "short_url": format!("{PUBLIC_URL}/{code}") })
    );
}

#[tokio::test]
async fn a_short_link_redirects_with_302_to_its_url() {
    let world = World::new().await;
    let app = world.instance(world.config()).await;
    let url = "http://example.org/a?b=c&d=%20e";
    let code = create(&app.client, url).await;
    app.client
        .get(&format!("/{code}"))
        .send()
        .await
        .expect_status(302)
        .expect_header("location", url);
}

#[tokio::test]
async fn a_code_that_is_no_link_is_404() {
    let world = World::new().await;
    let app = world.instance(world.config()).await;
    create(&app.client, "https://example.com/").await;
    for path in ["/zzzzzz", "/LygHa16AHYF", "/not-base62", "/0"] {
        let response = app.client.get(path).send().await;
        response.expect_status(404);
        let body: Value = response.expect_json();
        if !body["error"].is_string() {
            response.fail("an error answers {\"error\": \"...\"}");
        }
    }
}

#[tokio::test]
async fn a_url_that_is_not_an_http_or_https_url_is_refused_with_422() {
    let world = World::new().await;
    let app = world.instance(world.config()).await;
    let long = format!("https://example.com/{}", "a".repeat(2100));
    let bad_urls = [
        "ftp://example.com/file",
        "javascript:alert(1)",
        "example.com/no-scheme",
        "http://",
        "https:///path-without-host",
        "https://exa mple.com/",
        "https://example.com/\nLocation: https://evil.example",
        long.as_str(),
    ];
    for url in bad_urls {
        let response = app
            .client
            .post("/api/links")
            .json(&json!({ "url": url }))
            .send()
            .await;
        response.expect_status(422);
        let body: Value = response.expect_json();
        if !body["error"].is_string() {
            response.fail("an error answers {\"error\": \"...\"}");
        }
    }
    for body in [
        json!({}),
        json!({ "url": 42 }),
        json!("https://example.com"),
    ] {
        app.client
            .post("/api/links")
            .json(&body)
            .send()
            .await
            .expect_status(422);
    }
    app.client
        .post("/api/links")
        .header("content-type", "application/json")
        .body("https://example.com")
        .send()
        .await
        .expect_status(422);
}

#[tokio::test]
async fn two_instances_creating_at_once_never_hand_out_one_code_twice() {
    become_the_instance_in_a_child().await;
    let world = World::new().await;
    // Two processes, as in production: nothing in one process's memory is the other's.
    let test = "links::two_instances_creating_at_once_never_hand_out_one_code_twice";
    let a = Process::start(&world, test, 1_000_000, None).await;
    let b = Process::start(&world, test, 1_000_000, None).await;
    // 200 on each, all at once: the code must come from something both instances share.
    let creations = (0..400).map(|i| {
        let client = if i % 2 == 0 { &a.client } else { &b.client };
        let url = format!("https://example.com/page/{i}");
        async move { (create(client, &url).await, url) }
    });
    let links: Vec<(String, String)> = testkit::within_secs(
        30,
        "400 links created on two instances",
        join_all(creations),
    )
    .await;
    let codes: HashSet<&str> = links.iter().map(|(code, _)| code.as_str()).collect();
    assert_eq!(
        codes.len(),
        400,
        "400 links got {} distinct codes: two instances gave one code to two links (a \
         counter in each process?)",
        codes.len()
    );
    // Each link, asked on the instance that did not create it, leads to its own URL.
    for (i, (code, url)) in links.iter().enumerate() {
        let other = if i % 2 == 0 { &b.client } else { &a.client };
        other
            .get(&format!("/{code}"))
            .send()
            .await
            .expect_status(302)
            .expect_header("location", url);
    }
}
