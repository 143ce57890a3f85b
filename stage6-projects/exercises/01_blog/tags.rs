//! Milestone 7 (with the feed in `listing.rs`): tags. `GET /api/tags` is `{"tags": [...]}`,
//! every tag some article has, each once (`SELECT DISTINCT` over `unnest` of a `text[]`
//! column, or over a table of tags, depending on how you stored them).

use super::error::AppError;

// TODO: the handler.

/// `GET /api/tags`.
pub async fn list() -> AppError {
    AppError::not_implemented("GET /api/tags", 7, "feed and tags")
}
