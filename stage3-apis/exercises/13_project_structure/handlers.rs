//! Thin handlers: read the request, call the service, turn the result into a response. No
//! rule lives here; a rule in a handler is a rule that a CLI or a test of the service skips.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::errors::AppError;
use super::services::{Bookmark, Bookmarks, NewBookmark};

/// `?tag=rust`, or nothing.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    pub tag: Option<String>,
}

/// `GET /health`: 200 and `{"status":"ok"}`.
pub async fn health() -> Json<Value> {
    // TODO: as in tangled.rs.
    todo!("answer the health check")
}

/// `GET /api/v1/bookmarks[?tag=..]`: 200 and the bookmarks.
pub async fn list(
    State(bookmarks): State<Arc<Bookmarks>>,
    Query(query): Query<ListQuery>,
) -> Json<Vec<Bookmark>> {
    // TODO: ask the service; answer what it returns.
    todo!("list through the service")
}

/// `POST /api/v1/bookmarks`: 201, `Location: /api/v1/bookmarks/{id}` and the bookmark.
pub async fn create(
    State(bookmarks): State<Arc<Bookmarks>>,
    body: Result<Json<NewBookmark>, JsonRejection>,
) -> Result<Response, AppError> {
    // TODO: `?` on the body (a rejection becomes an `AppError`), the service, then 201 with
    // a Location header and the bookmark.
    todo!("create through the service")
}

/// `GET /api/v1/bookmarks/{id}`: 200 and the bookmark.
pub async fn show(
    State(bookmarks): State<Arc<Bookmarks>>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Json<Bookmark>, AppError> {
    // TODO: `?` on the id, then the service.
    todo!("show through the service")
}

/// `DELETE /api/v1/bookmarks/{id}`: 204.
pub async fn remove(
    State(bookmarks): State<Arc<Bookmarks>>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<StatusCode, AppError> {
    // TODO: `?` on the id, the service, then 204.
    todo!("delete through the service")
}

/// Any other request: 404 and `{"error":"no route for GET /bookmarks"}`.
///
/// `OriginalUri` is the path as the client sent it, even if this handler ends up inside a
/// nested router, where `Uri` has lost the prefix.
pub async fn no_route(method: Method, OriginalUri(uri): OriginalUri) -> AppError {
    // TODO: as in tangled.rs, as an `AppError`.
    todo!("no route for {method} {uri}")
}
