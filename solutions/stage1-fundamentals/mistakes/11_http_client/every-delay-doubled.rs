//! mistake: the attempt is counted before the pause, so every pause is twice too long
//! # Exercise 11: an HTTP client that copes with failure
//!
//! Reference solution. See `stage1-fundamentals/exercises/11_http_client.rs` for the lesson.

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
    pub fn backoff_delay(&self, attempt: u32) -> Duration {
        let factor = 2u32
            .checked_pow(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// Whether a response status is worth another try: 502 Bad Gateway, 503 Service Unavailable
/// and 504 Gateway Timeout say "not now", not "never".
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 502..=504)
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

/// Sorts a reqwest error into the failures we know how to handle.
fn classify(error: &reqwest::Error) -> Failure {
    if error.is_timeout() {
        Failure::Timeout
    } else if error.is_connect() {
        Failure::Connect
    } else {
        Failure::Transport(error.to_string())
    }
}

/// Sends one GET request and reads the body of a successful (2xx) response.
async fn attempt_once(client: &reqwest::Client, url: &str) -> Result<String, Failure> {
    let response = client.get(url).send().await.map_err(|e| classify(&e))?;
    let status = response.status();
    if !status.is_success() {
        return Err(Failure::Status(status.as_u16()));
    }
    response.text().await.map_err(|e| classify(&e))
}

/// GETs `url` and returns the body, retrying transient failures as `policy` says.
pub async fn get_with_retry(
    client: &reqwest::Client,
    url: &str,
    policy: &RetryPolicy,
) -> Result<String, FetchError> {
    let mut attempt = 1;
    loop {
        let failure = match attempt_once(client, url).await {
            Ok(body) => return Ok(body),
            Err(Failure::Status(status)) if !is_retryable_status(status) => {
                return Err(FetchError::Status(status));
            }
            Err(failure) => failure,
        };
        if attempt >= policy.max_attempts {
            return Err(FetchError::GaveUp {
                attempts: attempt,
                last: failure,
            });
        }
        attempt += 1;
        tokio::time::sleep(policy.backoff_delay(attempt)).await;
    }
}
