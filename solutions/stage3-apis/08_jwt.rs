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
    let claims = Claims {
        sub: user.to_string(),
        iat: now,
        exp: now + ACCESS_TTL_SECONDS,
        iss: ISSUER.to_string(),
        aud: AUDIENCE.to_string(),
    };
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &keys.encoding)
        .expect("HS256 signing with a secret key cannot fail")
}

/// The claims of `token` if it is an HS256 token signed with `keys`, not expired (give or take
/// [`LEEWAY_SECONDS`]), from [`ISSUER`] for [`AUDIENCE`].
pub fn verify_access_token(keys: &Keys, token: &str) -> Result<Claims, JwtError> {
    // The algorithm is the server's choice; a token that names another one is refused.
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = LEEWAY_SECONDS;
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[AUDIENCE]);
    validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
    Ok(jsonwebtoken::decode::<Claims>(token, &keys.decoding, &validation)?.claims)
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
        self.families += 1;
        let family = self.families;
        self.add(user, family)
    }

    /// Exchanges `token` for a new one of the same family: the user, and the new token. The
    /// old token is used from now on; exchanging a used token revokes its whole family.
    pub fn rotate(&mut self, token: &str) -> Result<(String, String), Refused> {
        let issued = self.issued.get_mut(token).ok_or(Refused::Unknown)?;
        if self.revoked.contains(&issued.family) {
            return Err(Refused::Revoked);
        }
        if issued.used {
            // Two parties hold this token: nobody can tell which is the thief.
            self.revoked.insert(issued.family);
            return Err(Refused::Reused);
        }
        issued.used = true;
        let (user, family) = (issued.user.clone(), issued.family);
        let next = self.add(&user, family);
        Ok((user, next))
    }

    fn add(&mut self, user: &str, family: u64) -> String {
        let token = new_refresh_token();
        self.issued.insert(
            token.clone(),
            Issued {
                user: user.to_string(),
                family,
                used: false,
            },
        );
        token
    }
}

#[derive(Clone)]
pub struct AppState {
    pub keys: Arc<Keys>,
    pub refresh_tokens: Arc<Mutex<RefreshTokens>>,
}

/// The service, signing with `secret`.
pub fn app(secret: &[u8]) -> Router {
    let state = AppState {
        keys: Arc::new(Keys::new(secret)),
        refresh_tokens: Arc::new(Mutex::new(RefreshTokens::default())),
    };
    Router::new()
        .route("/login", post(login))
        .route("/token/refresh", post(refresh))
        .route("/me", get(me))
        .with_state(state)
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
        let header = parts.headers.get(AUTHORIZATION).ok_or(AuthError::Missing)?;
        let token = header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or(AuthError::Missing)?;
        let claims =
            verify_access_token(&state.keys, token.trim()).map_err(|_| AuthError::InvalidToken)?;
        Ok(AuthUser(claims))
    }
}

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        // RFC 6750 §3: no error code when no credentials were sent, `invalid_token` for a
        // token that is no good; always 401 with the challenge.
        let (challenge, message) = match self {
            AuthError::Missing => (
                format!("Bearer realm=\"{REALM}\""),
                "log in first: send Authorization: Bearer <access token>",
            ),
            AuthError::InvalidToken => (
                format!("Bearer realm=\"{REALM}\", error=\"invalid_token\""),
                "the token is invalid or expired: refresh it or log in again",
            ),
        };
        let mut response = error(StatusCode::UNAUTHORIZED, message);
        response.headers_mut().insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_str(&challenge).expect("the challenge is visible ASCII"),
        );
        response
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
    let Json(form) = match body {
        Ok(body) => body,
        Err(rejection) => return rejected(rejection),
    };
    if !check_password(&form.username, &form.password) {
        return error(StatusCode::UNAUTHORIZED, "wrong username or password");
    }
    let refresh_token = state
        .refresh_tokens
        .lock()
        .unwrap()
        .start_family(&form.username);
    Json(pair(&state.keys, &form.username, refresh_token)).into_response()
}

/// `POST /token/refresh`.
pub async fn refresh(
    State(state): State<AppState>,
    body: Result<Json<RefreshForm>, JsonRejection>,
) -> Response {
    let Json(form) = match body {
        Ok(body) => body,
        Err(rejection) => return rejected(rejection),
    };
    // One lock for the check and the update: two exchanges of one token cannot both win.
    let rotated = state
        .refresh_tokens
        .lock()
        .unwrap()
        .rotate(&form.refresh_token);
    match rotated {
        Ok((user, refresh_token)) => Json(pair(&state.keys, &user, refresh_token)).into_response(),
        Err(_) => AuthError::InvalidToken.into_response(),
    }
}

/// `GET /me`.
pub async fn me(AuthUser(claims): AuthUser) -> Response {
    Json(json!({ "user": claims.sub })).into_response()
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
