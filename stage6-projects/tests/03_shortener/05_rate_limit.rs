//! Milestone 5: the rate limit (`limit.rs`). `POST /api/links` is limited per client to
//! `rate_limit` links a `rate_window`, counted in Redis so that every instance shares one
//! count: a fixed window that starts at the client's first request, its count and its expiry
//! set in one atomic step. Over the limit: 429 with `Retry-After` (whole seconds, at least 1).
//! The client is the last address of `X-Forwarded-For` (the one our proxy added), or the
//! peer's IP address when there is no such header.

use std::time::Duration;

use redis::AsyncCommands;
use serde_json::{Value, json};
use testkit::http::Client;
use testkit::redis::Recorder;
use tokio::time::Instant;

use crate::common::{Process, World, become_the_instance_in_a_child};
use crate::exercise::limit::{Verdict, hit};

async fn post_as(client: &Client, forwarded_for: Option<&str>) -> testkit::http::Response {
    let request = client
        .post("/api/links")
        .json(&json!({ "url": "https://example.com/" }));
    match forwarded_for {
        Some(address) => request.header("x-forwarded-for", address),
        None => request,
    }
    .send()
    .await
}

#[tokio::test]
async fn hit_allows_the_limit_then_refuses_until_the_window_ends() {
    let world = World::new().await;
    let mut conn = world.redis.conn();
    let key = world.redis.key("rate:203.0.113.7");
    let window = Duration::from_secs(60);
    let mut verdicts = Vec::new();
    for _ in 0..3 {
        verdicts.push(
            testkit::within("hit", hit(&mut conn, &key, 3, window))
                .await
                .expect("hit"),
        );
    }
    assert_eq!(
        verdicts,
        vec![
            Verdict::Allowed { remaining: 2 },
            Verdict::Allowed { remaining: 1 },
            Verdict::Allowed { remaining: 0 },
        ]
    );
    match testkit::within("hit", hit(&mut conn, &key, 3, window))
        .await
        .expect("hit")
    {
        Verdict::Refused { retry_after }
            if retry_after > Duration::from_secs(50) && retry_after <= window => {}
        other => panic!(
            "the 4th hit of a limit of 3 in 60 s is {other:?}: expected Refused with \
             retry_after the window's time left (just under 60 s)"
        ),
    }
}

#[tokio::test]
async fn each_hit_is_one_atomic_step_that_sets_the_expiry() {
    let world = World::new().await;
    let recorder = Recorder::new(world.redis.conn());
    let key = world.redis.key("rate:198.51.100.1");
    let window = Duration::from_secs(30);
    for n in 1..=3 {
        let mut conn = recorder.clone();
        testkit::within("hit", hit(&mut conn, &key, 10, window))
            .await
            .expect("hit");
        let trips = recorder.trips();
        assert_eq!(
            trips.len(),
            n,
            "hit number {n}: Redis carried out {trips:#?}; each hit must be one round trip, \
             one command (a Lua script) or a MULTI/EXEC transaction, so that no crash between \
             two commands leaves a count without its expiry"
        );
        let last = trips.last().expect("a trip");
        assert!(
            last.atomic || last.commands.len() == 1,
            "hit number {n} sent {:?} without MULTI/EXEC: another client's commands may run \
             between them",
            last.names()
        );
    }
    let mut conn = world.redis.conn();
    let ttl_ms: i64 = conn.pttl(&key).await.expect("PTTL");
    assert!(
        ttl_ms > 20_000 && ttl_ms <= 30_000,
        "the key's time to live is {ttl_ms} ms: it expires when the window, 30 s from the \
         first hit, ends (and a later hit does not push it back)"
    );
}

#[tokio::test]
async fn the_limit_is_shared_by_both_instances() {
    become_the_instance_in_a_child().await;
    let world = World::new().await;
    // Two processes: a count in one process's memory is not the other's.
    let test = "rate_limit::the_limit_is_shared_by_both_instances";
    let a = Process::start(&world, test, 10, None).await;
    let b = Process::start(&world, test, 10, None).await;
    let client = Some("203.0.113.7");
    for _ in 0..6 {
        post_as(&a.client, client).await.expect_status(201);
    }
    for _ in 0..4 {
        post_as(&b.client, client).await.expect_status(201);
    }
    let refused = post_as(&b.client, client).await;
    refused.expect_status(429);
    let retry_after: u64 = refused
        .header("retry-after")
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| refused.fail("a 429 says when to come back: `Retry-After: <seconds>`"));
    if !(1..=60).contains(&retry_after) {
        refused.fail("`Retry-After` is the seconds left in the 60 s window");
    }
    let body: Value = refused.expect_json();
    if !body["error"].is_string() {
        refused.fail("an error answers {\"error\": \"...\"}");
    }
    post_as(&a.client, client).await.expect_status(429);
    post_as(&a.client, Some("198.51.100.1"))
        .await
        .expect_status(201);
}

#[tokio::test]
async fn the_client_is_the_last_x_forwarded_for_address_or_the_peer() {
    let world = World::new().await;
    let app = world
        .instance(crate::exercise::Config {
            rate_limit: 2,
            ..world.config()
        })
        .await;
    // What the client wrote comes first and is anybody's word; our proxy added the last.
    post_as(&app.client, Some("10.0.0.1, 203.0.113.9"))
        .await
        .expect_status(201);
    post_as(&app.client, Some("10.0.0.2, 203.0.113.9"))
        .await
        .expect_status(201);
    post_as(&app.client, Some("10.0.0.3, 203.0.113.9"))
        .await
        .expect_status(429);
    post_as(&app.client, Some("203.0.113.9, 10.0.0.3"))
        .await
        .expect_status(201);
    // Without the header, the peer: the test, 127.0.0.1.
    post_as(&app.client, None).await.expect_status(201);
    post_as(&app.client, None).await.expect_status(201);
    post_as(&app.client, None).await.expect_status(429);
}

#[tokio::test]
async fn the_window_ends_on_time_even_for_a_client_that_keeps_asking() {
    let world = World::new().await;
    let app = world
        .instance(crate::exercise::Config {
            rate_limit: 2,
            rate_window: Duration::from_secs(1),
            ..world.config()
        })
        .await;
    let client = Some("192.0.2.44");
    let start = Instant::now();
    post_as(&app.client, client).await.expect_status(201);
    post_as(&app.client, client).await.expect_status(201);
    post_as(&app.client, client).await.expect_status(429);
    // Asking again every 100 ms: the window still ends 1 s after its first request.
    loop {
        let response = post_as(&app.client, client).await;
        if response.status() == 201 {
            break;
        }
        response.expect_status(429);
        if start.elapsed() > Duration::from_secs(5) {
            response.fail(
                "5 s after the first request of a 1 s window the client is still refused: \
                 the window's expiry is set once, by its first request (PEXPIRE … NX, or \
                 only when INCR answered 1), never pushed back by later ones",
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
