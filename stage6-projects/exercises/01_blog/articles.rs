//! Milestone 3: articles. Create (`POST /api/articles`, 201), read (`GET
//! /api/articles/{slug}`, auth optional), update (`PUT`) and delete (`DELETE`, 204) one
//! article; only its author may change or delete it (403 for others).
//!
//! `{"article": {"title", "description", "body", "tagList"}}` in; out, the article with its
//! `slug`, `createdAt`, `updatedAt` (`%Y-%m-%dT%H:%M:%S%.3fZ` of a `DateTime<Utc>` from a
//! `timestamptz`), `favorited` and `favoritesCount` (the viewer's, and 0 until milestone 6
//! gives you a `favorites` table to count), and `author`, the profile of milestone 2.
//! One query with a `JOIN users` and a few `EXISTS`/`count(*)` sub-queries gives it all;
//! you will reuse it for lists.
//!
//! The slug comes from the title, and is unique: put a unique index on it and let the
//! database choose between two articles of the same title, `INSERT ... ON CONFLICT (slug) DO
//! NOTHING RETURNING slug` answering no row when it is taken; then try again with a suffix.
//! A "is it free?" `SELECT` before the insert is a race: two requests both see it free.
//! Deleting an article deletes its comments and favorites: `ON DELETE CASCADE` on their
//! foreign keys does it in the database.

use super::error::AppError;

// TODO: the types, a migration for `articles`, and the four handlers.

/// `POST /api/articles`: 201 and the article.
pub async fn create() -> AppError {
    AppError::not_implemented("POST /api/articles", 3, "articles")
}

/// `GET /api/articles/{slug}`.
pub async fn get() -> AppError {
    AppError::not_implemented("GET /api/articles/{slug}", 3, "articles")
}

/// `PUT /api/articles/{slug}`: only the author.
pub async fn update() -> AppError {
    AppError::not_implemented("PUT /api/articles/{slug}", 3, "articles")
}

/// `DELETE /api/articles/{slug}`: only the author; 204.
pub async fn delete() -> AppError {
    AppError::not_implemented("DELETE /api/articles/{slug}", 3, "articles")
}
