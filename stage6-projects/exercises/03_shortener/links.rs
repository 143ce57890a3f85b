//! Milestone 2: links. `POST /api/links` creates one, `GET /{code}` follows it (302 with
//! `Location`), `DELETE /api/links/{code}` removes it (milestone 3 makes that reach the
//! cache). The API and its errors are in `mod.rs`, section 3.
//!
//! What it needs:
//! - a migration, `migrations/0001_links.sql`: a `links` table whose `bigserial` id is the
//!   counter every instance shares (section 5, "Ids");
//! - `create`: take `Result<Json<NewLink>, JsonRejection>` and turn the rejection into a 422
//!   (axum's own answer would be a 400 or 415 in another shape); check the URL (absolute
//!   http or https, a host, no whitespace or control characters, at most 2 048 bytes);
//!   `INSERT … RETURNING id`; the code is `capacity::encode(id)`; 201 with
//!   `{code, url, short_url}`, `short_url` being `{state.config.public_url}/{code}`.
//!   Milestone 5 adds the rate limit at its start (it takes `ConnectInfo<SocketAddr>` and the
//!   `HeaderMap` then);
//! - `redirect`: the URL of the code (`capacity::decode`; a code that is not canonical
//!   base62, `"01"`, or 0 is no link), 302 `(StatusCode::FOUND, [(header::LOCATION, url)])`,
//!   404 otherwise. Milestone 3 puts the cache in front, milestone 4 records the click;
//! - `delete`: 204, or 404 when no row was deleted.
//!
//! A per-process counter (`static NEXT: AtomicU64`) passes with one instance and hands out
//! each code twice with two: the tests create 400 links on two instances at once.

use super::error::AppError;

// TODO: the request and response types, and the three handlers.

/// `POST /api/links {"url"}`: 201 and `{code, url, short_url}`.
pub async fn create() -> AppError {
    AppError::not_implemented("POST /api/links", 2, "links")
}

/// `GET /{code}`: 302 to the link's URL; 404 for a code that is no link.
pub async fn redirect() -> AppError {
    AppError::not_implemented("GET /{code}", 2, "links")
}

/// `DELETE /api/links/{code}`: 204; 404 for a code that is no link.
pub async fn delete() -> AppError {
    AppError::not_implemented("DELETE /api/links/{code}", 3, "cache")
}
