//! # Exercise 06: security headers on every response, errors included
//!
//! The reference solution of exercise 06; the lesson is in
//! `stage5-security/exercises/06_security_headers.rs`.

use std::any::Any;
use std::path::Path;

use axum::extract::DefaultBodyLimit;
use axum::http::header::{
    CONTENT_SECURITY_POLICY as CSP, REFERRER_POLICY, SERVER, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The site's Content-Security-Policy: everything from this origin only, no plugins, no
/// `<base>`, no framing.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The widget's own policy: the same, but `https://partner.example` may frame it.
pub const WIDGET_POLICY: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; \
     frame-ancestors https://partner.example";

/// The body of every 500: `{"error": INTERNAL_ERROR}`.
pub const INTERNAL_ERROR: &str = "internal error: try again later";

/// The largest body `POST /api/echo` takes; a larger one is answered 413.
pub const MAX_BODY_BYTES: usize = 1024;

/// What the app knows that no client may read: it shows up in a panic and in an error.
pub const DATABASE_URL: &str = "postgres://app:hunter2@db.internal:5432/app";

/// The name of the `Cross-Origin-Opener-Policy` header (the `http` crate has no constant for
/// it): `HeaderName::from_static(CROSS_ORIGIN_OPENER_POLICY)`.
pub const CROSS_ORIGIN_OPENER_POLICY: &str = "cross-origin-opener-policy";

/// The app: [`routes`] with the security headers on every response it gives, errors, 404s,
/// panics and static files included:
///
/// - `Content-Security-Policy: CONTENT_SECURITY_POLICY`, unless the handler set its own;
/// - `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`,
///   `Referrer-Policy: strict-origin-when-cross-origin` and
///   `Cross-Origin-Opener-Policy: same-origin`, whatever the handler set;
/// - no `Server` and no `X-Powered-By`;
/// - a panicking handler answered by [`panic_response`].
pub fn app(static_dir: &Path) -> Router {
    // Innermost first: the panic becomes a response inside every header layer, so the 500
    // passes out through all of them.
    routes(static_dir)
        .layer(CatchPanicLayer::custom(panic_response))
        // A page may state its own policy (the widget); the site's default fills the rest.
        .layer(SetResponseHeaderLayer::if_not_present(
            CSP,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        // The site's rules: no handler weakens them.
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static(CROSS_ORIGIN_OPENER_POLICY),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(middleware::map_response(without_server_headers))
}

/// Removes the headers that name the software behind the app.
async fn without_server_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.remove(SERVER);
    headers.remove("x-powered-by");
    response
}

fn internal_error() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(json!({ "error": INTERNAL_ERROR })),
    )
        .into_response()
}

/// The answer to a handler that panicked: a 500 with `{"error": INTERNAL_ERROR}`. The
/// panic's message (`panic`) may hold anything: log it, never send it.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message");
    tracing::error!(panic = message, "a handler panicked");
    internal_error()
}

/// The failures of a handler.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("the database failed: {0}")]
    Database(String),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // The details are for the logs; the client learns only that it failed.
        tracing::error!(error = %self, "a request failed");
        internal_error()
    }
}

/// The routes:
///
/// - `GET /`: the home page;
/// - `GET /widget`: a page `https://partner.example` embeds, with its own CSP [`WIDGET_POLICY`];
/// - `GET /legacy`: a page proxied from an old app, which sets `Server`, `X-Powered-By`, an
///   `X-Frame-Options: ALLOWALL` and a `Referrer-Policy: unsafe-url` of its own;
/// - `POST /api/echo`: the body back, up to [`MAX_BODY_BYTES`] (else 413);
/// - `GET /api/report`: fails with an [`AppError`]; `GET /api/crash`: panics;
/// - `/static/...`: the files of `static_dir`;
/// - anything else: a 404 `{"error": "not found"}`.
pub fn routes(static_dir: &Path) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/widget", get(widget))
        .route("/legacy", get(legacy))
        .route("/api/echo", post(echo))
        .route("/api/report", get(report))
        .route("/api/crash", get(crash))
        .nest_service("/static", ServeDir::new(static_dir))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

async fn home() -> Html<&'static str> {
    Html(
        "<!doctype html><title>home</title><h1>Welcome</h1><script src=\"/static/app.js\"></script>",
    )
}

async fn widget() -> impl IntoResponse {
    (
        [(CSP, WIDGET_POLICY)],
        Html("<!doctype html><title>widget</title><p>Today's rate: 1.08</p>"),
    )
}

async fn legacy() -> impl IntoResponse {
    (
        [
            (SERVER, "Apache/2.4.29 (Ubuntu)"),
            (HeaderName::from_static("x-powered-by"), "PHP/5.6.40"),
            (X_FRAME_OPTIONS, "ALLOWALL"),
            (REFERRER_POLICY, "unsafe-url"),
        ],
        Html("<!doctype html><title>legacy</title><p>Your invoices</p>"),
    )
}

async fn echo(body: String) -> String {
    body
}

async fn report() -> Result<Json<serde_json::Value>, AppError> {
    Err(AppError::Database(format!(
        "could not connect to {DATABASE_URL}: connection refused"
    )))
}

async fn crash() -> &'static str {
    panic!("the report cache is corrupt; it was loaded from {DATABASE_URL}")
}

async fn not_found() -> (StatusCode, Json<serde_json::Value>) {
    (StatusCode::NOT_FOUND, Json(json!({ "error": "not found" })))
}
