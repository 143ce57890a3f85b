//! # Exercise 02: a REST resource — 201 and Location, PUT, PATCH, DELETE 204, 404 and 405
//!
//! REST names things, not actions: a **collection** lives at `/todos` and each **member** at
//! `/todos/{id}`, and the HTTP method says what to do with it. Clients, proxies and caches
//! all know what the methods and status codes mean (RFC 9110), so an API that follows them
//! needs little documentation and works with every HTTP tool there is:
//!
//! | request | meaning | answer |
//! |---|---|---|
//! | `POST /todos` | create one; the server picks its id | `201`, `Location: /todos/1`, the todo |
//! | `GET /todos` | the collection | `200`, every todo |
//! | `GET /todos/1` | one member | `200`, the todo |
//! | `PUT /todos/1` | replace it **whole**: the body is the new todo | `200`, the todo as stored |
//! | `PATCH /todos/1` | change the fields sent, keep the rest | `200`, the todo as stored |
//! | `DELETE /todos/1` | remove it | `204 No Content`, and no body at all |
//!
//! The details that clients rely on, and that hand-written APIs often get wrong:
//!
//! - **201 and `Location`.** `Location` (RFC 9110 §10.2.2) tells the client where the new
//!   resource lives, so it never has to build URLs itself. A 200 says "done" but not
//!   "created", and code that waits for a 201 (generated clients do) sees an error.
//! - **PUT is a replacement.** A body that leaves `done` out is not "keep `done`": it is an
//!   incomplete todo, `422 Unprocessable Content`. PUT is *idempotent*: sending it twice leaves
//!   the same state as once, so a client may retry it safely after a timeout.
//! - **PATCH is partial** (RFC 5789). Here the body is a JSON merge patch (RFC 7396): the
//!   fields present are changed, the fields left out are kept. In Rust each field is an
//!   `Option`: `None` means "not sent", not "set to the default".
//! - **DELETE answers 204** with an empty body: there is nothing left to show. Deleting it
//!   again is 404: the state is the same (idempotent), the answer need not be.
//! - **404 and 405 say different things.** `GET /todos/7` when there is no todo 7 is
//!   `404 Not Found`, with a JSON error like the API's others. `POST /todos/7` is
//!   `405 Method Not Allowed`, whether or not todo 7 exists: that kind of resource never takes
//!   POST, and the `Allow` header lists the methods it does take (RFC 9110 §15.5.6). axum
//!   answers 405 and fills `Allow` by itself from the methods routed on a path, as long as no
//!   fallback on that route swallows the other methods.
//! - **Ids are never reused.** A client, a cache or a log line that still holds `/todos/2`
//!   must not find a different todo there once the first is deleted: take the next id from a
//!   counter that only goes up, not from the number or the largest of the todos there are.
//!
//! **Shared state.** Every request runs in a task of its own, possibly on another thread, so
//! the store sits behind `Arc<Mutex<..>>`, handed to the router with `Router::with_state` and
//! to each handler by the `State` extractor. `std::sync::Mutex` is the right lock when it is
//! never held across an `.await` (tokio's docs say so too); take it once per handler, so that
//! "find the todo, then change it" happens as one step that no other request can split.
//! Production code keeps the same handlers and puts a database behind them (exercise 06).
//!
//! The bodies axum cannot read (no JSON content type, not JSON, a missing field) and the ids
//! that are not numbers are exercise 01's topic: here [`JsonBody`] and [`TodoId`] do it for
//! you, answering them in the API's error shape. Use them instead of `Json` and `Path`.
//!
//! - <https://www.rfc-editor.org/rfc/rfc9110#name-method-definitions>
//! - <https://www.rfc-editor.org/rfc/rfc9110#name-201-created>
//! - <https://www.rfc-editor.org/rfc/rfc9110#name-405-method-not-allowed>
//! - <https://www.rfc-editor.org/rfc/rfc5789> (PATCH), <https://www.rfc-editor.org/rfc/rfc7396>
//!   (JSON merge patch)
//! - <https://docs.rs/axum/0.8/axum/routing/struct.MethodRouter.html> (`get(a).post(b)`)
//! - <https://docs.rs/axum/0.8/axum/extract/struct.State.html>
//! - <https://docs.rs/tokio/latest/tokio/sync/struct.Mutex.html#which-kind-of-mutex-should-you-use>
//!
//! Your task: `app()` and the six handlers of the table above, errors as
//! `{"error": "todo 7 not found"}`.
//!
//! Run `cargo xtask check 02_rest_resource` to check your work; `cargo xtask hint
//! 02_rest_resource` gives a hint.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// One todo, as the API answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Todo {
    pub id: u64,
    pub title: String,
    pub done: bool,
}

/// The body of `POST /todos`: `{"title": "buy milk"}`; `done` may be left out (false).
#[derive(Debug, Deserialize)]
pub struct NewTodo {
    pub title: String,
    #[serde(default)]
    pub done: bool,
}

/// The body of `PUT /todos/{id}`: the whole todo but its id, every field required.
#[derive(Debug, Deserialize)]
pub struct ReplaceTodo {
    pub title: String,
    pub done: bool,
}

/// The body of `PATCH /todos/{id}`: the fields to change; a field left out is kept.
#[derive(Debug, Deserialize)]
pub struct TodoPatch {
    pub title: Option<String>,
    pub done: Option<bool>,
}

/// Every todo, by id (a `BTreeMap` iterates in key order), and the last id given out.
#[derive(Debug, Default)]
pub struct Store {
    /// The id of the last todo created, 0 before the first: the next one is `last_id + 1`.
    pub last_id: u64,
    pub todos: BTreeMap<u64, Todo>,
}

/// The state every handler shares.
pub type Db = Arc<Mutex<Store>>;

/// The body of every error this API answers: `{"error": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    pub error: String,
}

/// An error answer: its status and its JSON body.
pub type ApiError = (StatusCode, Json<ErrorBody>);

/// An error answer with this status and message.
pub fn api_error(status: StatusCode, message: impl Into<String>) -> ApiError {
    (
        status,
        Json(ErrorBody {
            error: message.into(),
        }),
    )
}

/// The answer for an id that names no todo: 404 `{"error":"todo 7 not found"}`.
pub fn not_found(id: u64) -> ApiError {
    api_error(StatusCode::NOT_FOUND, format!("todo {id} not found"))
}

/// `Json<T>`, but a body that axum rejects is answered in the API's error shape, with the
/// rejection's status (415, 400 or 422) and its text. Like `Json`, it must be the last
/// argument of a handler.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(api_error(rejection.status(), rejection.body_text())),
        }
    }
}

/// The `{id}` of `/todos/{id}`; an id that is not a whole number is answered 400
/// `{"error":"the todo id must be a whole number, such as /todos/3"}`.
pub struct TodoId(pub u64);

impl<S> FromRequestParts<S> for TodoId
where
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<u64>::from_request_parts(parts, state).await {
            Ok(Path(id)) => Ok(TodoId(id)),
            Err(_) => Err(api_error(
                StatusCode::BAD_REQUEST,
                "the todo id must be a whole number, such as /todos/3",
            )),
        }
    }
}

/// The todo API, with an empty store of its own.
pub fn app() -> Router {
    let db = Db::default();
    // One route per path, every method of that path on it: axum then answers 405, with the
    // `Allow` header, for any method left out.
    Router::new()
        .route("/todos", get(list_todos).post(create_todo))
        .route(
            "/todos/{id}",
            get(get_todo)
                .put(replace_todo)
                .patch(update_todo)
                .delete(delete_todo),
        )
        .with_state(db)
}

/// `POST /todos`: 201, `Location: /todos/{id}`, and the new todo.
pub async fn create_todo(State(db): State<Db>, JsonBody(new): JsonBody<NewTodo>) -> Response {
    let todo = {
        let mut store = db.lock().unwrap();
        // A counter that only goes up: an id, once given, is never given again.
        store.last_id += 1;
        let todo = Todo {
            id: store.last_id,
            title: new.title,
            done: new.done,
        };
        store.todos.insert(todo.id, todo.clone());
        todo
    };
    let location = format!("/todos/{}", todo.id);
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(todo),
    )
        .into_response()
}

/// `GET /todos`: every todo, in id order.
pub async fn list_todos(State(db): State<Db>) -> Json<Vec<Todo>> {
    let store = db.lock().unwrap();
    Json(store.todos.values().cloned().collect())
}

/// `GET /todos/{id}`.
pub async fn get_todo(State(db): State<Db>, TodoId(id): TodoId) -> Result<Json<Todo>, ApiError> {
    let store = db.lock().unwrap();
    store
        .todos
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or_else(|| not_found(id))
}

/// `PUT /todos/{id}`: the todo becomes the body, whole.
pub async fn replace_todo(
    State(db): State<Db>,
    TodoId(id): TodoId,
    JsonBody(new): JsonBody<ReplaceTodo>,
) -> Result<Json<Todo>, ApiError> {
    let mut store = db.lock().unwrap();
    let todo = store.todos.get_mut(&id).ok_or_else(|| not_found(id))?;
    // The id comes from the URL: the body names what the todo becomes, not which one it is.
    *todo = Todo {
        id,
        title: new.title,
        done: new.done,
    };
    Ok(Json(todo.clone()))
}

/// `PATCH /todos/{id}`: the fields the body gives change, the others stay.
pub async fn update_todo(
    State(db): State<Db>,
    TodoId(id): TodoId,
    JsonBody(patch): JsonBody<TodoPatch>,
) -> Result<Json<Todo>, ApiError> {
    let mut store = db.lock().unwrap();
    let todo = store.todos.get_mut(&id).ok_or_else(|| not_found(id))?;
    if let Some(title) = patch.title {
        todo.title = title;
    }
    if let Some(done) = patch.done {
        todo.done = done;
    }
    Ok(Json(todo.clone()))
}

/// `DELETE /todos/{id}`: 204 and no body.
pub async fn delete_todo(State(db): State<Db>, TodoId(id): TodoId) -> Result<StatusCode, ApiError> {
    let mut store = db.lock().unwrap();
    match store.todos.remove(&id) {
        Some(_) => Ok(StatusCode::NO_CONTENT),
        None => Err(not_found(id)),
    }
}
