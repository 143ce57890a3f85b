//! mistake: the PostgreSQL get reads the row without looking at expires_at: expired sessions come back
//! # Exercise 13: one session store, two backends, reference solution
//!
//! The same trait over PostgreSQL (an upserted row with `expires_at`, filtered on read) and
//! Redis (a JSON value set with `SET … PX`, which Redis expires by itself).

use std::time::Duration;

use redis::AsyncCommands;
use redis::aio::{ConnectionLike, ConnectionManager};
use redis::{SetExpiry, SetOptions};
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
        // The server's clock decides expiry, on writes and reads alike: application servers'
        // clocks may disagree with each other, the database's is one.
        sqlx::query(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, now() + $3)
             ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at",
        )
        .bind(id)
        .bind(Json(session))
        .bind(ttl)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn get(&self, id: &str) -> Result<Option<Session>, StoreError> {
        // An expired row may still be there (nothing deletes it by itself): filter it out.
        let data: Option<Json<Session>> =
            sqlx::query_scalar("SELECT data FROM sessions WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(data.map(|Json(session)| session))
    }

    async fn delete(&self, id: &str) -> Result<bool, StoreError> {
        // The row goes whether it had expired or not; only a live session counts as one.
        let live: Option<bool> =
            sqlx::query_scalar("DELETE FROM sessions WHERE id = $1 RETURNING expires_at > now()")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(live == Some(true))
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
        let json = serde_json::to_string(session)?;
        let mut conn = self.conn.clone();
        let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
        if millis == 0 {
            // Redis refuses `PX 0`; a session that has expired already is one that is not there.
            let _: usize = conn.del(self.key(id)).await?;
            return Ok(());
        }
        // The value and its expiry in one command: SET then EXPIRE would leave a session that
        // never expires if this process died in between.
        let options = SetOptions::default().with_expiration(SetExpiry::PX(millis));
        let _: Option<String> = conn.set_options(self.key(id), json, options).await?;
        Ok(())
    }

    async fn get(&self, id: &str) -> Result<Option<Session>, StoreError> {
        let mut conn = self.conn.clone();
        let json: Option<String> = conn.get(self.key(id)).await?;
        Ok(json.map(|json| serde_json::from_str(&json)).transpose()?)
    }

    async fn delete(&self, id: &str) -> Result<bool, StoreError> {
        let mut conn = self.conn.clone();
        let removed: usize = conn.del(self.key(id)).await?;
        Ok(removed == 1)
    }
}
