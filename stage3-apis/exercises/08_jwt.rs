//! # Exercise 08: JWT — access tokens every server can check, refresh tokens that rotate
//!
//! After a login, a client proves who it is on each request with a **bearer token**:
//! `Authorization: Bearer <token>` (RFC 6750). A **JSON Web Token** (RFC 7519) carries its own
//! claims in three base64url parts, `header.payload.signature`: the header names the algorithm
//! (`{"alg":"HS256","typ":"JWT"}`); the payload says who (`sub`), since and until when (`iat`,
//! `exp`, seconds since 1970), from which server (`iss`) for which API (`aud`); the signature is
//! an HMAC-SHA256 of the first two parts with the server's secret. Any server with the secret
//! checks a token without a database; nobody else can make or change one. Nothing is encrypted.
//!
//! **Every bad token gets the same answer**: `401 Unauthorized` and a challenge,
//! `WWW-Authenticate: Bearer realm="…"`, with `error="invalid_token"` when a token was sent but
//! is no good (RFC 6750 §3). (403 means "I know who you are, and you may not".) Refuse a token:
//!
//! - whose signature does not match: a payload changed by hand, or another key;
//! - that has expired. Clocks differ a little between machines, so `exp` gets a **leeway**:
//!   5 s here. jsonwebtoken's default is 60 s: say what you mean;
//! - made by another issuer or for another audience, even if it shares the key;
//! - that names another **algorithm**. The server chooses it, never the token: libraries that
//!   believed the header accepted `"alg": "none"` (no signature at all), or checked an RS256
//!   token's HMAC with the public key as the secret. `Validation::new(Algorithm::HS256)` fixes
//!   it; reading the header first (`decode_header`) to pick it undoes that;
//! - that is not a JWT at all.
//!
//! **Refresh tokens.** An access token cannot be taken back before it expires, so it lives 15
//! minutes. To stay logged in, the client also gets a **refresh token**: a random string, not a
//! JWT, known to the server's store, exchanged at `POST /token/refresh` for a new pair. Each
//! works **once** (rotation). If a used one comes back, two parties hold it, the user and a
//! thief, and nobody can tell which is which: the server **revokes the whole family**, every
//! token descended from that login (RFC 9700 §4.14). A real service keeps the store in its
//! database, with a hash of each token rather than the token.
//!
//! The tests make bad tokens of their own with the app's secret. Nothing sleeps: a token that
//! expired a minute ago is expired however slow the machine, and issuing takes `now` as an
//! argument, so that a test can issue a token at any moment it likes.
//!
//! - <https://www.rfc-editor.org/rfc/rfc7519>, <https://www.rfc-editor.org/rfc/rfc8725> (JWT
//!   best practices), <https://www.rfc-editor.org/rfc/rfc6750#section-3> (the challenge)
//! - <https://www.rfc-editor.org/rfc/rfc9700#section-4.14> (refresh token rotation)
//! - <https://docs.rs/jsonwebtoken/11/jsonwebtoken/struct.Validation.html>
//!
//! Your task: the two token functions, [`RefreshTokens`], the [`AuthUser`] extractor and
//! [`AuthError`]'s answers, [`app`] and its handlers: `POST /login` (200 and a [`TokenPair`], or
//! 401), `GET /me` (200 and `{"user": "ada"}` with a valid access token) and `POST
//! /token/refresh` (a new [`TokenPair`], or 401 for an unknown, used or revoked token).
//!
//! Run `cargo xtask check 08_jwt` to check your work; `cargo xtask hint 08_jwt` gives a hint.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, Json, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::Error as JwtError;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Who makes the tokens (`iss`), and which API they are for (`aud`).
pub const ISSUER: &str = "backendlings";
pub const AUDIENCE: &str = "backendlings-api";
/// How long an access token lives.
pub const ACCESS_TTL_SECONDS: u64 = 15 * 60;
/// How far past `exp` a token is still accepted, for clocks that differ a little.
pub const LEEWAY_SECONDS: u64 = 5;
/// The realm of the challenge, `WWW-Authenticate: Bearer realm="backendlings"`.
pub const REALM: &str = "backendlings";

/// The claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub iat: u64,
    pub exp: u64,
    pub iss: String,
    pub aud: String,
}

/// The server's HS256 secret, ready to sign and to check.
pub struct Keys {
    pub encoding: EncodingKey,
    pub decoding: DecodingKey,
}

impl Keys {
    /// Keys from a secret; for HS256, 32 random bytes or more (RFC 7518 §3.2).
    pub fn new(secret: &[u8]) -> Self {
        Keys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }
}

/// An HS256 access token for `user`, issued at `now` (seconds since 1970) and expiring
/// [`ACCESS_TTL_SECONDS`] later, from [`ISSUER`] for [`AUDIENCE`].
pub fn issue_access_token(keys: &Keys, user: &str, now: u64) -> String {
    // TODO: the claims of [`Claims`], then `jsonwebtoken::encode` with an HS256 header.
    todo!("sign an HS256 access token for {user:?}, issued at {now}")
}

/// The claims of `token` if it is an HS256 token signed with `keys`, not expired (give or take
/// [`LEEWAY_SECONDS`]), from [`ISSUER`] for [`AUDIENCE`].
pub fn verify_access_token(keys: &Keys, token: &str) -> Result<Claims, JwtError> {
    // TODO: a `Validation` for HS256 only, with the leeway, the issuer, the audience and the
    // claims that must be there; then `jsonwebtoken::decode`.
    todo!("check the token's signature, algorithm, expiry, issuer and audience")
}

/// A new refresh token: 32 random bytes, base64url.
pub fn new_refresh_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// One refresh token the server has handed out.
struct Issued {
    user: String,
    /// Every token descended from one login shares the family of the first.
    family: u64,
    used: bool,
}

/// Why a refresh token was refused: never issued, its family revoked, or used once already.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    Unknown,
    Revoked,
    Reused,
}

/// The server's store of refresh tokens.
#[derive(Default)]
pub struct RefreshTokens {
    issued: HashMap<String, Issued>,
    revoked: HashSet<u64>,
    families: u64,
}

impl RefreshTokens {
    /// A refresh token for `user` that starts a new family (a login).
    pub fn start_family(&mut self, user: &str) -> String {
        // TODO: a new family, and a new token in it (`new_refresh_token`).
        todo!("start a family of refresh tokens for {user:?}")
    }

    /// Exchanges `token` for a new one of the same family: the user, and the new token. The
    /// old token is used from now on; exchanging a used token revokes its whole family.
    pub fn rotate(&mut self, token: &str) -> Result<(String, String), Refused> {
        // TODO: unknown, revoked or used tokens are refused, and a used one revokes its family;
        // otherwise mark it used and issue the next token of the same family.
        todo!("exchange a refresh token for the next one of its family")
    }
}

#[derive(Clone)]
pub struct AppState {
    pub keys: Arc<Keys>,
    pub refresh_tokens: Arc<Mutex<RefreshTokens>>,
}

/// The service, signing with `secret`.
pub fn app(secret: &[u8]) -> Router {
    // TODO: the state, and the three routes.
    todo!("build the router of POST /login, POST /token/refresh and GET /me")
}

/// The user of a request that carries a valid access token.
pub struct AuthUser(pub Claims);

/// Why a request has no user: no `Authorization: Bearer …` header at all, or a token that is
/// no good (an access token that does not verify, a refresh token that is refused).
#[derive(Debug, PartialEq, Eq)]
pub enum AuthError {
    Missing,
    InvalidToken,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AuthError> {
        // TODO: no `Authorization: Bearer <token>` header is `Missing`; a token that does not
        // verify is `InvalidToken`.
        todo!("find the user of the request's bearer token")
    }
}

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        // TODO: 401, a `WWW-Authenticate: Bearer realm="…"` challenge (with
        // `error="invalid_token"` for a bad token, RFC 6750 §3), and a JSON error body.
        todo!("answer {self:?}")
    }
}

/// The body of `POST /login`.
#[derive(Deserialize)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
}

/// The body of `POST /token/refresh`.
#[derive(Deserialize)]
pub struct RefreshForm {
    pub refresh_token: String,
}

/// The answer of a login or a refresh, as in OAuth 2.0 (RFC 6749 §5.1): `token_type` is
/// always `"Bearer"`, `expires_in` the access token's lifetime in seconds.
#[derive(Debug, Serialize, Deserialize)]
pub struct TokenPair {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: u64,
    pub refresh_token: String,
}

/// `POST /login`.
pub async fn login(
    State(state): State<AppState>,
    body: Result<Json<LoginForm>, JsonRejection>,
) -> Response {
    // TODO: a rejected body answers `rejected(rejection)`; check the password; start a family
    // of refresh tokens; answer the pair.
    todo!("log in: 200 and a token pair, or 401")
}

/// `POST /token/refresh`.
pub async fn refresh(
    State(state): State<AppState>,
    body: Result<Json<RefreshForm>, JsonRejection>,
) -> Response {
    // TODO: rotate the refresh token; 200 and a new pair, or 401 with the `invalid_token`
    // challenge.
    todo!("exchange a refresh token: 200 and a new pair, or 401")
}

/// `GET /me`.
pub async fn me(AuthUser(claims): AuthUser) -> Response {
    // TODO: the user's name, as JSON.
    todo!("answer the user of the token")
}

/// A new access token for `user`, with `refresh_token`.
fn pair(keys: &Keys, user: &str, refresh_token: String) -> TokenPair {
    TokenPair {
        access_token: issue_access_token(keys, user, jsonwebtoken::get_current_timestamp()),
        token_type: "Bearer".to_string(),
        expires_in: ACCESS_TTL_SECONDS,
        refresh_token,
    }
}

/// The users, a stand-in for exercise 07's table of argon2 hashes, so that this exercise is
/// about tokens only. Never keep passwords like this.
const USERS: [(&str, &str); 2] = [
    ("ada", "correct horse battery staple"),
    ("grace", "a ship in port is safe"),
];

/// Whether `password` is `username`'s.
pub fn check_password(username: &str, password: &str) -> bool {
    USERS.contains(&(username, password))
}

/// An error answer: `status` and `{"error": message}`.
pub fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// The answer for a body that is not the JSON a route expects.
pub fn rejected(rejection: JsonRejection) -> Response {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send a JSON body with content-type: application/json",
        ),
        JsonRejection::JsonSyntaxError(_) => error(
            StatusCode::BAD_REQUEST,
            "the body is not valid JSON: fix its syntax",
        ),
        JsonRejection::JsonDataError(_) => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "a field of the body is missing or of the wrong type: see the route's docs",
        ),
        _ => error(
            StatusCode::BAD_REQUEST,
            "the body could not be read: send it again",
        ),
    }
}
