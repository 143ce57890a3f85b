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

use axum::Router;

use super::ports::{Clock, Mailer, OrderRepository};
use super::service::OrderService;

/// The refactored service's routes, the same as the legacy ones.
pub fn app<R, M, C>(service: OrderService<R, M, C>) -> Router
where
    R: OrderRepository,
    M: Mailer,
    C: Clock,
{
    // TODO: the three routes, with the service as the state (`Arc::new(service)`: a state is
    // cloned for every request). A generic handler is named with its types:
    // `post(place::<R, M, C>)`. Read the body as `axum::body::Bytes` and parse it with
    // `serde_json::from_slice::<PlaceOrder>`, as the legacy does; map `OrderError` to the
    // legacy statuses in one `IntoResponse` impl.
    todo!("app: POST /api/orders, GET /api/orders/{{id}}, GET /api/orders?email= (milestone 4)")
}
