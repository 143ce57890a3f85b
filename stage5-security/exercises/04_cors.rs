//! # Exercise 04: CORS — an allow-list of origins, credentials and preflights
//!
//! A page may send requests anywhere, but the browser's **same-origin policy** keeps it from
//! *reading* the answer of another origin (scheme, host and port: `https://app.example.com`
//! and `https://api.example.com` are two origins). When the front end at
//! `https://app.example.com` calls the API at `https://api.example.com`, the API must say which
//! origins may read its answers: that is **CORS**, Cross-Origin Resource Sharing.
//!
//! - **A simple request** (a GET, or a POST with a form's content type) is sent at once, with
//!   `Origin: https://app.example.com`. The browser shows the answer to the page only if it
//!   carries `Access-Control-Allow-Origin: https://app.example.com` (or `*`). With
//!   `credentials: "include"` (the cookie goes along), `*` is refused and the answer must also
//!   carry `Access-Control-Allow-Credentials: true`.
//! - **A preflight.** Before anything else (a PUT, a DELETE, a JSON body, a header of its own
//!   such as `X-CSRF-Token`), the browser first asks with `OPTIONS`,
//!   `Access-Control-Request-Method: PUT` and `Access-Control-Request-Headers:
//!   content-type,x-csrf-token`. The answer, a 2xx, lists what is allowed
//!   (`Access-Control-Allow-Methods`, `Access-Control-Allow-Headers`) and how long the browser
//!   may remember it (`Access-Control-Max-Age`, in seconds). A method or header missing from the
//!   lists, and the real request is never sent: so they name what the front end needs, no more.
//! - **`Vary: Origin`.** The answer depends on the request's `Origin`, so a cache (a CDN, the
//!   browser's own) must keep one copy per origin. Without it, the answer given to
//!   `admin.example.com` is served to `app.example.com`, whose fetch then fails, at random.
//!
//! The mistakes are all about the origin. **Reflecting** any `Origin` back with credentials
//! lets every site on the web read the API as the signed-in user. A **prefix or suffix match**
//! lets `https://app.example.com.evil.com` (prefix) or `https://evilapp.example.com` (suffix)
//! in: compare the whole origin, exactly, against a list. `http://` is another origin than
//! `https://`, and so is another port. `null` (what a sandboxed frame or a `file:` page sends)
//! is never allowed: any site can make a page whose origin is `null`. And an origin that is
//! not on the list gets **no `Access-Control-Allow-Origin`** at all: not `*`, not the first
//! entry of the list, not its own origin back. (tower-http also sends `Allow-Credentials`,
//! `Allow-Methods` and `Max-Age` to every origin; without `Allow-Origin` they grant nothing.)
//!
//! CORS is not access control. The server still *answers* a foreign origin's request, and
//! still *executes* a simple POST: CORS only decides whether the browser lets the page read
//! the answer. So the API keeps its own authentication, and a forged POST is stopped by the
//! CSRF defences of exercise 03, not by CORS.
//!
//! In production the list comes from configuration (one entry per front end and environment),
//! and tower-http's [`CorsLayer`] applies it to every answer of the router, errors included
//! (a 401 that the front end cannot read is a network error to it, not a "please sign in").
//!
//! - <https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS>
//! - <https://fetch.spec.whatwg.org/#http-cors-protocol> (the check the browser makes)
//! - <https://docs.rs/tower-http/0.7.1/tower_http/cors/struct.CorsLayer.html>,
//!   <https://docs.rs/tower-http/0.7.1/tower_http/cors/struct.AllowOrigin.html>
//!
//! Your task: [`cors`] and [`app`]. The API itself ([`routes`]) is given.
//!
//! Run `cargo xtask check 04_cors` to check your work; `cargo xtask hint 04_cors` gives a hint.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "session";

/// The header the front end sends with every change (the CSRF token of exercise 03).
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The CORS layer for the front ends at `allowed_origins` (each an origin such as
/// `https://app.example.com`, exactly as a browser sends it):
///
/// - an allowed origin gets itself back in `Access-Control-Allow-Origin`, with
///   `Access-Control-Allow-Credentials: true`, since the front end sends its cookie;
/// - any other origin, `null` included, gets no `Access-Control-Allow-Origin`;
/// - a preflight allows the methods and headers that [`routes`] needs, nothing else, and may
///   be remembered for an hour (`Access-Control-Max-Age: 3600`);
/// - every answer carries `Vary: Origin`.
pub fn cors(allowed_origins: &[&str]) -> CorsLayer {
    // TODO: turn each origin into a `HeaderValue` and give the list to `AllowOrigin::list`
    // (an exact match, never a prefix); allow credentials; list the methods and the request
    // headers the front end uses (read `routes`); set the max age.
    todo!("build the CORS layer for the allowed origins {allowed_origins:?}")
}

/// The app: [`routes`] with the [`cors`] layer of `allowed_origins` around all of them.
pub fn app(allowed_origins: &[&str]) -> Router {
    // TODO: the routes, the app state, and the CORS layer around the whole router, so that
    // errors and the fallback's 404 carry the CORS headers too.
    todo!("put the CORS layer of {allowed_origins:?} around the routes")
}

/// A note of the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: u64,
    pub text: String,
}

/// The body of `POST /api/notes` and `PUT /api/notes/{id}`.
#[derive(Debug, Deserialize)]
pub struct NoteText {
    pub text: String,
}

/// The body of `POST /api/login` (a demo: no password).
#[derive(Debug, Deserialize)]
pub struct Login {
    pub username: String,
}

/// The app's state: the sessions (id → user) and each user's notes.
#[derive(Clone, Default)]
pub struct AppState {
    sessions: Arc<Mutex<HashMap<String, String>>>,
    notes: Arc<Mutex<HashMap<String, Vec<Note>>>>,
}

/// The API, as the front end calls it with `fetch(url, { credentials: "include" })`: every
/// route but the login needs the session cookie (else 401), every body is JSON
/// (`content-type: application/json`) and every change carries the [`CSRF_HEADER`] header.
///
/// - `POST /api/login` `{"username"}`: sets the session cookie, answers `{"user"}`;
/// - `GET /api/me`: `{"user"}`;
/// - `GET /api/notes`: the user's notes; `POST /api/notes` `{"text"}`: a new note, 201;
/// - `PUT /api/notes/{id}` `{"text"}`: the note changed; `DELETE /api/notes/{id}`: 204;
///   an unknown id is a 404.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/login", post(login))
        .route("/api/me", get(me))
        .route("/api/notes", get(list_notes).post(add_note))
        .route("/api/notes/{id}", put(change_note).delete(delete_note))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().expect("no panic while holding the lock")
}

/// A refusal: its status, and the message answered as `{"error": message}`.
struct Refused(StatusCode, &'static str);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

const NO_SUCH_NOTE: Refused = Refused(StatusCode::NOT_FOUND, "no such note");

/// The user of the request's session cookie, or a 401.
fn user(state: &AppState, headers: &HeaderMap) -> Result<String, Refused> {
    let id = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().split_once('='))
        .find_map(|(name, value)| (name == SESSION_COOKIE).then_some(value));
    id.and_then(|id| lock(&state.sessions).get(id).cloned())
        .ok_or(Refused(
            StatusCode::UNAUTHORIZED,
            "sign in first: POST /api/login",
        ))
}

async fn login(State(state): State<AppState>, Json(login): Json<Login>) -> Response {
    let id = format!("{:032x}", rand::random::<u128>());
    lock(&state.sessions).insert(id.clone(), login.username.clone());
    let cookie = format!("{SESSION_COOKIE}={id}; HttpOnly; Secure; SameSite=Lax; Path=/");
    (
        [(SET_COOKIE, cookie)],
        Json(json!({ "user": login.username })),
    )
        .into_response()
}

async fn me(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, Refused> {
    let user = user(&state, &headers)?;
    Ok(Json(json!({ "user": user })).into_response())
}

async fn list_notes(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<Note>>, Refused> {
    let user = user(&state, &headers)?;
    Ok(Json(
        lock(&state.notes).get(&user).cloned().unwrap_or_default(),
    ))
}

async fn add_note(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(new): Json<NoteText>,
) -> Result<Response, Refused> {
    let user = user(&state, &headers)?;
    let mut notes = lock(&state.notes);
    let notes = notes.entry(user).or_default();
    let note = Note {
        id: notes.iter().map(|note| note.id).max().unwrap_or(0) + 1,
        text: new.text,
    };
    notes.push(note.clone());
    Ok((StatusCode::CREATED, Json(note)).into_response())
}

async fn change_note(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<u64>,
    Json(new): Json<NoteText>,
) -> Result<Json<Note>, Refused> {
    let user = user(&state, &headers)?;
    let mut notes = lock(&state.notes);
    let note = notes
        .get_mut(&user)
        .and_then(|notes| notes.iter_mut().find(|note| note.id == id))
        .ok_or(NO_SUCH_NOTE)?;
    note.text = new.text;
    Ok(Json(note.clone()))
}

async fn delete_note(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<u64>,
) -> Result<StatusCode, Refused> {
    let user = user(&state, &headers)?;
    let mut notes = lock(&state.notes);
    let notes = notes.entry(user).or_default();
    let at = notes
        .iter()
        .position(|note| note.id == id)
        .ok_or(NO_SUCH_NOTE)?;
    notes.remove(at);
    Ok(StatusCode::NO_CONTENT)
}
