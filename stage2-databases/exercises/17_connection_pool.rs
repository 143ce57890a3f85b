//! # Exercise 17: connection pools — sizing, exhaustion, and failing fast
//!
//! Opening a PostgreSQL connection is expensive: a TCP (often TLS) handshake, authentication,
//! and a new server process for each connection, a few milliseconds and several megabytes of
//! memory on the server. So a backend opens connections once and shares them: a **pool**
//! holds up to `max_connections` of them; code *acquires* one, uses it, and gives it back.
//! Every query you run on `&pool` in sqlx acquires a connection for that one query and gives
//! it back when the query is done; `pool.acquire()` returns a `PoolConnection` that goes back
//! when it is dropped; a `Transaction` holds its connection until commit or rollback.
//!
//! **Exhaustion.** When all connections are in use, `acquire` waits for one to come back.
//! That wait is where a busy service falls over:
//!
//! - **Waiting too long.** sqlx waits up to `acquire_timeout`, 30 s by default. Under load,
//!   requests queue for a connection, each one holding memory and a client that long ago
//!   gave up, and the service stops answering at all. A service that answers
//!   `503 Service Unavailable` after half a second instead tells clients and load balancers
//!   to back off or try another instance, and recovers as soon as the load drops. In sqlx
//!   the wait ends with `sqlx::Error::PoolTimedOut`: busy, not broken, so a 503, never a 500.
//! - **Holding a connection across an `.await` that is not about the database.** A handler
//!   that acquires a connection (or begins a transaction), then calls a payment provider
//!   that takes two seconds, keeps the connection idle for those two seconds, away from
//!   everybody else. Ten such requests hold a pool of ten, and every other request of the
//!   service, even a health check, waits. This is a *leak* in all but name: the connection
//!   comes back eventually, too late. Use the database, let the connection go, then wait for
//!   the slow thing, then take a connection again for the next step. (In `psql`,
//!   `SELECT state, count(*) FROM pg_stat_activity GROUP BY state` shows such connections as
//!   `idle` or `idle in transaction` while the service is stuck.)
//!
//! **Sizing.** More connections do not make PostgreSQL faster: it runs one query per
//! connection on one core at a time, so a few dozen busy connections already saturate a big
//! server, and the server's `max_connections` (100 by default) is shared by every instance
//! of every service (instances × pool size must stay below it). How many does one instance
//! need? Little's law: the average number of connections in use is the rate at which requests
//! arrive times how long each holds a connection. 200 requests a second, each holding one for
//! 20 ms, keep 200 × 0.020 = 4 connections busy on average; round up, and add headroom for
//! bursts. Measure the time from your traces or `pg_stat_statements`, not from a guess.
//!
//! sqlx's builder is `PgPoolOptions::new().max_connections(n).acquire_timeout(d)`, then
//! `.connect(url).await`. `pool.options()` tells what a pool was built with.
//!
//! - <https://docs.rs/sqlx/latest/sqlx/pool/struct.PoolOptions.html>
//! - <https://docs.rs/sqlx/latest/sqlx/enum.Error.html#variant.PoolTimedOut>
//! - <https://github.com/brettwooldridge/HikariCP/wiki/About-Pool-Sizing>
//! - <https://www.postgresql.org/docs/15/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW>
//! - <https://en.wikipedia.org/wiki/Little%27s_law>
//!
//! The tests create this table:
//!
//! ```sql
//! CREATE TABLE orders (
//!     id           bigint PRIMARY KEY,
//!     amount_cents bigint NOT NULL,
//!     status       text NOT NULL DEFAULT 'open',
//!     payment_id   text
//! );
//! ```
//!
//! Your task: `pool_size`, `connect`, and two handler-like functions, `get_order` and
//! `pay_order`, that answer 503 instead of hanging when no connection is free, and never keep
//! a connection while the payment provider thinks.
//!
//! Run `cargo xtask check 17_connection_pool` to check your work; `cargo xtask hint
//! 17_connection_pool` gives a hint.

use std::future::Future;
use std::time::Duration;

use serde::Serialize;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

/// The most connections the service's pool may hold.
pub const MAX_CONNECTIONS: u32 = 5;
/// How long a request waits for a free connection before it gives up.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_millis(500);

/// One row of the `orders` table; the body of a successful answer, as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Order {
    pub id: i64,
    pub amount_cents: i64,
    pub status: String,
    pub payment_id: Option<String>,
}

/// What a handler answers: a status code and a JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

/// How many connections keep up with `requests_per_second` requests that each hold a
/// connection for `hold_time` (Little's law), rounded up; at least 1.
///
/// `pool_size(200, 20 ms)` is 4; `pool_size(300, 5 ms)` is 2 (1.5, rounded up).
pub fn pool_size(requests_per_second: u32, hold_time: Duration) -> u32 {
    // TODO: the connections in use on average, rounded up, and never 0.
    todo!(
        "how many connections {requests_per_second} requests/s holding one for {hold_time:?} need"
    )
}

/// The service's pool: at most [`MAX_CONNECTIONS`] connections to `url`, and a request that
/// finds none free gives up after [`ACQUIRE_TIMEOUT`] with `sqlx::Error::PoolTimedOut`.
pub async fn connect(url: &str) -> Result<PgPool, sqlx::Error> {
    // TODO: a pool sized and time-limited by the two constants above.
    todo!("open a pool of at most {MAX_CONNECTIONS} connections")
}

/// `GET /orders/{id}`.
///
/// - 200 and the order as JSON: `{"id":1,"amount_cents":1250,"status":"open","payment_id":null}`;
/// - 404 and `{"error":"order 7 not found"}`;
/// - 503 and `{"error":"busy: no database connection is free, try again"}` when no
///   connection came free within the pool's acquire timeout;
/// - 500 and `{"error":"internal error"}` for any other error (never the error's text: it
///   may show your SQL or your schema to a stranger).
pub async fn get_order(pool: &PgPool, id: i64) -> Response {
    // TODO: read the order and answer as above.
    todo!("answer GET /orders/{id}")
}

/// `POST /orders/{id}/pay`: charges the order's amount through the payment provider, which is
/// slow (`charge(amount_cents)` resolves to the provider's payment id after a while), then
/// records the payment: `status` becomes `'paid'` and `payment_id` the provider's id.
///
/// Answers 200 and the order as it is now stored, as JSON; 404 (the provider is never called)
/// for an order that does not exist; 503 and 500 as `get_order`. While the provider works,
/// this request holds no connection of the pool.
pub async fn pay_order<F, Fut>(pool: &PgPool, id: i64, charge: F) -> Response
where
    F: FnOnce(i64) -> Fut,
    Fut: Future<Output = String>,
{
    // TODO: read the order, call the provider, record the payment; no connection and no
    // transaction may stay open while the provider works.
    todo!("answer POST /orders/{id}/pay")
}

/// A suggested helper: the answer for a database error (503 or 500, as above).
fn error_response(error: sqlx::Error) -> Response {
    // TODO: a pool timeout is "busy" (503); anything else is "internal error" (500).
    todo!("answer for {error}")
}
