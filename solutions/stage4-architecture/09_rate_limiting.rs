//! # Exercise 09: rate limiting in Redis, as middleware
//!
//! A rate limiter caps how many requests one client may make in a period: it protects the
//! service (and its database) from one noisy client, a runaway script or a brute-force attack,
//! and makes every client's share fair. A request over the budget is refused *before* any
//! work is done, with `429 Too Many Requests` and a `Retry-After` header saying in how many
//! seconds to come back ([RFC 6585 §4](https://www.rfc-editor.org/rfc/rfc6585#section-4),
//! [RFC 9110 §10.2.3](https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3)).
//!
//! ## Three algorithms
//!
//! - **Fixed window**: one counter per client per window ("10 per minute"). The first request
//!   creates the counter with a time to live of one window; each request adds one; the counter
//!   vanishes when the window ends. One key, two cheap commands. Its flaw: a client can send 10
//!   at 0:59 and 10 at 1:00, twice the rate across the boundary.
//! - **Sliding log**: a sorted set of the timestamps of the client's recent requests; drop
//!   those older than one window, count the rest. Exact, but one entry per request.
//! - **Token bucket**: a bucket of `n` tokens refilled at a steady rate; a request takes one.
//!   Allows short bursts with a smooth average (what AWS API Gateway's throttling does). Two
//!   numbers per client, refilled from the elapsed time. (`tower::limit::RateLimitLayer` is
//!   a limiter too, but one budget for the whole service, in one process's memory.)
//!
//! Here you build the **fixed window**, the one most APIs start with.
//!
//! ## Why Redis, and why atomically
//!
//! A service runs as several instances behind a load balancer. A counter in each process's
//! memory gives every instance its own budget: with two instances a client gets twice its
//! limit, with ten, ten times. The counter must live in one place all instances share: Redis.
//!
//! "Add one and start the window" is two commands, `INCR` and `PEXPIRE`. Sent one after the
//! other they can be split: the process dies, the connection drops, or another instance's
//! command slips in between, and a counter without a time to live never expires: that client
//! is refused *forever*. So send them as one: in a `MULTI`/`EXEC` transaction
//! (`INCR key`, `PEXPIRE key <window> NX`, `PTTL key`), or in a Lua script, which Redis runs
//! without interleaving anything else ([`redis::Script`](https://docs.rs/redis/latest/redis/struct.Script.html),
//! [EVAL](https://redis.io/docs/latest/develop/programmability/eval-intro/)). Either way, a
//! counter found *without* a time to live (left by an older version that did crash between the
//! two commands) gets one now, and `PTTL` tells how long until the window frees: that is the
//! `Retry-After`, in whole seconds rounded up.
//!
//! ## When Redis is down: fail open
//!
//! The limiter must decide what an error from Redis means. Failing *closed* (refuse everything)
//! turns a cache outage into a full API outage; failing *open* (let the request through, log a
//! warning) keeps the API up without protection for a while. This course fails **open**, the
//! usual default (Envoy's rate-limit filter has `failure_mode_deny: false`,
//! <https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/http/ratelimit/v3/rate_limit.proto>).
//!
//! ## The middleware
//!
//! [`axum::middleware::from_fn_with_state`](https://docs.rs/axum/latest/axum/middleware/fn.from_fn_with_state.html)
//! turns an `async fn(State<_>, Request, Next) -> Response` into a layer: it may answer by
//! itself (429) or call `next.run(request)` to reach the handler. The client is named by
//! [`client_key`] (given): its `x-api-key` header, or its IP address when it sends none.
//!
//! The limiter is generic over the connection (`redis::aio::ConnectionLike`): production passes
//! a `ConnectionManager`; the tests also pass one that always fails, to play "Redis is down".

use std::net::SocketAddr;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use redis::aio::ConnectionLike;
use serde_json::json;

/// How many requests one client may make per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub requests: u64,
    pub window: Duration,
}

/// What the limiter decided for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Within the budget: let it through.
    Allowed,
    /// Over the budget: refuse it; the window frees in `retry_after`.
    Limited { retry_after: Duration },
}

/// A fixed-window limiter whose counters live in Redis, shared by every instance of the app.
#[derive(Clone)]
pub struct RateLimiter<C> {
    conn: C,
    prefix: String,
    limit: Limit,
}

/// Adds one to the counter at `KEYS[1]`, gives it a time to live of `ARGV[1]` milliseconds if
/// it has none, and returns the new count and the milliseconds left in the window. Redis runs
/// a script whole, so no other command and no crash can split the two writes.
const COUNT: &str = r"
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
end
return {count, ttl}
";

impl<C> RateLimiter<C>
where
    C: ConnectionLike + Clone + Send + Sync + 'static,
{
    /// A limiter whose counters are the keys `prefix` + client key.
    pub fn new(conn: C, prefix: impl Into<String>, limit: Limit) -> Self {
        RateLimiter {
            conn,
            prefix: prefix.into(),
            limit,
        }
    }

    /// Counts one request of `client` and decides whether it may go through.
    pub async fn check(&self, client: &str) -> redis::RedisResult<Decision> {
        let key = format!("{}{client}", self.prefix);
        let window_ms = u64::try_from(self.limit.window.as_millis()).unwrap_or(u64::MAX);
        let mut conn = self.conn.clone();
        let (count, ttl_ms): (u64, u64) = redis::Script::new(COUNT)
            .key(&key)
            .arg(window_ms)
            .invoke_async(&mut conn)
            .await?;
        if count <= self.limit.requests {
            Ok(Decision::Allowed)
        } else {
            Ok(Decision::Limited {
                retry_after: Duration::from_millis(ttl_ms),
            })
        }
    }
}

/// The name a client is counted under: `key:<its x-api-key>`, or `ip:<its address>` when it
/// sends no key. The server must be served with `into_make_service_with_connect_info`.
pub fn client_key(request: &Request) -> String {
    if let Some(key) = request
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
    {
        return format!("key:{key}");
    }
    match request.extensions().get::<ConnectInfo<SocketAddr>>() {
        Some(ConnectInfo(addr)) => format!("ip:{}", addr.ip()),
        None => "ip:unknown".to_owned(),
    }
}

/// The middleware: counts the request in Redis; over the budget it answers 429 with
/// `Retry-After` and `{"error": "too many requests", "retry_after": <seconds>}` without calling
/// the handler; when Redis fails it lets the request through (fail open).
pub async fn rate_limit<C>(
    State(limiter): State<RateLimiter<C>>,
    request: Request,
    next: Next,
) -> Response
where
    C: ConnectionLike + Clone + Send + Sync + 'static,
{
    let client = client_key(&request);
    match limiter.check(&client).await {
        Ok(Decision::Allowed) => next.run(request).await,
        Ok(Decision::Limited { retry_after }) => {
            // Whole seconds, rounded up and at least one: "retry in 0 s" would invite a retry
            // that is refused again.
            let seconds = retry_after.as_millis().div_ceil(1000).max(1) as u64;
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({ "error": "too many requests", "retry_after": seconds })),
            )
                .into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            response
        }
        Err(error) => {
            // Fail open: an outage of the limiter must not become an outage of the API.
            tracing::warn!(%error, client, "rate limiter unavailable, letting the request through");
            next.run(request).await
        }
    }
}

/// `routes` with every request going through the rate limiter first.
pub fn app<C>(limiter: RateLimiter<C>, routes: Router) -> Router
where
    C: ConnectionLike + Clone + Send + Sync + 'static,
{
    routes.layer(middleware::from_fn_with_state(limiter, rate_limit::<C>))
}
