//! Which request goes to which handler. The API's version prefix is written once, where the
//! API's router is nested; the routes inside it do not repeat it.

use std::sync::Arc;

use axum::Router;
use axum::routing::get;

use super::handlers;
use super::services::Bookmarks;

/// The whole app over `bookmarks`: `/health` at the root, the API under `/api/v1`, and a
/// JSON 404 for everything else.
pub fn router(bookmarks: Arc<Bookmarks>) -> Router {
    // TODO: `/health`, `api()` nested under `/api/v1`, the fallback, and the state.
    todo!("the app's router")
}

/// The API's routes, relative to its prefix: `/bookmarks`, `/bookmarks/{id}`.
pub fn api() -> Router<Arc<Bookmarks>> {
    // TODO: the bookmarks routes of tangled.rs, without their prefix.
    todo!("the API's routes")
}
