//! Milestone 5: the rate limit. One counter per client and window, in Redis.

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::HeaderMap;

use super::AppState;
use super::error::AppError;

/// What [`hit`] decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead; `remaining` more are allowed in this window.
    Allowed { remaining: u64 },
    /// Over the limit until the window ends, `retry_after` from now.
    Refused { retry_after: Duration },
}

/// Counts one request against `key`: at most `limit` in a fixed window of `window` that
/// starts at the key's first request. One atomic step: the count and its expiry are set
/// together, so no key is ever left without one.
pub async fn hit<C>(
    conn: &mut C,
    key: &str,
    limit: u64,
    window: Duration,
) -> redis::RedisResult<Verdict>
where
    C: redis::aio::ConnectionLike + Send,
{
    let (count, ttl_ms): (u64, i64) = redis::pipe()
        .atomic()
        .incr(key, 1)
        .cmd("PEXPIRE")
        .arg(key)
        .arg(window.as_millis() as u64)
        .arg("NX")
        .ignore()
        .pttl(key)
        .query_async(conn)
        .await?;
    if count <= limit {
        return Ok(Verdict::Allowed {
            remaining: limit - count,
        });
    }
    let retry_after = Duration::from_millis(ttl_ms.max(1) as u64);
    Ok(Verdict::Refused { retry_after })
}

/// Who is asking: the last address of `X-Forwarded-For` (the one our own proxy added; the
/// ones before it are the client's word), or the peer's IP address without the header.
pub fn client(headers: &HeaderMap, peer: SocketAddr) -> String {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .rfind(|address| !address.is_empty())
        .map_or_else(|| peer.ip().to_string(), str::to_string)
}

/// The limit of `POST /api/links`: `Err(TooManyRequests)` when the client is over it.
pub async fn check(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
) -> Result<(), AppError> {
    let key = format!("{}rate:{}", state.config.key_prefix, client(headers, peer));
    let mut redis = state.redis.clone();
    match hit(
        &mut redis,
        &key,
        state.config.rate_limit,
        state.config.rate_window,
    )
    .await?
    {
        Verdict::Allowed { .. } => Ok(()),
        Verdict::Refused { retry_after } => Err(AppError::TooManyRequests(retry_after)),
    }
}
