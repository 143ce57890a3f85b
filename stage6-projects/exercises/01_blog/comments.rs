//! Milestone 5: comments. Add (`POST /api/articles/{slug}/comments`: 200, the spec's status,
//! and `{"comment": {"id", "createdAt", "updatedAt", "body", "author"}}`), list (`GET`, auth
//! optional, `{"comments": [...]}`) and delete (`DELETE
//! /api/articles/{slug}/comments/{id}`, 204) the comments of an article.
//!
//! Only a comment's author may delete it (403). An unknown article is a 404, and so is an
//! unknown comment, a comment of another article, or an `id` that is not a number. The
//! `author` is a profile as the viewer sees it, like an article's.

use super::error::AppError;

// TODO: the types, a migration for `comments` (deleted with their article), the handlers.

/// `POST /api/articles/{slug}/comments`.
pub async fn add() -> AppError {
    AppError::not_implemented("POST /api/articles/{slug}/comments", 5, "comments")
}

/// `GET /api/articles/{slug}/comments`.
pub async fn list() -> AppError {
    AppError::not_implemented("GET /api/articles/{slug}/comments", 5, "comments")
}

/// `DELETE /api/articles/{slug}/comments/{id}`.
pub async fn delete() -> AppError {
    AppError::not_implemented("DELETE /api/articles/{slug}/comments/{id}", 5, "comments")
}
