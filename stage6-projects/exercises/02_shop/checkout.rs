//! Milestone 3: checkout. `POST /api/checkout` with `{"address": "..."}` and an
//! `Idempotency-Key` header (400 without one) turns the caller's cart into an order:
//!
//! ```json
//! {"id": 7, "status": "pending_payment", "address": "1 Main Street",
//!  "lines": [<the cart's items, their prices frozen>], "total_cents": 17800}
//! ```
//!
//! The answer is a 201. An empty cart or a blank address: 422. Not enough stock of any
//! line: 409, and then nothing has changed: no stock taken, the cart as it was.
//!
//! **One transaction** (`let mut tx = state.pool.begin().await?`, each query on
//! `&mut *tx`, `tx.commit().await?` at the end; returning early with `?` drops `tx`, which
//! rolls back): for each line, by product id, `UPDATE products SET stock = stock - $2 WHERE
//! id = $1 AND stock >= $2`, and zero rows updated is the 409; then the order and its lines
//! (name and price copied from the cart), then the cart emptied. Never read the stock with a
//! `SELECT` and write it with a separate `UPDATE`: fifty buyers all read "10 left". The test
//! sends fifty checkouts for the last ten items at once.
//!
//! **The idempotency key** (scoped to the user): a retry with the same key and the same body
//! answers exactly what the first request answered (status and body) and buys nothing; the
//! same key with another body is a 422. Only a 201 is remembered: after a 409 the same key
//! may be retried. Claim the key at the start of the transaction, `INSERT INTO
//! idempotency_keys ... ON CONFLICT DO NOTHING RETURNING ...` on a primary key `(user_id,
//! key)`, and write the answer into that row before the commit: a racing retry then waits on
//! the key until your transaction ends, and finds the answer (or, after a rollback, nothing,
//! and tries itself). When the key was there, roll back and answer what is stored; a
//! `Response` with a stored status and JSON text is `(status, [(CONTENT_TYPE,
//! "application/json")], text).into_response()`.
//!
//! - <https://docs.rs/sqlx/0.9/sqlx/struct.Transaction.html>
//! - <https://docs.stripe.com/api/idempotent_requests>

use super::error::AppError;

// TODO: the migration `0004_orders.sql` (orders, their lines, the idempotency keys), then the
// handler: `State`, `me: AuthUser`, `headers: HeaderMap`, `Json(body)`; it answers
// `Result<Response, AppError>`.

/// `POST /api/checkout`: 201 and the order.
pub async fn checkout() -> AppError {
    AppError::not_implemented("POST /api/checkout", 3, "checkout")
}
