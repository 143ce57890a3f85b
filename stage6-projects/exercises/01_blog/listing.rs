//! Milestone 4: listing. `GET /api/articles` (auth optional): `{"articles": [...],
//! "articlesCount": n}`, newest first, filtered by `tag`, `author` (a username) or
//! `favorited` (the username of who favorited), a page at a time (`limit`, default 20, at
//! least 1; `offset`, default 0, at least 0; anything else is a 422).
//!
//! `articlesCount` is how many articles match in all, so that a client can show "page 2 of
//! 7": a second query, `SELECT count(*)` with the same filters, not the page's length. List
//! items are articles without `body`. Write the filters once with binds that may be `NULL`,
//! `($1::text IS NULL OR $1 = ANY (a.tag_list))`, rather than gluing SQL together: SQL text
//! made from what a client sends is an injection waiting to happen (stage 5, exercise 01).
//!
//! Milestone 7, **the feed**: `GET /api/articles/feed` (auth required) is the same list of
//! the articles whose authors the caller follows, with `limit` and `offset`.

use super::error::AppError;

// TODO: the query types, the list function shared by both handlers, and the handlers.

/// `GET /api/articles`.
pub async fn articles() -> AppError {
    AppError::not_implemented("GET /api/articles", 4, "listing")
}

/// `GET /api/articles/feed`.
pub async fn feed() -> AppError {
    AppError::not_implemented("GET /api/articles/feed", 7, "feed and tags")
}
