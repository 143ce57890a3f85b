//! Milestone 4 (with `payments.rs`): orders and their states.
//!
//! ```text
//! pending_payment ──payment.succeeded──▶ paid ──ship──▶ shipped ──deliver──▶ delivered
//!        │
//!        └──cancel (its customer; the stock comes back)──▶ cancelled
//! ```
//!
//! - `GET /api/orders`: `{"orders": [...]}`, newest first: a customer's own, or every order
//!   for an admin. `GET /api/orders/{id}`: the order, as checkout answered it but with its
//!   status of now; another customer's order is a 404, as if it did not exist.
//! - `POST /api/orders/{id}/cancel`: the order's own customer, while `pending_payment`; its
//!   stock goes back to the products in the same transaction.
//! - `POST /api/orders/{id}/ship` (`paid` → `shipped`) and `/deliver` (`shipped` →
//!   `delivered`): admins only (403 for a customer).
//! - Each answers the order. Any move the diagram lacks is a 409; an unknown order a 404.
//!
//! A move is one guarded statement, `UPDATE orders SET status = 'shipped' WHERE id = $1 AND
//! status = 'paid'`: a `SELECT status` checked in Rust and then an `UPDATE` lets a cancel
//! and a payment arriving together both win. Zero rows updated: look the order up to tell a
//! 404 from a 409. One function for every move serves the webhook too.

use super::error::AppError;

// TODO: the `Order` type (lines from the order's own rows: the prices of checkout time),
// a function that moves an order from one status to another (in a transaction you pass
// it), and the five handlers.

/// `GET /api/orders`: the caller's orders (an admin's: all), newest first.
pub async fn list() -> AppError {
    AppError::not_implemented("GET /api/orders", 4, "payments and orders")
}

/// `GET /api/orders/{id}`.
pub async fn get() -> AppError {
    AppError::not_implemented("GET /api/orders/{id}", 4, "payments and orders")
}

/// `POST /api/orders/{id}/cancel`: its customer, a pending order; the stock comes back.
pub async fn cancel() -> AppError {
    AppError::not_implemented("POST /api/orders/{id}/cancel", 4, "payments and orders")
}

/// `POST /api/orders/{id}/ship`: admins, a paid order.
pub async fn ship() -> AppError {
    AppError::not_implemented("POST /api/orders/{id}/ship", 4, "payments and orders")
}

/// `POST /api/orders/{id}/deliver`: admins, a shipped order.
pub async fn deliver() -> AppError {
    AppError::not_implemented("POST /api/orders/{id}/deliver", 4, "payments and orders")
}
