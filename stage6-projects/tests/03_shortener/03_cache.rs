//! Milestone 3: the cache (`cache.rs`). Redirects are read from Redis, cache-aside, so that
//! PostgreSQL sees a link once, not at every click; unknown codes are cached too; and
//! `DELETE /api/links/{code}` (204; 404 for no link) takes the link away on every instance
//! at once. The tests count the statements PostgreSQL is asked to run (testkit's counting
//! pool) while the instance answers redirects.

use crate::common::{Instance, Process, World, become_the_instance_in_a_child, create};

#[tokio::test]
async fn a_hundred_redirects_of_one_link_cost_at_most_one_database_query() {
    let world = World::new().await;
    let (pool, counter) = world.db.counting_pool().await;
    let app = Instance::serve(pool, &world.redis, world.config()).await;
    let url = "https://example.com/popular";
    let code = create(&app.client, url).await;
    counter.reset();
    for _ in 0..100 {
        app.client
            .get(&format!("/{code}"))
            .send()
            .await
            .expect_status(302)
            .expect_header("location", url);
    }
    assert!(
        counter.get() <= 1,
        "100 redirects of one link asked PostgreSQL {} statements: read the link from Redis, \
         and only on a miss from PostgreSQL (then keep it in Redis)",
        counter.get()
    );
}

#[tokio::test]
async fn a_hundred_redirects_of_an_unknown_code_cost_at_most_one_database_query() {
    let world = World::new().await;
    let (pool, counter) = world.db.counting_pool().await;
    let app = Instance::serve(pool, &world.redis, world.config()).await;
    create(&app.client, "https://example.com/").await;
    counter.reset();
    for _ in 0..100 {
        app.client.get("/zzzzz").send().await.expect_status(404);
    }
    assert!(
        counter.get() <= 1,
        "100 redirects of an unknown code asked PostgreSQL {} statements: a client (or a \
         bot) asking for codes that do not exist must not reach the database each time; \
         cache the miss too, for a short while",
        counter.get()
    );
}

#[tokio::test]
async fn a_deleted_link_is_gone_on_every_instance() {
    become_the_instance_in_a_child().await;
    let world = World::new().await;
    // Two processes: a cache in one process's memory is not the other's.
    let test = "cache::a_deleted_link_is_gone_on_every_instance";
    let a = Process::start(&world, test, 1_000_000, None).await;
    let b = Process::start(&world, test, 1_000_000, None).await;
    let url = "https://example.com/soon-gone";
    let code = create(&a.client, url).await;
    let kept = create(&a.client, "https://example.com/kept").await;
    // Both instances have served it: whatever they cache, they cache it now.
    for app in [&a, &b] {
        app.client
            .get(&format!("/{code}"))
            .send()
            .await
            .expect_status(302);
    }
    b.client
        .delete(&format!("/api/links/{code}"))
        .send()
        .await
        .expect_status(204);
    for app in [&a, &b] {
        app.client
            .get(&format!("/{code}"))
            .send()
            .await
            .expect_status(404);
    }
    a.client
        .get(&format!("/{kept}"))
        .send()
        .await
        .expect_status(302)
        .expect_header("location", "https://example.com/kept");
    a.client
        .delete(&format!("/api/links/{code}"))
        .send()
        .await
        .expect_status(404);
}

#[tokio::test]
async fn deleting_a_code_that_is_no_link_is_404() {
    let world = World::new().await;
    let app = world.instance(world.config()).await;
    create(&app.client, "https://example.com/").await;
    for path in ["/api/links/zzzzz", "/api/links/not-base62"] {
        app.client.delete(path).send().await.expect_status(404);
    }
}
