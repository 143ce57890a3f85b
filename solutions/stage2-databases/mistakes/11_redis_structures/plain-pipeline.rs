//! mistake: push_recent sends LPUSH and LTRIM in a plain pipeline: one round trip, but not atomic
//! # Exercise 11: Redis data structures — a leaderboard, a capped list, unique counts
//!
//! Reference solution. The lesson is in `stage2-databases/exercises/11_redis_structures.rs`.

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
    conn.zincr(board, player, points).await
}

/// The `n` best players, best first. Equal scores come in Redis' order for ZREVRANGE:
/// reverse lexicographic order of the names ("cy" before "bo").
pub async fn top(conn: &mut impl Conn, board: &str, n: usize) -> RedisResult<Vec<Entry>> {
    if n == 0 {
        // ZREVRANGE board 0 -1 would mean "everything".
        return Ok(Vec::new());
    }
    let rows: Vec<(String, i64)> = conn.zrevrange_withscores(board, 0, n as isize - 1).await?;
    Ok(rows
        .into_iter()
        .map(|(player, score)| Entry { player, score })
        .collect())
}

/// `player`'s place on the board, 1 for the best; `None` if the player has no score.
pub async fn rank(conn: &mut impl Conn, board: &str, player: &str) -> RedisResult<Option<usize>> {
    let index: Option<usize> = conn.zrevrank(board, player).await?;
    Ok(index.map(|i| i + 1))
}

/// Adds `item` to the front of the list `key` and keeps only the `cap` newest items, in one
/// atomic round trip.
pub async fn push_recent(
    conn: &mut impl Conn,
    key: &str,
    item: &str,
    cap: usize,
) -> RedisResult<()> {
    let _: () = redis::pipe()
        .lpush(key, item)
        .ignore()
        .ltrim(key, 0, cap as isize - 1)
        .ignore()
        .query_async(conn)
        .await?;
    Ok(())
}

/// Every item of the list `key`, newest first.
pub async fn recent(conn: &mut impl Conn, key: &str) -> RedisResult<Vec<String>> {
    conn.lrange(key, 0, -1).await
}

/// Adds the ids to the set `key`; returns how many of them were not in it yet.
pub async fn add_exact(conn: &mut impl Conn, key: &str, ids: &[String]) -> RedisResult<usize> {
    if ids.is_empty() {
        // SADD needs at least one member.
        return Ok(0);
    }
    conn.sadd(key, ids).await
}

/// How many distinct ids the set `key` holds, exactly.
pub async fn count_exact(conn: &mut impl Conn, key: &str) -> RedisResult<u64> {
    conn.scard(key).await
}

/// Adds the ids to the HyperLogLog `key`.
pub async fn add_approx(conn: &mut impl Conn, key: &str, ids: &[String]) -> RedisResult<()> {
    let _: bool = conn.pfadd(key, ids).await?;
    Ok(())
}

/// About how many distinct ids the HyperLogLog `key` has seen (standard error 0.81%).
pub async fn count_approx(conn: &mut impl Conn, key: &str) -> RedisResult<u64> {
    conn.pfcount(key).await
}
