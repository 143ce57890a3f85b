//! # Project 03: a URL shortener that scales out — a system-design interview, in code
//!
//! "Design bit.ly" is the system-design interview question: turn a long URL into a short one
//! (`https://sho.rt/4C92`), send whoever follows it on with a redirect, count the clicks. It is
//! small enough to build and has every problem of a real service: ids unique across machines,
//! a read-heavy load that a cache takes, events that must not be lost when a machine dies,
//! limits shared by machines that do not talk to each other. In an interview you draw boxes
//! and talk; here you build the boxes, run two of them at once behind nginx, kill one, and the
//! tests check that what you said is true. This file is the design document; the code in the
//! other files follows it.
//!
//! ## How it goes: six milestones
//!
//! `cargo xtask check 03_shortener` reports them one at a time ("milestone 2/6 links: …").
//!
//! 1. **capacity** (`capacity.rs`): the estimate below as functions, and base62.
//! 2. **links** (`links.rs`, a migration): create, redirect, delete; codes that two instances
//!    creating at once never share.
//! 3. **cache** (`cache.rs`): Redis in front of PostgreSQL, cache-aside, and its invalidation.
//! 4. **clicks** (`clicks.rs`, a migration): a Redis Stream from the redirect to a worker that
//!    writes PostgreSQL; nothing lost when a worker dies, nothing counted twice.
//! 5. **rate limit** (`limit.rs`): per client, in Redis, shared by every instance.
//! 6. **scale out** (`nginx.conf`): two instances behind nginx, a load run with a p99, and
//!    one instance killed in the middle of it.
//!
//! Given: this file ([`AppState`], [`app`]'s routes, [`migrate`]), `config.rs`, `error.rs`,
//! the types of `capacity.rs` and `limit.rs`, and the names of the stream and group in
//! `clicks.rs`. Every route answers 501 "not implemented yet: … (milestone N, topic)" until
//! you write it; each file's first lines say what its milestone needs. Tables are yours: sqlx
//! migrations in `migrations/` (`0001_links.sql`, …), read when [`migrate`] runs.
//!
//! ## 1. Requirements
//!
//! Functional: create a short link for an http(s) URL; follow it (a redirect); delete it;
//! see its clicks. Non-functional: redirects are fast (a p99 of milliseconds: they sit
//! between a user and the page they want), the service stays up when a machine dies (so
//! more than one instance), codes are short and never reused, clicks are never lost (they
//! are what customers pay for) but may show up a second or two late.
//!
//! ## 2. The estimate (milestone 1 computes it)
//!
//! Stated traffic: 100 M new links a month, 100 redirects per link (100:1 reads to writes),
//! 500 bytes a link all in, kept 5 years, a peak twice the average, the cache holding 20 % of
//! a day's redirects. A month is 30 days (2 592 000 s), a year 12 months; every figure is
//! computed from exact counts and rounded up once, at the end:
//!
//! | figure | computation | result |
//! |---|---|---|
//! | writes/s | 100 M / 2 592 000 | 39 |
//! | reads/s | 10 G / 2 592 000 | 3 859 |
//! | peak reads/s | 2 × 10 G / 2 592 000 | 7 717 |
//! | links stored | 100 M × 12 × 5 | 6 G |
//! | storage | 6 G × 500 B | 3 TB |
//! | cache | 10 G / 30 × 20 % × 500 B | 33.3 GB |
//! | code length | fewest n with 62ⁿ ≥ 6 G | 6 |
//!
//! What it tells you: 39 writes/s is nothing for one PostgreSQL; 7 717 reads/s is within
//! its reach but would be most of its work, and grows with every viral link, while Redis
//! answers 100 k+ simple commands a second on one core: reads go to a cache. 3 TB fits one
//! big disk, not comfortably, so storage is the first thing to shard; 33 GB of cache fits
//! in one Redis's memory, or in three shards of a cluster.
//!
//! ## 3. API
//!
//! - `POST /api/links` `{"url": "https://…"}` → 201 `{"code", "url", "short_url"}`: `code` is
//!   1 to 11 base62 characters, `short_url` is `{Config::public_url}/{code}`. 422 when the
//!   body is not that JSON or the URL is not absolute http(s) with a host, has whitespace or
//!   control characters, or is over 2 048 bytes. 429 over the rate limit, with `Retry-After`
//!   (seconds, at least 1).
//! - `GET /{code}` → 302 with `Location: <url>`; 404 for a code that is no link.
//! - `DELETE /api/links/{code}` → 204; 404 for a code that is no link.
//! - `GET /api/links/{code}/stats` → 200 `{"code", "url", "clicks"}`; 404 likewise.
//! - Errors answer `{"error": "..."}`.
//!
//! ## 4. Data model
//!
//! PostgreSQL is the truth: `links (id bigserial primary key, url, created_at)`; a link's code
//! is its id in base62 (`encode(id)`, and `decode(code)` to find it; 1 is `"1"`, 1 000 000 is
//! `"4C92"`). Clicks: `clicks (event_id text primary key, code, clicked_at)`, a row a click,
//! its key the event's id so a click delivered twice is stored once; stats count them.
//! Redis holds what may be lost or rebuilt: the cache (`{prefix}link:{code}`), the click
//! stream (`{prefix}clicks`), the rate-limit counters (`{prefix}rate:{client}`). Every key
//! starts with `Config::key_prefix`: the tests give each test a prefix of its own.
//!
//! ```text
//!            clients
//!               │
//!             nginx  (upstream: both instances; next_upstream on error)
//!          ┌────┴────┐
//!    instance A   instance B     app(state) + clicks::run_worker
//!          │ ╲     ╱ │
//!          │  Redis  │           cache · click stream (group "counters") · rate counters
//!          │         │
//!          PostgreSQL            links · clicks
//! ```
//!
//! ## 5. How each part works, and what the tests hold you to
//!
//! - **Ids.** Two instances must never give one code to two links: the counter lives where
//!   both see it, PostgreSQL's sequence (`bigserial`), or Redis's `INCR`. A counter in each
//!   process (an `AtomicU64`, or `SELECT max(id)` read once at start) hands out `"1"` twice
//!   the moment two instances run; the tests create 2 × 200 links at once on two instances.
//!   Random codes work too, if a unique index refuses a collision and you retry.
//! - **Cache-aside.** A redirect reads Redis; on a miss, PostgreSQL, then it writes the URL
//!   to Redis with a TTL (`cache_ttl`). An unknown code is cached too, as "none", for
//!   `miss_ttl`: a bot walking through codes must not reach the database at every request.
//!   Creating a link may write it to the cache at once (write-through, which also replaces a
//!   "none" cached before the code existed). Deleting one deletes the row, then the cache
//!   key: the cache is shared, so every instance stops serving it at once. (One instance's
//!   in-process cache would keep serving a deleted link; that is why it lives in Redis.) The
//!   tests count PostgreSQL statements: 100 redirects of one link may cost one.
//! - **Clicks.** A redirect `XADD`s `{prefix}clicks * code <code>` before it answers, so a
//!   302 means the click is in Redis. Workers read the stream in the consumer group
//!   `counters` (`XGROUP CREATE … 0 MKSTREAM` at start, a `BUSYGROUP` answer ignored),
//!   `XREADGROUP … BLOCK <poll> … >`, write the batch to PostgreSQL, and `XACK` after the
//!   commit, never before: a worker that dies between the two leaves its clicks pending, and
//!   another worker `XAUTOCLAIM`s whatever has been pending longer than `claim_idle`. That is
//!   at-least-once delivery, so a click may arrive twice: the insert skips an event id
//!   already stored (`ON CONFLICT (event_id) DO NOTHING`), which makes it exactly-once in
//!   effect. A worker blocks on its reads, so it uses a Redis connection of its own
//!   (`redis_client`), not the handlers' shared one.
//! - **Rate limit.** `POST /api/links`: at most `rate_limit` a `rate_window` per client, a
//!   fixed window from the client's first request: `INCR` the client's key and give it its
//!   expiry in the same atomic step (`MULTI`/`EXEC` with `PEXPIRE … NX`, or a Lua script),
//!   since a crash between two separate commands leaves a key that never expires: a client
//!   locked out for ever. In Redis, not in the process: with two instances a per-process count
//!   lets each client through twice as often. The client is the last address of
//!   `X-Forwarded-For`, the one our proxy added (what comes before it is the client's own
//!   word, and a liar's), or the peer's IP when there is none.
//! - **Scale out.** `nginx.conf`: an `upstream` of `${APP_1}` and `${APP_2}`, `proxy_pass` to
//!   it, `proxy_next_upstream error timeout` (a request that fails on one instance is tried on
//!   the other; nginx retries only idempotent ones, so a POST is never created twice), and
//!   `X-Forwarded-For`. Instances share nothing but PostgreSQL and Redis, so any number of
//!   them can run: that is what "stateless" buys. The tests run each instance in a process
//!   of its own (so nothing in one process's memory can pass for shared), send 2 000
//!   redirects through nginx, 16 at a time, and require a p99 under 1 s (a debug build on a
//!   busy machine; a release build does it in a few milliseconds); then they kill one
//!   instance, server and worker, with SIGKILL in the middle of 1 200 redirects: no client
//!   may see an error (nginx retries a failed GET on the other instance), and every 302
//!   must be counted once the surviving worker has claimed what the dead one left (a
//!   request the dead instance recorded but never answered, retried on the other, counts
//!   twice: at most one a request in flight).
//!
//! ## 6. Past one machine
//!
//! Each part has an engine that takes over, rather than code of your own:
//! - **Reads**: more instances behind the balancer (they are stateless), PostgreSQL read
//!   replicas for the misses, a CDN or the browser in front for the hottest links.
//! - **Storage**: shard `links` by id: Citus (<https://docs.citusdata.com>) distributes a
//!   PostgreSQL table by a column; or a key-value store built for it (DynamoDB, Cassandra).
//!   A code that is an id routes to its shard by itself.
//! - **Ids** without one sequence: ranges of ids handed out in blocks to each instance (a
//!   "ticket server" like Flickr's), or Snowflake ids (time, machine, counter): no round trip
//!   per link, at the price of longer codes.
//! - **Cache**: Redis Cluster (keys spread over shards by hash slot) or several replicas;
//!   a cache is rebuilt from the database, so losing one costs latency, not data.
//! - **Clicks**: Kafka (or Redpanda) instead of a Redis Stream when the stream must hold days
//!   of events, replayed by several consumers (billing, analytics), partitioned by code; the
//!   counts go to a column store (ClickHouse) rather than a row a click in PostgreSQL.
//! - **Rate limits**: the same `INCR` on Redis Cluster (one key per client lands on one shard),
//!   or at the edge (nginx's `limit_req`, an API gateway) for the crude per-IP part.
//!
//! ## 7. Trade-offs an interviewer asks about
//!
//! - **301 or 302?** A 301 is permanent: browsers and proxies cache it and never come back,
//!   which saves load and loses every later click. Counting clicks needs a 302 (or 307).
//! - **Counter, hash or random ids?** A counter is short and never collides, but needs one
//!   shared source and makes codes guessable (anyone can walk through every link; mix the bits
//!   with a fixed permutation if that matters). A hash of the URL gives one code per URL, and
//!   collisions to handle when truncated. Random codes are unguessable and need a
//!   uniqueness check on every insert.
//! - **Cache invalidation.** Delete the row, then the key. A reader that missed just before
//!   the delete may still write the old URL back after it: the TTL bounds that window (or
//!   delete the key again a moment later, or version the entries). Caching "none" needs a
//!   short TTL for the same reason.
//! - **Clicks: at-least-once, deduplicated.** Exactly-once delivery does not exist between two
//!   systems; at-least-once plus an idempotent write does the same job. The price here is a
//!   row per click; batches and per-minute rollups cut it.
//! - **Where the rate limit lives.** In Redis, shared: correct across instances, one round trip
//!   per request. In each process: free, and wrong by the number of instances. At the edge:
//!   cheapest, but it knows IPs, not users or API keys.
//! - **Consistency.** Stats lag the redirects by the worker's delay (eventual consistency);
//!   a redirect never waits for the count. That is the reason the stream is there.
//!
//! ## Run it
//!
//! - `cargo xtask check 03_shortener`: the tests (PostgreSQL, Redis, and nginx for milestone
//!   6: `apt install nginx`; the tests start it themselves).
//! - `cargo run -p stage6-projects --bin shortener`: an instance and its worker at
//!   `http://127.0.0.1:3000` (`PORT`, `DATABASE_URL`, `REDIS_URL`, `PUBLIC_URL`;
//!   `INSTANCES=2` starts a second on `PORT + 1`). Try
//!   `curl -si localhost:3000/api/links -H 'content-type: application/json' -d
//!   '{"url":"https://www.rust-lang.org"}'`, then `curl -si localhost:3000/1`.
//!
//! ## Read
//!
//! - <https://docs.rs/redis/1/redis/> (`AsyncCommands`, `pipe().atomic()`, `streams`) and
//!   <https://redis.io/docs/latest/develop/data-types/streams/> (consumer groups, `XAUTOCLAIM`)
//! - <https://redis.io/docs/latest/commands/incr/> ("Pattern: Rate limiter")
//! - <https://docs.rs/sqlx/0.9/sqlx/> and <https://docs.rs/axum/0.8/axum/> (`extract::ConnectInfo`)
//! - <https://nginx.org/en/docs/http/ngx_http_upstream_module.html> and
//!   <https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_next_upstream>
//! - Alex Xu, *System Design Interview*, chapter 8 ("Design a URL shortener").

mod cache;
pub mod capacity;
pub mod clicks;
mod config;
mod error;
pub mod limit;
mod links;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use sqlx::PgPool;
use sqlx::migrate::{MigrateError, Migrator};

pub use config::Config;

/// The load balancer's configuration (milestone 6), `nginx.conf` in this directory.
pub const NGINX_CONF: &str = include_str!("nginx.conf");

/// What every handler and worker of one instance can reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    /// A shared, reconnecting connection for the handlers' short commands.
    pub redis: ConnectionManager,
    /// For connections of their own (a worker's blocking reads).
    pub redis_client: redis::Client,
    pub config: Arc<Config>,
}

impl AppState {
    /// An instance's state: its pool, a Redis connection made from `redis_client`, `config`.
    pub async fn connect(
        pool: PgPool,
        redis_client: redis::Client,
        config: Config,
    ) -> Result<AppState, redis::RedisError> {
        // Five seconds for an answer, not redis's default half second: a busy machine must
        // not turn a slow answer into a 500.
        let manager = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(5)))
            .set_response_timeout(Some(Duration::from_secs(5)));
        let redis = ConnectionManager::new_with_config(redis_client.clone(), manager).await?;
        Ok(AppState {
            pool,
            redis,
            redis_client,
            config: Arc::new(config),
        })
    }
}

/// Runs the migrations in `migrations/` on `pool`: once per deployment, before its instances
/// start (two at once are safe too: sqlx takes a lock).
pub async fn migrate(pool: &PgPool) -> Result<(), MigrateError> {
    // Read at run time, not embedded with `sqlx::migrate!`: an edited migration is picked up
    // without cargo noticing anything.
    let migrations = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../solutions/stage6-projects/03_shortener/migrations");
    let mut migrator = Migrator::new(migrations).await?;
    // A record of its own, so that the project can share a database (the course's default
    // one) with the other projects' migrations.
    migrator.dangerous_set_table_name("_shortener_migrations");
    migrator.run(pool).await
}

/// One instance's HTTP side. Serve it with
/// `axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>())`:
/// the rate limit needs the peer's address.
pub fn app(state: AppState) -> Router {
    Router::new()
        // Milestone 2: links (and 5: the rate limit, inside `create`).
        .route("/api/links", post(links::create))
        .route("/{code}", get(links::redirect))
        // Milestone 3: deleting reaches the cache.
        .route("/api/links/{code}", axum::routing::delete(links::delete))
        // Milestone 4: clicks.
        .route("/api/links/{code}/stats", get(clicks::stats))
        .fallback(error::no_route)
        .with_state(state)
}
