//! # Exercise 12: no overselling — atomic check-and-decrement in Redis
//!
//! A flash sale: 50 items in stock, 200 buyers clicking at once. The obvious code is
//!
//! ```text
//! let stock: u64 = conn.get(key).await?;      // 1. read
//! if stock < qty { return Err(OutOfStock) }   // 2. check
//! let _: () = conn.decr(key, qty).await?;     // 3. write
//! ```
//!
//! and it oversells. Each command is atomic, but the sequence is not: between the answer to
//! the GET and the DECRBY, other clients' commands run (every `.await` is a point where other
//! tasks go on, and the server serves every connection in turn). Two buyers read "1", both
//! pass the check, both decrement: the stock is -1 and two people paid for one item. This is
//! the *check-then-act* race, and it is the same for a balance, a seat, a rate limit or a
//! coupon. The fix is to make check and write one atomic step. Redis offers two ways.
//!
//! **1. A Lua script (EVAL).** Redis runs a script from start to end with no other command in
//! between, so a script that reads, checks and decrements cannot race. Keys go in `KEYS[1]`,
//! `KEYS[2]`…, other arguments in `ARGV[1]`… (all strings: `tonumber(ARGV[1])`). Inside,
//! `redis.call('GET', KEYS[1])` runs a command; GET of a missing key gives `false`, so
//! `tonumber(redis.call('GET', KEYS[1]) or '0')` reads a stock where none means 0. A Lua table
//! `{1, 49}` comes back as an array, which Rust reads as a tuple `(i64, u64)`. In Rust,
//! `redis::Script::new(source)` hashes the source once; `script.key(k).arg(a).invoke_async(conn)`
//! sends `EVALSHA <sha1>` (only the hash) and loads the script by itself when the server does
//! not know it yet. Build it once (a `static` with `LazyLock`). Keep scripts short: while
//! one runs, the whole server waits. Job queues (Sidekiq, BullMQ) and rate limiters are built
//! on such scripts.
//!
//! **2. Optimistic locking: WATCH / MULTI / EXEC.** `WATCH key` asks Redis to watch the key;
//! you read it and decide in Rust; then `MULTI`, `DECRBY key qty`, `EXEC` runs the
//! decrement only if nobody changed the key since WATCH. Otherwise EXEC answers nil, nothing
//! ran, and you start again (a "compare and swap"; in SQL, a `version` column). It never
//! blocks anyone; under contention clients retry, and since every failed EXEC means another
//! client's write succeeded, the system always makes progress, though one unlucky client may
//! lose many times: cap the attempts. In Rust, `redis::pipe().atomic().decr(key, qty)` sends
//! MULTI, DECRBY, EXEC in one round trip; read it as `Option<(u64,)>`: `None` when EXEC
//! answered nil. If the check fails, send `UNWATCH` before returning.
//!
//! **WATCH needs a connection of its own.** The watch belongs to the connection, not to your
//! task. On a connection that several tasks share (a `ConnectionManager` or a
//! `MultiplexedConnection` clone), another task's EXEC or UNWATCH clears your watch, and your
//! EXEC then runs unchecked: overselling again. So `reserve_watch` takes the `redis::Client`
//! and opens a connection for itself: `client.get_multiplexed_async_connection().await?`
//! (in production a pool of connections, e.g. `deadpool-redis`, lends one per operation). The
//! Lua version has no such state and is happy on the shared connection.
//!
//! **Which one?** A script when the logic fits in a few lines of Lua: one round trip, no
//! retries. WATCH when the decision needs your application (a price from another service, a
//! rule written in Rust), or where scripts are not allowed. (The SQL way is a conditional
//! update: `UPDATE stock SET n = n - $1 WHERE id = $2 AND n >= $1`, then look at the rows
//! affected.)
//!
//! Docs: <https://redis.io/docs/latest/develop/interact/programmability/eval-intro/>,
//! <https://redis.io/docs/latest/develop/interact/transactions/>,
//! <https://docs.rs/redis/latest/redis/struct.Script.html>,
//! <https://docs.rs/redis/latest/redis/struct.Pipeline.html#method.atomic>.
//!
//! Your task: `reserve_lua` (and its script) and `reserve_watch`. Both must let exactly 50
//! of 200 concurrent buyers through, never more, and never change the stock when they refuse.
//!
//! Run `cargo xtask check 12_redis_atomic` to check your work; `cargo xtask hint 12_redis_atomic` gives a hint.

use std::sync::LazyLock;

use redis::aio::ConnectionManager;
use redis::{AsyncCommands, Script};

/// How many times `reserve_watch` tries before it gives up.
pub const MAX_ATTEMPTS: u32 = 100;

/// A successful reservation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reservation {
    /// How many items were reserved.
    pub qty: u64,
    /// The stock left right after this reservation.
    pub remaining: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ReserveError {
    #[error("out of stock: {requested} requested, {available} available")]
    OutOfStock { requested: u64, available: u64 },
    #[error("gave up after {0} attempts: the stock kept changing")]
    TooManyRetries(u32),
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
}

/// The check-and-decrement, run atomically by Redis. Built once: `Script` keeps the SHA1 that
/// EVALSHA sends.
static RESERVE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        -- TODO: read the stock in KEYS[1] (none means 0) and the quantity in ARGV[1];
        -- if the stock is smaller, return {0, stock}; otherwise DECRBY and return
        -- {1, the stock after}.
        return {0, 0}
        ",
    )
});

/// Takes `qty` items from the stock under `stock_key` (a missing key is a stock of 0) if there
/// are enough, with a Lua script that Redis runs atomically. Refusing changes nothing (and
/// creates no key).
pub async fn reserve_lua(
    conn: &mut ConnectionManager,
    stock_key: &str,
    qty: u64,
) -> Result<Reservation, ReserveError> {
    // TODO: `RESERVE.key(stock_key).arg(qty).invoke_async(conn)`, read as `(i64, u64)`, then
    // turn it into a Reservation or an OutOfStock.
    todo!("run the script and interpret its answer")
}

/// The same with optimistic locking: WATCH the key, read it, and decrement in MULTI/EXEC,
/// which Redis refuses if the key changed since WATCH; then try again, at most
/// [`MAX_ATTEMPTS`] times (then `TooManyRetries`).
pub async fn reserve_watch(
    client: &redis::Client,
    stock_key: &str,
    qty: u64,
) -> Result<Reservation, ReserveError> {
    // TODO: open a connection of this call's own (never a shared one: see the lesson). Then,
    // in a loop: WATCH (`redis::cmd("WATCH").arg(stock_key).exec_async(&mut conn)`), GET,
    // UNWATCH and refuse if too few, else an atomic pipeline with DECRBY; `None` means retry.
    todo!("reserve with WATCH/MULTI/EXEC and retries")
}
