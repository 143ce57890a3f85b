//! Milestone 2: the cart. Each signed-in user has one: `GET /api/cart`, `PUT
//! /api/cart/items/{product_id}` with `{"quantity": n}` (sets it; 1 to 99, else 422; an
//! unknown product is a 404) and `DELETE /api/cart/items/{product_id}` (removing what is not
//! there is no error). Each answers the cart:
//!
//! ```json
//! {"items": [{"product_id": 1, "name": "Running Shoe", "unit_price_cents": 8900,
//!             "quantity": 2, "line_total_cents": 17800}],
//!  "total_cents": 17800}
//! ```
//!
//! Items by product id, at today's prices: keep only (user, product, quantity) rows, with
//! `(user_id, product_id)` as the primary key, and join `products` when you read them. A
//! second PUT of a product sets its quantity: `INSERT ... ON CONFLICT (user_id, product_id)
//! DO UPDATE SET quantity = EXCLUDED.quantity`. Every query names the caller's id: a cart is
//! nobody else's. Stock is not checked here; checkout (milestone 3) decides.
//!
//! - <https://www.postgresql.org/docs/current/sql-insert.html#SQL-ON-CONFLICT>

use super::error::AppError;

// TODO: the migration `0003_cart.sql`, the line and cart types, a function that loads a
// user's cart (checkout will want it too, inside its transaction: take an
// `impl sqlx::PgExecutor<'_>` or a `&mut PgConnection`), then the three handlers.

/// `GET /api/cart`: the caller's cart.
pub async fn get() -> AppError {
    AppError::not_implemented("GET /api/cart", 2, "cart")
}

/// `PUT /api/cart/items/{product_id}` `{"quantity": n}`: the cart.
pub async fn put_item() -> AppError {
    AppError::not_implemented("PUT /api/cart/items/{product_id}", 2, "cart")
}

/// `DELETE /api/cart/items/{product_id}`: the cart.
pub async fn remove_item() -> AppError {
    AppError::not_implemented("DELETE /api/cart/items/{product_id}", 2, "cart")
}
