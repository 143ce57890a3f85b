//! Milestone 1 (with `users`): who is calling. Passwords are kept as argon2id hashes; a
//! registered or logged-in user gets an HS256 JWT; [`AuthUser`] reads it back from
//! `Authorization: Token <jwt>`.

use std::sync::LazyLock;
use std::time::Duration;

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::config::Config;
use super::error::AppError;

/// The claims of the app's tokens: who (`sub`, the user's id) and until when (`exp`).
#[derive(Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: u64,
    exp: u64,
}

/// The keys and rules of the app's tokens, made once from the [`Config`].
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

impl Tokens {
    pub fn new(config: &Config) -> Tokens {
        // The algorithm is ours to choose: a token whose header names another one is refused.
        let mut validation = Validation::new(Algorithm::HS256);
        // We issue the tokens with our own clock, so there is no skew to forgive.
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        Tokens {
            encoding: EncodingKey::from_secret(config.jwt_secret.as_bytes()),
            decoding: DecodingKey::from_secret(config.jwt_secret.as_bytes()),
            validation,
            ttl: config.token_ttl,
        }
    }

    /// A new token for the user `user_id`, valid for the configured time.
    pub fn issue(&self, user_id: i64) -> Result<String, AppError> {
        let now = jsonwebtoken::get_current_timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            iat: now,
            exp: now + self.ttl.as_secs(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AppError::Internal(format!("signing a token: {e}")))
    }

    /// The user id in `token`, if it is one of ours and has not expired.
    fn verify(&self, token: &str) -> Option<i64> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        data.claims.sub.parse().ok()
    }
}

/// An argon2id hash of `password` (PHC string, new random salt), computed off the async
/// threads: it takes tens of milliseconds of CPU on purpose.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(format!("the hashing task failed: {e}")))?
}

/// A hash of nothing anybody knows, verified against when the email is unknown, so that a
/// login for an unknown email costs as much as a login with a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    Argon2::default()
        .hash_password(b"no user has this password")
        .expect("hashing a constant cannot fail")
        .to_string()
});

/// Whether `password` is the one `hash` was made from; with no hash (no such user), the
/// same work is done and the answer is `false`.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = PasswordHash::new(&hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        known && matches
    })
    .await
    .map_err(|e| AppError::Internal(format!("the verifying task failed: {e}")))
}

/// The caller, proven by a valid token: required where a handler takes `AuthUser`,
/// optional where it takes `Option<AuthUser>` (no header: anonymous; a bad one: still 401,
/// because a client that sends a token means to be somebody).
pub struct AuthUser {
    pub id: i64,
    /// The token as sent: the user endpoints hand it back.
    pub token: String,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        <AuthUser as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state)
            .await?
            .ok_or(AppError::Unauthorized(
                "missing token: send Authorization: Token <jwt>",
            ))
    }
}

impl OptionalFromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, AppError> {
        let Some(header) = parts.headers.get(AUTHORIZATION) else {
            return Ok(None);
        };
        let token = header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Token "))
            .map(str::trim)
            .ok_or(AppError::Unauthorized(
                "malformed Authorization header: send Token <jwt>",
            ))?;
        let id = state.tokens.verify(token).ok_or(AppError::Unauthorized(
            "invalid or expired token: log in again",
        ))?;
        // A valid token of a user who no longer exists (a database reset) is nobody.
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)")
            .bind(id)
            .fetch_one(&state.pool)
            .await?;
        if !exists {
            return Err(AppError::Unauthorized("unknown user: log in again"));
        }
        Ok(Some(AuthUser {
            id,
            token: token.to_string(),
        }))
    }
}
