//! mistake: the cursor keeps created_at in whole seconds: the page restarts before the microseconds of the last row
//! # Exercise 06: keyset pagination with an opaque cursor
//!
//! Each page starts strictly after the last row of the previous one, `(created_at, id) <
//! (cursor)` in `created_at DESC, id DESC` order, so rows inserted at the top never shift the
//! following pages, and the `id` tie-breaker makes the order total. The cursor is that pair as
//! hex text; anything that does not decode is rejected. One extra row tells whether a next
//! page exists.
//!
//! - <https://use-the-index-luke.com/no-offset>
//! - <https://www.postgresql.org/docs/15/functions-comparisons.html#ROW-WISE-COMPARISON>

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
    let plain = format!("{}:{id}", created_at.timestamp());
    plain.bytes().map(|byte| format!("{byte:02x}")).collect()
}

/// Unpacks a token made by `encode_cursor`; anything else is `PageError::InvalidCursor`.
pub fn decode_cursor(cursor: &str) -> Result<(DateTime<Utc>, i64), PageError> {
    decode(cursor).ok_or(PageError::InvalidCursor)
}

/// `decode_cursor`'s steps; `None` as soon as one fails.
fn decode(cursor: &str) -> Option<(DateTime<Utc>, i64)> {
    if !cursor.len().is_multiple_of(2) || !cursor.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    // All ASCII, so every two-byte slice is on a char boundary.
    let bytes = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&cursor[i..i + 2], 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    let plain = String::from_utf8(bytes).ok()?;
    let (micros, id) = plain.split_once(':')?;
    let created_at = DateTime::from_timestamp(micros.parse().ok()?, 0)?;
    Some((created_at, id.parse().ok()?))
}

/// The page of at most `limit` posts that follows `cursor` (the first page if `None`), newest
/// first, ordered by `created_at DESC, id DESC`.
pub async fn list_posts(
    pool: &PgPool,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Page, PageError> {
    let after = cursor.map(decode_cursor).transpose()?;
    // One row more than the page: if it comes back, there is a next page.
    let mut items: Vec<Post> = match after {
        None => {
            sqlx::query_as(
                "SELECT id, title, created_at FROM posts
                 ORDER BY created_at DESC, id DESC
                 LIMIT $1",
            )
            .bind(limit + 1)
            .fetch_all(pool)
            .await?
        }
        Some((created_at, id)) => {
            sqlx::query_as(
                "SELECT id, title, created_at FROM posts
                 WHERE (created_at, id) < ($1, $2)
                 ORDER BY created_at DESC, id DESC
                 LIMIT $3",
            )
            .bind(created_at)
            .bind(id)
            .bind(limit + 1)
            .fetch_all(pool)
            .await?
        }
    };
    let has_more = items.len() as i64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = match items.last() {
        Some(last) if has_more => Some(encode_cursor(last.created_at, last.id)),
        _ => None,
    };
    Ok(Page { items, next_cursor })
}
