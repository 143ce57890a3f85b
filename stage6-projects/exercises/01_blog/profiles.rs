//! Milestone 2: profiles. A user as others see them, `{"profile": {"username", "bio",
//! "image", "following"}}`, and following.
//!
//! `following` is the *viewer's*: whether the caller follows this user, false without a
//! token. So the query takes the viewer's id (an `Option<i64>`, bound as `NULL` for nobody)
//! and asks `EXISTS (SELECT 1 FROM follows WHERE follower_id = $2 AND followee_id = u.id)`.
//! Following twice changes nothing: a primary key on (follower, followee) and `ON CONFLICT
//! DO NOTHING`; unfollowing someone you do not follow is no error either. An unknown
//! username is a 404.

use super::error::AppError;

// TODO: `Profile` (you will embed it in articles and comments too), a migration for
// `follows`, and the three handlers.

/// `GET /api/profiles/{username}`: auth optional.
pub async fn get() -> AppError {
    AppError::not_implemented("GET /api/profiles/{username}", 2, "profiles")
}

/// `POST /api/profiles/{username}/follow`.
pub async fn follow() -> AppError {
    AppError::not_implemented("POST /api/profiles/{username}/follow", 2, "profiles")
}

/// `DELETE /api/profiles/{username}/follow`.
pub async fn unfollow() -> AppError {
    AppError::not_implemented("DELETE /api/profiles/{username}/follow", 2, "profiles")
}
