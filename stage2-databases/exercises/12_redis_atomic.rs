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
//! coupon.
//!
//! **Meet it first.** Write those three lines in `reserve_lua` (the script can wait) and run
//! `cargo xtask check 12_redis_atomic`. The tests send 200 buyers at once, and they also let
//! another buyer act right between your check and your write, every time instead of once in a
//! while: read what happens to the stock. Then fix it, twice: the fix is to make check and
//! write one atomic step, and Redis offers two ways.
//!
//! **1. A Lua script (EVAL).** Redis runs a script from start to end with no other command in
//! between, so a script that reads, checks and decrements cannot race. Keys go in `KEYS[1]`,
//! `KEYS[2]`…, other arguments in `ARGV[1]`…. Inside, `redis.call('GET', KEYS[1])` runs a
//! command. Two traps: GET of a missing key gives `false` (not 0, not nil), and every value
//! arrives as a string, so numbers must go through `tonumber(…)` before you compare them
//! (as strings, "10" < "3"). What the script returns comes back to Rust: a number, or a Lua
//! table such as `{1, 49}`, which Rust reads as a tuple `(i64, u64)`. In Rust,
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
//! EXEC then runs unchecked: overselling again. So `reserve_watch` is given a connection that
//! no other task uses while it runs (the tests open one per reservation with
//! `client.get_multiplexed_async_connection()`; in production a pool of connections, e.g.
//! `deadpool-redis`, lends one per operation). The Lua version has no such state and is happy
//! on the shared connection. Both take any connection (`impl Conn`, as in exercises 10 and
//! 11), so that the tests can slip another buyer in between your commands.
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
//! of 200 concurrent buyers through, never more, never sell an item another buyer took after
//! they looked, and never change the stock when they refuse.
//!
//! Run `cargo xtask check 12_redis_atomic` to check your work; `cargo xtask hint 12_redis_atomic` gives a hint.

use std::sync::LazyLock;

use redis::aio::ConnectionLike;
use redis::{AsyncCommands, Script};

/// Any async Redis connection: a `ConnectionManager`, a `MultiplexedConnection`, or the tests'
/// wrappers (provided, as in exercises 10 and 11).
pub trait Conn: ConnectionLike + Send + Sync {}
impl<T: ConnectionLike + Send + Sync> Conn for T {}

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
        -- TODO: take ARGV[1] items from the stock in KEYS[1] (no key: a stock of 0) if
        -- there are enough, and answer what reserve_lua needs to know: whether it took
        -- them, and the stock.
        return redis.error_reply('the RESERVE script is not written yet')
        ",
    )
});

/// Takes `qty` items from the stock under `stock_key` (a missing key is a stock of 0) if there
/// are enough, with a Lua script that Redis runs atomically. Refusing changes nothing (and
/// creates no key).
pub async fn reserve_lua(
    conn: &mut impl Conn,
    stock_key: &str,
    qty: u64,
) -> Result<Reservation, ReserveError> {
    // TODO: take `qty` items if there are enough, such that no other buyer's command can run
    // between your check and your decrement; answer a Reservation or an OutOfStock.
    todo!("reserve qty items: the check and the decrement as one step")
}

/// The same with optimistic locking: WATCH the key, read it, and decrement in MULTI/EXEC,
/// which Redis refuses if the key changed since WATCH; then try again, at most
/// [`MAX_ATTEMPTS`] times (then `TooManyRetries`). `conn` is a connection of this call's own,
/// which no other task uses meanwhile: a WATCH belongs to the connection.
pub async fn reserve_watch(
    conn: &mut impl Conn,
    stock_key: &str,
    qty: u64,
) -> Result<Reservation, ReserveError> {
    // TODO: look at the stock and decide in Rust, but let the decrement happen only if nobody
    // changed the stock since you looked; if someone did, look again, at most MAX_ATTEMPTS
    // times in all.
    todo!("reserve with optimistic locking, retrying when the stock changed")
}
