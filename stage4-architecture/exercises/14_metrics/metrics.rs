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
        // TODO: create both families (the histograms' with `Family::new_with_constructor`, a
        // closure that builds `Histogram::new(DURATION_BUCKETS)`), register a clone of each in
        // a new `Registry` with a help text, and keep the registry in an `Arc`.
        todo!("a registry with http_requests and http_request_duration_seconds in it")
    }

    /// Counts one request answered with `status`, and records how long it took, in seconds.
    pub fn observe(&self, method: &Method, route: &str, status: StatusCode, elapsed: Duration) {
        // TODO: add one to the counter of these labels (`get_or_create(&labels).inc()`) and
        // observe the elapsed seconds in the histogram of the method and route.
        todo!("count {method} {route} {status} and record {elapsed:?}")
    }

    /// Every metric, in the OpenMetrics text format.
    pub fn encode(&self) -> String {
        // TODO: `encode` the registry into a new `String`.
        todo!("write the registry out as text")
    }
}

/// Middleware: measures the request from here until the handler's response is back, labelled
/// by the route template that matched (or [`UNMATCHED`]), the method and the status.
pub async fn measure(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    // TODO: start a clock; take the method and the `MatchedPath` from the request's extensions
    // (before `next.run` takes the request); run the handler; observe its response's status
    // and the elapsed time; return the response.
    todo!("time the handler and count the request by its route template")
}

/// `GET /metrics`: every metric, with the content type that names the format.
pub async fn exposition(State(metrics): State<Metrics>) -> Response {
    // TODO: answer `metrics.encode()` with the content type of the OpenMetrics text format.
    todo!("answer the exposition with its content type")
}
