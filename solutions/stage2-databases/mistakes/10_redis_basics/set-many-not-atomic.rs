//! mistake: set_many sends a plain pipeline: one round trip, but other clients can see half of the keys
//! # Exercise 10: Redis basics — expiring values, atomic counters, hashes, pipelines
//!
//! Reference solution. The lesson is in `stage2-databases/exercises/10_redis_basics.rs`.

use std::collections::HashMap;
use std::time::Duration;

use redis::aio::ConnectionLike;
use redis::{AsyncCommands, RedisResult, SetExpiry, SetOptions};

/// Any async Redis connection: a `ConnectionManager`, a `MultiplexedConnection`, or the tests'
/// command-recording wrapper. With `redis::AsyncCommands` in scope, `conn.set(..)`,
/// `conn.incr(..)` and the other commands are methods on all of them (provided).
pub trait Conn: ConnectionLike + Send + Sync {}
impl<T: ConnectionLike + Send + Sync> Conn for T {}

/// How long a key has left to live, as `PTTL` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ttl {
    /// There is no such key (`PTTL` answers -2).
    Missing,
    /// The key exists and never expires (`PTTL` answers -1).
    Forever,
    /// The key disappears after this long.
    ExpiresIn(Duration),
}

/// A user profile, stored as a Redis hash with the fields `name`, `email` and `visits`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub email: String,
    pub visits: i64,
}

/// Stores `value` under `key` for `ttl`, in ONE command. Redis counts expiries in whole
/// milliseconds: `ttl` is rounded down to them, and a `ttl` under 1 ms means the value has
/// expired already: nothing is stored, and any earlier value under `key` is removed.
pub async fn cache_set(
    conn: &mut impl Conn,
    key: &str,
    value: &str,
    ttl: Duration,
) -> RedisResult<()> {
    let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
    if millis == 0 {
        // Redis refuses `PX 0`. A value that expires now is a value that is not there.
        let _: () = conn.del(key).await?;
        return Ok(());
    }
    let options = SetOptions::default().with_expiration(SetExpiry::PX(millis));
    let _: () = conn.set_options(key, value, options).await?;
    Ok(())
}

/// The value under `key`, or `None` if there is none (never set, deleted or expired).
pub async fn cache_get(conn: &mut impl Conn, key: &str) -> RedisResult<Option<String>> {
    conn.get(key).await
}

/// How long `key` has left to live.
pub async fn time_to_live(conn: &mut impl Conn, key: &str) -> RedisResult<Ttl> {
    let millis: i64 = conn.pttl(key).await?;
    Ok(match millis {
        -2 => Ttl::Missing,
        -1 => Ttl::Forever,
        ms => Ttl::ExpiresIn(Duration::from_millis(ms.max(0) as u64)),
    })
}

/// Adds `by` to the integer under `key` (a missing key counts as 0); returns the new value.
pub async fn increment(conn: &mut impl Conn, key: &str, by: i64) -> RedisResult<i64> {
    conn.incr(key, by).await
}

/// Writes the profile's three fields into the hash `key`, in ONE command.
pub async fn save_profile(conn: &mut impl Conn, key: &str, profile: &Profile) -> RedisResult<()> {
    let visits = profile.visits.to_string();
    let fields = [
        ("name", profile.name.as_str()),
        ("email", profile.email.as_str()),
        ("visits", visits.as_str()),
    ];
    let _: () = conn.hset_multiple(key, &fields).await?;
    Ok(())
}

/// Every field of the hash `key`; empty if there is no such key.
pub async fn load_profile(conn: &mut impl Conn, key: &str) -> RedisResult<HashMap<String, String>> {
    conn.hgetall(key).await
}

/// Adds `by` to the `visits` field of the hash `key`; returns the new count.
pub async fn add_visits(conn: &mut impl Conn, key: &str, by: i64) -> RedisResult<i64> {
    conn.hincr(key, "visits", by).await
}

/// Sets every `(key, value)` pair with the same `ttl` (at least 1 ms), in ONE round trip, as
/// one MULTI/EXEC transaction: no other client ever sees some of the keys without the others.
pub async fn set_many(
    conn: &mut impl Conn,
    entries: &[(String, String)],
    ttl: Duration,
) -> RedisResult<()> {
    let mut pipe = redis::pipe();
    for (key, value) in entries {
        pipe.pset_ex(key, value, ttl.as_millis() as u64).ignore();
    }
    let _: () = pipe.query_async(conn).await?;
    Ok(())
}
