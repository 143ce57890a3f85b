//! # Exercise 09: "Log in with …" — the OAuth2 authorization code flow with PKCE
//!
//! "Log in with GitHub" is OAuth2 (RFC 6749): your app (the *client*) never sees the user's
//! password; the *provider* (the authorization server) checks who the user is, and gives your
//! app a short-lived *code* that it trades, server to server, for an *access token*, which
//! reads the user's profile. The flow, for one browser:
//!
//! 1. `GET /login` on your app answers `303` to the provider's authorize URL, with
//!    `response_type=code`, your `client_id`, your `redirect_uri` (registered at the provider,
//!    compared exactly), the `scope` you ask for, a random `state`, and a PKCE
//!    `code_challenge` with `code_challenge_method=S256`.
//! 2. The user signs in at the provider and agrees; the provider answers `303` back to your
//!    `redirect_uri` with `?code=…&state=…`, or `?error=access_denied&state=…` if they refused.
//! 3. `GET /callback` checks `state`, then POSTs the code to the provider's token endpoint
//!    (a form: `grant_type=authorization_code`, `code`, `redirect_uri`, `code_verifier`; the
//!    client authenticates with HTTP Basic, `client_id:client_secret`) and gets
//!    `{"access_token": "…", "token_type": "Bearer", …}`, or a 400 with
//!    `{"error": "invalid_grant"}` when the code is unknown, already used or expired.
//! 4. With the token, it reads the user's profile (`GET /userinfo`, `Authorization: Bearer …`),
//!    finds or creates the user, starts a session (a cookie) and sends the browser on.
//!
//! **`state` stops login CSRF.** Without it, an attacker signs in at the provider as
//! themselves, stops before their own callback, and makes your browser open it: you are now
//! logged in to the attacker's account, and what you type (a card number) is theirs. So
//! `state` is random, bound to the browser that began the login (a cookie, or a server-side
//! record found through one), checked before anything else, and used once: forget it on the
//! server, since a double click sends the callback twice with the same cookie, and a provider
//! that sees a code twice refuses it and revokes the tokens it gave for it.
//!
//! **PKCE (RFC 7636) stops a stolen code.** A code travels in a URL: it lands in logs, in
//! history, in a malicious app that registered the same redirect scheme. With PKCE the client
//! makes a random *verifier* (43–128 characters), sends only its hash in step 1
//! (`code_challenge = BASE64URL(SHA-256(verifier))`, no padding: method `S256`; the method
//! `plain` sends the verifier itself and protects nothing once the URL leaks), and the verifier
//! in step 3: a code is useless without it. The OAuth 2.0 Security Best Current Practice
//! (RFC 9700) asks every client to use PKCE, confidential ones too.
//!
//! **Who is the user?** The provider's `sub` (subject) is its stable identifier for the user;
//! find your user by it (with the provider's name, in production: `(issuer, sub)`, a unique
//! constraint and an upsert), never by email: an email changes hands, and linking accounts
//! by an address an attacker can set at some provider is an account takeover. The same
//! subject logging in again is the same user; refresh the name and email you keep.
//!
//! **Cookies.** Both cookies here are `HttpOnly` (no script reads them) and `SameSite=Lax`:
//! the browser sends a `Lax` cookie on the top-level redirect back from the provider, which a
//! `Strict` one would lose (and with it, the login). In production add `Secure`.
//!
//! **What a library does for you.** The `oauth2` crate builds the same requests: a
//! `BasicClient` with `set_auth_uri`/`set_token_uri`/`set_redirect_uri`,
//! `PkceCodeChallenge::new_random_sha256()` for the pair, `authorize_url(CsrfToken::new_random)`
//! with `add_scope` and `set_pkce_challenge` for step 1, `exchange_code(code)` with
//! `set_pkce_verifier` for step 3, and typed errors for the provider's refusals. It does not
//! check `state` for you, nor keep the verifier, nor create users: that part is always yours.
//! OpenID Connect adds a signed `id_token` to step 3 (the `openidconnect` crate checks it).
//!
//! - <https://www.rfc-editor.org/rfc/rfc6749#section-4.1> (the flow, its errors in 4.1.2.1 and 5.2)
//! - <https://www.rfc-editor.org/rfc/rfc7636> (PKCE)
//! - <https://www.rfc-editor.org/rfc/rfc9700> (OAuth 2.0 Security Best Current Practice)
//! - <https://docs.rs/oauth2/latest/oauth2/>
//! - <https://developer.mozilla.org/en-US/docs/Web/HTTP/Cookies#controlling_third-party_cookies_with_samesite>
//!
//! Your task: `random_token`, `pkce_challenge`, and the three handlers of the app, with their
//! helpers. Every error answers JSON `{"error": "…"}` (see [`error`]), never a 500.
//!
//! Run `cargo xtask check 09_oauth2` to check your work; `cargo xtask hint 09_oauth2` gives a
//! hint.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// What the app asks the provider for.
pub const SCOPE: &str = "profile email";
/// The cookie that binds a login in progress to the browser that began it.
pub const LOGIN_COOKIE: &str = "login";
/// The cookie that carries a session once the user is logged in.
pub const SESSION_COOKIE: &str = "session";

/// The app's registration at the provider, and where the provider's endpoints are.
#[derive(Debug, Clone)]
pub struct Config {
    pub client_id: String,
    pub client_secret: String,
    /// The provider's page that the browser is sent to (step 1).
    pub authorize_url: String,
    /// The provider's endpoint that trades a code for a token (step 3).
    pub token_url: String,
    /// The provider's endpoint that tells who the token's user is (step 4).
    pub userinfo_url: String,
    /// This app's `/callback`, as registered at the provider: `http://127.0.0.1:PORT/callback`.
    pub redirect_uri: String,
}

/// A user of this app, created at their first login.
#[derive(Debug, Clone)]
pub struct User {
    /// 1, 2, 3… in the order users first log in.
    pub id: i64,
    /// The provider's identifier of the user (`sub`): the one thing that never changes.
    pub subject: String,
    pub name: String,
    pub email: String,
}

/// Everything the app remembers, in memory.
#[derive(Debug, Default)]
pub struct Store {
    /// Logins begun and not yet finished: `state` → the PKCE verifier of that login.
    pub pending: HashMap<String, String>,
    /// Every user, `users[i].id == i + 1`.
    pub users: Vec<User>,
    /// Sessions: the session cookie's value → the user's id.
    pub sessions: HashMap<String, i64>,
}

/// The handlers' state.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    /// The client for the provider's endpoints.
    pub http: reqwest::Client,
    pub store: Arc<Mutex<Store>>,
}

/// The app: `GET /login`, `GET /callback`, `GET /me`.
pub fn app(config: Config) -> Router {
    let http = reqwest::Client::builder()
        // A provider that hangs must not hang the login: give up, and answer 502.
        .timeout(Duration::from_secs(10))
        // The tests' provider is on loopback; a proxy from the environment must not stand
        // between them (a deployed service keeps its proxy settings).
        .no_proxy()
        .build()
        .expect("a client with no TLS and no proxy always builds");
    let state = AppState {
        config: Arc::new(config),
        http,
        store: Arc::default(),
    };
    Router::new()
        .route("/login", get(login))
        .route("/callback", get(callback))
        .route("/me", get(me))
        .with_state(state)
}

/// 32 random bytes from a cryptographically secure generator, base64url without padding:
/// 43 characters of `A–Z a–z 0–9 - _`. Good for a `state`, a PKCE verifier, a session id.
pub fn random_token() -> String {
    // TODO: 32 random bytes (`rand::random`), base64url-encoded without padding.
    todo!("make 43 unguessable characters")
}

/// The PKCE `S256` challenge of `verifier`: `BASE64URL(SHA-256(verifier))`, without padding.
pub fn pkce_challenge(verifier: &str) -> String {
    // TODO: hash the verifier's bytes with SHA-256, encode the hash base64url, no padding.
    todo!("the S256 challenge of {verifier:?}")
}

/// `GET /login`: begins a login.
///
/// Answers `303 See Other` to `authorize_url` with the query `response_type=code`,
/// `client_id`, `redirect_uri`, `scope` ([`SCOPE`]), a new random `state`, `code_challenge`
/// (of a new random verifier) and `code_challenge_method=S256`; remembers the verifier, and
/// binds the state to this browser with an `HttpOnly; SameSite=Lax` cookie.
async fn login(State(app): State<AppState>) -> Response {
    // TODO: a new state and verifier; the authorize URL with its seven parameters (let
    // `reqwest::Url` encode them); remember the verifier; a 303 with the login cookie.
    todo!("send the browser to the provider")
}

/// The query the provider sends the browser back with. Every field is optional, so that a
/// callback missing one gets this app's answer rather than axum's.
#[derive(Debug, Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /callback?code=…&state=…`: finishes a login.
///
/// - the provider said no (`?error=access_denied…`): 403, `the provider refused the login
///   (access_denied): start again at /login`;
/// - no `code` or no `state`: 400, `the callback needs code and state: start again at /login`;
/// - a `state` that is not the one this browser was given, or was used already: 403, `state
///   does not match this browser's login: start again at /login`; the code is not sent to
///   the provider;
/// - the provider refuses the code (`{"error":"invalid_grant"}`): 400, `the provider refused
///   the code (invalid_grant): start again at /login`;
/// - the provider does not answer, or not as it should: 502, `the provider did not answer: try
///   again later`;
/// - otherwise: the user is found by subject (or created), a session begins (an `HttpOnly;
///   SameSite=Lax` cookie), and the answer is `303 See Other` to `/me`.
///
/// Whatever happens, a state is good for one callback only.
async fn callback(
    State(app): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Response {
    // TODO: in this order: the provider's error; a missing code or state; the state against
    // this browser's (used once); the code for a token, the token for a profile; the user; a
    // session cookie and a 303 to /me.
    todo!("finish the login")
}

/// `GET /me`: the logged-in user, `{"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"}`;
/// 401 `not logged in: start at /login` without a session.
async fn me(State(app): State<AppState>, headers: HeaderMap) -> Response {
    // TODO: the session cookie → the user id → the user, or 401.
    todo!("answer who is logged in")
}

/// Why the provider gave no token or no profile.
#[derive(Debug)]
enum ProviderError {
    /// It answered with an OAuth error code (`invalid_grant`, …).
    Refused(String),
    /// It did not answer, or not with what it should have.
    Unavailable,
}

/// The token endpoint's answer, success or failure; only the fields this app reads.
#[derive(Debug, Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    error: Option<String>,
}

/// The provider's userinfo answer.
#[derive(Debug, Deserialize)]
struct Profile {
    sub: String,
    name: String,
    email: String,
}

/// Trades `code` for an access token at the provider's token endpoint (step 3).
async fn exchange_code(
    app: &AppState,
    code: &str,
    verifier: &str,
) -> Result<String, ProviderError> {
    // TODO: POST the form to `token_url` with HTTP Basic auth; a 4xx with an `error` is
    // `Refused`, a network error or anything unexpected is `Unavailable`.
    todo!("trade the code for an access token")
}

/// Reads who the token's user is (step 4).
async fn fetch_profile(app: &AppState, token: &str) -> Result<Profile, ProviderError> {
    // TODO: GET `userinfo_url` with the bearer token; any failure is `Unavailable`.
    todo!("read the user's profile")
}

/// The id of the user with this profile's subject, created if it logs in for the first time;
/// the name and email kept are the provider's latest.
fn user_for(store: &mut Store, profile: Profile) -> i64 {
    // TODO: find the user by `sub` (refresh name and email), or add one with the next id.
    todo!("the user of subject {}", profile.sub)
}

/// An error answer: `status` and `{"error": message}`.
pub fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

/// The value of cookie `name` in the request's `Cookie` headers, if the browser sent it.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}
