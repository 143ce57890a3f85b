//! mistake: the script compares GET's answer without a default: a missing key (false) makes the script fail
//! # Exercise 12: no overselling — atomic check-and-decrement in Redis
//!
//! Reference solution. The lesson is in `stage2-databases/exercises/12_redis_atomic.rs`.

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

/// Redis runs a script from start to end with no other command in between, so nobody can
/// change the stock between the check and the DECRBY. Built once: `Script` keeps the SHA1
/// that EVALSHA sends.
static RESERVE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        local stock = tonumber(redis.call('GET', KEYS[1]))
        local qty = tonumber(ARGV[1])
        if stock < qty then
            return {0, stock}
        end
        return {1, redis.call('DECRBY', KEYS[1], qty)}
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
    let (reserved, stock): (i64, u64) = RESERVE.key(stock_key).arg(qty).invoke_async(conn).await?;
    if reserved == 1 {
        Ok(Reservation {
            qty,
            remaining: stock,
        })
    } else {
        Err(ReserveError::OutOfStock {
            requested: qty,
            available: stock,
        })
    }
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
    for _ in 0..MAX_ATTEMPTS {
        // Watched from before the read: a change after it, however soon, makes EXEC refuse.
        // (EXEC ends the watch, so each attempt watches again.)
        redis::cmd("WATCH").arg(stock_key).exec_async(conn).await?;
        let stock: Option<u64> = conn.get(stock_key).await?;
        let available = stock.unwrap_or(0);
        if available < qty {
            redis::cmd("UNWATCH").exec_async(conn).await?;
            return Err(ReserveError::OutOfStock {
                requested: qty,
                available,
            });
        }
        // EXEC answers nil (None here) when the watched key changed: nothing ran, try again.
        let done: Option<(u64,)> = redis::pipe()
            .atomic()
            .decr(stock_key, qty)
            .query_async(conn)
            .await?;
        if let Some((remaining,)) = done {
            return Ok(Reservation { qty, remaining });
        }
    }
    Err(ReserveError::TooManyRetries(MAX_ATTEMPTS))
}
