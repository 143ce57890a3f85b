//! Milestone 1: users. Register (`POST /api/users`, 201), log in (`POST /api/users/login`),
//! read the current user (`GET /api/user`) and update it (`PUT /api/user`).
//!
//! Every body is wrapped: `{"user": {"username": ..., "email": ..., "password": ...}}` in,
//! `{"user": {"email", "token", "username", "bio", "image"}}` out (a generic
//! `UserBody<T> { user: T }` serves all four). A blank field is a 422 naming it ("email can't
//! be blank"). A taken email (whatever its case) or username is a 422 too, and the database
//! decides it: unique indexes (one on `lower(email)`), and the insert's unique violation
//! (`DatabaseError::is_unique_violation`, `constraint()` says which) turned into "email has
//! already been taken". A wrong email or password at login is a 401, the same for both.
//! Updating changes the fields given, and a new password is hashed like the first.

use super::error::AppError;

// TODO: the request and response types (`UserBody<T>`, `NewUser`, `LoginUser`, `UpdateUser`,
// `User`), a migration `0001_users.sql`, and the four handlers below with their real
// signatures, e.g. `register(State(state): State<AppState>, Json(body):
// Json<UserBody<NewUser>>) -> Result<(StatusCode, Json<UserBody<User>>), AppError>`.

/// `POST /api/users`: 201 and the new user with a token.
pub async fn register() -> AppError {
    AppError::not_implemented("POST /api/users", 1, "users")
}

/// `POST /api/users/login`: the user with a token, or 401.
pub async fn login() -> AppError {
    AppError::not_implemented("POST /api/users/login", 1, "users")
}

/// `GET /api/user`: the caller, with the token they sent.
pub async fn current() -> AppError {
    AppError::not_implemented("GET /api/user", 1, "users")
}

/// `PUT /api/user`: changes the fields given.
pub async fn update() -> AppError {
    AppError::not_implemented("PUT /api/user", 1, "users")
}
