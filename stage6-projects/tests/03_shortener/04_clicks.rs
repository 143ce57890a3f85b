//! Milestone 4: clicks (`clicks.rs`). A redirect appends its click to the Redis Stream
//! `{key_prefix}clicks` (`XADD`, field `code`) before it answers; workers (`run_worker`) read
//! it in the consumer group `counters` (made from id 0 if missing, `BUSYGROUP` ignored),
//! write the clicks to PostgreSQL, and acknowledge each after its commit, so that a worker
//! that dies loses nothing: its unacknowledged clicks are taken over (`XAUTOCLAIM`) by a
//! worker once they have waited `claim_idle`. Delivery is at least once, so a click is
//! counted once by its event id (the entry's id). `GET /api/links/{code}/stats` → 200
//! `{code, url, clicks}`, the clicks applied so far.

use std::time::Duration;

use redis::AsyncCommands;
use redis::streams::{StreamRangeReply, StreamReadOptions, StreamReadReply};
use serde_json::json;

use crate::common::{
    GROUP, Instance, Worker, World, create, group_state, wait_for_clicks, wait_until_settled,
};

async fn redirect(app: &Instance, code: &str, times: usize) {
    for _ in 0..times {
        app.client
            .get(&format!("/{code}"))
            .send()
            .await
            .expect_status(302);
    }
}

#[tokio::test]
async fn each_redirect_adds_its_click_to_the_stream_before_answering() {
    let world = World::new().await;
    let app = world.instance(world.config()).await;
    let a = create(&app.client, "https://example.com/a").await;
    let b = create(&app.client, "https://example.com/b").await;
    redirect(&app, &a, 2).await;
    redirect(&app, &b, 1).await;
    // No worker runs: the clicks wait in the stream.
    let mut redis = world.redis.conn();
    let entries: StreamRangeReply = redis
        .xrange_all(world.stream())
        .await
        .expect("XRANGE on the click stream");
    let codes: Vec<Option<String>> = entries.ids.iter().map(|e| e.get("code")).collect();
    assert_eq!(
        codes,
        vec![Some(a.clone()), Some(a), Some(b)],
        "the entries of {} (their `code` field), in order",
        world.stream()
    );
}

#[tokio::test]
async fn the_worker_counts_each_click_once() {
    let world = World::new().await;
    let app = world.instance(world.config()).await;
    let a = create(&app.client, "https://example.com/a").await;
    let b = create(&app.client, "https://example.com/b").await;
    let _worker = app.worker("w1");
    redirect(&app, &a, 7).await;
    redirect(&app, &b, 3).await;
    wait_for_clicks(&app.client, &[(&a, 7), (&b, 3)], 10).await;
    wait_until_settled(&world.redis, &world.stream(), 5).await;
    app.client
        .get(&format!("/api/links/{a}/stats"))
        .send()
        .await
        .expect_status(200)
        .expect_json_eq(json!({ "code": a, "url": "https://example.com/a", "clicks": 7 }));
}

#[tokio::test]
async fn stats_of_a_code_that_is_no_link_is_404() {
    let world = World::new().await;
    let app = world.instance(world.config()).await;
    create(&app.client, "https://example.com/").await;
    app.client
        .get("/api/links/zzzzz/stats")
        .send()
        .await
        .expect_status(404);
}

#[tokio::test]
async fn a_click_delivered_twice_is_counted_once() {
    let world = World::new().await;
    let app = world.instance(world.config()).await;
    let a = create(&app.client, "https://example.com/a").await;
    let _worker = app.worker("w1");
    redirect(&app, &a, 5).await;
    wait_for_clicks(&app.client, &[(&a, 5)], 10).await;
    wait_until_settled(&world.redis, &world.stream(), 5).await;
    // Delivery is at least once: a worker that died between its commit and its XACK, or a
    // Redis failover that lost the acknowledgements, delivers the same entries again. Here
    // all five come again.
    let mut redis = world.redis.conn();
    let _: () = redis::cmd("XGROUP")
        .arg("SETID")
        .arg(world.stream())
        .arg(GROUP)
        .arg("0")
        .query_async(&mut redis)
        .await
        .expect("XGROUP SETID");
    wait_until_settled(&world.redis, &world.stream(), 10).await;
    assert_eq!(
        crate::common::clicks(&app.client, &a).await,
        5,
        "5 clicks, each delivered twice, must count 5: skip an event id already applied"
    );
}

#[tokio::test]
async fn clicks_a_dead_worker_had_taken_are_counted_by_another() {
    let world = World::new().await;
    let app = world.instance(world.config()).await;
    let a = create(&app.client, "https://example.com/a").await;
    let mut redis = world.redis.conn();
    let _: () = redis
        .xgroup_create_mkstream(world.stream(), GROUP, "0")
        .await
        .expect("XGROUP CREATE");
    redirect(&app, &a, 4).await;
    // A worker reads the four clicks and dies before it writes or acknowledges any.
    let options = StreamReadOptions::default().group(GROUP, "died").count(100);
    let taken: StreamReadReply = redis
        .xread_options(&[world.stream()], &[">"], &options)
        .await
        .expect("XREADGROUP as the worker that dies");
    assert_eq!(taken.keys.iter().map(|k| k.ids.len()).sum::<usize>(), 4);
    let _worker = app.worker("survivor");
    wait_for_clicks(&app.client, &[(&a, 4)], 10).await;
    wait_until_settled(&world.redis, &world.stream(), 5).await;
}

#[tokio::test]
async fn clicks_a_worker_could_not_write_are_written_by_another() {
    let world = World::new().await;
    let app = world.instance(world.config()).await;
    let a = create(&app.client, "https://example.com/a").await;
    redirect(&app, &a, 3).await;
    // A worker whose database refuses every write (it has no tables): the clicks it takes
    // must stay pending, unacknowledged, since they are not written.
    let broken_db = testkit::postgres::database().await;
    let broken = Instance::serve(broken_db.pool().clone(), &world.redis, world.config()).await;
    let doomed = broken.worker("doomed");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        if let Some((_, delivered, last)) = group_state(&world.redis, &world.stream()).await
            && delivered == last
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the worker never read the click stream in the group `{GROUP}`"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Time to try, fail and (if it is wrong) acknowledge anyway; then it dies.
    tokio::time::sleep(Duration::from_millis(500)).await;
    drop(doomed);
    let _worker: Worker = app.worker("survivor");
    wait_for_clicks(&app.client, &[(&a, 3)], 10).await;
}
