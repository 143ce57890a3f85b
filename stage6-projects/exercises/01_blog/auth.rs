//! Milestone 1 (with `users.rs`): who is calling.
//!
//! - **Passwords** are stored as argon2id hashes, never as they are: `Argon2::default()`
//!   (OWASP's parameters) `.hash_password(password.as_bytes())` gives a PHC string with its
//!   own random salt, and `verify_password` checks one. Hashing takes tens of milliseconds of
//!   CPU on purpose, so do it in `tokio::task::spawn_blocking`, off the threads that serve
//!   requests (stage 3, exercise 07).
//! - **Tokens** are JWTs signed with HS256 and `Config::jwt_secret`, carrying who (`sub`, the
//!   user's id as a string) and until when (`exp`, seconds since 1970, `Config::token_ttl`
//!   from now). Checking one: `Validation::new(Algorithm::HS256)` (the server picks the
//!   algorithm, never the token's header), and a `leeway` of 0, since you issue them with
//!   your own clock (stage 3, exercise 08).
//! - **The extractor.** A handler that takes an `AuthUser` only runs for a caller with a
//!   valid `Authorization: Token <jwt>`; anything else is a 401 before the handler starts.
//!   Implement axum's `FromRequestParts<AppState>` for it, and `OptionalFromRequestParts`
//!   for the routes where a token is optional: a handler taking `Option<AuthUser>` gets
//!   `None` without the header, and a 401 for a bad token.
//!
//! - <https://docs.rs/argon2/0.6/argon2/>
//! - <https://docs.rs/jsonwebtoken/11/jsonwebtoken/fn.encode.html>,
//!   <https://docs.rs/jsonwebtoken/11/jsonwebtoken/struct.Validation.html>
//! - <https://docs.rs/axum/0.8/axum/extract/trait.OptionalFromRequestParts.html>

use super::error::AppError;

/// The caller, proven by a valid token.
pub struct AuthUser {
    pub id: i64,
    /// The token as sent: `GET /api/user` hands it back.
    pub token: String,
}

// TODO: `impl FromRequestParts<AppState> for AuthUser` (rejection: `AppError`): read the
// `Authorization` header, strip `Token `, verify the JWT, and answer 401
// (`AppError::Unauthorized`) for anything missing or wrong. Then `impl
// OptionalFromRequestParts<AppState> for AuthUser`: `Ok(None)` without the header.

// TODO: a function that issues a token for a user id, and one that verifies a token and gives
// the user id back. Make the keys once (`EncodingKey::from_secret`, `DecodingKey::from_secret`)
// and keep them in `AppState`.

/// An argon2id hash of `password`, computed off the async threads.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    // TODO: `spawn_blocking` around `Argon2::default().hash_password(..)`.
    todo!("hash {} characters with argon2id", password.len())
}

/// Whether `password` is the one `hash` was made from.
pub async fn verify_password(password: String, hash: String) -> Result<bool, AppError> {
    // TODO: `spawn_blocking` around `PasswordHash::new(&hash)` and `verify_password`.
    todo!("verify {} characters against {hash}", password.len())
}
