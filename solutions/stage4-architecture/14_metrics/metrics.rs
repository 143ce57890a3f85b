//! The app's metrics: two families in a registry the app owns, the middleware that feeds them,
//! and the handler that writes them out for Prometheus.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// The `route` label of a request that matched no route: one value for all of them, however
/// many different paths a scanner tries.
pub const UNMATCHED: &str = "unmatched";

/// The upper bounds, in seconds, of the latency histogram's buckets (Prometheus's default
/// buckets: 5 ms to 10 s). `+Inf` is added by the histogram itself.
pub const DURATION_BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The labels of `http_requests_total`: one series per method, route template and status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

/// The labels of `http_request_duration_seconds`: one histogram per method and route template.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    pub route: String,
}

/// The app's metrics. Cheap to clone: the clones share the same counters.
#[derive(Clone, Debug)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram, fn() -> Histogram>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A registry of its own holding the two families: the counter `http_requests` (written
    /// out as `http_requests_total`) and the histogram `http_request_duration_seconds` with
    /// [`DURATION_BUCKETS`].
    pub fn new() -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        let durations: Family<RouteLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(|| Histogram::new(DURATION_BUCKETS));
        let mut registry = Registry::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time taken to answer an HTTP request, by method and route template",
            durations.clone(),
        );
        Self {
            registry: Arc::new(registry),
            requests,
            durations,
        }
    }

    /// Counts one request answered with `status`, and records how long it took, in seconds.
    pub fn observe(&self, method: &Method, route: &str, status: StatusCode, elapsed: Duration) {
        let method = method.as_str().to_owned();
        let route = route.to_owned();
        self.requests
            .get_or_create(&RequestLabels {
                method: method.clone(),
                route: route.clone(),
                status: status.as_u16(),
            })
            .inc();
        self.durations
            .get_or_create(&RouteLabels { method, route })
            .observe(elapsed.as_secs_f64());
    }

    /// Every metric, in the OpenMetrics text format.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        encode(&mut text, &self.registry).expect("writing to a String never fails");
        text
    }
}

/// Middleware: measures the request from here until the handler's response is back, labelled
/// by the route template that matched (or [`UNMATCHED`]), the method and the status.
pub async fn measure(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
        .to_owned();
    let response = next.run(request).await;
    metrics.observe(&method, &route, response.status(), start.elapsed());
    response
}

/// `GET /metrics`: every metric, with the content type that names the format.
pub async fn exposition(State(metrics): State<Metrics>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        metrics.encode(),
    )
        .into_response()
}
