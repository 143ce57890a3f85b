//! # Exercise 13: project structure — routes, handlers, services and errors
//!
//! `tangled.rs` is a small bookmarks API that works: it lists, creates, shows and deletes
//! bookmarks, refuses bad input, and answers every error as `{"error": "..."}`. But everything
//! sits in the handlers' bodies: the URL map, the reading of requests, the business rules (a
//! url starts with `http://` or `https://`, a title is not blank, a url is bookmarked once,
//! tags are lowercased), and which status each failure gets. To test a rule you must start a
//! server; to add a CLI that imports bookmarks you must copy the rules; to change how errors
//! look you must edit every handler. This exercise moves the same code into four modules, each
//! with one job, and changes nothing a client can see.
//!
//! - **`services`**: the rules, on plain Rust types. `Bookmarks::create(NewBookmark) ->
//!   Result<Bookmark, AppError>` knows nothing about HTTP: no extractor, no `StatusCode`, no
//!   JSON. A test (see this exercise's) or a CLI calls it directly.
//! - **`errors`**: one error type, `AppError`, with one variant per way a request fails, and
//!   the one `impl IntoResponse` that turns each into a status and a body. Handlers return
//!   `Result<_, AppError>` and use `?`; `From` impls turn axum's rejections (a body that is not
//!   JSON, an id that is not a number) into it.
//! - **`handlers`**: thin. Extract, call the service, map the result to a response. Three to
//!   five lines each; a handler with an `if` on business data holds a rule that belongs in the
//!   service.
//! - **`routes`**: which path and method go to which handler. The API's routes are relative
//!   (`/bookmarks`, `/bookmarks/{id}`) and **nested** under their prefix once:
//!   `Router::new().nest("/api/v1", api())`. A `/api/v2` later is a second `nest` beside it,
//!   and `/health` stays outside the API, where load balancers look for it.
//!
//! Dependencies point one way: `routes` → `handlers` → `services`, and everybody uses
//! `errors`. The service never imports axum, so it cannot leak HTTP into the rules.
//!
//! Two traps of nesting. The nested router sees paths *without* the prefix: its routes must
//! not repeat it (`nest("/api/v1", ...)` of a route `/api/v1/bookmarks` serves
//! `/api/v1/api/v1/bookmarks`), and inside it the `Uri` extractor shows `/bookmarks`;
//! `OriginalUri` shows the path the client sent. And a nested router without a fallback of its
//! own uses the outer one, so one `fallback` answers every unknown path in the course's JSON.
//!
//! In a real crate the same split is files of `src/` (`routes.rs`, `handlers/`, `services/`,
//! `errors.rs`), `lib.rs` exposing `app()`, and a `main.rs` of ten lines that reads the config,
//! binds a port and serves `app()`; integration tests in `tests/` call `app()` too. With a
//! database, a `repository` module under the services holds the SQL (stage 4, "layers").
//!
//! - <https://docs.rs/axum/0.8/axum/struct.Router.html#method.nest>
//! - <https://docs.rs/axum/0.8/axum/extract/struct.OriginalUri.html>
//! - <https://docs.rs/axum/0.8/axum/error_handling/index.html>
//! - <https://doc.rust-lang.org/book/ch07-00-managing-growing-projects-with-packages-crates-and-modules.html>
//! - <https://github.com/tokio-rs/axum/tree/main/examples>
//!
//! Your task: fill in `services.rs`, `errors.rs`, `handlers.rs` and `routes.rs` with the code
//! of `tangled.rs`, moved to where it belongs, then `app` below. The tests call the service and
//! the errors directly, and the app over HTTP, with a store they filled through the service.
//! When they pass, delete `tangled.rs` and its `mod` line.
//!
//! Run `cargo xtask check 13_project_structure` to check your work; `cargo xtask hint
//! 13_project_structure` gives a hint.

pub mod errors;
pub mod handlers;
pub mod routes;
pub mod services;

use std::sync::Arc;

use axum::Router;

/// The app, with no bookmarks yet.
pub fn app() -> Router {
    routes::router(Arc::new(services::Bookmarks::new()))
}
