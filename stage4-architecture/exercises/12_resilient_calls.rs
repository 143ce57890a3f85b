//! # Exercise 12: resilient calls — timeouts, retries with jitter, a circuit breaker
//!
//! In a system of services, `orders` calls `prices` over the network, and the network fails
//! in three ways: the answer never comes (a hung server, a lost packet), the connection is
//! refused (the service is down or restarting), or the service answers an error (`503 Service
//! Unavailable` while it is overloaded). A client that ignores this turns one sick service
//! into a sick system: its requests pile up waiting, their callers wait on them, and so on.
//! Three small mechanisms, used together by every serious client (Envoy, Finagle, resilience4j,
//! the AWS SDKs), keep a failure local.
//!
//! **1. A timeout on every attempt.** Without one a hung `prices` holds the caller forever.
//! Wrap each attempt in `tokio::time::timeout(policy.timeout, …)`; when it fires the attempt
//! has failed with [`CallError::Timeout`] (the future is dropped, which cancels the request).
//!
//! **2. Retries, but only where they can help, and not all at once.** A retry is worth it for
//! a *transient* failure: a timeout, a refused connection, `502`, `503`, `504`. It is useless
//! and wrong for an answer that will not change: `400 Bad Request` and `404 Not Found` will be
//! the same the second time (and `500` usually means a bug, not a blip). And only an
//! *idempotent* request may be retried: a `GET` twice is harmless, a `POST /orders` sent twice
//! (the first one may have worked, only its answer was lost) charges the customer twice. The
//! number of attempts is bounded by `policy.max_attempts` (the first call included), or a dead
//! service is called forever. Between attempts the client waits, longer each time —
//! *exponential backoff*, a ceiling of `min(cap, base × 2^attempt)` for the wait after
//! attempt number `attempt` (0 for the first) — and with **full jitter**: the wait is a
//! random duration between zero and that ceiling. Without jitter, the thousand clients that
//! failed together at the same instant all come back together at the same instant, again and
//! again (a "thundering herd"); the random spread is what lets the service recover.
//!
//! **3. A circuit breaker.** When `prices` is down, even well-spaced retries keep hammering it
//! and every caller still waits for its timeouts. A breaker counts *consecutive* failures
//! (a timeout, a refused connection, any `5xx`; a success resets the count). At
//! `failure_threshold` it **opens**: every call fails at once with [`CallError::CircuitOpen`]
//! without touching the network. After `cool_down` it is **half-open**: exactly ONE trial call
//! is let through (the others still fail fast — a sick service must not get the whole flood
//! back at once). The trial's success **closes** the breaker; its failure **opens** it again
//! for another cool-down. A `4xx` answer is not a failure of the service: it answered, so for
//! the breaker it counts as a success.
//!
//! Time here is `tokio::time::Instant`, not `std`: the tests run on tokio's paused clock and
//! move time forward themselves, so every delay is checked exactly and instantly.
//!
//! - <https://docs.rs/tokio/1/tokio/time/fn.timeout.html>, <https://docs.rs/tokio/1/tokio/time/struct.Instant.html>
//! - <https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/> (full jitter)
//! - <https://martinfowler.com/bliki/CircuitBreaker.html>
//! - <https://www.rfc-editor.org/rfc/rfc9110#name-idempotent-methods>
//! - <https://docs.rs/rand/0.9/rand/trait.Rng.html#method.random_range>

use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::time::Instant;

/// Why one call (or one attempt) failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// No answer within `policy.timeout`.
    Timeout,
    /// The connection could not be made (refused, unreachable).
    Connect,
    /// The service answered with this non-2xx status.
    Status(u16),
    /// The breaker is open: the call was not sent.
    CircuitOpen,
}

/// One request to the prices service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The path, e.g. `/prices/42`.
    pub path: String,
    /// `true` for a request that may safely be sent twice (`GET`, `PUT`, `DELETE`).
    pub idempotent: bool,
}

impl Call {
    /// An idempotent read.
    pub fn get(path: &str) -> Self {
        Call {
            path: path.to_string(),
            idempotent: true,
        }
    }

    /// A request that must not be sent twice.
    pub fn post(path: &str) -> Self {
        Call {
            path: path.to_string(),
            idempotent: false,
        }
    }
}

/// How a [`Client`] retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The most attempts for one call, the first one included (at least 1).
    pub max_attempts: u32,
    /// The ceiling of the wait after the first attempt.
    pub base: Duration,
    /// No wait is longer than this.
    pub cap: Duration,
    /// How long one attempt may take.
    pub timeout: Duration,
}

/// Something that sends one attempt: real HTTP in [`HttpTransport`], a fake in the tests.
pub trait Transport: Send + Sync {
    /// Sends `call` once: the body of a 2xx answer, or why it failed. It may never finish.
    fn send(&self, call: &Call) -> impl Future<Output = Result<String, CallError>> + Send;
}

/// The real transport: `GET`/`POST` `{base_url}{path}` with reqwest. Given whole.
pub struct HttpTransport {
    pub base_url: String,
    pub client: reqwest::Client,
}

impl Transport for HttpTransport {
    async fn send(&self, call: &Call) -> Result<String, CallError> {
        let url = format!("{}{}", self.base_url, call.path);
        let request = if call.idempotent {
            self.client.get(url)
        } else {
            self.client.post(url)
        };
        let response = request.send().await.map_err(|e| {
            if e.is_connect() {
                CallError::Connect
            } else {
                CallError::Status(502)
            }
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(CallError::Status(status.as_u16()));
        }
        response.text().await.map_err(|_| CallError::Status(502))
    }
}

/// Whether a failed attempt is worth another try: timeouts, connect errors, 502, 503, 504.
pub fn is_retryable(error: &CallError) -> bool {
    // TODO: match the transient failures only; a 4xx (and a 500) would be the same the
    // second time.
    todo!("say whether the error is a timeout, a connect error or a 502, 503 or 504")
}

/// The most the client waits after attempt number `attempt` (0 for the first):
/// `min(cap, base × 2^attempt)`, without overflowing for a large `attempt`.
pub fn backoff_ceiling(policy: &RetryPolicy, attempt: u32) -> Duration {
    // TODO: double `base` `attempt` times and stop at `cap`; `checked_pow` and `checked_mul`
    // avoid an overflow.
    todo!("return min(cap, base × 2^attempt) without overflowing")
}

/// The wait after attempt number `attempt`, with full jitter: uniformly random in
/// `0..=backoff_ceiling(policy, attempt)`.
pub fn backoff_delay(policy: &RetryPolicy, attempt: u32, rng: &mut impl Rng) -> Duration {
    // TODO: full jitter: uniformly random in `0..=ceiling`, not the ceiling itself and not
    // from half of it.
    todo!("draw a random wait between zero and the backoff ceiling")
}

/// What a [`CircuitBreaker`] does with the next call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    /// Calls go through; failures are counted.
    Closed,
    /// Calls fail fast until the cool-down is over.
    Open,
    /// The cool-down is over: one trial call may go through.
    HalfOpen,
}

/// A circuit breaker: closed → open after `failure_threshold` consecutive failures →
/// half-open after `cool_down` (one trial) → closed on the trial's success, open on its failure.
pub struct CircuitBreaker {
    failure_threshold: u32,
    cool_down: Duration,
    /// Consecutive failures while closed.
    failures: u32,
    /// When the breaker last opened; `None` while closed.
    opened_at: Option<Instant>,
    /// Whether the one trial call of the half-open state has been let through.
    trial_in_flight: bool,
}

impl CircuitBreaker {
    pub fn new(failure_threshold: u32, cool_down: Duration) -> Self {
        CircuitBreaker {
            failure_threshold,
            cool_down,
            failures: 0,
            opened_at: None,
            trial_in_flight: false,
        }
    }

    /// The state now (an open breaker whose cool-down is over is half-open).
    pub fn state(&self) -> BreakerState {
        // TODO: no `opened_at` is closed; open until `cool_down` has elapsed (tokio's
        // `Instant`), then half-open.
        todo!("say Closed, Open, or HalfOpen once the cool-down since opening is over")
    }

    /// Whether a call may be sent now. Half-open, only the first asker gets `true`, until
    /// its outcome is recorded.
    pub fn allow(&mut self) -> bool {
        // TODO: half-open, the first asker takes the trial (`trial_in_flight`); every other
        // one is refused.
        todo!("let the call through when closed, never when open, and once when half-open")
    }

    /// The call went well (or the service answered a 4xx): close and forget the failures.
    pub fn record_success(&mut self) {
        // TODO: forget the failures, the opening and the trial.
        todo!("close the breaker and reset the consecutive failures")
    }

    /// The call failed: count it; open at the threshold; a failed trial re-opens at once.
    pub fn record_failure(&mut self) {
        // TODO: a failure while opened (the trial) re-opens from now; closed, count it and
        // open at the threshold.
        todo!("count the failure, open at the threshold, re-open after a failed trial")
    }
}

/// The `orders` side: calls through a [`Transport`] with timeouts, retries and a breaker.
pub struct Client<T> {
    transport: T,
    policy: RetryPolicy,
    breaker: Mutex<CircuitBreaker>,
    rng: Mutex<StdRng>,
}

impl<T: Transport> Client<T> {
    /// `seed` makes the jitter reproducible in tests; production code seeds from the OS.
    pub fn new(transport: T, policy: RetryPolicy, breaker: CircuitBreaker, seed: u64) -> Self {
        Client {
            transport,
            policy,
            breaker: Mutex::new(breaker),
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
        }
    }

    /// The breaker's state now.
    pub fn breaker_state(&self) -> BreakerState {
        self.breaker.lock().unwrap().state()
    }

    /// Sends `call`: every attempt asks the breaker first (refused: `CircuitOpen` at once),
    /// is bounded by `policy.timeout`, and tells the breaker how it went (timeouts, connect
    /// errors and 5xx are failures, any other answer a success). A retryable failure of an
    /// idempotent call is tried again after [`backoff_delay`], up to `policy.max_attempts`
    /// attempts; then the last error.
    pub async fn call(&self, call: &Call) -> Result<String, CallError> {
        // TODO: loop: ask the breaker, send under `tokio::time::timeout`, tell the breaker,
        // then return, or sleep `backoff_delay` and try again while the call is idempotent,
        // the error retryable and attempts remain. Never hold a lock across an `.await`.
        todo!("send the call with a timeout per attempt, jittered retries and the breaker")
    }
}
