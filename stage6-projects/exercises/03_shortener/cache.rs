//! Milestone 3: the cache. Redis in front of PostgreSQL, cache-aside (`mod.rs`, section 5):
//! a redirect reads `{key_prefix}link:{code}` from Redis; on a miss it reads PostgreSQL and
//! writes what it found to Redis with a time to live, `config.cache_ttl` for a URL and
//! `config.miss_ttl` for "no such link" (a value no URL can be, such as `""`), so that
//! unknown codes stay away from the database too. `create` may write the new link at once;
//! `delete` deletes the row, then the key, so that no instance serves it any more.
//!
//! The tests count what PostgreSQL is asked: 100 redirects of one link, or of one unknown
//! code, may cost one statement. A cache in the process's memory would pass that, and then
//! serve a deleted link from the other instance: the cache is Redis, shared.
//!
//! `state.redis` is a cheap-to-clone connection: `let mut redis = state.redis.clone();`, then
//! `redis::AsyncCommands` (`get::<_, Option<String>>`, `pset_ex`, `del`).

use super::AppState;
use super::error::AppError;

// TODO: use these from `links.rs` (or write the cache your way).

/// The URL of `code`: from Redis, or from PostgreSQL and then kept in Redis; `None` for a
/// code that is no link (kept in Redis too, for `miss_ttl`).
pub async fn resolve(state: &AppState, code: &str) -> Result<Option<String>, AppError> {
    todo!("read the cache, then PostgreSQL on a miss, then fill the cache")
}

/// Puts `code → url` in the cache.
pub async fn remember(state: &AppState, code: &str, url: &str) -> Result<(), AppError> {
    todo!("SET the link's key with the cache's time to live")
}

/// Takes `code` out of the cache.
pub async fn forget(state: &AppState, code: &str) -> Result<(), AppError> {
    todo!("DEL the link's key")
}
