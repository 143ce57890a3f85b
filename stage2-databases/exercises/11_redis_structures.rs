//! # Exercise 11: Redis data structures — a leaderboard, a capped list, unique counts
//!
//! Redis is called a *data structure server*: besides strings and hashes, a key can hold a
//! sorted set, a list, a set or a HyperLogLog, and each comes with commands that do in one
//! atomic step what would otherwise be read-modify-write code in your service. Picking the
//! right structure is most of the design.
//!
//! - **Sorted set (zset): rankings.** Members with a numeric score, kept in score order.
//!   `ZINCRBY board 10 ada` adds to a score (a new member starts at 0) and returns the new
//!   score; `ZREVRANGE board 0 2 WITHSCORES` gives the top 3, highest first;
//!   `ZREVRANK board ada` is ada's 0-based position from the top (nil if she has none).
//!   Every one of these is O(log n): a million-player leaderboard answers "top 10" and
//!   "what is my rank" in microseconds, where SQL needs an index and a `count(*)` of everyone
//!   ahead. **Ties:** members with equal scores are ordered by name, byte by byte; ZRANGE
//!   (lowest first) puts "bo" before "cy", so ZREVRANGE and ZREVRANK put "cy" before "bo".
//!   **Careful:** ranges are inclusive and negative indexes count from the end, so the top
//!   `n` is `0 … n-1`, and `0 … -1` is the whole set, which is what a naive "top 0" asks for.
//! - **List: recent items.** `LPUSH key item` adds at the head (newest first),
//!   `LTRIM key 0 9` keeps only indexes 0 to 9 (10 items), `LRANGE key 0 -1` reads it all.
//!   LPUSH + LTRIM is the classic capped list ("last 10 pages viewed", a log tail): the list
//!   never grows past its cap. Send the two in one atomic pipeline (`redis::pipe().atomic()`,
//!   from exercise 10) so that no reader sees 11 items.
//! - **Set: exact unique counts.** `SADD key id…` adds members and returns how many were new;
//!   `SCARD key` is the exact number of distinct members. Exact, but memory grows with every
//!   id: 10 000 ids take about half a megabyte, 100 million daily visitors gigabytes.
//!   `SADD` with no member at all is an error: check for an empty slice first.
//! - **HyperLogLog: approximate unique counts.** `PFADD key id…` and `PFCOUNT key` count
//!   distinct ids without storing them: a HyperLogLog keeps a 12 KB sketch of hashes,
//!   whatever the number of ids (up to 2^64), with a standard error of 0.81%. Adding an id it
//!   has seen changes nothing. It cannot list the ids, tell whether one id was seen, or
//!   remove one.
//!
//! **Which one?** Need the members, membership tests or an exact answer (billing, "has this
//! user voted")? A set. Only "about how many" of something huge (unique visitors per page per
//! day, distinct search terms)? A HyperLogLog: 12 KB instead of gigabytes. Counting distinct
//! values in SQL (`count(DISTINCT …)`) scans the rows each time; Redis keeps the answer up to
//! date as the ids arrive.
//!
//! In Rust, `redis::AsyncCommands` has a method for each: `zincr`, `zrevrange_withscores`
//! (read it as `Vec<(String, i64)>`), `zrevrank` (`Option<usize>`), `lpush`, `ltrim`,
//! `lrange`, `sadd`, `scard`, `pfadd`, `pfcount`. Each function takes its key as a parameter
//! (the tests give each run keys of its own) and any connection (`impl Conn`, as in exercise
//! 10), so that the tests can also pass one that records what you send.
//!
//! Docs: <https://redis.io/docs/latest/develop/data-types/sorted-sets/>,
//! <https://redis.io/docs/latest/develop/data-types/lists/>,
//! <https://redis.io/docs/latest/develop/data-types/sets/>,
//! <https://redis.io/docs/latest/develop/data-types/probabilistic/hyperloglogs/>,
//! <https://docs.rs/redis/latest/redis/trait.AsyncCommands.html>.
//!
//! Run `cargo xtask check 11_redis_structures` to check your work; `cargo xtask hint 11_redis_structures` gives a hint.

use redis::AsyncCommands;
use redis::RedisResult;
use redis::aio::ConnectionLike;

/// Any async Redis connection: a `ConnectionManager`, a `MultiplexedConnection`, or the tests'
/// command-recording wrapper (provided, as in exercise 10).
pub trait Conn: ConnectionLike + Send + Sync {}
impl<T: ConnectionLike + Send + Sync> Conn for T {}

/// One line of a leaderboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub player: String,
    pub score: i64,
}

/// Adds `points` to `player`'s score on the leaderboard `board` (a missing player starts at
/// 0); returns the new score.
pub async fn add_score(
    conn: &mut impl Conn,
    board: &str,
    player: &str,
    points: i64,
) -> RedisResult<i64> {
    // TODO: add to the player's score inside Redis, and return the new score.
    todo!("add to the player's score")
}

/// The `n` best players, best first. Equal scores come in Redis' order for ZREVRANGE:
/// reverse lexicographic order of the names ("cy" before "bo").
pub async fn top(conn: &mut impl Conn, board: &str, n: usize) -> RedisResult<Vec<Entry>> {
    // TODO: the `n` highest scores with their players, highest first. Mind what n = 0 asks
    // for.
    todo!("read the top n")
}

/// `player`'s place on the board, 1 for the best; `None` if the player has no score.
pub async fn rank(conn: &mut impl Conn, board: &str, player: &str) -> RedisResult<Option<usize>> {
    // TODO: the player's place from the top, the best being 1.
    todo!("find the player's 1-based rank")
}

/// Adds `item` to the front of the list `key` and keeps only the `cap` newest items (`cap` is
/// at least 1), in one atomic round trip.
pub async fn push_recent(
    conn: &mut impl Conn,
    key: &str,
    item: &str,
    cap: usize,
) -> RedisResult<()> {
    // TODO: add the item at the front and cut the list to its `cap` newest items, as one step:
    // no other client may ever see the list longer than `cap`.
    todo!("push and trim the list")
}

/// Every item of the list `key`, newest first.
pub async fn recent(conn: &mut impl Conn, key: &str) -> RedisResult<Vec<String>> {
    // TODO: the whole list, newest first.
    todo!("read the whole list")
}

/// Adds the ids to the set `key`; returns how many of them were not in it yet.
pub async fn add_exact(conn: &mut impl Conn, key: &str, ids: &[String]) -> RedisResult<usize> {
    // TODO: add the ids to a set; return how many were new. An empty slice adds nothing.
    todo!("add the ids to the set")
}

/// How many distinct ids the set `key` holds, exactly.
pub async fn count_exact(conn: &mut impl Conn, key: &str) -> RedisResult<u64> {
    // TODO: the exact number of distinct ids.
    todo!("count the set's members")
}

/// Adds the ids to the HyperLogLog `key`.
pub async fn add_approx(conn: &mut impl Conn, key: &str, ids: &[String]) -> RedisResult<()> {
    // TODO: add the ids to a HyperLogLog (whether the estimate changed does not matter here).
    todo!("add the ids to the HyperLogLog")
}

/// About how many distinct ids the HyperLogLog `key` has seen (standard error 0.81%).
pub async fn count_approx(conn: &mut impl Conn, key: &str) -> RedisResult<u64> {
    // TODO: the HyperLogLog's estimate.
    todo!("estimate the number of distinct ids")
}
