//! # Exercise 3: one error type for the whole API, answered as problem+json
//!
//! An API fails in many ways: the user does not exist, the email is taken, the client sent
//! broken JSON, the database fell over. A client should not need a different parser for each.
//! **RFC 9457, "Problem Details for HTTP APIs"**, gives every error one shape, a JSON object
//! sent with `content-type: application/problem+json`:
//!
//! ```json
//! { "type": "about:blank", "title": "Not Found", "status": 404, "detail": "user 7 not found" }
//! ```
//!
//! - `type`: a URI naming the *kind* of problem; it is what a client's code switches on.
//!   `"about:blank"` means "nothing more than the HTTP status says", and then `title` is the
//!   status's reason phrase (`StatusCode::canonical_reason`). A problem your clients must tell
//!   apart gets a URI of its own, e.g. `https://example.com/probs/email-taken`.
//! - `title`: a short summary of the kind, the same for every occurrence of it.
//! - `status`: the HTTP status code again, for whoever reads the body without the response
//!   (a log line, a proxy that rewrote the status). It must be the status actually sent.
//! - `detail`: what went wrong *this time*, for a human: "user 7 not found".
//!
//! **One error type, `IntoResponse`, and `?`.** In axum, a handler may return
//! `Result<T, E>` when both `T` and `E` implement `IntoResponse`. So the API gets one enum,
//! `ApiError`, with a variant per way to fail, and one `impl IntoResponse for ApiError` that
//! turns each into its problem. The `thiserror` crate writes `Display` from `#[error("…")]`
//! and, with `#[from]` on a variant's field, the `From` conversion that lets `?` turn a
//! `sqlx::Error` into an `ApiError` inside a handler: no `match` on every query.
//!
//! **Never show an internal error.** A database error's text may hold a SQL statement, a
//! table or host name, even a connection string with its password. In a response it is a map
//! for an attacker (CWE-209, OWASP's "Improper Error Handling"), and the client can do nothing
//! with it anyway. So a 500 says only that the fault is the server's, and the details go to
//! the **logs**, where you will look for them: `tracing::error!(error = %err, "…")`. Log it
//! at ERROR level, because a 500 is a bug or an outage someone must look at; a 404 or a 422 is
//! the client's mistake and logged at ERROR it would only page someone for nothing.
//!
//! **Extractor rejections too.** When `Json<T>` or `Path<T>` cannot read the request, axum
//! answers by itself, in plain text: `Failed to parse the request body as JSON: …`. To keep
//! one shape, wrap them in extractors of your own whose `Rejection` is `ApiError`: `ApiJson<T>`
//! runs `Json<T>` and turns its `JsonRejection` into an `ApiError` with `?`. The rejection
//! knows its status and says what was wrong (`rejection.status()`, `rejection.body_text()`):
//!
//! - 400 Bad Request: the body is not JSON at all (`{"email": `), or a path parameter is not
//!   of its type (`/users/abc` where an `i64` is expected);
//! - 415 Unsupported Media Type: the body was not sent as `content-type: application/json`;
//! - 422 Unprocessable Entity: the JSON parses but does not fit (`{"email": 5}`, a field
//!   missing).
//!
//! In production, `axum-extra`'s `WithRejection` and axum's `#[derive(FromRequest)]` with
//! `#[from_request(via(Json), rejection(ApiError))]` write such wrappers for you; here you
//! write them by hand, to see that an extractor is just a trait implementation.
//!
//! - <https://www.rfc-editor.org/rfc/rfc9457>
//! - <https://docs.rs/axum/0.8/axum/error_handling/index.html>
//! - <https://docs.rs/axum/0.8/axum/extract/index.html#customizing-extractor-responses>
//! - <https://docs.rs/thiserror/latest/thiserror/>
//! - <https://cwe.mitre.org/data/definitions/209.html>
//! - <https://cheatsheetseries.owasp.org/cheatsheets/Error_Handling_Cheat_Sheet.html>
//!
//! The tests create this table:
//!
//! ```sql
//! CREATE TABLE users (
//!     id    bigserial PRIMARY KEY,
//!     email text NOT NULL UNIQUE,
//!     name  text NOT NULL
//! );
//! ```
//!
//! Your task: `ApiError` with its `IntoResponse`, the two extractors, and the handlers of
//! `GET /users/{id}`, `POST /users` and of any other path, each answering every failure as a
//! problem.
//!
//! Run `cargo xtask check 03_error_handling` to check your work; `cargo xtask hint
//! 03_error_handling` gives a hint.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

/// The `type` of a problem that is no more than its HTTP status (RFC 9457, section 4.2.1).
pub const ABOUT_BLANK: &str = "about:blank";
/// The `type` of the problem "this email is registered already".
pub const EMAIL_TAKEN: &str = "https://example.com/probs/email-taken";
/// The `title` of that problem.
pub const EMAIL_TAKEN_TITLE: &str = "Email already registered";
/// The `detail` of every 500: that the fault is ours, and nothing of what it was.
pub const INTERNAL_DETAIL: &str =
    "the server failed to answer; the error is logged, try again later";

/// A user, as stored and as answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
}

/// The body of `POST /users`.
#[derive(Debug, Deserialize)]
pub struct NewUser {
    pub email: String,
    pub name: String,
}

/// An RFC 9457 problem, the body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
}

/// Every way a request of this API fails.
// TODO: give the last three variants `#[from]` on their field, so that `?` converts a
// `JsonRejection`, a `PathRejection` or a `sqlx::Error` into an `ApiError`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 404, `about:blank`; the detail is this error's text: "user 7 not found".
    #[error("{0} not found")]
    NotFound(String),
    /// 409, type [`EMAIL_TAKEN`], title [`EMAIL_TAKEN_TITLE`]; the detail is this error's
    /// text: "ada@example.com is already registered".
    #[error("{0} is already registered")]
    EmailTaken(String),
    /// The body could not be read as the JSON the handler expects: 400, 415 or 422,
    /// `about:blank`, the rejection's own explanation as the detail.
    #[error(transparent)]
    Json(JsonRejection),
    /// A path parameter could not be read: 400, `about:blank`, the rejection's explanation.
    #[error(transparent)]
    Path(PathRejection),
    /// Anything the database did wrong: 500, `about:blank`, [`INTERNAL_DETAIL`]. Its text is
    /// logged, never sent.
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // TODO: the problem of each variant, as documented on the enum; log a database error
        // at ERROR level (and nothing else at that level); answer with the problem's status,
        // `content-type: application/problem+json` and the problem as the body.
        todo!("turn {self:?} into a problem+json response")
    }
}

/// A suggested helper: a problem that says no more than its status, `about:blank`, titled by
/// the status's reason phrase ("Not Found").
fn about_blank(status: StatusCode, detail: String) -> Problem {
    // TODO: `StatusCode::canonical_reason` gives the title.
    todo!("the about:blank problem for {status}: {detail}")
}

/// `Json<T>`, rejecting with an [`ApiError`] instead of axum's plain text.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // TODO: run axum's `Json<T>` extractor; `?` turns its rejection into an `ApiError`.
        todo!("read the body as JSON, rejecting with an ApiError")
    }
}

/// `Path<T>`, rejecting with an [`ApiError`] instead of axum's plain text.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // TODO: the same, with axum's `Path<T>`.
        todo!("read the path parameters, rejecting with an ApiError")
    }
}

/// The API, on the `users` table of `pool`.
pub fn app(pool: PgPool) -> Router {
    Router::new()
        .route("/users", post(create_user))
        .route("/users/{id}", get(get_user))
        .fallback(unknown_route)
        .with_state(pool)
}

/// `GET /users/{id}`: 200 and the user as JSON, or a 404 problem: "user 7 not found".
///
/// The query: `SELECT id, email, name FROM users WHERE id = $1`.
pub async fn get_user(
    State(pool): State<PgPool>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<User>, ApiError> {
    // TODO: `?` on the query; no user is `ApiError::NotFound`.
    todo!("answer GET /users/{id}")
}

/// `POST /users` with `{"email": …, "name": …}`: 201 and the user as stored, as JSON; a 409
/// problem if the email is registered already.
///
/// The query: `INSERT INTO users (email, name) VALUES ($1, $2) RETURNING id, email, name`;
/// the table's UNIQUE constraint on `email` fails it with a unique violation
/// (`sqlx::error::DatabaseError::is_unique_violation`) when the email is taken.
pub async fn create_user(
    State(pool): State<PgPool>,
    ApiJson(new): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    // TODO: insert; a unique violation is `ApiError::EmailTaken`, any other error a
    // database error.
    todo!("answer POST /users for {}", new.email)
}

/// Any other path: a 404 problem, "route GET /nope not found".
pub async fn unknown_route(method: Method, uri: Uri) -> ApiError {
    // TODO: the `NotFound` whose text is as above.
    todo!("answer {method} {uri}")
}
