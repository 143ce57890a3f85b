//! Milestone 3: the cache. Redis in front of PostgreSQL, cache-aside.

use redis::AsyncCommands;

use super::AppState;
use super::error::AppError;
use super::links::id_of;

/// What the cache holds for a code that has no link: nothing a URL can be.
const MISSING: &str = "";

fn key(state: &AppState, code: &str) -> String {
    format!("{}link:{code}", state.config.key_prefix)
}

/// The URL of `code`: from Redis when it is there, otherwise from PostgreSQL, then kept in
/// Redis for `cache_ttl` (and a miss for `miss_ttl`, so that unknown codes do not reach the
/// database either).
pub async fn resolve(state: &AppState, code: &str) -> Result<Option<String>, AppError> {
    let mut redis = state.redis.clone();
    let key = key(state, code);
    if let Some(cached) = redis.get::<_, Option<String>>(&key).await? {
        return Ok((cached != MISSING).then_some(cached));
    }
    let url: Option<String> = match id_of(code) {
        Some(id) => {
            sqlx::query_scalar("SELECT url FROM links WHERE id = $1")
                .bind(id)
                .fetch_optional(&state.pool)
                .await?
        }
        None => None,
    };
    let (value, ttl) = match &url {
        Some(url) => (url.as_str(), state.config.cache_ttl),
        None => (MISSING, state.config.miss_ttl),
    };
    let _: () = redis.pset_ex(&key, value, ttl.as_millis() as u64).await?;
    Ok(url)
}

/// Puts `code → url` in the cache (a new link).
pub async fn remember(state: &AppState, code: &str, url: &str) -> Result<(), AppError> {
    let mut redis = state.redis.clone();
    let ttl = state.config.cache_ttl.as_millis() as u64;
    let _: () = redis.pset_ex(key(state, code), url, ttl).await?;
    Ok(())
}

/// Takes `code` out of the cache (a deleted link), for every instance at once.
pub async fn forget(state: &AppState, code: &str) -> Result<(), AppError> {
    let mut redis = state.redis.clone();
    let _: () = redis.del(key(state, code)).await?;
    Ok(())
}
