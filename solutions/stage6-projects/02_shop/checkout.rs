//! Milestone 3: checkout. One transaction turns the cart into an order: the stock of each
//! product goes down by a guarded `UPDATE` (never below zero, whatever runs at the same
//! time), the order and its lines are written with today's prices, and the cart is emptied.
//! The `Idempotency-Key` header makes a retried request answer what the first one answered.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::AppState;
use super::auth::AuthUser;
use super::cart;
use super::error::AppError;
use super::events::OrderEvent;
use super::extract::Json;
use super::orders::{self, Order};

/// The body of `POST /api/checkout`.
#[derive(Deserialize, Serialize)]
pub struct CheckoutRequest {
    pub address: String,
}

/// The `Idempotency-Key` header: 1 to 255 visible characters.
fn idempotency_key(headers: &HeaderMap) -> Result<String, AppError> {
    let key = headers
        .get("idempotency-key")
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .unwrap_or_default();
    if key.is_empty() || key.len() > 255 {
        return Err(AppError::BadRequest(
            "send an Idempotency-Key header (1 to 255 characters, e.g. a UUID), the same for \
             every retry of this checkout"
                .into(),
        ));
    }
    Ok(key.to_string())
}

/// `POST /api/checkout` `{"address"}` with `Idempotency-Key`: 201 and the order.
#[utoipa::path(
    post,
    path = "/checkout",
    tag = "orders",
    params((
        "Idempotency-Key" = String,
        Header,
        description = "a key of the client's choosing (a UUID), the same for every retry of one checkout"
    )),
    security(("bearer" = [])),
    request_body(content_type = "application/json", description = "`{\"address\"}`"),
    responses(
        (status = 201, description = "the order, pending payment (a retry with the same key: the same answer)"),
        (status = 400, description = "no Idempotency-Key"),
        (status = 401, description = "no valid token"),
        (status = 409, description = "not enough stock"),
        (status = 422, description = "an empty cart, a blank address, or the key used for another request")
    )
)]
pub async fn checkout(
    State(state): State<AppState>,
    me: AuthUser,
    headers: HeaderMap,
    Json(body): Json<CheckoutRequest>,
) -> Result<Response, AppError> {
    let key = idempotency_key(&headers)?;
    if body.address.trim().is_empty() || body.address.chars().count() > 500 {
        return Err(AppError::unprocessable("address: send 1 to 500 characters"));
    }
    let request = serde_json::to_value(&body)
        .map_err(|e| AppError::Internal(format!("serializing the request: {e}")))?;

    let mut tx = state.pool.begin().await?;
    // Claim the key first. A second request with the same key waits here, on the primary
    // key, until this transaction ends: after a commit it finds the row and answers what is
    // stored; after a rollback (a 409, a 422) its insert goes through and it tries itself.
    let claimed: Option<bool> = sqlx::query_scalar(
        "INSERT INTO idempotency_keys (user_id, key, request) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, key) DO NOTHING RETURNING true",
    )
    .bind(me.id)
    .bind(&key)
    .bind(&request)
    .fetch_optional(&mut *tx)
    .await?;
    if claimed.is_none() {
        tx.rollback().await?;
        return replay(&state, me.id, &key, &request).await;
    }

    let cart = cart::load(&mut *tx, me.id).await?;
    if cart.items.is_empty() {
        return Err(AppError::unprocessable(
            "your cart is empty: add products with PUT /api/cart/items/{product_id}",
        ));
    }
    // In the order of product ids (the cart's), so that two checkouts lock shared products
    // in one order and never deadlock. The `stock >= $2` guard is checked on the row as it
    // is when the lock is held: no other transaction can slip in between check and write.
    for line in &cart.items {
        let taken =
            sqlx::query("UPDATE products SET stock = stock - $2 WHERE id = $1 AND stock >= $2")
                .bind(line.product_id)
                .bind(line.quantity)
                .execute(&mut *tx)
                .await?;
        if taken.rows_affected() == 0 {
            // Dropping `tx` rolls everything back: the stock taken so far, the key.
            return Err(AppError::conflict(format!(
                "not enough stock of {:?} (product {}) for {}: lower the quantity",
                line.name, line.product_id, line.quantity
            )));
        }
    }
    let order_id: i64 = sqlx::query_scalar(
        "INSERT INTO orders (user_id, status, address, total_cents)
         VALUES ($1, 'pending_payment', $2, $3) RETURNING id",
    )
    .bind(me.id)
    .bind(body.address.trim())
    .bind(cart.total_cents)
    .fetch_one(&mut *tx)
    .await?;
    for line in &cart.items {
        sqlx::query(
            "INSERT INTO order_lines (order_id, product_id, name, unit_price_cents, quantity)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(order_id)
        .bind(line.product_id)
        .bind(&line.name)
        .bind(line.unit_price_cents)
        .bind(line.quantity)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM cart_items WHERE user_id = $1")
        .bind(me.id)
        .execute(&mut *tx)
        .await?;
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(me.id)
        .fetch_one(&mut *tx)
        .await?;
    let order = Order {
        id: order_id,
        status: orders::PENDING_PAYMENT.to_string(),
        address: body.address.trim().to_string(),
        lines: cart.items,
        total_cents: cart.total_cents,
    };
    let response = serde_json::to_string(&order)
        .map_err(|e| AppError::Internal(format!("serializing the order: {e}")))?;
    sqlx::query(
        "UPDATE idempotency_keys SET status = 201, response = $3 WHERE user_id = $1 AND key = $2",
    )
    .bind(me.id)
    .bind(&key)
    .bind(&response)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    // Only now, committed: a consumer never hears of an order that was rolled back.
    if let Some(events) = &state.events {
        events
            .publish(&OrderEvent {
                kind: "order.placed".to_string(),
                order_id,
                email,
                total_cents: order.total_cents,
            })
            .await;
    }
    Ok(stored_response(StatusCode::CREATED, response))
}

/// The answer stored under `key`, if it was given for the same request.
async fn replay(
    state: &AppState,
    user_id: i64,
    key: &str,
    request: &Value,
) -> Result<Response, AppError> {
    let (first_request, status, response): (Value, Option<i16>, Option<String>) = sqlx::query_as(
        "SELECT request, status, response FROM idempotency_keys
             WHERE user_id = $1 AND key = $2",
    )
    .bind(user_id)
    .bind(key)
    .fetch_one(&state.pool)
    .await?;
    if &first_request != request {
        return Err(AppError::unprocessable(
            "this Idempotency-Key was used for another request: send a new key for a new \
             checkout",
        ));
    }
    let (Some(status), Some(response)) = (status, response) else {
        return Err(AppError::Internal(
            "an idempotency key was committed without its answer".into(),
        ));
    };
    let status = u16::try_from(status)
        .ok()
        .and_then(|status| StatusCode::from_u16(status).ok())
        .ok_or_else(|| AppError::Internal(format!("a stored status {status}")))?;
    Ok(stored_response(status, response))
}

/// The stored JSON text, sent as it was the first time.
fn stored_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}
