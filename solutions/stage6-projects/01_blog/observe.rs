//! Milestone 8: what an operator sees. `GET /metrics` is `http_requests_total{method, route,
//! status}` in the Prometheus (OpenMetrics) text format, `route` the route template that
//! matched (`/api/articles/{slug}`, never the raw path: one series per slug would grow
//! without end), and each request has an id (`x-request-id`, the client's or a new UUID),
//! echoed in the response and carried by every log line of its span.

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;

use super::AppState;

/// The `route` label of a request that matched no route: one value for all of them, however
/// many paths a scanner tries.
pub const UNMATCHED: &str = "unmatched";

/// The labels of `http_requests_total`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

/// The app's metrics, in a registry of its own (no global: two apps in one process, as in
/// the tests, count apart). Cheap to clone: clones share the counters.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<RequestLabels, Counter>,
}

impl Metrics {
    pub fn new() -> Metrics {
        let requests = Family::<RequestLabels, Counter>::default();
        let mut registry = Registry::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status",
            requests.clone(),
        );
        Metrics {
            registry: Arc::new(registry),
            requests,
        }
    }
}

/// Middleware: counts each request once answered, by the route template that matched.
pub async fn count(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
        .to_owned();
    let response = next.run(request).await;
    let labels = RequestLabels {
        method,
        route,
        status: response.status().as_u16(),
    };
    state.metrics.requests.get_or_create(&labels).inc();
    response
}

/// `GET /metrics`.
pub async fn exposition(State(state): State<AppState>) -> Response {
    let mut text = String::new();
    encode(&mut text, &state.metrics.registry).expect("writing to a String never fails");
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response()
}
