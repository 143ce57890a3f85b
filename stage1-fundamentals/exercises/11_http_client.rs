//! # Exercise 11: an HTTP client that copes with failure
//!
//! Calls between services fail all the time: a server restarts and refuses connections for a
//! second, a load balancer answers `503 Service Unavailable` while a new version rolls out, a
//! request gets stuck behind a slow database. A client that gives up at the first error turns
//! every blip into an outage; a client that retries blindly makes an overloaded server worse.
//! A good client:
//!
//! - sets a timeout. Without one, a server that accepts the connection and never answers
//!   hangs the caller forever. reqwest has none by default: `ClientBuilder::timeout` sets one
//!   for each whole request (connect, send, read the body);
//! - retries only transient failures: refused connections, timeouts, and 502/503/504, which
//!   say "not now". A 4xx says "your request is wrong" and a 500 says "this crashed the
//!   server": sending the same request again gets the same answer, so return at once;
//! - waits longer after each failure (exponential backoff: 100 ms, 200 ms, 400 ms, …, up to a
//!   cap), so that a struggling server gets room to recover. It waits with tokio's timer
//!   (exercise 08), never with `std::thread::sleep`, which would stop every task on the thread;
//! - gives up after a few attempts, and reports what went wrong last.
//!
//! Only retry requests that are safe to repeat: GET is; a POST that charges a card is not,
//! unless the server supports idempotency keys. Production code adds random jitter to the
//! delays (so that a thousand clients do not retry in lockstep) and honours `Retry-After`;
//! here the delays are exact so that the tests can check them. Crates that do this for you:
//! reqwest-retry (a reqwest-middleware), backon, and tower's `retry` layer.
//!
//! - <https://docs.rs/reqwest/latest/reqwest/struct.ClientBuilder.html#method.timeout>
//! - <https://docs.rs/reqwest/latest/reqwest/struct.Error.html#method.is_timeout>
//! - <https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4> (503 Service Unavailable)
//! - <https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/>
//!
//! Run `cargo xtask check 11_http_client` to check your work; `cargo xtask hint 11_http_client`
//! gives a hint.

use std::time::Duration;

/// How often and how patiently to retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The most requests to send in total, the first one included.
    pub max_attempts: u32,
    /// The pause after the first failed attempt.
    pub base_delay: Duration,
    /// No pause is longer than this.
    pub max_delay: Duration,
}

impl RetryPolicy {
    /// The pause after failed attempt number `attempt` (the first attempt is number 1):
    /// `base_delay * 2^(attempt - 1)`, capped at `max_delay`.
    ///
    /// It must not panic for any `attempt`, even `u32::MAX`: `2^attempt` overflows quickly.
    pub fn backoff_delay(&self, attempt: u32) -> Duration {
        // TODO: the pause doubles after each failed attempt, starting from `base_delay` after
        // the first, and never exceeds `max_delay`. Powers of two outgrow a u32 after 2^31,
        // and `Duration` arithmetic panics when it overflows: no attempt number may make this
        // function panic.
        todo!("exponential backoff: base_delay * 2^(attempt - 1), capped at max_delay")
    }
}

/// Whether a response status is worth another try: 502 Bad Gateway, 503 Service Unavailable
/// and 504 Gateway Timeout say "not now", not "never". Nothing else is.
pub fn is_retryable_status(status: u16) -> bool {
    // TODO: true for 502, 503 and 504, false for every other status.
    todo!("502, 503 and 504 are retryable")
}

/// Why one attempt failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    #[error("server answered {0}")]
    Status(u16),
    #[error("request timed out")]
    Timeout,
    #[error("could not connect")]
    Connect,
    #[error("transport error: {0}")]
    Transport(String),
}

/// Why `get_with_retry` gave up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The server answered with a status that retrying cannot fix (4xx, 500, …).
    #[error("server answered {0}")]
    Status(u16),
    /// Every attempt failed in a retryable way; `last` is the last attempt's failure.
    #[error("gave up after {attempts} attempts: {last}")]
    GaveUp { attempts: u32, last: Failure },
}

/// Sorts a reqwest error into the failures we know how to handle: a timeout, a connection
/// that could not be made, or any other transport error (kept as its message).
fn classify(error: &reqwest::Error) -> Failure {
    // TODO: a timeout is `Timeout`, even one that struck while connecting; a connection that
    // could not be made is `Connect`; anything else, such as a response that breaks off in the
    // middle of its body, is `Transport` with the error's message.
    todo!("classify a reqwest error as Timeout, Connect or Transport")
}

/// Sends one GET request and reads the body of a successful (2xx) response. A response with
/// any other status is `Failure::Status`.
async fn attempt_once(client: &reqwest::Client, url: &str) -> Result<String, Failure> {
    // TODO: one GET request. A status outside 2xx is `Failure::Status` with its code. Sending
    // the request can fail, and so can reading the body of a 2xx: `classify` both failures.
    todo!("send one request and read its body")
}

/// GETs `url` and returns the body of the first successful response.
///
/// - A status that `is_retryable_status` rejects ends at once with `FetchError::Status`.
/// - Any other failure is retried after `policy.backoff_delay(attempt)`, until
///   `policy.max_attempts` requests have been sent; then the result is `FetchError::GaveUp`
///   with the number of attempts and the last failure. There is no pause after the last one.
/// - The timeout is the client's: the caller configured it with `ClientBuilder::timeout`.
pub async fn get_with_retry(
    client: &reqwest::Client,
    url: &str,
    policy: &RetryPolicy,
) -> Result<String, FetchError> {
    // TODO: attempt after attempt, pausing for that attempt's backoff after each retryable
    // failure, until one succeeds, a status is final, or `max_attempts` requests have been
    // sent. Pause with tokio's timer, so that the thread serves other tasks meanwhile.
    todo!("retry transient failures with exponential backoff")
}
