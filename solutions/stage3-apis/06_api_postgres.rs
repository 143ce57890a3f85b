//! # Exercise 06: an API on PostgreSQL — a pool in the state, database errors as HTTP answers
//!
//! Until now the APIs kept their data in memory. A real one keeps it in a database, and the
//! handler's work becomes: read the request, run a query, turn the result *or the error* into
//! a response. This exercise is the books API of a small library, stored in PostgreSQL with
//! sqlx.
//!
//! **The pool is the state.** A `sqlx::PgPool` is a handle to a set of connections, cheap to
//! clone (an `Arc` inside): `Router::with_state(pool)` gives it to every handler, which takes
//! it with `State(pool): State<PgPool>` and runs each query on `&pool`, borrowing a connection
//! for that one query. Never a connection per request opened by hand, never a global.
//!
//! **Binds, never `format!`.** `sqlx::query_as::<_, Book>("SELECT … WHERE id = $1").bind(id)`
//! sends the SQL and the values separately: the value is never parsed as SQL, so a title like
//! `O'Reilly'); DROP TABLE books; --` is stored as it is. A query built with `format!` breaks
//! on the first apostrophe and, worse, runs whatever an attacker writes (SQL injection, OWASP
//! A03). sqlx 0.9 takes only a `&'static str` as SQL: a `String` built at run time is refused
//! unless wrapped in `sqlx::AssertSqlSafe(…)`, your signature that nothing a client sent is in
//! it. `#[derive(sqlx::FromRow)]` maps columns to fields by name; `RETURNING …` hands back the
//! row an `INSERT` or `UPDATE` wrote, in the same round trip.
//!
//! **Each database error is an HTTP answer.** The database enforces the rules (a unique ISBN,
//! an author that exists) better than any check in Rust, which two concurrent requests would
//! race past. So let it, and translate what it says. In sqlx, a refusal is
//! `sqlx::Error::Database(e)`, and `e.code()` is PostgreSQL's SQLSTATE (`e.kind()` sorts the
//! common ones):
//!
//! | what happened | sqlx | answer |
//! |---|---|---|
//! | no such row | `fetch_optional` gives `None` | 404 Not Found |
//! | unique violation, SQLSTATE 23505 | `e.is_unique_violation()` | 409 Conflict |
//! | foreign key violation, 23503 | `e.is_foreign_key_violation()` | 422 Unprocessable Content |
//! | the database cannot be reached | `PoolTimedOut`, `PoolClosed`, `Io(_)` | 503 Service Unavailable |
//! | anything else (a bug) | | 500, and no detail |
//!
//! Why 422 and not 404 for an unknown `author_id`? 404 is about the URL: `/books` exists. The
//! request is well formed, but its content names something that does not exist: 422. Why
//! `fetch_optional`? `fetch_one` turns "no row" into `sqlx::Error::RowNotFound`, an error
//! that is easy to send to the 500 branch by mistake. 503 says "not now, try again", which
//! clients, load balancers and retry policies act on; a 500 says "bug" and pages someone.
//!
//! **Pages, bounded.** A list endpoint must never answer "all rows": the table grows, and one
//! request reads a million of them. `?limit=&offset=` with a default and a maximum (1 to 100
//! here), checked before the query (400 otherwise), and `LIMIT $1 OFFSET $2` in the SQL so
//! that the database sends only the page. (For deep pages, keyset pagination, `WHERE id > $1
//! ORDER BY id LIMIT $2`, avoids reading and skipping `offset` rows; a later lesson.)
//!
//! - <https://docs.rs/sqlx/0.9/sqlx/fn.query_as.html>,
//!   <https://docs.rs/sqlx/0.9/sqlx/error/trait.DatabaseError.html>
//! - <https://docs.rs/axum/0.8/axum/extract/struct.State.html>
//! - <https://www.postgresql.org/docs/current/errcodes-appendix.html>
//! - <https://owasp.org/Top10/A03_2021-Injection/>
//! - <https://www.rfc-editor.org/rfc/rfc9110#name-422-unprocessable-content>
//!
//! The tests create these tables (and authors 1 and 2):
//!
//! ```sql
//! CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL);
//! CREATE TABLE books (
//!     id        bigserial PRIMARY KEY,
//!     title     text NOT NULL,
//!     isbn      text NOT NULL UNIQUE,
//!     author_id bigint NOT NULL REFERENCES authors (id)
//! );
//! ```
//!
//! Your task: `app`, the five handlers, and the translation of `sqlx::Error` into `ApiError`.
//!
//! Run `cargo xtask check 06_api_postgres` to check your work; `cargo xtask hint
//! 06_api_postgres` gives a hint.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;

/// The page size when the request gives none.
pub const DEFAULT_LIMIT: i64 = 20;
/// The largest page a request may ask for.
pub const MAX_LIMIT: i64 = 100;

/// A row of `books`, and its JSON: `{"id":1,"title":"…","isbn":"…","author_id":1}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Book {
    pub id: i64,
    pub title: String,
    pub isbn: String,
    pub author_id: i64,
}

/// The body of `POST /books` and `PUT /books/{id}`.
#[derive(Debug, Clone, Deserialize)]
pub struct NewBook {
    pub title: String,
    pub isbn: String,
    pub author_id: i64,
}

/// The query of `GET /books`: `?limit=10&offset=20`, both optional.
#[derive(Debug, Clone, Deserialize)]
pub struct Pagination {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Every way a request can fail, each with its status and its `{"error":"…"}` body.
#[derive(Debug, PartialEq, Eq)]
pub enum ApiError {
    /// 404: `{"error":"book 7 not found"}`.
    NotFound(i64),
    /// 400: `{"error":"<the message>"}`, for a query the client must fix.
    BadRequest(&'static str),
    /// 409: the ISBN belongs to another book already.
    IsbnTaken,
    /// 422: `author_id` names no author.
    UnknownAuthor,
    /// 503: the database cannot be reached now (the pool is closed, timed out, or the
    /// connection failed).
    Unavailable,
    /// 500: anything else; the details stay in the server.
    Internal,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::NotFound(id) => (StatusCode::NOT_FOUND, format!("book {id} not found")),
            ApiError::BadRequest(message) => (StatusCode::BAD_REQUEST, message.to_string()),
            ApiError::IsbnTaken => (
                StatusCode::CONFLICT,
                "a book with this isbn exists already: use another isbn".to_string(),
            ),
            ApiError::UnknownAuthor => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "no author has this author_id: create the author first".to_string(),
            ),
            ApiError::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "database unavailable: try again later".to_string(),
            ),
            ApiError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error".to_string(),
            ),
        };
        (status, Json(json!({ "error": message }))).into_response()
    }
}

impl From<sqlx::Error> for ApiError {
    /// What a database error means for the client: see the table in the lesson.
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(e) if e.is_unique_violation() => ApiError::IsbnTaken,
            sqlx::Error::Database(e) if e.is_foreign_key_violation() => ApiError::UnknownAuthor,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                ApiError::Unavailable
            }
            _ => {
                // The details are for the logs, never for the client.
                tracing::error!(%error, "database error");
                ApiError::Internal
            }
        }
    }
}

/// The API, with `pool` as its state:
///
/// - `POST /books`: 201, `location: /books/{id}` and the stored book;
/// - `GET /books?limit=&offset=`: 200 and a page of books in order of id;
/// - `GET /books/{id}`: 200 and the book;
/// - `PUT /books/{id}`: 200 and the book as it is now stored;
/// - `DELETE /books/{id}`: 204 and no body.
pub fn app(pool: PgPool) -> Router {
    Router::new()
        .route("/books", get(list_books).post(create_book))
        .route(
            "/books/{id}",
            get(get_book).put(update_book).delete(delete_book),
        )
        .with_state(pool)
}

/// `POST /books`.
async fn create_book(
    State(pool): State<PgPool>,
    Json(new): Json<NewBook>,
) -> Result<Response, ApiError> {
    let book: Book = sqlx::query_as(
        "INSERT INTO books (title, isbn, author_id) VALUES ($1, $2, $3)
         RETURNING id, title, isbn, author_id",
    )
    .bind(&new.title)
    .bind(&new.isbn)
    .bind(new.author_id)
    .fetch_one(&pool)
    .await?;
    let location = format!("/books/{}", book.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(book)).into_response())
}

/// `GET /books?limit=&offset=`: `limit` 1 to [`MAX_LIMIT`] ([`DEFAULT_LIMIT`] when absent),
/// `offset` 0 or more (0 when absent); otherwise 400 with
/// `{"error":"limit must be between 1 and 100"}` or `{"error":"offset must be 0 or more"}`.
async fn list_books(
    State(pool): State<PgPool>,
    Query(page): Query<Pagination>,
) -> Result<Json<Vec<Book>>, ApiError> {
    let limit = page.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::BadRequest("limit must be between 1 and 100"));
    }
    let offset = page.offset.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::BadRequest("offset must be 0 or more"));
    }
    // The page is cut by the database: only `limit` rows ever leave it.
    let books = sqlx::query_as(
        "SELECT id, title, isbn, author_id FROM books ORDER BY id LIMIT $1 OFFSET $2",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(&pool)
    .await?;
    Ok(Json(books))
}

/// `GET /books/{id}`.
async fn get_book(State(pool): State<PgPool>, Path(id): Path<i64>) -> Result<Json<Book>, ApiError> {
    sqlx::query_as("SELECT id, title, isbn, author_id FROM books WHERE id = $1")
        .bind(id)
        .fetch_optional(&pool)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound(id))
}

/// `PUT /books/{id}`: replaces the book's title, isbn and author.
async fn update_book(
    State(pool): State<PgPool>,
    Path(id): Path<i64>,
    Json(new): Json<NewBook>,
) -> Result<Json<Book>, ApiError> {
    sqlx::query_as(
        "UPDATE books SET title = $2, isbn = $3, author_id = $4 WHERE id = $1
         RETURNING id, title, isbn, author_id",
    )
    .bind(id)
    .bind(&new.title)
    .bind(&new.isbn)
    .bind(new.author_id)
    .fetch_optional(&pool)
    .await?
    .map(Json)
    .ok_or(ApiError::NotFound(id))
}

/// `DELETE /books/{id}`.
async fn delete_book(
    State(pool): State<PgPool>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let deleted = sqlx::query("DELETE FROM books WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(ApiError::NotFound(id));
    }
    Ok(StatusCode::NO_CONTENT)
}
