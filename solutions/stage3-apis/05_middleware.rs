//! # Exercise 05: middleware — request ids, timing, timeouts, a guard, a tracing span
//!
//! Some work belongs to every request rather than to one handler: give the request an id,
//! time it, stop it when it takes too long, check a token, log it. Written in each handler it
//! would be copied forty times and forgotten in the forty-first; written once as
//! **middleware** it wraps every handler of a router. In axum a middleware is a tower
//! `Layer`: a wrapper around the inner service that sees the request on its way in and the
//! response on its way out. `axum::middleware::from_fn` makes one from a plain async function
//! `async fn(request: Request, next: Next) -> Response`: do something with the request, call
//! `next.run(request).await` (the rest of the stack and the handler), do something with the
//! response. Return a response without calling `next` and the handler never runs: a guard.
//!
//! **Order is behaviour.** `Router::layer` wraps everything the router holds so far, its
//! fallback (the 404) too, so the last `.layer(…)` is the outermost: the first to see the
//! request and the last to see the response. `Router::route_layer` wraps the matched routes
//! only, so a 404 never passes through it. The layers of this exercise, outermost first:
//!
//! 1. **request id**: every response, even a 401, a 404 or a timeout, must carry its id;
//!    nothing may answer from outside this layer;
//! 2. **server timing**: the time of everything inside, rejections included;
//! 3. **trace**: a span per request, made after the id exists, so the id can be in it;
//! 4. **timeout**: stops the handler when time is up;
//! 5. the routes, where `/admin/*` alone sits behind the **guard**.
//!
//! **Request ids.** One user action crosses a load balancer, two services and a queue; the
//! id ties their log lines together, and a user who quotes it in a bug report leads you to
//! them. So a service *propagates* the `x-request-id` it is given (the caller's logs use it
//! too) and *generates* one when there is none. But the header comes from a stranger: a
//! 10 kB id bloats every log line, a newline or a control character forges log lines, a
//! space breaks log parsers. Accept an id only if it is 1 to 64 visible ASCII characters
//! (`!` to `~`), and otherwise replace it as if it were missing. The handlers read it from the
//! request's *extensions* (typed values that travel with a request: `Extension<RequestId>`);
//! the client reads it from the response header.
//!
//! **Timing.** `server-timing: total;dur=12.5` (milliseconds) is the W3C header that browser
//! developer tools show next to each request, so the front end sees where the time went.
//!
//! **Timeouts.** A handler stuck on a slow dependency holds its memory and its connection, and
//! its client gave up long ago. tower-http's `TimeoutLayer` drops the handler's future when
//! time is up and answers by itself, with an empty body. Which status? Not its old default
//! 408 Request Timeout: that says the *client* was too slow to send its request (RFC 9110
//! §15.5.9), and clients may resend at once. Not 504 Gateway Timeout either: that is a
//! proxy's answer about the server behind it. A server that cannot answer in time is
//! temporarily unable to serve: **503 Service Unavailable**, which tells clients and load
//! balancers to back off and try again.
//!
//! **Guards and 401.** An admin token is checked by a middleware on the admin routes only,
//! not on the public ones. A 401 must say how to authenticate: `WWW-Authenticate: Bearer
//! realm="admin"` for a request with no bearer token, and `…, error="invalid_token"` added
//! for a wrong one (RFC 6750 §3). Production code compares secrets in constant time (the
//! `subtle` crate) and reads them from configuration; here the token is `app`'s argument.
//!
//! **Tracing.** tower-http's `TraceLayer` opens a `tracing` span for each request and logs
//! when it starts and ends; every event a handler logs is inside that span, so a span with a
//! `request_id` field stamps the id on every line logged for the request:
//! `TraceLayer::new_for_http().make_span_with(|request: &Request| …)`.
//!
//! - <https://docs.rs/axum/0.8/axum/middleware/index.html> (ordering, `from_fn`)
//! - <https://docs.rs/tower-http/0.7/tower_http/timeout/index.html>
//! - <https://docs.rs/tower-http/0.7/tower_http/trace/index.html>
//! - <https://www.w3.org/TR/server-timing/>
//! - <https://www.rfc-editor.org/rfc/rfc9110#name-401-unauthorized>,
//!   <https://www.rfc-editor.org/rfc/rfc6750#section-3>
//!
//! Your task: the middleware functions below and `app`, which puts them in order.
//!
//! Run `cargo xtask check 05_middleware` to check your work; `cargo xtask hint
//! 05_middleware` gives a hint.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Extension, Path, Request, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::time::Instant;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

/// The header that carries a request's id, both ways.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// The longest incoming request id that is accepted.
pub const MAX_REQUEST_ID_LEN: usize = 64;
/// How long a request may take before it is answered 503.
pub const TIMEOUT: Duration = Duration::from_secs(2);

/// The id of the request being handled, in its extensions for handlers to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// The application: [`routes`] and, under `/admin`, [`admin_routes`] behind [`require_admin`]
/// with `admin_token`; around everything, outermost first: [`request_id`], [`server_timing`],
/// a `TraceLayer` whose spans come from [`request_span`], and a `TimeoutLayer` of [`TIMEOUT`]
/// that answers 503.
pub fn app(admin_token: &str) -> Router {
    // The guard is a layer of the admin router alone, so the public routes never see it.
    let admin = admin_routes().layer(middleware::from_fn_with_state(
        Arc::<str>::from(admin_token),
        require_admin,
    ));
    // Each `.layer` wraps all that is above it: the last one is the first to see a request.
    routes()
        .nest("/admin", admin)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            TIMEOUT,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(middleware::from_fn(server_timing))
        .layer(middleware::from_fn(request_id))
}

/// Whether an incoming `x-request-id` may be used: 1 to [`MAX_REQUEST_ID_LEN`] characters,
/// each visible ASCII (`!` to `~`: no space, no control character, nothing beyond ASCII).
pub fn is_valid_request_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_REQUEST_ID_LEN && id.bytes().all(|b| b.is_ascii_graphic())
}

/// The request-id middleware: the incoming `x-request-id` if it is valid, else a new one from
/// [`new_request_id`]; put in the request's extensions as a [`RequestId`] before the handler
/// runs, and on the response as `x-request-id`, whatever the response is.
pub async fn request_id(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|id| is_valid_request_id(id))
        .map_or_else(new_request_id, str::to_string);
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.run(request).await;
    // A valid or generated id is visible ASCII, which is always a valid header value.
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(X_REQUEST_ID, value);
    }
    response
}

/// The timing middleware: `server-timing: total;dur=<milliseconds>` on every response, the
/// time from the request entering this layer to the response leaving the layers inside it.
pub async fn server_timing(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let mut response = next.run(request).await;
    let millis = start.elapsed().as_secs_f64() * 1000.0;
    let value = HeaderValue::from_str(&format!("total;dur={millis:.3}"))
        .expect("a number is always a valid header value");
    response.headers_mut().insert("server-timing", value);
    response
}

/// The admin guard: lets a request through only with `authorization: Bearer <admin token>`.
///
/// - no `authorization` header, or one that is not a bearer token: 401,
///   `www-authenticate: Bearer realm="admin"` and
///   `{"error":"missing token: send authorization: Bearer <admin token>"}`;
/// - a bearer token that is not the admin token: 401,
///   `www-authenticate: Bearer realm="admin", error="invalid_token"` and
///   `{"error":"invalid token: send the admin token"}`.
pub async fn require_admin(
    State(admin_token): State<Arc<str>>,
    request: Request,
    next: Next,
) -> Response {
    let token = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    match token {
        Some(token) if token == &*admin_token => next.run(request).await,
        Some(_) => unauthorized(
            r#"Bearer realm="admin", error="invalid_token""#,
            "invalid token: send the admin token",
        ),
        None => unauthorized(
            r#"Bearer realm="admin""#,
            "missing token: send authorization: Bearer <admin token>",
        ),
    }
}

/// A 401 with its challenge and a JSON error body.
fn unauthorized(challenge: &'static str, message: &str) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(WWW_AUTHENTICATE, HeaderValue::from_static(challenge))],
        Json(json!({ "error": message })),
    )
        .into_response()
}

/// The span of one request, named `request`, with fields `method`, `path` and `request_id`
/// (the [`RequestId`] the request-id middleware put in the extensions).
pub fn request_span(request: &Request) -> Span {
    let id = request
        .extensions()
        .get::<RequestId>()
        .map_or("", |RequestId(id)| id.as_str());
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
    )
}

/// A new request id: 32 lowercase hex digits, 128 random bits, unique without coordination
/// between instances.
pub fn new_request_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// The public routes.
///
/// - `GET /hello`: `{"message":"hello","request_id":"<its id>"}`, and logs `saying hello`;
/// - `GET /sleep/{ms}`: waits `ms` milliseconds, then answers `{"slept_ms":<ms>}`.
pub fn routes() -> Router {
    Router::new()
        .route("/hello", get(hello))
        .route("/sleep/{ms}", get(sleep))
}

/// The admin routes, to be nested under `/admin`.
///
/// - `GET /admin/config`: `{"timeout_ms":2000,"max_request_id_len":64}`.
pub fn admin_routes() -> Router {
    Router::new().route("/config", get(config))
}

async fn hello(Extension(RequestId(id)): Extension<RequestId>) -> Json<Value> {
    tracing::info!("saying hello");
    Json(json!({ "message": "hello", "request_id": id }))
}

async fn sleep(Path(ms): Path<u64>) -> Json<Value> {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    Json(json!({ "slept_ms": ms }))
}

async fn config() -> Json<Value> {
    Json(json!({
        "timeout_ms": TIMEOUT.as_millis(),
        "max_request_id_len": MAX_REQUEST_ID_LEN,
    }))
}
