//! # Exercise 07: passwords — argon2id hashes, 409 on a duplicate, and no user enumeration
//!
//! A service that lets people sign up must keep something that lets it check their password
//! later, and that thing will leak one day: a backup in the wrong bucket, an SQL injection, a
//! laptop. So it never stores the password, nor anything fast to guess from: it stores a
//! **slow, salted hash**. A GPU computes billions of SHA-256 hashes a second, so a leaked
//! table of SHA-256 hashes gives away most passwords in hours. **Argon2id** (the winner of the
//! Password Hashing Competition, RFC 9106) is slow on purpose and *memory-hard*: every guess
//! needs `m` KiB of memory, which is what makes GPUs and custom chips expensive to attack it
//! with.
//!
//! - **Salt.** Each hash gets 16 random bytes of its own, its salt, hashed with the password.
//!   Two users with the same password then get different hashes, and an attacker must attack
//!   each hash alone: no precomputed table, no "crack one, get all". A fixed salt (or none)
//!   gives all of that back.
//! - **The PHC string.** argon2 writes the algorithm, its version, the parameters, the salt
//!   and the hash in one string: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (base64).
//!   Store it as it is, in one column. Verification reads everything it needs from it, so
//!   raising the parameters later keeps old hashes working (rehash them at the next login).
//! - **Parameters.** OWASP's Password Storage Cheat Sheet asks for argon2id with at least
//!   19 MiB of memory (`m=19456`), 2 iterations (`t=2`) and 1 lane (`p=1`): the argon2
//!   crate's defaults, and this exercise's. A hash then takes a few tens of milliseconds: cheap
//!   for one login, ruinous for a billion guesses.
//! - **Async.** Tens of milliseconds of CPU inside an `async fn` stalls every other request
//!   served by that worker thread. Hash and verify in `tokio::task::spawn_blocking`.
//!
//! **Duplicates.** `Ada@Example.com` and ` ada@example.com` are one mailbox in practice, so
//! the service normalises an email (trimmed, lowercased) before it stores or looks it up. Then
//! it must refuse a second account: *checking* first ("is there a user with this email?") and
//! inserting after is a race, as two sign-ups at the same moment both see no user. The
//! database decides instead: a `UNIQUE` constraint refuses the second insert with SQLSTATE
//! `23505` (`unique_violation`; in sqlx, `DatabaseError::is_unique_violation`), and the
//! service answers `409 Conflict`, not a 500.
//!
//! **User enumeration.** A login form that says "no such user" for one email and "wrong
//! password" for another tells anybody which emails have accounts: a list to phish or to try
//! leaked passwords on. So an unknown email and a wrong password get the *same* answer. And the
//! same *time*: a login that answers at once when the email is unknown, but spends 30 ms on
//! argon2 when it is known, tells the same thing to anyone with a stopwatch, who can average
//! thousands of tries. So when no user is found, the service still verifies the password,
//! against a dummy hash made once with the same parameters, and throws the result away.
//! (Sign-up's 409 still says that an email has an account; services that care answer "check
//! your inbox" to both. Rate limits slow down both kinds of probing.)
//!
//! How do the tests know that an unknown email still costs a verification? Not with a
//! stopwatch: on a busy two-core machine, differences of milliseconds are noise, and a timing
//! test would fail at random. Instead the app takes its password hashing as a
//! [`PasswordScheme`], a trait object; the tests wrap your [`Argon2id`] in one that records
//! every hash and verification, and check that a login for an unknown email ran one, with
//! the same parameters as a real user's hash.
//!
//! - <https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html>
//! - <https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html>
//! - <https://www.rfc-editor.org/rfc/rfc9106> (Argon2)
//! - <https://github.com/P-H-C/phc-string-format/blob/master/phc-sf-spec.md>
//! - <https://docs.rs/argon2/0.6/argon2/>
//! - <https://docs.rs/sqlx/latest/sqlx/error/trait.DatabaseError.html#method.is_unique_violation>
//!
//! The tests create this table:
//!
//! ```sql
//! CREATE TABLE users (
//!     id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
//!     email         text NOT NULL UNIQUE,
//!     password_hash text NOT NULL
//! );
//! ```
//!
//! Your task: [`Argon2id`]'s `hash` and `verify`, [`normalize_email`], the two handlers and
//! [`app`]:
//!
//! - `POST /signup` with `{"email": "...", "password": "..."}`: 201 and `{"id": 1, "email":
//!   "ada@example.com"}` (the email as stored); 422 for an email without `@` or a password
//!   shorter than 8 characters; 409 for an email that has an account.
//! - `POST /login` with the same body: 200 and the same `{"id", "email"}`, or 401 and
//!   `{"error": "wrong email or password"}`, whichever of the two is wrong.
//! - Every error is JSON, `{"error": "..."}`; [`rejected`] answers for a body that is not the
//!   JSON expected.
//!
//! Run `cargo xtask check 07_passwords` to check your work; `cargo xtask hint 07_passwords`
//! gives a hint.

use std::fmt;
use std::sync::Arc;

use argon2::password_hash::Error as HashError;
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Json, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgPool;

/// Memory per hash, in KiB: 19 MiB, OWASP's minimum for argon2id.
pub const M_COST: u32 = 19 * 1024;
/// Passes over that memory.
pub const T_COST: u32 = 2;
/// Lanes computed in parallel.
pub const P_COST: u32 = 1;

/// How the service hashes passwords and checks them. The service uses [`Argon2id`]; the tests
/// wrap it to see the work done.
pub trait PasswordScheme: Send + Sync + 'static {
    /// A PHC string for `password`, with a new random salt.
    fn hash(&self, password: &str) -> Result<String, HashError>;
    /// Whether `password` is the one `phc` was made from; `false` for a `phc` that is not a
    /// hash at all.
    fn verify(&self, password: &str, phc: &str) -> bool;
}

/// Argon2id with [`M_COST`], [`T_COST`] and [`P_COST`].
pub struct Argon2id;

impl PasswordScheme for Argon2id {
    fn hash(&self, password: &str) -> Result<String, HashError> {
        // TODO: an `Argon2` for argon2id, version 0x13 and `Params::new(M_COST, T_COST,
        // P_COST, None)`; hash with a new random salt; return the PHC string.
        todo!("hash the password with argon2id and a random salt, as a PHC string")
    }

    fn verify(&self, password: &str, phc: &str) -> bool {
        // TODO: parse the PHC string (not a PHC string: false) and verify the password with
        // the parameters and the salt it names.
        todo!("check the password against the PHC string {phc:?}")
    }
}

/// The form in which an email is stored and looked up: without surrounding whitespace, in
/// lowercase. `"  Ada@Example.COM "` is `"ada@example.com"`.
pub fn normalize_email(email: &str) -> String {
    // TODO: trimmed and lowercased.
    todo!("normalise the email {email:?}")
}

/// The body of both routes.
#[derive(Deserialize)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

// Credentials end up in logs and panic messages through `{:?}`: never the password.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// The app's state.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub passwords: Arc<dyn PasswordScheme>,
    // TODO: what a login for an unknown email needs, if anything.
}

/// The service: `POST /signup` and `POST /login` on `pool`, hashing with `passwords`.
pub fn app(pool: PgPool, passwords: Arc<dyn PasswordScheme>) -> Router {
    // TODO: the state, and a router with the two routes.
    todo!("build the router of POST /signup and POST /login")
}

/// `POST /signup`.
pub async fn signup(
    State(state): State<AppState>,
    body: Result<Json<Credentials>, JsonRejection>,
) -> Response {
    // TODO: a rejected body answers `rejected(rejection)`; validate; hash (in
    // `spawn_blocking`); insert; 201, or 409 when the UNIQUE constraint refuses the email.
    todo!("sign up a user: 201, 409, 422")
}

/// `POST /login`.
pub async fn login(
    State(state): State<AppState>,
    body: Result<Json<Credentials>, JsonRejection>,
) -> Response {
    // TODO: find the user by normalised email; verify the password (against a dummy hash
    // when there is no such user); 200, or one and the same 401 for both failures.
    todo!("log a user in: 200 or 401")
}

/// An error answer: `status` and `{"error": message}`.
pub fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// The answer for a failure whose details belong in the logs, not to the client.
pub fn internal_error() -> Response {
    error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
}

/// The answer for a body that is not `{"email": "...", "password": "..."}`.
pub fn rejected(rejection: JsonRejection) -> Response {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send a JSON body with content-type: application/json",
        ),
        JsonRejection::JsonSyntaxError(_) => error(
            StatusCode::BAD_REQUEST,
            "the body is not valid JSON: send {\"email\": \"...\", \"password\": \"...\"}",
        ),
        JsonRejection::JsonDataError(_) => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the body needs a string \"email\" and a string \"password\"",
        ),
        _ => error(
            StatusCode::BAD_REQUEST,
            "the body could not be read: send it again",
        ),
    }
}
