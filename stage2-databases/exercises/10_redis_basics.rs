//! # Exercise 10: Redis basics — expiring values, atomic counters, hashes, pipelines
//!
//! Redis is an in-memory key-value server: every key names one value, and each value has a
//! type with its own commands. It answers in well under a millisecond, which is why backends
//! put caches, counters, rate limits and sessions in it. Four things cover most of that use:
//!
//! - **Strings with an expiry.** `SET key value PX 1500` stores a value that Redis deletes by
//!   itself 1 500 ms later (`EX 2` counts in whole seconds). `GET key` reads it (nil once it
//!   is gone). `PTTL key` tells how many milliseconds are left: `-1` if the key never expires,
//!   `-2` if there is no such key (`TTL` says the same in seconds). Set the value and its
//!   expiry in ONE command: `SET` then `EXPIRE` leaves a key that lives forever if the client
//!   dies between the two. Expiries are whole milliseconds, at least 1: Redis refuses `PX 0`
//!   (`ERR invalid expire time in 'set' command`), so a zero TTL, which asks for a value that
//!   has already expired, is yours to handle: such a value is simply not there (`DEL key`).
//! - **Counters.** `INCR key` / `INCRBY key n` add to the integer stored in a key (a missing
//!   key counts as 0) and return the new value. Redis runs one command at a time, so the
//!   read-add-write happens inside the server and no update is ever lost. Reading with `GET`,
//!   adding in Rust and writing back with `SET` loses updates as soon as two clients do it at
//!   once.
//! - **Hashes.** A hash is a small map of field → value under one key: one object per key
//!   (`user:42` → name, email, visits). `HSET key f1 v1 f2 v2 …` writes many fields in one
//!   command, `HGETALL key` reads them all (an empty map if there is no key), and
//!   `HINCRBY key field n` is the atomic counter for one field.
//! - **Pipelines.** Each command is a round trip to the server; on a network that is easily
//!   0.5 ms, far more than Redis spends on the command. `redis::pipe()` queues commands and
//!   sends them together: one round trip for all. A plain pipeline is only batching: the
//!   server may run other clients' commands in between. `.atomic()` wraps it in
//!   `MULTI … EXEC`, a transaction: the commands run one after the other with nothing in
//!   between, so nobody sees half of them. (It is not a rollback: if one command fails, the
//!   others still run.) Batch with a plain pipeline; use `.atomic()` when readers must see all
//!   the keys or none.
//!
//! **The Rust side.** The `redis` crate's `AsyncCommands` trait (import it) turns each command
//! into a method: `conn.set(k, v)`, `conn.incr(k, n)`, `conn.hgetall(k)`. Each is generic in
//! what it returns, so annotate it: `let n: i64 = conn.incr(&key, 1).await?;` and
//! `let _: () = conn.set(&key, "v").await?;`. Options that have no method of their own go
//! through `conn.set_options(key, value, redis::SetOptions::default().with_expiration(…))` or
//! through `redis::cmd("SET").arg(key).arg(value).arg("PX").arg(ms).query_async(conn)`.
//! Production code shares one `redis::aio::ConnectionManager` (a multiplexed connection that
//! reconnects by itself; cloning it is cheap) or a pool such as `bb8-redis`/`deadpool-redis`.
//! The functions below take any connection (`impl Conn`), so that the tests can also pass a
//! wrapper that records what you send.
//!
//! Every function takes its key as a parameter: the tests give each run keys of its own.
//!
//! Docs: <https://docs.rs/redis/latest/redis/>,
//! <https://docs.rs/redis/latest/redis/trait.AsyncCommands.html>,
//! <https://docs.rs/redis/latest/redis/struct.Pipeline.html>,
//! <https://redis.io/docs/latest/commands/set/>, <https://redis.io/docs/latest/commands/pttl/>,
//! <https://redis.io/docs/latest/develop/data-types/hashes/>,
//! <https://redis.io/docs/latest/develop/interact/transactions/>.
//!
//! Run `cargo xtask check 10_redis_basics` to check your work; `cargo xtask hint 10_redis_basics` gives a hint.

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
    // TODO: store the value so that Redis removes it after `ttl`, the value and its expiry set
    // by one command; for a ttl under 1 ms, see the doc comment above.
    todo!("store the value with its expiry in one command")
}

/// The value under `key`, or `None` if there is none (never set, deleted or expired).
pub async fn cache_get(conn: &mut impl Conn, key: &str) -> RedisResult<Option<String>> {
    // TODO: the value, or `None` when there is none.
    todo!("read the value")
}

/// How long `key` has left to live.
pub async fn time_to_live(conn: &mut impl Conn, key: &str) -> RedisResult<Ttl> {
    // TODO: ask Redis how long the key has left, to the millisecond, and tell the three cases
    // apart.
    todo!("turn PTTL's answer into a Ttl")
}

/// Adds `by` to the integer under `key` (a missing key counts as 0); returns the new value.
pub async fn increment(conn: &mut impl Conn, key: &str, by: i64) -> RedisResult<i64> {
    // TODO: add `by` so that 50 clients doing it at the same moment count exactly 50.
    todo!("add to the counter atomically")
}

/// Writes the profile's three fields (`name`, `email`, `visits`) into the hash `key`, in ONE
/// command.
pub async fn save_profile(conn: &mut impl Conn, key: &str, profile: &Profile) -> RedisResult<()> {
    // TODO: write the three fields with one command.
    todo!("write the hash")
}

/// Every field of the hash `key`; empty if there is no such key.
pub async fn load_profile(conn: &mut impl Conn, key: &str) -> RedisResult<HashMap<String, String>> {
    // TODO: every field of the hash, as strings.
    todo!("read the whole hash")
}

/// Adds `by` to the `visits` field of the hash `key`; returns the new count.
pub async fn add_visits(conn: &mut impl Conn, key: &str, by: i64) -> RedisResult<i64> {
    // TODO: add to the one field so that concurrent visits are all counted, leaving the other
    // fields alone.
    todo!("add to one field atomically")
}

/// Sets every `(key, value)` pair with the same `ttl` (at least 1 ms), in ONE round trip, as
/// one MULTI/EXEC transaction: no other client ever sees some of the keys without the others.
pub async fn set_many(
    conn: &mut impl Conn,
    entries: &[(String, String)],
    ttl: Duration,
) -> RedisResult<()> {
    // TODO: set every key with its expiry, all of them in one round trip and as one transaction.
    todo!("set all the keys in one atomic pipeline")
}
