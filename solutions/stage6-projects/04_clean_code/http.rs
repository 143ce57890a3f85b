//! Milestone 4, the HTTP layer: thin. Each handler reads the request, calls the service, and
//! turns its answer into the legacy JSON and status. No rule lives here: no price, no
//! validation, no SQL.
//!
//! The legacy contract, which milestone 4 pins:
//! - `POST /api/orders`: a body that does not read as a `PlaceOrder` (not JSON, a field
//!   missing or of the wrong type) is 400 `{"error": "the body is not a valid order"}`,
//!   whatever its `Content-Type`; a refused order 422 `{"error": "<the rule's message>"}`; a
//!   placed one 201 with the order's JSON plus `"mail": "sent"` or `"pending"`;
//! - `GET /api/orders/{id}`: 200 with the order's JSON, or 404 `{"error": "order 7 not found"}`;
//! - `GET /api/orders?email=…`: 200 `{"orders": [...]}` newest first, or without `email` 400
//!   `{"error": "give the customer's email: /api/orders?email=..."}`;
//! - a storage failure is 500 `{"error": "storage failed"}`.
//!
//! An order's JSON: `{"id", "email", "lines": [{"sku", "quantity", "unit_price_cents"}],
//! "coupon" (a string or null), "subtotal_cents", "discount_cents", "tax_cents",
//! "total_cents", "created_at"}`, `created_at` in UTC with milliseconds
//! (`2026-12-03T17:59:59.000Z`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::error::OrderError;
use super::model::{MailStatus, Order, PlaceOrder};
use super::ports::{Clock, Mailer, OrderRepository};
use super::service::OrderService;

/// The refactored service's routes, the same as the legacy ones.
pub fn app<R, M, C>(service: OrderService<R, M, C>) -> Router
where
    R: OrderRepository,
    M: Mailer,
    C: Clock,
{
    Router::new()
        .route("/api/orders", post(place::<R, M, C>).get(list::<R, M, C>))
        .route("/api/orders/{id}", get(one::<R, M, C>))
        .with_state(Arc::new(service))
}

type Service<R, M, C> = State<Arc<OrderService<R, M, C>>>;

async fn place<R: OrderRepository, M: Mailer, C: Clock>(
    State(service): Service<R, M, C>,
    body: Bytes,
) -> Result<Response, ApiError> {
    // The body read by hand, not with `Json`: the legacy answers 400 to every unreadable body
    // and ignores the `Content-Type`, where `Json` would answer 415 or 422.
    let request: PlaceOrder = serde_json::from_slice(&body).map_err(|_| {
        ApiError(
            StatusCode::BAD_REQUEST,
            "the body is not a valid order".into(),
        )
    })?;
    let placed = service.place(request).await?;
    let mut body = order_json(&placed.order);
    body["mail"] = json!(match placed.mail {
        MailStatus::Sent => "sent",
        MailStatus::Pending => "pending",
    });
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

async fn one<R: OrderRepository, M: Mailer, C: Clock>(
    State(service): Service<R, M, C>,
    Path(id): Path<i64>,
) -> Result<axum::Json<Value>, ApiError> {
    Ok(axum::Json(order_json(&service.get(id).await?)))
}

async fn list<R: OrderRepository, M: Mailer, C: Clock>(
    State(service): Service<R, M, C>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<axum::Json<Value>, ApiError> {
    let email = query.get("email").ok_or_else(|| {
        ApiError(
            StatusCode::BAD_REQUEST,
            "give the customer's email: /api/orders?email=...".into(),
        )
    })?;
    let orders: Vec<Value> = service
        .list_for(email)
        .await?
        .iter()
        .map(order_json)
        .collect();
    Ok(axum::Json(json!({ "orders": orders })))
}

/// The legacy JSON of an order.
fn order_json(order: &Order) -> Value {
    json!({
        "id": order.id,
        "email": order.email,
        "lines": order.lines,
        "coupon": order.coupon,
        "subtotal_cents": order.quote.subtotal_cents,
        "discount_cents": order.quote.discount_cents,
        "tax_cents": order.quote.tax_cents,
        "total_cents": order.quote.total_cents,
        "created_at": order.created_at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
    })
}

/// An error answer: `{"error": "…"}` with its status.
struct ApiError(StatusCode, String);

impl From<OrderError> for ApiError {
    fn from(e: OrderError) -> ApiError {
        match e {
            OrderError::Invalid(message) => ApiError(StatusCode::UNPROCESSABLE_ENTITY, message),
            OrderError::NotFound(_) => ApiError(StatusCode::NOT_FOUND, e.to_string()),
            OrderError::Storage(e) => {
                tracing::error!("{e}");
                ApiError(StatusCode::INTERNAL_SERVER_ERROR, "storage failed".into())
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, axum::Json(json!({ "error": self.1 }))).into_response()
    }
}
