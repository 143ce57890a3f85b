//! # Exercise 06: security headers on every response, errors included
//!
//! A few response headers turn off browser features that attacks rely on. They cost nothing,
//! scanners (Mozilla Observatory, securityheaders.com, a pentest report) look for them first,
//! and they belong on **every** response: a 404 page that echoes the path, a 500, a static
//! file are pages too, and an attacker picks the one page that lacks them.
//!
//! | header | value | what it stops |
//! |---|---|---|
//! | `Content-Security-Policy` | [`CONTENT_SECURITY_POLICY`] | injected scripts (exercise 02), plugins (`object-src 'none'`), a `<base>` tag that reroutes relative URLs (`base-uri 'none'`), framing by any site (`frame-ancestors 'none'`: clickjacking) |
//! | `X-Content-Type-Options` | `nosniff` | the browser guessing that an uploaded "image" is a script or HTML |
//! | `X-Frame-Options` | `DENY` | clickjacking in browsers older than `frame-ancestors` |
//! | `Referrer-Policy` | `strict-origin-when-cross-origin` | full URLs (with their ids and tokens) sent to other sites in `Referer`: they get the origin only, and nothing over plain HTTP |
//! | `Cross-Origin-Opener-Policy` | `same-origin` | a page this one opens (or that opened it) keeping a handle on its window (XS-Leaks, tabnabbing) |
//!
//! And two headers go: `Server` and `X-Powered-By` tell an attacker which version to look up
//! in the CVE lists. Neither axum nor hyper sends them, but a handler, a proxied legacy app or
//! a framework may: the app removes them from every response. (HSTS is exercise 05's.)
//!
//! **Set where, and who wins.** tower-http's [`SetResponseHeaderLayer`] sets a header on every
//! response that passes through it; `overriding` replaces what the handler set,
//! `if_not_present` keeps it, `appending` adds a second value. The choice is a policy:
//!
//! - the CSP depends on the page: the embeddable `/widget` states its own,
//!   [`WIDGET_POLICY`], which lets `https://partner.example` frame it. The layer uses
//!   `if_not_present`: a handler that states a policy keeps it. (Never `appending`: a
//!   browser enforces *both* policies, and `frame-ancestors 'none'` blocks the partner.)
//! - the others are the site's rules, which no handler may weaken: `overriding`.
//!   `X-Frame-Options: DENY` stays on the widget too: a browser that knows `frame-ancestors`
//!   ignores `X-Frame-Options` when the CSP has it, and one that does not is too old to trust.
//!
//! **Which responses a layer sees.** Axum's `Router::layer` wraps everything the router
//! answers: routes, the fallback's 404, the 405 of a wrong method, the 413 of a body over the
//! limit, the nested static files. `route_layer` wraps matched routes only, so 404s miss it.
//! And layers are an onion: `.layer(a).layer(b)` puts `b` outside `a`. A handler that panics
//! unwinds through every layer inside [`CatchPanicLayer`] and never comes back out of them: the
//! header layers go *outside* it, so the 500 it makes still gets its headers.
//!
//! **Errors say nothing.** A panic's message and an error's details (a connection string, a
//! query, a file path) go to the logs, never into the body: the client gets a generic 500,
//! `{"error": INTERNAL_ERROR}`.
//!
//! - <https://owasp.org/www-project-secure-headers/>
//! - <https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Security-Policy>
//! - <https://docs.rs/tower-http/0.7.1/tower_http/set_header/response/struct.SetResponseHeaderLayer.html>,
//!   <https://docs.rs/tower-http/0.7.1/tower_http/catch_panic/struct.CatchPanicLayer.html>
//! - <https://docs.rs/axum/0.8.9/axum/struct.Router.html#method.layer>,
//!   <https://docs.rs/axum/0.8.9/axum/middleware/fn.map_response.html>
//!
//! Your task: [`app`] (the layers), [`panic_response`] and the answer of an [`AppError`].
//! The routes are given.
//!
//! Run `cargo xtask check 06_security_headers` to check your work; `cargo xtask hint
//! 06_security_headers` gives a hint.

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
    // TODO: `routes(static_dir)`, then the layers, innermost first: `CatchPanicLayer::custom(
    // panic_response)`, then one `SetResponseHeaderLayer` per header (`if_not_present` for the
    // CSP, `overriding` for the rest), and a `middleware::map_response` that removes `Server`
    // and `X-Powered-By`. `layer`, not `route_layer`.
    todo!("put the security headers on every response of the app serving {static_dir:?}")
}

/// The answer to a handler that panicked: a 500 with `{"error": INTERNAL_ERROR}`. The
/// panic's message (`panic`) may hold anything: log it, never send it.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    // TODO: the message is a `&str` or a `String` (`downcast_ref`); log it with
    // `tracing::error!` and answer the generic 500.
    todo!("answer a panic with a generic 500")
}

/// The failures of a handler.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("the database failed: {0}")]
    Database(String),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // TODO: log the error with its details (`tracing::error!(error = %self, ...)`) and
        // answer the generic 500: `{"error": INTERNAL_ERROR}`, nothing of `self`.
        todo!("answer {self} with a generic 500")
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
