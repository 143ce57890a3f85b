//! # Structured logging: JSON lines, request spans, secrets never logged
//!
//! A log line such as `user 42 viewed order 7 in 3ms` is easy to read and hard to use: to
//! find every request of user 42 someone writes a regular expression, and it breaks the day the
//! wording changes. A **structured** log writes each event as one JSON object per line, with
//! named fields that keep their types:
//!
//! ```json
//! {"timestamp":"2026-12-02T07:50:01.123Z","level":"INFO","target":"app",
//!  "fields":{"message":"order viewed","order_id":7},
//!  "span":{"name":"request","request_id":"9f1c…","user_id":42,"method":"GET","path":"/orders/7"}}
//! ```
//!
//! Log shippers (Filebeat, Vector, Promtail, the OpenTelemetry collector) read these lines and
//! send them to **Elasticsearch** (which indexes every field, best with the names of the Elastic
//! Common Schema, ECS: `@timestamp`, `log.level`, `user.id`, `trace.id`) or to **Loki** (which
//! indexes only a few *labels* such as `app` and `level`, and keeps the rest of the line to be
//! parsed at query time with `| json | user_id = 42`). Either way the query is
//! `user_id = 42`, not a regular expression, and `order_id > 100` works because numbers stay
//! numbers.
//!
//! In Rust the [`tracing`](https://docs.rs/tracing) crate emits events and **spans** (a span is
//! a period of work with fields, such as one request; every event inside it carries them), and
//! [`tracing-subscriber`](https://docs.rs/tracing-subscriber) writes them:
//! [`fmt().json()`](https://docs.rs/tracing-subscriber/latest/tracing_subscriber/fmt/struct.SubscriberBuilder.html#method.json)
//! formats each event as one JSON line; `with_current_span(true)` adds the span's fields;
//! [`EnvFilter`](https://docs.rs/tracing-subscriber/latest/tracing_subscriber/filter/struct.EnvFilter.html)
//! reads a filter string such as `info` or `info,my_app=debug` (usually from `RUST_LOG`), so the
//! level changes without a rebuild.
//!
//! Two production habits are the point of this exercise:
//!
//! - **One request, one span, one id.** The span is opened by a middleware with the request id
//!   (taken from `x-request-id` or generated, and sent back on the response) and an empty
//!   `user_id = tracing::field::Empty`. Once the request is authenticated, the code fills it in
//!   with [`Span::record`](https://docs.rs/tracing/latest/tracing/struct.Span.html#method.record):
//!   every later event of the request, down to the middleware's "request finished", carries it.
//!   A field that was not declared when the span was made cannot be recorded later.
//! - **Secrets never reach the logs.** Logs are copied to many machines and read by many
//!   people. A password is wrapped in [`Secret`], whose `Debug` and `Display` print
//!   `[redacted]`, so even `tracing::info!(?payload)` is safe; headers are never logged whole
//!   (the `Authorization` header holds a bearer token, as good as a password).
//!
//! Errors are logged where they are turned into answers: a 500 is the server's fault and is
//! logged at ERROR level (someone is paged for it); a 404 or a 401 is the client's and is not.
//!
//! Your tasks, marked `TODO`: [`subscriber`], `Debug` and `Display` of [`Secret`],
//! [`request_span`], recording the user in [`authenticate`], and the logging of [`AppError`].
//! The rest of the app (login, orders, the middleware that opens the span) is given.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use tracing::{Instrument, Span};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// The id of the only account of this app.
pub const USER_ID: u64 = 42;

/// The order whose lookup fails, as if the database were down.
pub const UNLUCKY_ORDER: u64 = 13;

/// A subscriber that writes every event as one JSON object per line to `writer`: `timestamp`,
/// `level`, `target`, `fields` (with `message`) and `span` (the current span's name and
/// fields), keeping only what the filter string `filter` (such as `info` or `warn,app=debug`)
/// lets through.
pub fn subscriber<W>(filter: &str, writer: W) -> Box<dyn tracing::Subscriber + Send + Sync>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    // TODO: build it with `tracing_subscriber::fmt()`: the JSON format with the current span,
    // an `EnvFilter` made from `filter`, and `writer`; box the finished subscriber.
    todo!(
        "build a subscriber writing JSON lines with the current span to the writer, filtered by the filter string"
    )
}

/// A value that must never be printed: its `Debug` and `Display` both write `[redacted]`.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Secret(value)
    }

    /// The value itself, for the one place that needs it (comparing a password).
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // TODO: write `[redacted]`, never the value.
        todo!("write [redacted] instead of the secret")
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // TODO: write `[redacted]`, never the value.
        todo!("write [redacted] instead of the secret")
    }
}

/// The span of one request: named `request`, with the fields `request_id`, `method`, `path`
/// and an empty `user_id` to be recorded once the user is known. Never the headers.
pub fn request_span(request: &Request, request_id: &str) -> Span {
    // TODO: `tracing::info_span!` with these fields; `user_id` starts as
    // `tracing::field::Empty`.
    todo!("open the span `request` with request_id, method, path and an empty user_id")
}

/// The errors of the app, each answered with `{"error": "..."}`.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("missing or invalid bearer token: log in at POST /login")]
    Unauthorized,
    #[error("no such order")]
    NotFound,
    #[error("the order store failed: {0}")]
    Store(String),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        // TODO: log a server error (a 500) at ERROR level with the error as a field, and
        // nothing for the client's mistakes.
        let message = match &self {
            // The cause of a 500 is for the logs, not for the client.
            AppError::Store(_) => "internal error: try again later".to_string(),
            other => other.to_string(),
        };
        (status, Json(json!({ "error": message }))).into_response()
    }
}

/// The authenticated user, taken from `Authorization: Bearer <token>`.
pub struct User {
    pub id: u64,
}

/// The user of `headers`' bearer token, recorded as `user_id` on the current request span.
pub fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<User, AppError> {
    let token = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or(AppError::Unauthorized)?;
    let id = *state
        .tokens
        .lock()
        .unwrap()
        .get(token)
        .ok_or(AppError::Unauthorized)?;
    // TODO: record `id` as `user_id` on the current span, the request's.
    Ok(User { id })
}

impl FromRequestParts<AppState> for User {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        authenticate(state, &parts.headers)
    }
}

/// The app's state: the one account and the tokens handed out.
#[derive(Clone)]
pub struct AppState {
    username: Arc<str>,
    password: Arc<Secret<String>>,
    tokens: Arc<Mutex<HashMap<String, u64>>>,
}

/// The app: `POST /login` `{"username", "password"}` → `{"token"}`, `GET /orders/{id}` with
/// `Authorization: Bearer <token>` → `{"id", "user_id"}`, every request in a span of its own.
pub fn app(username: &str, password: &str) -> Router {
    let state = AppState {
        username: username.into(),
        password: Arc::new(Secret::new(password.to_string())),
        tokens: Arc::default(),
    };
    Router::new()
        .route("/login", post(login))
        .route("/orders/{id}", get(order))
        .layer(middleware::from_fn(observe))
        .with_state(state)
}

#[derive(Debug, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: Secret<String>,
}

async fn login(
    State(state): State<AppState>,
    Json(payload): Json<LoginRequest>,
) -> Result<Json<serde_json::Value>, AppError> {
    // Logging the whole payload is safe only because the password is a `Secret`.
    tracing::info!(?payload, "login attempt");
    if payload.username != *state.username || payload.password.expose() != state.password.expose() {
        tracing::info!(username = %payload.username, "login refused");
        return Err(AppError::Unauthorized);
    }
    let token = random_hex();
    state.tokens.lock().unwrap().insert(token.clone(), USER_ID);
    Ok(Json(json!({ "token": token })))
}

async fn order(user: User, Path(id): Path<u64>) -> Result<Json<serde_json::Value>, AppError> {
    tracing::debug!(order_id = id, "looking up the order");
    if id == UNLUCKY_ORDER {
        return Err(AppError::Store("connection reset by peer".into()));
    }
    if id > 100 {
        return Err(AppError::NotFound);
    }
    tracing::info!(order_id = id, "order viewed");
    Ok(Json(json!({ "id": id, "user_id": user.id })))
}

/// Runs the request in its span, logs its end, and sends the request id back.
async fn observe(request: Request, next: Next) -> Response {
    let id = request_id(request.headers());
    let span = request_span(&request, &id);
    let mut response = next.run(request).instrument(span.clone()).await;
    span.in_scope(|| {
        tracing::info!(status = response.status().as_u16(), "request finished");
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// The incoming `x-request-id` when it is 1 to 64 visible ASCII characters, else a new one.
pub fn request_id(headers: &HeaderMap) -> String {
    headers
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .filter(|id| (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_string)
        .unwrap_or_else(random_hex)
}

fn random_hex() -> String {
    format!("{:032x}", rand::random::<u128>())
}
