//! # Exercise 14: connect a front end — a page in a real browser, the API on another origin
//!
//! So far a test client called your API. Users come through a browser: a page of HTML and
//! JavaScript that `fetch`es your endpoints and shows the answers. Three things change.
//!
//! **Two origins.** An origin is scheme, host and port: `http://127.0.0.1:5173` (the page, from
//! a CDN or a dev server) and `http://127.0.0.1:3000` (the API) are two. A page may *send*
//! requests anywhere, but the browser lets its script *read* an answer from another origin
//! only when the answer allows it with CORS headers (Cross-Origin Resource Sharing):
//!
//! - a "simple" request (a GET without custom headers) goes out at once, and its answer
//!   reaches the script only if it carries `Access-Control-Allow-Origin: <the page's origin>`;
//! - any other (a JSON body, an `Authorization` header, a DELETE) is asked about first: a
//!   **preflight**, `OPTIONS` with `Origin`, `Access-Control-Request-Method` and
//!   `Access-Control-Request-Headers`. The real request goes out only if the answer allows
//!   that origin, that method and every one of those headers; otherwise the script gets
//!   `TypeError: Failed to fetch`, and the browser's console says why.
//!
//! Allow exactly your front ends' origins, and answer each request for itself: the allowed
//! origin gets its own name back, any other no CORS header at all (tower-http's `CorsLayer`
//! with `AllowOrigin::list`; `exact` names your origin to everyone), and since the answer
//! depends on the request, `Vary: Origin` keeps caches from mixing them up. `*` lets every
//! site's scripts read your answers; copying the request's `Origin` back is `*` in disguise,
//! and with `Access-Control-Allow-Credentials: true` it lets any site a logged-in user visits
//! act with the user's cookies (browsers refuse `*` with credentials, not a copied origin).
//! By the standard, `Access-Control-Allow-Headers: *` never covers `Authorization` (browsers
//! are starting to enforce it): name it. CORS protects users' browsers, not your server:
//! `curl` ignores it, so every endpoint still checks the token itself.
//!
//! **Where the token lives.** The page logs in, gets a bearer token and sends it with each
//! request that changes something. In a JavaScript variable it is lost on reload (log in
//! again) and out of reach of scripts that run later; in `localStorage`, any script that ever
//! runs on the page (one XSS hole, one compromised npm package) can read it and send it away.
//! Many production apps go further: an `HttpOnly; Secure; SameSite` session cookie that no
//! script can read (then `credentials: "include"`, `allow_credentials(true)` with exact
//! origins, and defences against CSRF: stage 5).
//!
//! **Errors a user can act on.** The server validates (checks in the page are a convenience
//! anyone can skip) and answers 422 with a message per field, shown next to the field.
//!
//! The app, which the tests serve on two ports, two origins, as production does:
//!
//! - `page()`: the files of `static/` (tower-http's `ServeDir`). The page reads the API's
//!   address from its own URL: `http://127.0.0.1:5173/?api=http://127.0.0.1:3000`.
//! - `POST /api/login` `{"username":"ada","password":"lovelace"}`: 200 `{"token":"…"}`; 401
//!   `{"error":"wrong username or password"}`.
//! - `GET /api/items`: 200 `[{"id":1,"name":"milk","quantity":2}]`, to anyone.
//! - `POST /api/items` `{"name":"milk","quantity":2}`: 201, the item, `Location:
//!   /api/items/1`; 422 `{"errors":{"name":"must not be empty","quantity":"must be from 1 to
//!   99"}}`, the wrong fields only (a name is trimmed, at most 40 characters).
//! - `DELETE /api/items/{id}`: 204; 404 `{"error":"no item 7"}`.
//! - Creating and deleting need `Authorization: Bearer <token>`, else 401 `{"error":"log in
//!   first"}`. CORS: the page's origin only, with the methods and headers the page uses.
//!
//! Your task: the TODOs of this file, then those of `static/app.js`, the page's script (log
//! in, list, add, show the 422 errors, delete). `static/index.html` is done.
//!
//! - <https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS>, and
//!   <https://portswigger.net/web-security/cors> for what a copied origin costs
//! - <https://docs.rs/tower-http/0.7/tower_http/cors/struct.CorsLayer.html> and
//!   <https://docs.rs/tower-http/0.7/tower_http/services/struct.ServeDir.html>
//! - <https://developer.mozilla.org/en-US/docs/Web/API/Fetch_API/Using_Fetch>
//! - <https://cheatsheetseries.owasp.org/cheatsheets/HTML5_Security_Cheat_Sheet.html#local-storage>
//!
//! Run `cargo xtask check 14_front_end` to check your work: the tests drive the page in a
//! headless Chromium, and a failure shows the page's text and the browser's console (your
//! script's errors, the requests CORS blocked). `cargo xtask hint 14_front_end` gives a hint.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Path, State, rejection::JsonRejection};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

/// The one account: a real app keeps users and argon2 hashes in a database (exercise 7).
pub const USERNAME: &str = "ada";
pub const PASSWORD: &str = "lovelace";

/// An item of the shopping list, as the API sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: u64,
    pub name: String,
    pub quantity: i64,
}

/// The bodies of `POST /api/items` and `POST /api/login`.
#[derive(Debug, Deserialize)]
pub struct NewItem {
    pub name: String,
    pub quantity: i64,
}

#[derive(Debug, Deserialize)]
pub struct Login {
    pub username: String,
    pub password: String,
}

/// The items and the tokens handed out, in memory.
#[derive(Clone, Default)]
pub struct AppState {
    inner: Arc<Mutex<Store>>,
}

#[derive(Default)]
struct Store {
    items: Vec<Item>,
    last_id: u64,
    tokens: HashSet<String>,
}

impl AppState {
    pub fn items(&self) -> Vec<Item> {
        self.store().items.clone()
    }

    /// Stores a new item as it is (validating is the handler's job).
    pub fn add_item(&self, name: &str, quantity: i64) -> Item {
        let mut store = self.store();
        store.last_id += 1;
        let item = Item {
            id: store.last_id,
            name: name.to_string(),
            quantity,
        };
        store.items.push(item.clone());
        item
    }

    /// Removes item `id`; false if there was none.
    pub fn remove_item(&self, id: u64) -> bool {
        let mut store = self.store();
        let before = store.items.len();
        store.items.retain(|item| item.id != id);
        store.items.len() < before
    }

    /// A new random token, remembered as valid.
    pub fn issue_token(&self) -> String {
        let token = format!("{:032x}", rand::random::<u128>());
        self.store().tokens.insert(token.clone());
        token
    }

    pub fn knows_token(&self, token: &str) -> bool {
        self.store().tokens.contains(token)
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.inner
            .lock()
            .expect("no handler panics holding the lock")
    }
}

/// The page's files: `static/`, beside this file. (The course's reference solution lives in
/// another folder, with a `static/` of its own: this is the one line in which the two differ.)
pub fn static_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/exercises/14_front_end/static"
    ))
}

/// The API's errors, each a status and a JSON body.
#[derive(Debug, PartialEq, Eq)]
pub enum ApiError {
    /// 401: no bearer token, or one this API did not hand out.
    Unauthorized,
    /// 401 at login.
    WrongCredentials,
    /// 422: each invalid field, and what is wrong with it.
    Invalid(BTreeMap<&'static str, String>),
    /// 404: no item with this id.
    NotFound(u64),
    /// 400 (or 415 without `Content-Type: application/json`): not the JSON the endpoint takes.
    BadBody(StatusCode),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            // RFC 6750: a 401 names the scheme that would have worked.
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                Json(json!({ "error": "log in first" })),
            )
                .into_response(),
            ApiError::WrongCredentials => (
                StatusCode::UNAUTHORIZED,
                Json(json!({ "error": "wrong username or password" })),
            )
                .into_response(),
            ApiError::Invalid(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "errors": errors })),
            )
                .into_response(),
            ApiError::NotFound(id) => (
                StatusCode::NOT_FOUND,
                Json(json!({ "error": format!("no item {id}") })),
            )
                .into_response(),
            ApiError::BadBody(status) => (
                status,
                Json(json!({ "error": "send a JSON object with the fields this endpoint takes" })),
            )
                .into_response(),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => {
                ApiError::BadBody(StatusCode::UNSUPPORTED_MEDIA_TYPE)
            }
            _ => ApiError::BadBody(StatusCode::BAD_REQUEST),
        }
    }
}

/// The page: every file of [`static_dir`], `/` being `index.html`.
pub fn page() -> Router {
    // TODO: a router that answers every request from the files of `static_dir()`.
    todo!("serve the files of {}", static_dir().display())
}

/// The API, for a page served from `page_origin` (`http://127.0.0.1:5173`, no trailing slash).
pub fn api(state: AppState, page_origin: &str) -> Router {
    // TODO: the four routes of the lesson to the handlers below, then `cors(page_origin)` as
    // a layer (a layer wraps the routes added before it), then the state.
    todo!("route the API and let {page_origin} call it")
}

/// CORS for the page: its origin and no other; the methods it uses; the headers it sends
/// that are not allowed by default (a JSON `Content-Type`, `Authorization`).
fn cors(page_origin: &str) -> CorsLayer {
    // TODO: a CorsLayer that names the page's origin back to it and to no other origin, and
    // allows the methods the page uses and the headers it sends.
    todo!("allow {page_origin}, and only it, to call the API")
}

/// `POST /api/login`.
pub async fn login(
    State(state): State<AppState>,
    body: Result<Json<Login>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    // TODO: the body (`?` makes a rejection an ApiError), the credentials, a new token.
    todo!("log in: a token for {USERNAME}, 401 for anyone else")
}

/// `GET /api/items`.
pub async fn list_items(State(state): State<AppState>) -> Json<Vec<Item>> {
    Json(state.items())
}

/// `POST /api/items`.
pub async fn create_item(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<NewItem>, JsonRejection>,
) -> Result<Response, ApiError> {
    // TODO: authorized first; then the body, validated, stored trimmed: 201, item, Location.
    todo!("create an item for a logged-in user")
}

/// `DELETE /api/items/{id}`.
pub async fn delete_item(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<u64>,
) -> Result<StatusCode, ApiError> {
    // TODO: authorized first; then the item removed: 204, or 404.
    todo!("delete item {id} for a logged-in user")
}

/// Ok if the request carries `Authorization: Bearer <a token this API handed out>`.
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    // TODO: the token after "Bearer " in the Authorization header, one that `state` knows.
    todo!("check the request's bearer token")
}

/// What is wrong with each invalid field of `new`; empty when it is valid.
fn validate(new: &NewItem) -> BTreeMap<&'static str, String> {
    // TODO: "name" (trimmed: not empty, at most 40 characters) and "quantity" (from 1 to
    // 99), each with the lesson's message when it is wrong.
    todo!("validate {new:?}")
}
