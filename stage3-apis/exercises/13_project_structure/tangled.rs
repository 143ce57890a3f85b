//! The bookmarks API as it was first written: everything in one file, and it works.
//!
//! Move its pieces into `services.rs`, `errors.rs`, `handlers.rs` and `routes.rs`, then delete
//! this file and the `mod tangled;` line of `mod.rs`. Its behaviour is the spec: the tests
//! check that the new app answers exactly as this one does.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, Serialize)]
struct Bookmark {
    id: u64,
    url: String,
    title: String,
    tags: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct NewBookmark {
    url: String,
    title: String,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    tag: Option<String>,
}

#[derive(Default)]
struct Store {
    last_id: u64,
    bookmarks: BTreeMap<u64, Bookmark>,
}

type Shared = Arc<Mutex<Store>>;

/// The app: `GET /health`, and the bookmarks under `/api/v1`.
pub fn app() -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/api/v1/bookmarks", get(list).post(create))
        .route("/api/v1/bookmarks/{id}", get(show).delete(remove))
        .fallback(no_route)
        .with_state(Shared::default())
}

fn error(status: StatusCode, message: String) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

async fn list(State(store): State<Shared>, Query(query): Query<ListQuery>) -> Response {
    let wanted = query.tag.map(|tag| tag.trim().to_lowercase());
    let store = store.lock().unwrap();
    let found: Vec<Bookmark> = store
        .bookmarks
        .values()
        .filter(|b| wanted.as_ref().is_none_or(|tag| b.tags.contains(tag)))
        .cloned()
        .collect();
    Json(found).into_response()
}

async fn create(
    State(store): State<Shared>,
    body: Result<Json<NewBookmark>, JsonRejection>,
) -> Response {
    let new = match body {
        Ok(Json(new)) => new,
        Err(rejection) => return error(rejection.status(), rejection.body_text()),
    };
    let url = new.url.trim().to_string();
    if !url.starts_with("http://") && !url.starts_with("https://") {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "url must start with http:// or https://".into(),
        );
    }
    let title = new.title.trim().to_string();
    if title.is_empty() {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "title must not be blank".into(),
        );
    }
    let mut tags: Vec<String> = new
        .tags
        .iter()
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    let mut store = store.lock().unwrap();
    if store.bookmarks.values().any(|b| b.url == url) {
        return error(
            StatusCode::CONFLICT,
            format!("a bookmark for {url} already exists"),
        );
    }
    store.last_id += 1;
    let bookmark = Bookmark {
        id: store.last_id,
        url,
        title,
        tags,
    };
    store.bookmarks.insert(bookmark.id, bookmark.clone());
    let location = format!("/api/v1/bookmarks/{}", bookmark.id);
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(bookmark),
    )
        .into_response()
}

async fn show(State(store): State<Shared>, id: Result<Path<u64>, PathRejection>) -> Response {
    let id = match id {
        Ok(Path(id)) => id,
        Err(rejection) => return error(StatusCode::BAD_REQUEST, rejection.body_text()),
    };
    match store.lock().unwrap().bookmarks.get(&id) {
        Some(bookmark) => Json(bookmark.clone()).into_response(),
        None => error(StatusCode::NOT_FOUND, format!("bookmark {id} not found")),
    }
}

async fn remove(State(store): State<Shared>, id: Result<Path<u64>, PathRejection>) -> Response {
    let id = match id {
        Ok(Path(id)) => id,
        Err(rejection) => return error(StatusCode::BAD_REQUEST, rejection.body_text()),
    };
    match store.lock().unwrap().bookmarks.remove(&id) {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => error(StatusCode::NOT_FOUND, format!("bookmark {id} not found")),
    }
}

/// `OriginalUri` is the path as the client sent it, even if this handler ends up inside a
/// nested router, where `Uri` has lost the prefix.
async fn no_route(method: Method, OriginalUri(uri): OriginalUri) -> Response {
    error(
        StatusCode::NOT_FOUND,
        format!("no route for {method} {}", uri.path()),
    )
}
