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
    Router::new()
        .route("/health", get(handlers::health))
        .nest("/api/v1", api())
        .fallback(handlers::no_route)
        .with_state(bookmarks)
}

/// The API's routes, relative to its prefix: `/bookmarks`, `/bookmarks/{id}`.
pub fn api() -> Router<Arc<Bookmarks>> {
    Router::new()
        .route("/bookmarks", get(handlers::list).post(handlers::create))
        .route(
            "/bookmarks/{id}",
            get(handlers::show).delete(handlers::remove),
        )
}
