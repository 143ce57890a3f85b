//! mistake: a database error is read as "no such user" (.ok().flatten())
//! # Exercise 01: CRUD with sqlx
//!
//! Almost every backend starts as four verbs on a table: **C**reate, **R**ead, **U**pdate,
//! **D**elete. In Rust the usual tool is sqlx (<https://docs.rs/sqlx>): an async driver that
//! sends SQL you write yourself to PostgreSQL and maps the rows to your structs. (An ORM such
//! as sea-orm, later in this stage, writes the SQL for you; it sits on top of sqlx.)
//!
//! **A pool, not a connection.** A `PgPool` keeps a few open connections and lends one to each
//! query; it is cheap to clone and is what an axum handler receives as state. Every query
//! function takes an *executor*: `&PgPool` here (or a transaction, later).
//!
//! **Queries and parameters.** `sqlx::query_as::<_, User>("SELECT … WHERE id = $1").bind(id)`
//! sends the SQL text and the values separately: `$1`, `$2`… are placeholders, and a value
//! bound to one can never be read as SQL, whatever quotes it contains. That is the whole
//! defence against SQL injection, so never paste values into the SQL with `format!` (sqlx 0.9
//! even refuses a `String` as SQL unless you wrap it in `sqlx::AssertSqlSafe`).
//!
//! **Rows to structs.** `#[derive(sqlx::FromRow)]` maps columns to fields *by name*, so the
//! `SELECT` list must name every field. Types must match: `bigint` is `i64`, `text` is
//! `String`, `timestamptz` is `chrono::DateTime<Utc>` (sqlx's `chrono` feature).
//!
//! **How many rows do you expect?** The fetch method says it:
//! - `fetch_one`: the first row, or `Err(sqlx::Error::RowNotFound)` when there is none;
//! - `fetch_optional`: the first row as `Some`, or `None` when there is none: "no such user" is
//!   a normal answer, not an error, so `get_user` returns `Ok(None)` for it;
//! - `fetch_all`: a `Vec` of every row;
//! - `execute`: no rows, only a `PgQueryResult` whose `rows_affected()` says how many rows the
//!   statement changed.
//!
//! Neither `fetch_one` nor `fetch_optional` checks that there is only one row: a second one is
//! silently dropped. "At most one" is the query's job (`WHERE` on a unique column, or `LIMIT 1`).
//!
//! **`None` is an answer, `Err` is a failure.** `Ok(None)` tells the caller "there is no such
//! user", and an HTTP handler turns it into `404 Not Found`. A database that refused the
//! statement (a taken email, a lost connection, a missing table) is something else: turning
//! that error into `None` (`.ok()`, `Err(_) => Ok(None)`, `unwrap_or_default()`) answers "no
//! such user" when the truth is "I could not look", and hides the bug that caused it. Pass
//! errors through unchanged, with `?` or by returning sqlx's `Result` as it is.
//!
//! **`RETURNING`.** PostgreSQL's `INSERT`/`UPDATE`/`DELETE … RETURNING id, name, …` hands back
//! the rows as written, including what the database filled in (the generated `id`, the
//! `created_at` default), in the same round trip: no second `SELECT`.
//!
//! **Order is never implied.** A table is a set: without `ORDER BY`, PostgreSQL returns rows in
//! whatever order is cheapest, which changes after an `UPDATE` or a `VACUUM`.
//!
//! - <https://docs.rs/sqlx/0.9/sqlx/fn.query_as.html>
//! - <https://docs.rs/sqlx/0.9/sqlx/trait.FromRow.html>
//! - <https://www.postgresql.org/docs/15/dml-returning.html>
//!
//! Your task: write the five functions below against the `users` table that `create_schema`
//! makes (the tests call it first).
//!
//! Run `cargo xtask check 01_crud` to check your work; `cargo xtask hint 01_crud` gives a hint.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// A row of the `users` table.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub created_at: DateTime<Utc>,
}

/// What a client sends to create a user: the database chooses `id` and `created_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub name: String,
    pub email: String,
}

/// Creates the `users` table. Provided: in a real application this is a migration
/// (exercise 02).
pub async fn create_schema(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(
        "CREATE TABLE users (
             id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
             name       text NOT NULL,
             email      text NOT NULL UNIQUE,
             created_at timestamptz NOT NULL DEFAULT now()
         )",
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Inserts a user and returns the row as stored, with the `id` and `created_at` the database
/// chose. An email that is already taken is an `Err` (the table's `UNIQUE` constraint).
pub async fn create_user(pool: &PgPool, new: &NewUser) -> Result<User, sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO users (name, email) VALUES ($1, $2)
         RETURNING id, name, email, created_at",
    )
    .bind(&new.name)
    .bind(&new.email)
    .fetch_one(pool)
    .await
}

/// The user with this `id`, or `Ok(None)` when there is none.
pub async fn get_user(pool: &PgPool, id: i64) -> Result<Option<User>, sqlx::Error> {
    Ok(
        sqlx::query_as("SELECT id, name, email, created_at FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await
            .ok()
            .flatten(),
    )
}

/// Every user, in the order they were created (by `id`).
pub async fn list_users(pool: &PgPool) -> Result<Vec<User>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, email, created_at FROM users ORDER BY id")
        .fetch_all(pool)
        .await
}

/// Changes the email of the user with this `id` and returns the updated row, or `Ok(None)`
/// when there is no such user.
pub async fn update_email(
    pool: &PgPool,
    id: i64,
    email: &str,
) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE users SET email = $2 WHERE id = $1
         RETURNING id, name, email, created_at",
    )
    .bind(id)
    .bind(email)
    .fetch_optional(pool)
    .await
}

/// Deletes the user with this `id`; `true` if a row was deleted, `false` if there was none.
pub async fn delete_user(pool: &PgPool, id: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(result.rows_affected() == 1)
}
