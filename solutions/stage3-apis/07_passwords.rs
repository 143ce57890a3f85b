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
        let params = Params::new(M_COST, T_COST, P_COST, None)?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        // `hash_password` draws a new 16-byte salt from the operating system for each hash.
        Ok(argon2.hash_password(password.as_bytes())?.to_string())
    }

    fn verify(&self, password: &str, phc: &str) -> bool {
        // The algorithm, the parameters and the salt come from the PHC string itself.
        match PasswordHash::new(phc) {
            Ok(parsed) => Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    }
}

/// The form in which an email is stored and looked up: without surrounding whitespace, in
/// lowercase. `"  Ada@Example.COM "` is `"ada@example.com"`.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
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
    /// A hash of a password nobody knows, with the same parameters as every user's: what an
    /// unknown email's login verifies against, so that it costs as much as a wrong password.
    dummy_hash: Arc<str>,
}

/// The service: `POST /signup` and `POST /login` on `pool`, hashing with `passwords`.
pub fn app(pool: PgPool, passwords: Arc<dyn PasswordScheme>) -> Router {
    // Made once, at start-up; its password is thrown away, so nobody can ever match it.
    let dummy_hash = passwords
        .hash("a password that no user has, thrown away at once")
        .expect("hashing the dummy password failed: is the system's random generator available?")
        .into();
    let state = AppState {
        pool,
        passwords,
        dummy_hash,
    };
    Router::new()
        .route("/signup", post(signup))
        .route("/login", post(login))
        .with_state(state)
}

/// `POST /signup`.
pub async fn signup(
    State(state): State<AppState>,
    body: Result<Json<Credentials>, JsonRejection>,
) -> Response {
    let Json(credentials) = match body {
        Ok(body) => body,
        Err(rejection) => return rejected(rejection),
    };
    let email = normalize_email(&credentials.email);
    if !looks_like_an_email(&email) {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "email must look like name@example.com",
        );
    }
    if credentials.password.chars().count() < 8 {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "password must be at least 8 characters long",
        );
    }

    let passwords = state.passwords.clone();
    let password = credentials.password;
    let phc = match tokio::task::spawn_blocking(move || passwords.hash(&password)).await {
        Ok(Ok(phc)) => phc,
        _ => return internal_error(),
    };

    // No check first: the UNIQUE constraint decides, even between two sign-ups at once.
    let inserted: Result<i64, sqlx::Error> =
        sqlx::query_scalar("INSERT INTO users (email, password_hash) VALUES ($1, $2) RETURNING id")
            .bind(&email)
            .bind(&phc)
            .fetch_one(&state.pool)
            .await;
    match inserted {
        Ok(id) => (
            StatusCode::CREATED,
            Json(json!({ "id": id, "email": email })),
        )
            .into_response(),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => error(
            StatusCode::CONFLICT,
            "an account with this email already exists: log in instead",
        ),
        Err(_) => internal_error(),
    }
}

/// Whether `email` has something on both sides of an `@`: enough to catch a typo; only a
/// confirmation email proves that an address works.
fn looks_like_an_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => !local.is_empty() && !domain.is_empty(),
        None => false,
    }
}

/// `POST /login`.
pub async fn login(
    State(state): State<AppState>,
    body: Result<Json<Credentials>, JsonRejection>,
) -> Response {
    let Json(credentials) = match body {
        Ok(body) => body,
        Err(rejection) => return rejected(rejection),
    };
    let email = normalize_email(&credentials.email);
    let found: Option<(i64, String)> =
        match sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1")
            .bind(&email)
            .fetch_optional(&state.pool)
            .await
        {
            Ok(found) => found,
            Err(_) => return internal_error(),
        };

    // An unknown email costs one verification too, against the dummy hash.
    let (id, phc) = match found {
        Some((id, phc)) => (Some(id), phc),
        None => (None, state.dummy_hash.to_string()),
    };
    let passwords = state.passwords.clone();
    let password = credentials.password;
    let Ok(matches) = tokio::task::spawn_blocking(move || passwords.verify(&password, &phc)).await
    else {
        return internal_error();
    };
    match id {
        Some(id) if matches => {
            (StatusCode::OK, Json(json!({ "id": id, "email": email }))).into_response()
        }
        // One answer for both, so that it tells nothing about which one was wrong.
        _ => error(StatusCode::UNAUTHORIZED, "wrong email or password"),
    }
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
