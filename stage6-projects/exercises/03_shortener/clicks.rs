//! Milestone 4: clicks. The redirect appends the click to a Redis Stream and answers; click
//! workers move the stream into PostgreSQL (`mod.rs`, section 5, "Clicks").
//!
//! What it needs:
//! - a migration: a `clicks` table, a row a click, keyed by the event's id (the stream
//!   entry's id, such as `1764752400000-0`), so that a click delivered twice is stored once;
//! - `record`, called by `redirect` before it answers: `XADD {key_prefix}clicks * code
//!   <code>` ([`stream_key`]; `redis::AsyncCommands::xadd`);
//! - `run_worker(state, consumer)`: a connection of its own
//!   (`state.redis_client.get_multiplexed_async_connection()`), since its reads block; the
//!   group [`GROUP`] made from id `0` (`xgroup_create_mkstream`, an error whose `code()` is
//!   `Some("BUSYGROUP")` means it exists: go on); then for ever: `XAUTOCLAIM` entries
//!   pending longer than `config.claim_idle` (a dead worker's), and `XREADGROUP` new ones
//!   (`xread_options` with `StreamReadOptions::default().group(GROUP, &consumer)
//!   .count(100).block(poll in ms)` and `">"`); write each batch in one statement
//!   (`INSERT … SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (event_id) DO
//!   NOTHING`), and `XACK` the batch only after PostgreSQL said yes. When PostgreSQL fails,
//!   acknowledge nothing: the entries stay pending and are claimed again later;
//! - `stats`: `{code, url, clicks}`, the clicks counted from the table; 404 for no link.
//!
//! The tests kill workers: one that read the clicks and died, one whose database refused
//! them. Every click must still be counted, each once.

use super::AppState;
use super::error::AppError;

/// The consumer group every worker reads the click stream in.
pub const GROUP: &str = "counters";

/// The click stream's key: `{key_prefix}clicks`.
pub fn stream_key(state: &AppState) -> String {
    format!("{}clicks", state.config.key_prefix)
}

/// Appends one click of `code` to the stream.
pub async fn record(state: &AppState, code: &str) -> Result<(), AppError> {
    // TODO: XADD the click.
    todo!("XADD {{key_prefix}}clicks * code <code>")
}

/// A click worker named `consumer`: reads the stream in the group [`GROUP`], writes the
/// clicks to PostgreSQL, acknowledges them after the commit. Runs until its task is dropped.
pub async fn run_worker(state: AppState, consumer: String) -> Result<(), AppError> {
    // TODO: the worker's loop. (It answers "not implemented" instead of `todo!()` so that the
    // binary keeps serving while it is not written.)
    Err(AppError::not_implemented("the click worker", 4, "clicks"))
}

/// `GET /api/links/{code}/stats`: `{code, url, clicks}`; 404 for a code that is no link.
pub async fn stats() -> AppError {
    AppError::not_implemented("GET /api/links/{code}/stats", 4, "clicks")
}
