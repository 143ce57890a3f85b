//! Milestone 8: what an operator sees, logs and metrics.
//!
//! - `GET /metrics` (at the root, not under `/api`): `http_requests_total{method, route,
//!   status}` in the Prometheus text format, counted by a middleware on the whole router
//!   (`middleware::from_fn_with_state`), `route` the template that matched, axum's
//!   `MatchedPath` (`/api/articles/{slug}`), never the path asked for: one series per slug
//!   would grow without end. prometheus-client: a `Registry` of the app's own (in
//!   `AppState`), a `Family<Labels, Counter>` registered as `http_requests` (the `_total` is
//!   added when written out), `encoding::text::encode`.
//! - A request id: `x-request-id`, the client's or a new UUID, sent back in the response and
//!   carried by every log line logged while answering (a `tracing` span with a `request_id`
//!   field, made by `TraceLayer::make_span_with`). tower-http has the layers:
//!   `SetRequestIdLayer::x_request_id(MakeRequestUuid)` and `PropagateRequestIdLayer`. The
//!   lines are JSON when the subscriber says so (`tracing_subscriber::fmt().json()`).
//!
//! <https://docs.rs/prometheus-client/0.26/prometheus_client/>,
//! <https://docs.rs/tower-http/0.7/tower_http/request_id/>,
//! <https://docs.rs/axum/0.8/axum/extract/struct.MatchedPath.html>

use super::error::AppError;

// TODO: the metrics, their middleware (added in `mod.rs`'s `routes`), and the request id.

/// `GET /metrics`.
pub async fn exposition() -> AppError {
    AppError::not_implemented("GET /metrics", 8, "beyond the spec")
}
