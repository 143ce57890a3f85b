//! # Exercise 10: a load balancer — round-robin, least connections, health checks
//!
//! One server is never enough for long: it falls over, it is restarted for a deploy, it runs
//! out of CPU. So several identical copies (*backends*) run behind a **load balancer**, a
//! reverse proxy that takes each request, picks one backend, forwards the request to it and
//! the answer back. nginx, HAProxy, Envoy and every cloud's load balancer do this; here you
//! write a small one with axum (the front) and reqwest (the client to the backends).
//!
//! **Choosing a backend.** *Round-robin* takes them in turn, a, b, c, a, b, c, …: with one
//! counter shared by every request (an `AtomicUsize` in the balancer's state, `fetch_add(1)`),
//! 30 requests over 3 backends give exactly 10 each. A counter per request (a local variable)
//! starts at 0 every time and sends everything to the first backend. Round-robin assumes all
//! requests cost the same; they do not. *Least connections* sends each new request to the
//! backend with the fewest requests *in flight*: a backend stuck on slow requests gets no new
//! ones until it catches up. Each backend keeps an in-flight counter: +1 when a request is
//! sent to it, −1 when its answer is *completely* received (or it failed, or timed out). The
//! robust way is a guard value whose `Drop` decrements: it runs on every path out of the
//! function, errors and cancellations included. Beware `let _ = InFlight::start(b);`: `_`
//! does not bind, so the guard is dropped at once; `let _guard = …` keeps it to the end of
//! the scope.
//!
//! **Health checks.** A backend that has died must stop receiving traffic. *Active* health
//! checks poll each backend's `GET /health` every [`HEALTH_INTERVAL`]: an answer `2xx` within
//! [`HEALTH_TIMEOUT`] marks it healthy, anything else (refused, error status, too slow) marks
//! it unhealthy. Only healthy backends are picked. The same check that evicts a backend must
//! readmit it when it answers again, or one restart removes it for good. Between a backend's
//! death and the next check, a request may still be sent to it: this balancer then answers
//! **502 Bad Gateway** (it does not retry: a retried `POST` could run twice). When no backend
//! is healthy it answers **503 Service Unavailable** at once instead of trying a dead one.
//!
//! **Timeouts.** A backend that accepts the connection and never answers would hold the
//! client, and a task, forever. Every forwarded request is bounded by the `timeout` given to
//! [`Balancer::new`] (`tokio::time::timeout` around sending *and* reading the body): past it,
//! **504 Gateway Timeout**. The errors are JSON: `{"error":"no healthy backend"}` (503),
//! `{"error":"backend unreachable"}` (502), `{"error":"backend timed out"}` (504).
//!
//! - <https://docs.rs/reqwest/0.13/reqwest/struct.Client.html>
//! - <https://docs.rs/tokio/1/tokio/time/fn.timeout.html>, <https://docs.rs/tokio/1/tokio/time/fn.interval.html>
//! - <https://doc.rust-lang.org/std/sync/atomic/struct.AtomicUsize.html>
//! - <https://www.rfc-editor.org/rfc/rfc9110#name-502-bad-gateway> (and 503, 504 after it)
//! - <https://nginx.org/en/docs/http/load_balancing.html>, <https://www.haproxy.com/documentation/haproxy-configuration-tutorials/reliability/health-checks/>

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tokio::task::JoinHandle;

/// How often [`Balancer::spawn_health_checks`] checks every backend.
pub const HEALTH_INTERVAL: Duration = Duration::from_millis(100);
/// How long one `GET /health` may take before the backend counts as unhealthy.
pub const HEALTH_TIMEOUT: Duration = Duration::from_millis(500);

/// How the next backend is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Each healthy backend in turn.
    RoundRobin,
    /// The healthy backend with the fewest requests in flight.
    LeastConnections,
}

/// One backend and what the balancer knows of it.
#[derive(Debug)]
pub struct Backend {
    /// Where it listens; requests go to `http://{addr}{path}`.
    pub addr: SocketAddr,
    /// Set by the health checks; only healthy backends are picked.
    healthy: AtomicBool,
    /// Requests sent to it whose answer is not completely received yet.
    in_flight: AtomicUsize,
}

/// The balancer's state, shared by every request and by the health checks.
#[derive(Debug)]
pub struct Balancer {
    backends: Vec<Backend>,
    strategy: Strategy,
    /// The round-robin counter: shared, so that each request takes the next backend.
    next: AtomicUsize,
    /// How long a forwarded request may take, answer body included, before the client gets 504.
    timeout: Duration,
    client: reqwest::Client,
}

impl Balancer {
    /// A balancer over `addrs`, all assumed healthy until a health check says otherwise, that
    /// gives each forwarded request `timeout` to be answered completely.
    pub fn new(addrs: Vec<SocketAddr>, strategy: Strategy, timeout: Duration) -> Arc<Self> {
        let backends = addrs
            .into_iter()
            .map(|addr| Backend {
                addr,
                healthy: AtomicBool::new(true),
                in_flight: AtomicUsize::new(0),
            })
            .collect();
        Arc::new(Balancer {
            backends,
            strategy,
            next: AtomicUsize::new(0),
            timeout,
            client: reqwest::Client::new(),
        })
    }

    /// The backend the next request goes to, by the strategy, among the healthy ones; `None`
    /// when none is healthy.
    pub fn pick(&self) -> Option<&Backend> {
        let healthy: Vec<&Backend> = self
            .backends
            .iter()
            .filter(|b| b.healthy.load(Ordering::SeqCst))
            .collect();
        if healthy.is_empty() {
            return None;
        }
        match self.strategy {
            Strategy::RoundRobin => {
                let n = self.next.fetch_add(1, Ordering::SeqCst);
                Some(healthy[n % healthy.len()])
            }
            Strategy::LeastConnections => healthy
                .into_iter()
                .min_by_key(|b| b.in_flight.load(Ordering::SeqCst)),
        }
    }

    /// One round of active health checks: `GET /health` on every backend, each bounded by
    /// [`HEALTH_TIMEOUT`]; a `2xx` marks the backend healthy, anything else unhealthy.
    pub async fn check_health(&self) {
        let checks = self.backends.iter().map(|backend| async move {
            let url = format!("http://{}/health", backend.addr);
            let answer = tokio::time::timeout(HEALTH_TIMEOUT, self.client.get(url).send()).await;
            let ok = matches!(answer, Ok(Ok(response)) if response.status().is_success());
            backend.healthy.store(ok, Ordering::SeqCst);
        });
        // All backends at once: one slow backend must not delay the verdict on the others.
        futures_util::future::join_all(checks).await;
    }

    /// Runs [`Balancer::check_health`] now and then every [`HEALTH_INTERVAL`], until the
    /// returned task is aborted.
    pub fn spawn_health_checks(self: &Arc<Self>) -> JoinHandle<()> {
        let balancer = Arc::clone(self);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(HEALTH_INTERVAL);
            loop {
                ticks.tick().await;
                balancer.check_health().await;
            }
        })
    }
}

/// Counts one request in flight on a backend, from [`InFlight::start`] until it is dropped.
pub struct InFlight<'a> {
    backend: &'a Backend,
}

impl<'a> InFlight<'a> {
    /// Adds one to the backend's in-flight count.
    pub fn start(backend: &'a Backend) -> Self {
        backend.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight { backend }
    }
}

impl Drop for InFlight<'_> {
    /// Takes the one back, however the request ended: answered, failed or cancelled.
    fn drop(&mut self) {
        self.backend.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The balancer's front: every method and path is forwarded by [`proxy`].
pub fn app(balancer: Arc<Balancer>) -> Router {
    Router::new().fallback(proxy).with_state(balancer)
}

/// `{"error": message}` with `status`.
fn error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "error": message }))).into_response()
}

/// Forwards the request (method, path and query, body) to the backend [`Balancer::pick`]
/// chooses, counted in flight the whole time, bounded by the balancer's `timeout`, and answers
/// with the backend's status, `content-type` and body; 503, 502 or 504 as the lesson says.
async fn proxy(
    State(balancer): State<Arc<Balancer>>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let Some(backend) = balancer.pick() else {
        return error(StatusCode::SERVICE_UNAVAILABLE, "no healthy backend");
    };
    // Held until this function returns, so the count covers the whole exchange.
    let _in_flight = InFlight::start(backend);

    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let url = format!("http://{}{}", backend.addr, path);
    let exchange = async {
        let response = balancer
            .client
            .request(method, url)
            .body(body)
            .send()
            .await?;
        let status = response.status();
        let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
        let body = response.bytes().await?;
        Ok::<_, reqwest::Error>((status, content_type, body))
    };
    match tokio::time::timeout(balancer.timeout, exchange).await {
        Err(_elapsed) => error(StatusCode::GATEWAY_TIMEOUT, "backend timed out"),
        Ok(Err(_)) => error(StatusCode::BAD_GATEWAY, "backend unreachable"),
        Ok(Ok((status, content_type, body))) => {
            let mut response = (status, body).into_response();
            if let Some(value) = content_type {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            } else {
                response.headers_mut().remove(header::CONTENT_TYPE);
            }
            response
        }
    }
}
