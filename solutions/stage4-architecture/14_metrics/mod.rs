//! # Exercise 14: Prometheus metrics and a Grafana dashboard
//!
//! Logs (exercise 13) tell the story of one request. Metrics tell how the whole service is
//! doing: a few numbers per second, aggregated, cheap to keep for months. Alerts ("more than
//! 1 % of requests fail") and dashboards are built on them.
//!
//! ## How Prometheus works: pull, text, time series
//!
//! The app keeps counters in memory and answers `GET /metrics` with all of them as text.
//! Prometheus **scrapes** that page every few seconds, stores each number as a time series,
//! and answers queries in PromQL; Grafana draws the answers. A scrape looks like this (cut):
//!
//! ```text
//! # HELP http_requests HTTP requests answered, by method, route template and status.
//! # TYPE http_requests counter
//! http_requests_total{method="GET",route="/users/{id}",status="200"} 2
//! # TYPE http_request_duration_seconds histogram
//! http_request_duration_seconds_sum{method="GET",route="/slow"} 0.2013
//! http_request_duration_seconds_count{method="GET",route="/slow"} 1
//! http_request_duration_seconds_bucket{le="0.1",method="GET",route="/slow"} 0
//! http_request_duration_seconds_bucket{le="0.25",method="GET",route="/slow"} 1
//! http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/slow"} 1
//! # EOF
//! ```
//!
//! That is the **OpenMetrics** text format, which `prometheus_client::encoding::text::encode`
//! writes; its content type is `application/openmetrics-text; version=1.0.0; charset=utf-8`.
//! (The older Prometheus text format, `text/plain; version=0.0.4`, has no `# EOF` and names the
//! counter `http_requests_total` in its `TYPE` line.) Prometheus picks its parser from the
//! content type, so the header must say which format the body is in.
//!
//! ## Counters, histograms, and the three golden signals
//!
//! - A **counter** only goes up; nobody reads its value, only how fast it grows:
//!   `rate(http_requests_total[1m])` is requests per second over the last minute.
//! - A **histogram** counts observations into buckets: `le="0.25"` is how many took at most
//!   0.25 s (the buckets are cumulative, `+Inf` counts all), plus `_sum` and `_count`.
//!   `histogram_quantile(0.99, ...)` estimates the 99th percentile from the buckets' rates. An
//!   average would hide the slow 1 %, and percentiles of two instances cannot be averaged, but
//!   their buckets can be added. Record **seconds** (base units, and the name says so); a
//!   duration recorded in milliseconds lands in the wrong buckets and reads 1000 times too slow.
//!
//! One counter and one histogram give three of the four golden signals of Google's SRE book
//! (traffic, errors, latency; the fourth, saturation, is about the machine), also known as the
//! RED method: the **rate** of requests by route, the **error ratio** (5xx over all), and the
//! **p99 latency**.
//!
//! ## Labels, and why the route *template*
//!
//! Every distinct set of label values is a time series of its own, kept in Prometheus's memory.
//! Label by `route="/users/{id}"`, axum's [`MatchedPath`][matched], never by the raw path
//! `/users/42`: one series per user, or per URL a scanner tries, grows without end until
//! Prometheus runs out of memory (that is "cardinality"). A request that matched no route has
//! no template: give all of them the one value `route="unmatched"`. Never put an id, an email
//! or a query string in a label.
//!
//! ## In the app: a registry it owns, one middleware
//!
//! The metrics live in a [`Registry`][registry] inside [`Metrics`], created by the app, not in
//! a global: two instances (or two tests in one process) each count their own requests.
//! [`Family`][family] is a metric per label set, created on first use; a histogram family needs
//! [`Family::new_with_constructor`][constructor] to give each new histogram the buckets.
//! `prometheus-client` adds `_total` to a counter's name itself (and panics in a debug build if
//! you register a name that ends in `_total`).
//!
//! Measure in **one** middleware ([`axum::middleware::from_fn_with_state`][from_fn]), not in
//! each handler: start a clock, read the method and the `MatchedPath` from the request's
//! extensions (before the request is moved into `next.run`), run the handler, then count with
//! the response's status and the elapsed time. `Router::layer` wraps the routes added *before*
//! it and the fallback, so unmatched requests are measured too (`route_layer` would skip
//! them); `/metrics` is added *after* the layer, so Prometheus's own scrapes are not counted.
//!
//! ## The dashboard
//!
//! `dashboard.json`, beside this file, is a Grafana dashboard in Grafana's classic JSON model
//! (what "Export as JSON" writes, and what grafana.com's shared dashboards are): `panels`, each
//! with a `title`, a `type` (`timeseries`), a `datasource` of type `prometheus`, and `targets`
//! whose `expr` is the PromQL the panel draws. Its three panels are the golden signals:
//!
//! - requests per second by route: `sum by (route) (rate(...))` over `http_requests_total`;
//! - the error ratio: the rate of requests with `status=~"5.."` divided by the rate of all;
//! - p99 latency by route: `histogram_quantile(0.99, ...)` over the rate of the `_bucket`
//!   series, summed `by (le, route)`: without `le` it has no buckets left to read.
//!
//! The tests run every `expr` against a real Prometheus that scraped this app, and each must
//! return a series (a misspelt name returns none, silently, as it would in Grafana). Grafana's
//! `$__rate_interval`, `$__interval` and `$__range` are read as `1m`.
//!
//! Your task: in `metrics.rs`, [`Metrics::new`], [`Metrics::observe`], [`Metrics::encode`],
//! the middleware [`metrics::measure`] and the handler [`metrics::exposition`]; then the two
//! lines of [`app`] that put them in place; then the three queries of `dashboard.json`.
//!
//! Read more:
//! - prometheus-client 0.26.0: <https://docs.rs/prometheus-client/0.26.0/prometheus_client/>
//! - axum 0.8.9 `MatchedPath`: <https://docs.rs/axum/0.8.9/axum/extract/struct.MatchedPath.html>
//! - exposition formats: <https://prometheus.io/docs/instrumenting/exposition_formats/>
//! - naming and labels: <https://prometheus.io/docs/practices/naming/>
//! - histograms and quantiles: <https://prometheus.io/docs/practices/histograms/>
//! - the golden signals: <https://sre.google/sre-book/monitoring-distributed-systems/>
//! - Grafana's dashboard JSON model: <https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/>
//!
//! [matched]: https://docs.rs/axum/0.8.9/axum/extract/struct.MatchedPath.html
//! [registry]: https://docs.rs/prometheus-client/0.26.0/prometheus_client/registry/struct.Registry.html
//! [family]: https://docs.rs/prometheus-client/0.26.0/prometheus_client/metrics/family/struct.Family.html
//! [constructor]: https://docs.rs/prometheus-client/0.26.0/prometheus_client/metrics/family/struct.Family.html#method.new_with_constructor
//! [from_fn]: https://docs.rs/axum/0.8.9/axum/middleware/fn.from_fn_with_state.html
//!
//! Run `cargo xtask check 14_metrics` to check your work (it needs Prometheus: `apt install
//! prometheus` or `brew install prometheus`); `cargo xtask hint 14_metrics` gives a hint.

pub mod metrics;

pub use metrics::Metrics;

use std::time::Duration;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router, middleware};
use serde_json::json;

/// The Grafana dashboard beside this file.
pub const DASHBOARD: &str = include_str!("dashboard.json");

/// The app: `GET /users/{id}` (users 1 to 100 exist, others are 404), `POST /orders` (201),
/// `GET /boom` (always 500), `GET /slow` (answers after 200 ms), every request measured; and
/// `GET /metrics`, not measured itself.
pub fn app(metrics: Metrics) -> Router {
    Router::new()
        .route("/users/{id}", get(user))
        .route("/orders", post(create_order))
        .route("/boom", get(boom))
        .route("/slow", get(slow))
        .layer(middleware::from_fn_with_state(
            metrics.clone(),
            metrics::measure,
        ))
        .route("/metrics", get(metrics::exposition))
        .with_state(metrics)
}

async fn user(Path(id): Path<u64>) -> Response {
    if (1..=100).contains(&id) {
        Json(json!({ "id": id, "name": format!("user {id}") })).into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": "no such user" })),
        )
            .into_response()
    }
}

async fn create_order() -> impl IntoResponse {
    (StatusCode::CREATED, Json(json!({ "id": 1 })))
}

async fn boom() -> impl IntoResponse {
    (StatusCode::INTERNAL_SERVER_ERROR, "something broke")
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_millis(200)).await;
    "slow"
}
