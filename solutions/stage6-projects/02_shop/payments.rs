//! Milestone 4 (with `orders.rs`): the payment provider's webhook.
//!
//! The provider calls `POST /api/webhooks/payments` with the header
//! `Shop-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (Stripe's
//! scheme; during a secret rotation there are several `v1=`, one per secret, and one
//! matching is enough). The signed text includes the timestamp, so an old delivery cannot be
//! sent again with a fresh `t`; one older (or newer) than five minutes is refused. The MAC
//! is compared in constant time (`Mac::verify_slice`), never with `==`, which stops at the
//! first differing byte and tells an attacker, by its timing, how much of a guess is right.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::Sha256;

use super::AppState;
use super::error::AppError;
use super::events::OrderEvent;
use super::extract::Json;
use super::orders::{self, PAID, PENDING_PAYMENT};

/// How far a signature's timestamp may be from now, in seconds.
pub const TOLERANCE_SECS: i64 = 5 * 60;

/// An event as the provider sends it.
#[derive(Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub order_id: Option<i64>,
}

fn unauthorized(message: &str) -> AppError {
    AppError::Unauthorized(message.to_string())
}

/// The bytes of a hex string, or `None` when it is not one.
fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// `Ok` when `header` carries a timestamp within [`TOLERANCE_SECS`] of `now` and a `v1`
/// signature of `"<t>.<body>"` made with `secret`.
pub fn verify_signature(
    secret: &[u8],
    header: &str,
    body: &[u8],
    now: i64,
) -> Result<(), AppError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = Some(value),
            Some(("v1", value)) => signatures.extend(decode_hex(value)),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or_else(|| unauthorized("Shop-Signature has no t="))?;
    let seconds: i64 = timestamp
        .parse()
        .map_err(|_| unauthorized("Shop-Signature's t= is not a number of seconds"))?;
    if (now - seconds).abs() > TOLERANCE_SECS {
        return Err(unauthorized(
            "Shop-Signature's timestamp is more than 5 minutes from now: a replayed or \
             delayed delivery, refused",
        ));
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret)
        .map_err(|e| AppError::Internal(format!("the webhook key: {e}")))?;
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    // Any `v1` may match: one per secret while the provider rotates them.
    if signatures
        .iter()
        .any(|signature| mac.clone().verify_slice(signature).is_ok())
    {
        Ok(())
    } else {
        Err(unauthorized(
            "bad Shop-Signature: no v1 is the HMAC-SHA256 of \"<t>.<body>\" with the \
             webhook secret",
        ))
    }
}

/// `POST /api/webhooks/payments`: 200 once the event is applied, or was already.
#[utoipa::path(
    post,
    path = "/webhooks/payments",
    tag = "payments",
    params((
        "Shop-Signature" = String,
        Header,
        description = "`t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">`, one or more v1"
    )),
    request_body(content_type = "application/json", description = "`{\"id\", \"type\", \"order_id\"}`"),
    responses(
        (status = 200, description = "applied, or applied before"),
        (status = 401, description = "a missing or bad signature, or a timestamp over 5 minutes away"),
        (status = 404, description = "no such order"),
        (status = 409, description = "the order is not pending payment")
    )
)]
pub async fn webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let header = headers
        .get("shop-signature")
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| unauthorized("missing Shop-Signature header"))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    verify_signature(state.config.webhook_secret.as_bytes(), header, &body, now)?;
    // Only now is the body read: it is the provider's, proven by the signature.
    let event: Event = serde_json::from_slice(&body)
        .map_err(|e| AppError::unprocessable(format!("the event is not one we read: {e}")))?;

    let mut tx = state.pool.begin().await?;
    // The event's id, recorded in the transaction that applies it: a redelivery finds it
    // (or waits for the first delivery's transaction and then finds it) and changes nothing.
    let first: Option<bool> = sqlx::query_scalar(
        "INSERT INTO payment_events (id, kind) VALUES ($1, $2)
         ON CONFLICT (id) DO NOTHING RETURNING true",
    )
    .bind(&event.id)
    .bind(&event.kind)
    .fetch_optional(&mut *tx)
    .await?;
    if first.is_none() {
        return Ok(Json(json!({ "received": true, "duplicate": true })));
    }
    let mut paid = None;
    if event.kind == "payment.succeeded" {
        let order_id = event
            .order_id
            .ok_or_else(|| AppError::unprocessable("payment.succeeded without order_id"))?;
        orders::advance(&mut tx, None, order_id, PENDING_PAYMENT, PAID).await?;
        let (email, total_cents): (String, i64) = sqlx::query_as(
            "SELECT u.email, o.total_cents FROM orders o JOIN users u ON u.id = o.user_id
             WHERE o.id = $1",
        )
        .bind(order_id)
        .fetch_one(&mut *tx)
        .await?;
        paid = Some(OrderEvent {
            kind: "order.paid".to_string(),
            order_id,
            email,
            total_cents,
        });
    }
    // Other kinds are acknowledged and ignored, as providers expect: they retry what gets
    // no 2xx.
    tx.commit().await?;
    // Only now, committed (and never for a redelivery, answered above).
    if let (Some(events), Some(paid)) = (&state.events, &paid) {
        events.publish(paid).await;
    }
    Ok(Json(json!({ "received": true })))
}
