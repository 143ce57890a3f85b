//! # Exercise 06: keyset pagination with an opaque cursor
//!
//! A feed, an order history, an audit log: a list endpoint never returns every row, it returns
//! a page and a way to ask for the next one. The obvious way is `LIMIT 10 OFFSET 20` ("page
//! 3"), and it has two problems that grow with the table:
//!
//! - **It drifts.** Between the client's requests, new posts arrive at the top. Every row moves
//!   down, so page 2 starts with rows the client already saw on page 1 (and a deletion makes it
//!   skip rows instead). Infinite scroll shows duplicates.
//! - **It is slow deep down.** `OFFSET 100000` makes PostgreSQL produce 100,000 rows and throw
//!   them away before returning ten.
//!
//! **Keyset pagination** (also "seek" or cursor pagination) remembers where the last page
//! ended instead of how many rows came before: "the posts older than the last one I saw".
//! The order must be total, so it needs a tie-breaker: many posts can share a `created_at`,
//! but `(created_at, id)` is unique. PostgreSQL compares such pairs directly with a row
//! comparison:
//!
//! ```sql
//! SELECT id, title, created_at FROM posts
//! WHERE (created_at, id) < ($1, $2)        -- strictly after the last row, in DESC order
//! ORDER BY created_at DESC, id DESC
//! LIMIT $3
//! ```
//!
//! With an index on `(created_at, id)` every page is one short index walk, however deep. New
//! rows at the top do not move the boundary, so nothing is repeated or skipped.
//!
//! **The cursor is opaque**: the server packs the last row's `(created_at, id)` into a token
//! such as `"3137313435…"` and the client hands it back untouched (GitHub's and Stripe's APIs
//! call it `after` / `starting_after`; GraphQL's Relay spec calls it `endCursor`). Opaque means
//! clients cannot depend on its format, so the server may change it, and it must reject a token
//! it did not make with a clear error (here `PageError::InvalidCursor`, which an HTTP handler
//! would turn into `400 Bad Request`) instead of a random page or a 500. Production code
//! usually base64-encodes the cursor (the `base64` crate); this exercise has no such crate, so
//! encode the bytes as hex by hand. The last page has no next cursor: to know whether there is
//! one, ask the database for one row more than the page holds.
//!
//! - <https://use-the-index-luke.com/no-offset>
//! - <https://www.postgresql.org/docs/15/functions-comparisons.html#ROW-WISE-COMPARISON>
//! - <https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api>
//!
//! The tests create and fill `posts (id bigint PRIMARY KEY, title text NOT NULL, created_at
//! timestamptz NOT NULL)`; `created_at` has microseconds, and many posts share one.
//!
//! Your task: write `encode_cursor`, `decode_cursor` and `list_posts`. `list_posts_offset` is
//! given, for contrast: one test shows it drifting next to yours.
//!
//! Run `cargo xtask check 06_pagination` to check your work; `cargo xtask hint 06_pagination`
//! gives a hint.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// One row of the `posts` table.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Post {
    pub id: i64,
    pub title: String,
    pub created_at: DateTime<Utc>,
}

/// One page of posts, newest first, and the cursor of the next page (`None` on the last page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub items: Vec<Post>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// The cursor was not made by `encode_cursor`: garbage, truncated or edited.
    #[error("invalid cursor")]
    InvalidCursor,
    #[error("database error")]
    Database(#[from] sqlx::Error),
}

/// OFFSET pagination, given for contrast: page `page` (from 0) of `per_page` posts, newest first.
pub async fn list_posts_offset(
    pool: &PgPool,
    page: i64,
    per_page: i64,
) -> Result<Vec<Post>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, title, created_at FROM posts
         ORDER BY created_at DESC, id DESC
         LIMIT $1 OFFSET $2",
    )
    .bind(per_page)
    .bind(page * per_page)
    .fetch_all(pool)
    .await
}

/// Packs a position in the list, the last row's `(created_at, id)`, into an opaque token.
pub fn encode_cursor(created_at: DateTime<Utc>, id: i64) -> String {
    // TODO: pack the pair into a token the client cannot read at a glance (hex, say), keeping
    // `created_at` to the microsecond, as PostgreSQL stores it: `decode_cursor` must get back
    // exactly the same pair.
    todo!("encode (created_at, id) as an opaque string")
}

/// Unpacks a token made by `encode_cursor`; anything else is `PageError::InvalidCursor`.
pub fn decode_cursor(cursor: &str) -> Result<(DateTime<Utc>, i64), PageError> {
    // TODO: undo `encode_cursor`. A token it did not make (garbage, cut short, edited, not
    // even ASCII) is `PageError::InvalidCursor`, never a panic and never some other page.
    todo!("decode a cursor, rejecting anything encode_cursor did not make")
}

/// The page of at most `limit` posts that follows `cursor` (the first page if `None`), newest
/// first, ordered by `created_at DESC, id DESC`.
pub async fn list_posts(
    pool: &PgPool,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Page, PageError> {
    // TODO: the posts that come strictly after the cursor's position in the feed's order,
    // however many posts share a `created_at` and whatever was inserted above it since. The
    // last page has no `next_cursor`: none that leads to an empty page.
    todo!("list one page of posts after the cursor")
}
