//! # Exercise 03: CSRF — a signed token, SameSite cookies and an Origin check
//!
//! A browser attaches a site's cookies to every request *to* that site, whoever wrote the page
//! that sends it. So a page on `evil.example` may hold
//!
//! ```html
//! <form method="post" action="https://bank.example/transfer">
//!   <input name="to" value="mallory"><input name="amount" value="1000"></form>
//! <script>document.forms[0].submit()</script>
//! ```
//!
//! and every visitor signed in at the bank sends that transfer with their own session cookie:
//! a **cross-site request forgery**. The attacker never sees the answer, and needs not. The
//! defence makes each request that changes something prove that it comes from the bank's own
//! pages, in three layers, each covering what the others miss:
//!
//! 1. **SameSite cookies.** `SameSite=Lax`: the browser leaves the cookie off cross-site
//!    subrequests (a form's POST, a `fetch`) but sends it with top-level navigations (a link
//!    followed), so a GET must never change anything. It does nothing against the same
//!    *site*: `user-content.bank.example` can post with the cookie. Beside it, `HttpOnly` (no
//!    script reads the cookie), `Secure` (HTTPS only) and `Path=/`.
//! 2. **An Origin check.** Browsers send `Origin` with every POST: `https://evil.example`, or
//!    `null` from a sandboxed frame or a page with `Referrer-Policy: no-referrer`. Compare it
//!    *exactly* with the app's origin (scheme, host, port): a prefix or substring check lets
//!    `https://bank.example.evil.com` in. Without `Origin`, use `Referer`'s origin. With
//!    neither, the request is not a modern browser's (curl, a server): the token decides.
//! 3. **A token bound to the session**, which the attacker can neither read (the same-origin
//!    policy hides the bank's pages from them) nor compute: `HMAC-SHA256(server secret,
//!    session id)` in lowercase hex, sent as the hidden form field `csrf_token` or, from
//!    JavaScript, as the header `X-CSRF-Token` (which a cross-site form cannot set). Bound to
//!    the session, a token the attacker got for their own session is worthless with the
//!    victim's cookie. Compare it in constant time (`subtle`'s `ct_eq`), so that the time of a
//!    refusal does not tell how much of a guess was right; and never take it from the URL,
//!    which ends up in logs, in history and in the next site's `Referer`.
//!
//! **Every unsafe method, every content type.** "JSON APIs cannot be forged" holds only while
//! a CORS preflight stands in the way: a form with `enctype="text/plain"` or a `no-cors` fetch
//! sends a body that looks like JSON without one, and a lax CORS rule (exercise 04) opens the
//! rest. So POST, PUT, PATCH and DELETE are checked whatever their body; GET, HEAD, OPTIONS
//! and TRACE pass (`Method::is_safe`).
//!
//! **Session fixation.** An id that survives login may have been planted by an attacker (a
//! sibling subdomain can set cookies for the site): login issues a new id and forgets the old.
//! And login is guarded too: a forged login puts the victim in the attacker's account.
//!
//! Django and Rails combine a token with an Origin check this way; Go 1.25's
//! `http.CrossOriginProtection` keeps the Origin layer only (with `Sec-Fetch-Site`).
//!
//! - <https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html>
//! - <https://docs.rs/hmac/0.12.1/hmac/>, <https://docs.rs/subtle/2.6.1/subtle/trait.ConstantTimeEq.html>
//! - <https://docs.rs/axum/0.8.9/axum/middleware/fn.from_fn_with_state.html>,
//!   <https://docs.rs/axum/0.8.9/axum/body/fn.to_bytes.html>
//!
//! Your task: the cookie, the token and its check, the Origin check, the guard
//! [`csrf_protect`], [`login`] and [`app`]. A refusal is [`forbidden`]'s plain 403, never a 500.
//!
//! Run `cargo xtask check 03_csrf` to check your work; `cargo xtask hint 03_csrf` gives a hint.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::{Body, to_bytes};
use axum::extract::{Form, FromRequest, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, COOKIE, ORIGIN, REFERER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response, Result};
use axum::routing::{get, post};
use axum::{Json, Router};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "session";
/// The form field that carries the token.
pub const CSRF_FIELD: &str = "csrf_token";
/// The header that carries the token (for JavaScript and any body that is not a form).
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The largest form body the guard reads to find the token; a larger one is answered 413.
pub const MAX_FORM_BYTES: usize = 16 * 1024;
/// The bodies of the 403s: for a foreign, `null` or unreadable Origin (or Referer), and for
/// a missing or wrong token.
pub const CROSS_ORIGIN: &str = "forbidden: cross-origin request";
pub const BAD_TOKEN: &str = "forbidden: missing or invalid CSRF token";

/// A money transfer, as a form (`to=bob&amount=25`) or as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub to: String,
    pub amount: u64,
}

/// The login form: `username=ada` (a demo: no password).
#[derive(Debug, Deserialize)]
pub struct Login {
    pub username: String,
}

/// What the app shares: its own origin, the token secret, the sessions (id → signed-in user,
/// `None` for a visitor not signed in) and each user's transfers.
#[derive(Clone)]
pub struct AppState {
    pub origin: Arc<str>,
    pub secret: Arc<[u8]>,
    pub sessions: Arc<Mutex<HashMap<String, Option<String>>>>,
    pub transfers: Arc<Mutex<HashMap<String, Vec<Transfer>>>>,
}

impl AppState {
    pub fn new(origin: &str, secret: &[u8]) -> Self {
        AppState {
            origin: origin.into(),
            secret: secret.into(),
            sessions: Arc::default(),
            transfers: Arc::default(),
        }
    }

    /// The user signed in on the request's session, or a 401.
    fn user(&self, headers: &HeaderMap) -> Result<String, StatusCode> {
        let id = session_id(headers).unwrap_or_default();
        let user = lock(&self.sessions).get(&id).cloned().flatten();
        user.ok_or(StatusCode::UNAUTHORIZED)
    }

    /// Records a transfer of the signed-in user, or answers 401.
    fn record(&self, headers: &HeaderMap, transfer: Transfer) -> Result<(), StatusCode> {
        let user = self.user(headers)?;
        let mut transfers = lock(&self.transfers);
        transfers.entry(user).or_default().push(transfer);
        Ok(())
    }
}

/// The app for `origin` (such as `https://bank.example`) with token secret `secret`: the
/// [`routes`], all behind [`csrf_protect`].
pub fn app(origin: &str, secret: &[u8]) -> Router {
    // TODO: make the `AppState`, put `csrf_protect` around `routes()` as a layer of its own
    // (`middleware::from_fn_with_state`), and give the router its state.
    todo!("build the app: the routes behind the CSRF guard, for {origin}")
}

/// The `Set-Cookie` value for session `id`: `session=<id>; HttpOnly; Secure; SameSite=Lax; Path=/`.
pub fn session_cookie(id: &str) -> String {
    // TODO: the cookie with its four attributes, exactly as documented.
    todo!("the Set-Cookie value of session {id}")
}

/// The CSRF token of a session: HMAC-SHA256 of `session_id` under `secret`, 64 lowercase hex
/// digits.
pub fn csrf_token(secret: &[u8], session_id: &str) -> String {
    // TODO: `Hmac::<Sha256>::new_from_slice(secret)`, `update` with the session id,
    // `finalize().into_bytes()`, each byte as two lowercase hex digits.
    todo!("the HMAC-SHA256 of {session_id} under the secret, in hex")
}

/// Whether `token` is the token of `session_id` under `secret`, compared in constant time.
pub fn token_is_valid(secret: &[u8], session_id: &str, token: &str) -> bool {
    // TODO: the expected token, compared in constant time: `ct_eq` on the bytes, not `==`.
    todo!("say whether {token} is the token of session {session_id}")
}

/// Whether a request with these headers comes from `origin`: `Origin` equal to it, or, when
/// there is no `Origin`, a `Referer` that is `origin` or starts with `origin/`. A request with
/// neither is allowed (not a browser's: the token decides). `null`, a foreign origin and a
/// value that is not text are refused.
pub fn origin_is_allowed(headers: &HeaderMap, origin: &str) -> bool {
    // TODO: `Origin` if there is one, else `Referer`, else allowed; compare exactly.
    todo!("say whether the request comes from {origin}")
}

/// The guard. Safe methods pass. Any other request, whatever its body, needs an allowed
/// origin ([`origin_is_allowed`], else 403 [`CROSS_ORIGIN`]) and the token of its session
/// cookie ([`token_is_valid`], else 403 [`BAD_TOKEN`]), taken from the [`CSRF_HEADER`] header
/// or, for a form body (`application/x-www-form-urlencoded`), from its [`CSRF_FIELD`] field;
/// never from the query string. A form body over [`MAX_FORM_BYTES`] is answered 413.
pub async fn csrf_protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // TODO: let safe methods through (`Method::is_safe`); refuse a foreign origin.
    // TODO: find the token: the `x-csrf-token` header, or, for a form body only, its
    // `csrf_token` field. Reading the body consumes it: read it with `to_bytes(body,
    // MAX_FORM_BYTES)` (an error is a 413), then rebuild the request from its parts and
    // those bytes for `next.run`. Any other body needs the header.
    // TODO: the token must be the one of the session cookie (`session_id`).
    todo!("guard a {} request: origin, then token", request.method())
}

/// `POST /login` (form `username`): signs the user in on a **new** session id (the old
/// session, if any, is removed), sets its cookie ([`session_cookie`]) and answers 303 to `/`.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<Login>,
) -> Response {
    // TODO: a new id (`new_session_id`) signed in as `form.username`, the request's old
    // session removed; answer `Redirect::to("/")` with a `set-cookie` header.
    todo!("sign {} in on a new session id", form.username)
}

/// A refusal: 403, `text/plain`, `message` as the body.
pub fn forbidden(message: &'static str) -> Response {
    (StatusCode::FORBIDDEN, message).into_response()
}

/// The value of the `session` cookie of the request, if it sent one.
pub fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().split_once('='))
        .find_map(|(name, value)| (name == SESSION_COOKIE).then(|| value.to_owned()))
}

/// A new session id: 128 random bits as 32 lowercase hex digits.
pub fn new_session_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// The routes, given:
///
/// - `GET /`: the page, whose login and transfer forms carry the session's token in a hidden
///   `csrf_token` field; a request without a known session gets a new one, and its cookie;
/// - `POST /login`: [`login`]; `GET /me`: `{"user":"ada"}`, or `{"user":null}`;
/// - `POST /transfer` (form `to`, `amount`): records the transfer, 303 to `/`;
/// - `POST /api/transfers` (JSON `{"to","amount"}`): records it, 201 with it;
/// - `GET /transfers`: the user's transfers, as JSON; `DELETE /transfers`: forgets them, 204;
/// - the last four: 401 to a session not signed in.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/login", post(login))
        .route("/me", get(me))
        .route("/transfer", post(transfer_form))
        .route("/api/transfers", post(transfer_json))
        .route("/transfers", get(list).delete(clear))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().expect("no panic while holding the lock")
}

async fn index(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let known = session_id(&headers).filter(|id| lock(&state.sessions).contains_key(id));
    let id = known.clone().unwrap_or_else(new_session_id);
    let token = csrf_token(&state.secret, &id);
    let page = format!(
        r#"<!doctype html><title>bank</title>
<form method="post" action="/login"><input type="hidden" name="csrf_token" value="{token}">
<input name="username"><button>Sign in</button></form>
<form method="post" action="/transfer"><input type="hidden" name="csrf_token" value="{token}">
<input name="to"><input name="amount"><button>Send</button></form>"#
    );
    // The page holds a token: no cache may keep it.
    let mut response = ([(CACHE_CONTROL, "no-store")], Html(page)).into_response();
    if known.is_none() {
        if let Ok(cookie) = HeaderValue::from_str(&session_cookie(&id)) {
            response.headers_mut().insert(SET_COOKIE, cookie);
        }
        lock(&state.sessions).insert(id, None);
    }
    response
}

async fn me(State(state): State<AppState>, headers: HeaderMap) -> Json<serde_json::Value> {
    Json(json!({ "user": state.user(&headers).ok() }))
}

async fn transfer_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(transfer): Form<Transfer>,
) -> Result<Redirect> {
    state.record(&headers, transfer)?;
    Ok(Redirect::to("/"))
}

async fn transfer_json(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(transfer): Json<Transfer>,
) -> Result<impl IntoResponse> {
    state.record(&headers, transfer.clone())?;
    Ok((StatusCode::CREATED, Json(transfer)))
}

async fn list(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Vec<Transfer>>> {
    let user = state.user(&headers)?;
    let transfers = lock(&state.transfers).get(&user).cloned();
    Ok(Json(transfers.unwrap_or_default()))
}

async fn clear(State(state): State<AppState>, headers: HeaderMap) -> Result<StatusCode> {
    let user = state.user(&headers)?;
    lock(&state.transfers).remove(&user);
    Ok(StatusCode::NO_CONTENT)
}
