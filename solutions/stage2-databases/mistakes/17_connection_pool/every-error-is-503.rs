//! mistake: every database error is answered 503, a missing table too
//! # Exercise 17: connection pools — sizing, exhaustion, and failing fast
//!
//! Reference solution. The lesson is in `stage2-databases/exercises/17_connection_pool.rs`.
//!
//! Each step of `pay_order` runs its query on `&pool`, which takes a connection for that query
//! alone: while the provider works, the request holds nothing, and a pool of five serves any
//! number of slow payments. A pool timeout is answered with 503 after `ACQUIRE_TIMEOUT`.

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
    // In whole microseconds, so that 200 × 20 ms is exactly 4, with no floating-point rounding.
    let busy = u128::from(requests_per_second) * hold_time.as_micros();
    let connections = busy.div_ceil(1_000_000).max(1);
    u32::try_from(connections).unwrap_or(u32::MAX)
}

/// The service's pool: at most [`MAX_CONNECTIONS`] connections to `url`, and a request that
/// finds none free gives up after [`ACQUIRE_TIMEOUT`] with `sqlx::Error::PoolTimedOut`.
pub async fn connect(url: &str) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect(url)
        .await
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
    match find_order(pool, id).await {
        Ok(Some(order)) => ok(&order),
        Ok(None) => not_found(id),
        Err(error) => error_response(error),
    }
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
    // Each query takes a connection from the pool and gives it back when it is done.
    let order = match find_order(pool, id).await {
        Ok(Some(order)) => order,
        Ok(None) => return not_found(id),
        Err(error) => return error_response(error),
    };
    // No connection is held here, however long the provider takes.
    let payment_id = charge(order.amount_cents).await;
    let paid = sqlx::query_as(
        "UPDATE orders SET status = 'paid', payment_id = $2 WHERE id = $1
         RETURNING id, amount_cents, status, payment_id",
    )
    .bind(id)
    .bind(payment_id)
    .fetch_optional(pool)
    .await;
    match paid {
        Ok(Some(order)) => ok(&order),
        Ok(None) => not_found(id),
        Err(error) => error_response(error),
    }
}

/// The answer for a database error: 503 when the pool timed out, 500 for anything else.
fn error_response(error: sqlx::Error) -> Response {
    match error {
        // Busy, not broken: the client may try again in a moment.
        sqlx::Error::PoolTimedOut => json(
            503,
            &serde_json::json!({ "error": "busy: no database connection is free, try again" }),
        ),
        // The details are for the logs, never for the client.
        _ => json(
            503,
            &serde_json::json!({ "error": "busy: no database connection is free, try again" }),
        ),
    }
}

async fn find_order(pool: &PgPool, id: i64) -> Result<Option<Order>, sqlx::Error> {
    sqlx::query_as("SELECT id, amount_cents, status, payment_id FROM orders WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

fn ok(order: &Order) -> Response {
    json(200, order)
}

fn not_found(id: i64) -> Response {
    json(
        404,
        &serde_json::json!({ "error": format!("order {id} not found") }),
    )
}

fn json(status: u16, body: &impl Serialize) -> Response {
    Response {
        status,
        body: serde_json::to_string(body).expect("an order and a JSON value always serialize"),
    }
}
