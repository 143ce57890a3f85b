//! Milestone 4: clicks. A Redis Stream between the redirect and PostgreSQL.

use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use redis::AsyncCommands;
use redis::streams::{StreamAutoClaimReply, StreamId, StreamReadReply};
use serde::Serialize;

use super::AppState;
use super::error::AppError;
use super::links::id_of;

/// The consumer group every worker reads the click stream in.
pub const GROUP: &str = "counters";

/// How many clicks a worker takes at a time.
const BATCH: usize = 100;

/// The click stream's key: `{key_prefix}clicks`.
pub fn stream_key(state: &AppState) -> String {
    format!("{}clicks", state.config.key_prefix)
}

/// Appends one click of `code` to the stream (`XADD … * code <code>`): a few microseconds
/// of Redis, and the redirect can answer.
pub async fn record(state: &AppState, code: &str) -> Result<(), AppError> {
    let mut redis = state.redis.clone();
    let _: String = redis
        .xadd(stream_key(state), "*", &[("code", code)])
        .await?;
    Ok(())
}

/// A click worker named `consumer`: reads the stream in the group [`GROUP`], adds the clicks
/// to PostgreSQL, and acknowledges them after the commit. Runs until its task is dropped.
pub async fn run_worker(state: AppState, consumer: String) -> Result<(), AppError> {
    let stream = stream_key(&state);
    // A connection of its own: a blocking read would hold up every command queued behind it
    // on the shared one.
    let config = redis::AsyncConnectionConfig::new()
        .set_response_timeout(Some(state.config.poll + Duration::from_secs(5)));
    let mut redis = state
        .redis_client
        .get_multiplexed_async_connection_with_config(&config)
        .await?;
    // From 0: the clicks recorded before the first worker started count too.
    let created: redis::RedisResult<()> = redis.xgroup_create_mkstream(&stream, GROUP, "0").await;
    match created {
        Err(e) if e.code() != Some("BUSYGROUP") => return Err(e.into()),
        _ => {}
    }
    let idle_ms = state.config.claim_idle.as_millis() as u64;
    loop {
        // First the clicks another worker took and never acknowledged: it died.
        let claimed: StreamAutoClaimReply = redis::cmd("XAUTOCLAIM")
            .arg(&stream)
            .arg(GROUP)
            .arg(&consumer)
            .arg(idle_ms)
            .arg("0-0")
            .arg("COUNT")
            .arg(BATCH)
            .query_async(&mut redis)
            .await?;
        if !claimed.claimed.is_empty() {
            apply(&state, &mut redis, &stream, &claimed.claimed).await;
            continue;
        }
        let options = redis::streams::StreamReadOptions::default()
            .group(GROUP, &consumer)
            .count(BATCH)
            .block(state.config.poll.as_millis() as usize);
        let read: Option<StreamReadReply> =
            redis.xread_options(&[&stream], &[">"], &options).await?;
        for key in read.map(|r| r.keys).unwrap_or_default() {
            apply(&state, &mut redis, &stream, &key.ids).await;
        }
    }
}

/// Adds `entries` to PostgreSQL in one statement, each once (its stream id is the primary
/// key), then acknowledges them. When PostgreSQL fails they stay pending, and a worker
/// claims them again after `claim_idle`.
async fn apply(
    state: &AppState,
    redis: &mut redis::aio::MultiplexedConnection,
    stream: &str,
    entries: &[StreamId],
) {
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    let codes: Vec<String> = entries
        .iter()
        .map(|e| e.get::<String>("code").unwrap_or_default())
        .collect();
    let inserted = sqlx::query(
        "INSERT INTO clicks (event_id, code)
         SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(&ids)
    .bind(&codes)
    .execute(&state.pool)
    .await;
    if let Err(e) = inserted {
        tracing::warn!(error = %e, "clicks not applied; they stay pending and are retried");
        tokio::time::sleep(state.config.poll).await;
        return;
    }
    let acked: redis::RedisResult<usize> = redis.xack(stream, GROUP, &ids).await;
    if let Err(e) = acked {
        // Applied but not acknowledged: delivered again later, and skipped by the key.
        tracing::warn!(error = %e, "clicks applied but not acknowledged");
    }
}

#[derive(Serialize)]
pub struct Stats {
    code: String,
    url: String,
    clicks: i64,
}

/// `GET /api/links/{code}/stats`: the clicks the workers have applied so far; 404 unknown.
pub async fn stats(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Stats>, AppError> {
    let id = id_of(&code).ok_or(AppError::NotFound("no such link"))?;
    let (url, clicks): (String, i64) = sqlx::query_as(
        "SELECT url, (SELECT count(*) FROM clicks WHERE code = $2) FROM links WHERE id = $1",
    )
    .bind(id)
    .bind(&code)
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound("no such link"))?;
    Ok(Json(Stats { code, url, clicks }))
}
