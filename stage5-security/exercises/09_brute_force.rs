//! # Exercise 09: brute force — throttled logins, one answer for every failure
//!
//! A login form is an oracle: each answer tells whether a guess was right. Left open, it is
//! asked millions of times: **credential stuffing** (pairs leaked from another site, tried
//! against every account), **password spraying** (`Summer2024!` against every user, a few
//! tries each, to stay under per-account limits) and plain guessing. Argon2 makes each guess
//! expensive offline; online, the server must stop answering. The defences:
//!
//! - **Throttle per account and per client IP.** After [`MAX_FAILURES`] failures within
//!   [`WINDOW`], further attempts are refused with `429 Too Many Requests` and a
//!   `Retry-After` header (seconds until the window ends, rounded up) *before* any password is
//!   checked. Per IP alone, an attacker rotating through a botnet's addresses goes on
//!   guessing one account; per account alone, one address sprays every account. A window of
//!   a fixed length starts at its first failure; once it is over, the count starts again.
//! - **A throttled right password is refused too.** Otherwise the answer to the 6th attempt,
//!   429 or 200, would still be an oracle.
//! - **Failures for unknown usernames count**, under that name: a sprayer tries names that
//!   do not exist as well, and the throttle must not tell them apart either.
//! - **No user enumeration.** An unknown user and a wrong password get the *same* status and
//!   body, and cost the same work: for an unknown user the password is verified against a
//!   dummy hash made with the same parameters, whose result is ignored. Otherwise the time of
//!   the answer (a few ms instead of argon2's tens) says that the user does not exist.
//! - **A success resets the account's count** (a user who mistyped twice starts afresh);
//!   the IP's count is kept, or an attacker with one account of their own would log into it
//!   between guesses to wipe their address's record.
//! - **Secrets compared in constant time.** `==` on strings stops at the first differing
//!   byte, so how long a refusal takes tells how much of a guessed API key was right;
//!   `subtle`'s `ct_eq` takes the same time whatever the bytes.
//!
//! Per-account throttling lets anyone lock a user out for a window: that is why it is a
//! short window, not a permanent lock. Production adds what this exercise leaves out: the
//! throttle in Redis shared by all instances, counting an attempt *before* verifying (a burst
//! of parallel guesses here passes the check together), IPv6 addresses counted per /64, the
//! client's address taken from the trusted proxy's `X-Forwarded-For` only, a CAPTCHA or an
//! email to the user after repeated failures, and multi-factor authentication.
//!
//! - <https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#protect-against-automated-attacks>
//! - <https://docs.rs/argon2/0.6.0/argon2/>, <https://docs.rs/subtle/2.6.1/subtle/trait.ConstantTimeEq.html>
//! - <https://docs.rs/tokio/1/tokio/time/struct.Instant.html>,
//!   <https://docs.rs/axum/0.8.9/axum/extract/struct.ConnectInfo.html>
//!
//! Your task: the [`Limiter`], [`login`] and [`check_api_key`]. The clock is
//! `tokio::time::Instant`, never `std`'s, so that the tests can move it.
//!
//! Run `cargo xtask check 09_brute_force` to check your work; `cargo xtask hint
//! 09_brute_force` gives a hint.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use axum::Router;
use axum::extract::{ConnectInfo, Json, State};
use axum::http::StatusCode;
use axum::http::header::RETRY_AFTER;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::json;
use subtle::ConstantTimeEq;
use tokio::time::Instant;

/// Failures allowed per account and per IP within a window; the next attempt is refused.
pub const MAX_FAILURES: u32 = 5;
/// How long a window lasts, from its first failure.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// The body of every 401: the same for an unknown user and a wrong password.
pub const INVALID: &str = "invalid username or password";
/// The body of every 429.
pub const THROTTLED: &str = "too many failed attempts: try again later";

/// How the service hashes passwords and checks them. The service uses [`Argon2id`]; the tests
/// wrap it to count the work done.
pub trait PasswordScheme: Send + Sync + 'static {
    /// A PHC string for `password`, with a new random salt.
    fn hash(&self, password: &str) -> String;
    /// Whether `password` is the one `phc` was made from; `false` for a `phc` that is not one.
    fn verify(&self, password: &str, phc: &str) -> bool;
}

/// Argon2id with the crate's defaults (19 MiB, 2 passes, 1 lane: OWASP's minimum).
pub struct Argon2id;

impl PasswordScheme for Argon2id {
    fn hash(&self, password: &str) -> String {
        Argon2::default()
            .hash_password(password.as_bytes())
            .expect("argon2 with its default parameters hashes any password")
            .to_string()
    }

    fn verify(&self, password: &str, phc: &str) -> bool {
        PasswordHash::new(phc).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    }
}

/// What a failure counts against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    /// A username as it was typed, whether the account exists or not.
    Account(String),
    /// The address the request came from.
    Ip(IpAddr),
}

/// The failures of one key in its current window.
struct Window {
    started: Instant,
    failures: u32,
}

/// Counts failures per [`Key`] in windows of [`WINDOW`], on tokio's clock.
#[derive(Default)]
pub struct Limiter {
    windows: Mutex<HashMap<Key, Window>>,
}

impl Limiter {
    /// `Ok(())` if an attempt may go on; `Err(retry_after)` if one of `keys` has
    /// [`MAX_FAILURES`] failures in a window that is not over, `retry_after` being the time
    /// until the last of those windows ends.
    pub fn check(&self, keys: &[Key]) -> Result<(), Duration> {
        // TODO: for each key with a window that is not over (`Instant::now()`, tokio's) and
        // has `MAX_FAILURES` failures: the time left until it ends. The longest wins.
        todo!("say whether an attempt of {keys:?} may go on")
    }

    /// Records a failure against each of `keys`: a key whose window is over (or that has none)
    /// starts a new one.
    pub fn fail(&self, keys: &[Key]) {
        // TODO: a key with no window, or whose window is over, starts one now; then count one
        // failure. Expired windows may be dropped so that the map cannot grow forever.
        todo!("count a failure against {keys:?}")
    }

    /// Forgets the failures of `key`.
    pub fn reset(&self, key: &Key) {
        // TODO: forget the key's window.
        todo!("forget the failures of {key:?}")
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Key, Window>> {
        self.windows
            .lock()
            .expect("no panic while holding the lock")
    }
}

/// Whether `given` is `expected`, in time that does not depend on where they differ. An empty
/// `expected` matches nothing: a key left unset must not open the door to an empty one.
pub fn check_api_key(expected: &str, given: &str) -> bool {
    // TODO: `ct_eq` (subtle) on the bytes, never `==`; an empty `expected` is false.
    todo!("compare the API keys in constant time")
}

/// What a login sends.
#[derive(Deserialize)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// The app's state.
#[derive(Clone)]
pub struct AppState {
    /// Username → PHC string.
    pub users: Arc<HashMap<String, String>>,
    pub passwords: Arc<dyn PasswordScheme>,
    /// A hash of a password nobody knows, with the parameters of every user's, for the
    /// logins of unknown users.
    pub dummy_hash: Arc<str>,
    pub limiter: Arc<Limiter>,
}

/// `POST /login` for `users` (username, password), hashing with `passwords`. Serve it with
/// `into_make_service_with_connect_info::<SocketAddr>()`: [`login`] needs the client's address.
pub fn app(users: &[(&str, &str)], passwords: Arc<dyn PasswordScheme>) -> Router {
    let users = users
        .iter()
        .map(|(name, password)| (name.to_string(), passwords.hash(password)))
        .collect();
    let dummy_hash = passwords
        .hash(&format!("nobody's password {}", rand::random::<u128>()))
        .into();
    let state = AppState {
        users: Arc::new(users),
        passwords,
        dummy_hash,
        limiter: Arc::default(),
    };
    Router::new().route("/login", post(login)).with_state(state)
}

/// `POST /login` with `{"username","password"}`: `200 {"user": name}` for the right
/// password; `401 {"error": INVALID}` for an unknown user or a wrong password, each counted
/// as a failure of the account and of the client's IP; `429 {"error": THROTTLED}` with
/// `Retry-After` while either is throttled, before any password is verified. One
/// verification per attempt that is not throttled, known user or not. A body that is not
/// such JSON is `Json`'s rejection (400, 415 or 422), and no attempt.
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Json(credentials): Json<Credentials>,
) -> Response {
    // TODO: the two keys: the account as typed, the client's IP (`peer.ip()`). Throttled
    // (`state.limiter.check`): 429 THROTTLED with `Retry-After`, seconds rounded up, and no
    // verification at all.
    // TODO: verify the password against the user's hash, or against `state.dummy_hash` for
    // an unknown user (the same work; its result counts for nothing): exactly one
    // `state.passwords.verify` per attempt, best inside `tokio::task::spawn_blocking`.
    // TODO: a known user with the right password: reset the account (not the IP), 200
    // `{"user": name}`. Anything else: a failure for both keys, 401 INVALID.
    todo!("log {} in from {peer}, or refuse", credentials.username)
}

/// `{"error": message}` with `status`.
pub fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}
