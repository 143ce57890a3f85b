//! testkit against the real services: isolation, cleanup, counting.
#![cfg(all(feature = "postgres", feature = "redis"))]

use redis::AsyncCommands;

#[tokio::test]
async fn a_database_starts_empty_and_is_usable() {
    let db = testkit::postgres::database().await;
    let tables: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(tables, 0);
    sqlx::query("CREATE TABLE t (id int PRIMARY KEY)")
        .execute(db.pool())
        .await
        .unwrap();
    sqlx::query("INSERT INTO t VALUES (1)")
        .execute(db.pool())
        .await
        .unwrap();
}

#[tokio::test]
async fn databases_held_at_the_same_time_are_distinct_and_isolated() {
    let dbs = futures_join(6).await;
    let mut names: Vec<&str> = dbs.iter().map(|d| d.name()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 6, "each test needs a database of its own");
    sqlx::query("CREATE TABLE only_in_first (x int)")
        .execute(dbs[0].pool())
        .await
        .unwrap();
    let seen: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'")
            .fetch_one(dbs[1].pool())
            .await
            .unwrap();
    assert_eq!(seen, 0);
}

async fn futures_join(n: usize) -> Vec<testkit::postgres::TestDatabase> {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..n {
        set.spawn(testkit::postgres::database());
    }
    let mut dbs = Vec::new();
    while let Some(db) = set.join_next().await {
        dbs.push(db.unwrap());
    }
    dbs
}

#[tokio::test]
async fn a_database_claimed_again_is_wiped_of_tables_schemas_and_types() {
    let db = testkit::postgres::database().await;
    let name = db.name().to_string();
    sqlx::raw_sql(
        "CREATE TABLE leftover (x int); CREATE SCHEMA extra; CREATE TABLE extra.t (y int);
         CREATE TYPE mood AS ENUM ('ok'); CREATE TABLE _sqlx_migrations (version bigint);",
    )
    .execute(db.pool())
    .await
    .unwrap();
    drop(db);
    // Claim until the same database comes back (other tests may hold it meanwhile). A claim
    // takes the free database with the lowest number, so each other one is held until the
    // end: let go, it would be the next claim's again, and ours, higher up, never would.
    let mut others = Vec::new();
    for _ in 0..50 {
        let again = testkit::postgres::database().await;
        if again.name() == name {
            let objects: i64 = sqlx::query_scalar(
                "SELECT (SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema'))
                      + (SELECT count(*) FROM pg_namespace WHERE nspname = 'extra')
                      + (SELECT count(*) FROM pg_type WHERE typname = 'mood')",
            )
            .fetch_one(again.pool())
            .await
            .unwrap();
            assert_eq!(objects, 0, "a claimed database must be empty");
            return;
        }
        others.push(again);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("database {name} was never claimed again");
}

#[tokio::test]
async fn the_counting_pool_counts_each_statement() {
    let db = testkit::postgres::database().await;
    let (pool, counter) = db.counting_pool().await;
    counter.reset();
    for i in 0..3 {
        let _: i32 = sqlx::query_scalar("SELECT $1")
            .bind(i)
            .fetch_one(&pool)
            .await
            .unwrap();
    }
    sqlx::raw_sql("SELECT 1").execute(&pool).await.unwrap();
    assert_eq!(counter.get(), 4);
}

#[tokio::test]
async fn the_counting_pool_counts_the_rows_sent_back() {
    let db = testkit::postgres::database().await;
    let (pool, counter) = db.counting_pool().await;
    counter.reset();
    let rows: Vec<i32> = sqlx::query_scalar("SELECT generate_series(1, 25)")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(rows.len(), 25);
    assert_eq!((counter.get(), counter.rows()), (1, 25));
    counter.reset();
    assert_eq!((counter.get(), counter.rows()), (0, 0));
}

#[tokio::test]
async fn redis_keys_carry_the_test_prefix_and_are_deleted_afterwards() {
    let a = testkit::redis::connection().await;
    let b = testkit::redis::connection().await;
    assert_ne!(a.prefix(), b.prefix());
    let key = a.key("visits");
    assert!(key.starts_with("tk:") && key.ends_with(":visits"), "{key}");

    let mut conn = a.conn();
    let _: () = conn.set(&key, 1).await.unwrap();
    let exists: bool = b.conn().exists(&key).await.unwrap();
    assert!(exists, "the keys are real keys on the shared server");
    drop(a);
    let exists: bool = b.conn().exists(&key).await.unwrap();
    assert!(!exists, "a test's keys are deleted when it ends");
}

#[tokio::test]
async fn keys_left_by_a_killed_run_are_swept_once_they_are_stale() {
    let r = testkit::redis::connection().await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // Keys as a run killed 20 minutes ago and a run still going would have left them.
    let pid = std::process::id();
    let old = format!("tk:{}:{pid}:999:orphan", now - 1200);
    let recent = format!("tk:{}:{pid}:998:in-use", now - 60);
    let mut conn = r.conn();
    let _: () = conn.set(&old, 1).await.unwrap();
    let _: () = conn.set(&recent, 1).await.unwrap();

    testkit::redis::sweep_stale(&r.client(), now);

    let old_exists: bool = conn.exists(&old).await.unwrap();
    let recent_exists: bool = conn.exists(&recent).await.unwrap();
    let _: () = conn.del(&recent).await.unwrap();
    assert_eq!((old_exists, recent_exists), (false, true));
}
