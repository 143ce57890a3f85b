//! Milestone 6: favorites. `POST /api/articles/{slug}/favorite` and `DELETE` (both 200 and
//! the article, both idempotent): `favorited` becomes the caller's answer, and
//! `favoritesCount` counts.
//!
//! Twenty users favorite an article in the same second: the count must be 20. A counter
//! column read, incremented in Rust and written back loses updates (two requests read 7,
//! both write 8). A row per (article, user) with that primary key, inserted with `ON
//! CONFLICT DO NOTHING`, and `count(*)` when answering, cannot: the database serialises the
//! inserts, and a second favorite by the same user is no row at all.

use super::error::AppError;

// TODO: a migration for `favorites`, the two handlers, and the count and `favorited` in the
// article query of `articles.rs`.

/// `POST /api/articles/{slug}/favorite`.
pub async fn favorite() -> AppError {
    AppError::not_implemented("POST /api/articles/{slug}/favorite", 6, "favorites")
}

/// `DELETE /api/articles/{slug}/favorite`.
pub async fn unfavorite() -> AppError {
    AppError::not_implemented("DELETE /api/articles/{slug}/favorite", 6, "favorites")
}
