//! # Exercise 13: one session store, two backends (PostgreSQL or Redis?)
//!
//! A web login creates a *session*: a random id sent to the browser in a cookie, and on the
//! server the data behind it (who is logged in, a CSRF token) with an expiry. Every request
//! reads it, so the store must be fast; it must forget sessions when they expire; and losing
//! it logs everybody out. Both PostgreSQL and Redis can hold it, and the choice between them
//! is the everyday "SQL or NoSQL" decision:
//!
//! - **Durability.** PostgreSQL writes every commit to disk (the WAL) before it answers. Redis
//!   keeps data in memory; it saves snapshots (RDB) or an append-only file (AOF) only if
//!   configured, and even then may lose the last second of writes.
//! - **Expiry.** Redis has it built in: `SET key value PX 1500` and the key disappears by
//!   itself. PostgreSQL has none: you store `expires_at`, filter `expires_at > now()` on every
//!   read, and delete old rows with a periodic job (cron, pg_cron).
//! - **Queries.** PostgreSQL answers anything: "all sessions of user 42", counts, joins, and
//!   transactions together with your other tables. Redis finds a value by its key; any other
//!   lookup is a structure you maintain yourself (a set of session ids per user…).
//! - **Cost.** A table in the database you already run, against one more service to run,
//!   watch and size (Redis is bounded by memory), for sub-millisecond key reads.
//!
//! A common path: start in PostgreSQL (one moving part, and sessions you can query), move
//! hot, short-lived key-value data (sessions, rate-limit counters, caches) to Redis when the
//! load asks for it. Code that talks to a *trait* does not notice the move: that is how
//! `tower-sessions` (used with axum) works, with a `SessionStore` trait and crates such as
//! `tower-sessions-redis-store` and `tower-sessions-sqlx-store` behind it.
//!
//! **Async functions in traits.** Since Rust 1.75 a trait can declare `async fn` directly,
//! with no `#[async_trait]` macro and no boxing. Two limits: such a trait cannot be used as
//! `dyn SessionStore`, and callers cannot require the returned futures to be `Send` (which
//! `tokio::spawn` and axum handlers need). Libraries therefore often write
//! `fn get(&self, id: &str) -> impl Future<Output = …> + Send;` instead; for code that calls
//! the store through generics, as the tests here do, `async fn` is all you need.
//!
//! **Each backend:**
//! - PostgreSQL: the `sessions` table below. `put` is an *upsert*
//!   (`INSERT … ON CONFLICT (id) DO UPDATE SET …`), so a second login with the same id
//!   replaces data and expiry; `expires_at` is computed by the server (`now() + $3`; sqlx binds
//!   a `std::time::Duration` as an `interval`); `get` ignores expired rows. The session is
//!   stored as `jsonb` through `sqlx::types::Json<Session>`.
//! - Redis: one key per session, `prefix + id`, holding the session as JSON (serde_json), set
//!   with an expiry in one command: `SET key json PX milliseconds` (`redis::SetOptions` with
//!   `SetExpiry::PX`), never `SET` then `EXPIRE` (a crash in between leaves a key that lives
//!   forever). `DEL` returns how many keys it removed.
//!
//! **One trait, one behaviour.** The backends differ where nobody looks until production:
//! - *A zero ttl.* PostgreSQL takes `now() + 0` happily (a row that has already expired);
//!   Redis refuses `SET … PX 0` with an error (`invalid expire time`). The trait decides: a
//!   zero ttl stores a session that has expired already, so on Redis there is nothing to set,
//!   and any older session under that id must go.
//! - *Deleting an expired session.* Redis has already forgotten it, so `DEL` answers 0; the
//!   table still has the row, so a plain `DELETE` counts 1. The trait decides: an expired
//!   session counts as none, for `delete` as for `get`. (The row should still go: nothing
//!   else will clean it up until the periodic job runs.)
//!
//! Code written against the trait (a logout handler that answers 404 when there was no
//! session) would otherwise change behaviour the day the backend changes.
//!
//! Docs: <https://doc.rust-lang.org/reference/items/traits.html#async-methods>,
//! <https://www.postgresql.org/docs/15/sql-insert.html#SQL-ON-CONFLICT>,
//! <https://redis.io/docs/latest/commands/set/>,
//! <https://docs.rs/redis/latest/redis/struct.SetOptions.html>,
//! <https://docs.rs/tower-sessions/latest/tower_sessions/>.
//!
//! Your task: implement `SessionStore` for `PgSessionStore` and for `RedisSessionStore`.
//!
//! Run `cargo xtask check 13_session_store` to check your work; `cargo xtask hint 13_session_store` gives a hint.

use std::time::Duration;

use redis::AsyncCommands;
use redis::aio::{ConnectionLike, ConnectionManager};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use sqlx::types::Json;

/// What the server keeps about a logged-in browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub user_id: i64,
    pub csrf_token: String,
    pub roles: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("postgres: {0}")]
    Postgres(#[from] sqlx::Error),
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("session data is not valid json: {0}")]
    Data(#[from] serde_json::Error),
}

/// Where sessions live. The rest of the application sees only this, so every backend must
/// behave the same, down to the edge cases below.
pub trait SessionStore {
    /// Stores `session` under `id` for `ttl`, replacing any session with that id (data and
    /// expiry). A zero `ttl` stores a session that has expired already: `get` finds nothing.
    async fn put(&self, id: &str, session: &Session, ttl: Duration) -> Result<(), StoreError>;

    /// The session stored under `id`, or `None` if there is none or it has expired.
    async fn get(&self, id: &str) -> Result<Option<Session>, StoreError>;

    /// Removes the session; returns whether there was one that had not expired. An expired
    /// session counts as none, as it does for `get`: Redis has already forgotten it, and a
    /// logout must not answer differently depending on where sessions are kept.
    async fn delete(&self, id: &str) -> Result<bool, StoreError>;
}

/// Sessions in the `sessions` table.
pub struct PgSessionStore {
    pool: PgPool,
}

impl PgSessionStore {
    /// Creates the table if it is missing (provided).
    pub async fn new(pool: PgPool) -> Result<Self, StoreError> {
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS sessions (
                 id text PRIMARY KEY,
                 data jsonb NOT NULL,
                 expires_at timestamptz NOT NULL
             )",
        )
        .execute(&pool)
        .await?;
        Ok(Self { pool })
    }
}

impl SessionStore for PgSessionStore {
    async fn put(&self, id: &str, session: &Session, ttl: Duration) -> Result<(), StoreError> {
        // TODO: store the session under `id` as jsonb, replacing the data and the expiry of any
        // session already there; the database's clock decides when it expires.
        todo!("insert or replace the row, expiring at now() + ttl")
    }

    async fn get(&self, id: &str) -> Result<Option<Session>, StoreError> {
        // TODO: the session, unless there is none or its time has passed (the row of an expired
        // session may still be in the table).
        todo!("read the session unless it has expired")
    }

    async fn delete(&self, id: &str) -> Result<bool, StoreError> {
        // TODO: remove the row; answer whether it held a session that had not expired (see the
        // trait).
        todo!("delete the row")
    }
}

/// Sessions as Redis keys `prefix + id`. `C` is the connection: a `ConnectionManager` in
/// production, any other async connection (such as the tests' command recorder) too.
pub struct RedisSessionStore<C = ConnectionManager> {
    conn: C,
    prefix: String,
}

impl<C> RedisSessionStore<C> {
    pub fn new(conn: C, prefix: impl Into<String>) -> Self {
        Self {
            conn,
            prefix: prefix.into(),
        }
    }

    /// The Redis key of session `id` (provided).
    fn key(&self, id: &str) -> String {
        format!("{}{id}", self.prefix)
    }
}

impl<C: ConnectionLike + Clone + Send + Sync> SessionStore for RedisSessionStore<C> {
    // A connection needs `&mut` to send a command; cloning a ConnectionManager is cheap (it is
    // a handle to one shared connection), so each method starts with
    // `let mut conn = self.conn.clone();`.

    async fn put(&self, id: &str, session: &Session, ttl: Duration) -> Result<(), StoreError> {
        // TODO: the session as JSON under `self.key(id)`, expiring after `ttl`: the value and its
        // expiry written by one command. A zero ttl: see the trait.
        todo!("SET the session as JSON with an expiry")
    }

    async fn get(&self, id: &str) -> Result<Option<Session>, StoreError> {
        // TODO: the session parsed from its JSON, or `None` when the key is not there.
        todo!("GET the session and parse it")
    }

    async fn delete(&self, id: &str) -> Result<bool, StoreError> {
        // TODO: remove the key; answer whether there was one.
        todo!("delete the session key")
    }
}
