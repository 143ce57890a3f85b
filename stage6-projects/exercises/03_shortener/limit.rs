//! Milestone 5: the rate limit of `POST /api/links` (`mod.rs`, section 5, "Rate limit"):
//! at most `config.rate_limit` links a `config.rate_window` per client, counted in Redis
//! under `{key_prefix}rate:{client}` so that every instance shares the count.
//!
//! What it needs:
//! - [`hit`]: one atomic round trip that counts and sets the window's expiry together:
//!   `redis::pipe().atomic().incr(key, 1).cmd("PEXPIRE").arg(key).arg(ms).arg("NX").ignore()
//!   .pttl(key)` (`NX`: only the first request of a window sets it; a later one must not push
//!   it back), or a Lua script. `INCR`, then `EXPIRE` as a second command, leaves a key
//!   without an expiry when the process dies between them: that client is refused for ever.
//!   Over the limit, `Refused` with the key's time to live as `retry_after`;
//! - [`client`]: the last address of `X-Forwarded-For` (all its values, split on `,`,
//!   trimmed), or the peer's IP (`peer.ip()`, without the port);
//! - in `links::create`, before anything else: `ConnectInfo(peer): ConnectInfo<SocketAddr>`
//!   and the `HeaderMap` give the client; `Refused` becomes `AppError::TooManyRequests`,
//!   which answers 429 with `Retry-After`.

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::HeaderMap;

/// What [`hit`] decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead; `remaining` more are allowed in this window.
    Allowed { remaining: u64 },
    /// Over the limit until the window ends, `retry_after` from now.
    Refused { retry_after: Duration },
}

/// Counts one request against `key`: at most `limit` in a fixed window of `window` that
/// starts at the key's first request, in one atomic step.
pub async fn hit<C>(
    conn: &mut C,
    key: &str,
    limit: u64,
    window: Duration,
) -> redis::RedisResult<Verdict>
where
    C: redis::aio::ConnectionLike + Send,
{
    // TODO: INCR and PEXPIRE … NX and PTTL, in one MULTI/EXEC.
    todo!("count the request and set the window's expiry in one atomic step")
}

/// Who is asking: the last address of `X-Forwarded-For`, or the peer's IP address.
pub fn client(headers: &HeaderMap, peer: SocketAddr) -> String {
    // TODO: the header's last non-empty address, or `peer.ip()`.
    todo!("the client's address")
}
