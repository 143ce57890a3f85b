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
    let state = AppState::new(origin, secret);
    // `layer`, not `route_layer`: every request goes through the guard, even to a path or a
    // method no route takes.
    routes()
        .layer(middleware::from_fn_with_state(state.clone(), csrf_protect))
        .with_state(state)
}

/// The `Set-Cookie` value for session `id`: `session=<id>; HttpOnly; Secure; SameSite=Lax; Path=/`.
pub fn session_cookie(id: &str) -> String {
    format!("{SESSION_COOKIE}={id}; HttpOnly; Secure; SameSite=Lax; Path=/")
}

/// The CSRF token of a session: HMAC-SHA256 of `session_id` under `secret`, 64 lowercase hex
/// digits.
pub fn csrf_token(secret: &[u8], session_id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(session_id.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Whether `token` is the token of `session_id` under `secret`, compared in constant time.
pub fn token_is_valid(secret: &[u8], session_id: &str, token: &str) -> bool {
    let expected = csrf_token(secret, session_id);
    expected.as_bytes().ct_eq(token.as_bytes()).into()
}

/// Whether a request with these headers comes from `origin`: `Origin` equal to it, or, when
/// there is no `Origin`, a `Referer` that is `origin` or starts with `origin/`. A request with
/// neither is allowed (not a browser's: the token decides). `null`, a foreign origin and a
/// value that is not text are refused.
pub fn origin_is_allowed(headers: &HeaderMap, origin: &str) -> bool {
    if let Some(value) = headers.get(ORIGIN) {
        return value.to_str().is_ok_and(|sent| sent == origin);
    }
    if let Some(value) = headers.get(REFERER) {
        return value.to_str().is_ok_and(|referer| {
            referer == origin
                || referer
                    .strip_prefix(origin)
                    .is_some_and(|rest| rest.starts_with('/'))
        });
    }
    true
}

/// The guard. Safe methods pass. Any other request, whatever its body, needs an allowed
/// origin ([`origin_is_allowed`], else 403 [`CROSS_ORIGIN`]) and the token of its session
/// cookie ([`token_is_valid`], else 403 [`BAD_TOKEN`]), taken from the [`CSRF_HEADER`] header
/// or, for a form body (`application/x-www-form-urlencoded`), from its [`CSRF_FIELD`] field;
/// never from the query string. A form body over [`MAX_FORM_BYTES`] is answered 413.
pub async fn csrf_protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method().is_safe() {
        return next.run(request).await;
    }
    if !origin_is_allowed(request.headers(), &state.origin) {
        return forbidden(CROSS_ORIGIN);
    }
    let session = session_id(request.headers());
    let (request, token) = match submitted_token(request).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match (session, token) {
        (Some(session), Some(token)) if token_is_valid(&state.secret, &session, &token) => {
            next.run(request).await
        }
        _ => forbidden(BAD_TOKEN),
    }
}

/// The token a request carries, from its header or from its form body, with the request put
/// back together for the handler (a body can be read only once).
async fn submitted_token(request: Request) -> Result<(Request, Option<String>), Response> {
    if let Some(value) = request.headers().get(CSRF_HEADER) {
        let token = value.to_str().ok().map(str::to_owned);
        return Ok((request, token));
    }
    if !is_form(request.headers()) {
        return Ok((request, None));
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, "form body too large").into_response())?;
    let copy = Request::from_parts(parts.clone(), Body::from(bytes.clone()));
    let token = Form::<Vec<(String, String)>>::from_request(copy, &())
        .await
        .ok()
        .and_then(|Form(fields)| {
            fields
                .into_iter()
                .find_map(|(name, value)| (name == CSRF_FIELD).then_some(value))
        });
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

/// Whether the body is a URL-encoded form (`; charset=…` allowed).
fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| {
            media
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// `POST /login` (form `username`): signs the user in on a **new** session id (the old
/// session, if any, is removed), sets its cookie ([`session_cookie`]) and answers 303 to `/`.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<Login>,
) -> Response {
    let id = new_session_id();
    {
        let mut sessions = lock(&state.sessions);
        // The old id may have been planted: it must not stay signed in, nor stay at all.
        if let Some(old) = session_id(&headers) {
            sessions.remove(&old);
        }
        sessions.insert(id.clone(), Some(form.username));
    }
    ([(SET_COOKIE, session_cookie(&id))], Redirect::to("/")).into_response()
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
