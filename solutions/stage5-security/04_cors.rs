//! # Exercise 04: CORS — an allow-list of origins, credentials and preflights
//!
//! The reference solution of exercise 04; the lesson is in `stage5-security/exercises/04_cors.rs`.

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
    let origins: Vec<HeaderValue> = allowed_origins
        .iter()
        .map(|origin| HeaderValue::from_str(origin).expect("an origin is a valid header value"))
        .collect();
    CorsLayer::new()
        // An exact match against the list: never a prefix, never the request's own value.
        .allow_origin(AllowOrigin::list(origins))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([CONTENT_TYPE, HeaderName::from_static(CSRF_HEADER)])
        .max_age(Duration::from_secs(3600))
}

/// The app: [`routes`] with the [`cors`] layer of `allowed_origins` around all of them.
pub fn app(allowed_origins: &[&str]) -> Router {
    // A layer of the whole router: the fallback's 404 and every error carry the headers too.
    routes()
        .with_state(AppState::default())
        .layer(cors(allowed_origins))
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
