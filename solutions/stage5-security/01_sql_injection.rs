//! # SQL injection: bind the values, pick the SQL from an allow-list
//!
//! SQL injection happens when text from a request becomes part of a statement's *code*.
//! [`vulnerable_search`] below does what countless tutorials do,
//! `format!("… WHERE name ILIKE '%{q}%' ORDER BY {sort} LIMIT 10")`, and so whoever sends `q`
//! or `sort` writes SQL:
//!
//! - `zzz' OR 1=1 --` closes the string, adds a condition that always holds (a *tautology*)
//!   and comments out the rest (`--`, or `/* */` where a filter forbids spaces): every row,
//!   and the `LIMIT` is gone.
//! - `zzz' UNION SELECT id, email || ':' || password_hash, 0 FROM users --` appends the rows
//!   of another table: the password hashes come back as products.
//! - `'; DROP TABLE products; --` ends the statement and starts another (*stacked queries*).
//!   `vulnerable_search` sends its text with the simple query protocol ([`sqlx::raw_sql`], as
//!   psql and many drivers' "execute" do), which runs every statement in it. `sqlx::query`
//!   sends one prepared statement, in which PostgreSQL refuses a second: that stops this
//!   attack, and none of the others.
//! - `sort` is not even inside quotes. `(SELECT CAST(password_hash AS int) FROM users LIMIT 1)`
//!   makes PostgreSQL fail with `invalid input syntax for type integer: "$argon2id$…"`: the
//!   secret is in the error's text (an *error-based* injection), one more reason why a
//!   database error's text never goes into a response.
//!
//! The tests run these payloads against `vulnerable_search` on a real PostgreSQL, to show that
//! they work, and then against your search, which must treat them as text to look for.
//!
//! **Values: bind them.** With `$1` in the statement and the value sent beside it, PostgreSQL
//! has parsed the statement before it sees the value, so `' OR 1=1 --` is only text to look
//! for. sqlx 0.9 makes this the easy way: `sqlx::query` takes a
//! `&'static str`, and text built at run time only wrapped in [`sqlx::AssertSqlSafe`], your
//! signature that you checked it (`vulnerable_search` signs, wrongly).
//!
//! **Escaping quotes by hand is not a fix.** `q.replace('\'', "''")` looks right, but what a
//! string literal means is up to the server: with `standard_conforming_strings = off` (old
//! PostgreSQL setups; MySQL reads backslashes this way by default) `\'` is an escaped quote,
//! and `\' OR 1=1 --` breaks out again. One test runs your search on such a connection. A bind
//! does not depend on it. (So write no backslash inside a SQL literal, not even `ESCAPE '\'`.)
//!
//! **`LIKE` has wildcards of its own.** Bound, `q` cannot inject, but in a pattern `%` means
//! "anything" and `_` "any one character": a search for `50%` would find "Teapot 500 ml".
//! Escape them in the value, and the escape character `\` itself first: `50\%`. PostgreSQL's
//! `LIKE` and `ILIKE` take `\` as their escape character unless an `ESCAPE` clause says
//! otherwise.
//!
//! **Names and keywords cannot be bound.** `ORDER BY $1` sorts by a constant, not by the column
//! named in `$1`. So the client's `sort` chooses among a few clauses written in *your* code, an
//! *allow-list*, and anything else is a 400, never text in the SQL. Parsed into [`Sort`], a
//! sort cannot carry a payload any more: the type says so. The values follow JSON:API:
//! `sort=price`, and `sort=-price` for descending.
//!
//! **The rest of the input.** The `LIMIT` is bound too, and capped so that one request cannot
//! ask for the whole table. PostgreSQL refuses a NUL character in text (`invalid byte sequence
//! for encoding "UTF8": 0x00`): refuse it first, as a 400, rather than let it become a 500.
//! Cap the length of what is searched for. An error never repeats the input back. And when the
//! database fails all the same, answer a 500 that says nothing of the SQL, and log the error.
//!
//! In production the same rules hold: sqlx's `query!` macros check each statement against the
//! database at compile time, an ORM (SeaORM, Diesel) binds every value for you, and a statement
//! whose shape varies is built with [`sqlx::QueryBuilder`]: `push_bind` for values, `push` only
//! for SQL of your own.
//!
//! - <https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html>
//! - <https://docs.rs/sqlx/0.9.0/sqlx/struct.QueryBuilder.html>
//! - <https://docs.rs/sqlx/0.9.0/sqlx/struct.AssertSqlSafe.html>
//! - <https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-LIKE>
//! - <https://www.postgresql.org/docs/current/runtime-config-compatible.html#GUC-STANDARD-CONFORMING-STRINGS>
//! - <https://jsonapi.org/format/#fetching-sorting>
//!
//! The tests create these tables (`users` is what an attacker is after):
//!
//! ```sql
//! CREATE TABLE products (id bigint PRIMARY KEY, name text NOT NULL, price_cents bigint NOT NULL);
//! CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, password_hash text NOT NULL);
//! ```
//!
//! Your task: [`like_pattern`], the allow-list of [`Sort`], [`Search::from_params`],
//! [`search_products`] and the response of a [`SearchError`]; `GET /products` is given.
//!
//! Run `cargo xtask check 01_sql_injection` to check your work; `cargo xtask hint
//! 01_sql_injection` gives a hint.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{AssertSqlSafe, FromRow, PgPool, Postgres, QueryBuilder};

/// How many products a search answers when the client does not say.
pub const DEFAULT_LIMIT: i64 = 10;
/// The most products one search answers, whatever the client asks for.
pub const MAX_LIMIT: i64 = 20;
/// The longest text a search looks for, in characters.
pub const MAX_QUERY_CHARS: usize = 100;
/// The `error` of every 500: that the fault is ours, and nothing of what it was.
pub const INTERNAL_ERROR: &str = "the search failed; try again later";

/// A product, as stored and as answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromRow)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub price_cents: i64,
}

/// **Given, and broken on purpose**: the search as it is too often written, with the request's
/// text formatted into the SQL. The tests show what an attacker does with it; do not fix it,
/// write [`search_products`] instead.
pub async fn vulnerable_search(
    pool: &PgPool,
    q: &str,
    sort: &str,
) -> Result<Vec<Product>, sqlx::Error> {
    let sql = format!(
        "SELECT id, name, price_cents FROM products WHERE name ILIKE '%{q}%' \
         ORDER BY {sort} LIMIT 10"
    );
    let rows = sqlx::raw_sql(AssertSqlSafe(sql)).fetch_all(pool).await?;
    rows.iter().map(Product::from_row).collect()
}

/// `LIKE` pattern for "contains `text`": `text` with `\`, `%` and `_` escaped by a `\` (the
/// backslash first, or the escapes of the others would be escaped again), between two `%`.
///
/// `like_pattern("50%")` is `%50\%%`; `like_pattern("")` is `%%`, which matches every name.
pub fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', r"\\")
        .replace('%', r"\%")
        .replace('_', r"\_");
    format!("%{escaped}%")
}

/// The orders a client may ask for: the allow-list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// `sort=name`, and the default.
    #[default]
    NameAsc,
    /// `sort=-name`.
    NameDesc,
    /// `sort=price`: cheapest first.
    PriceAsc,
    /// `sort=-price`.
    PriceDesc,
}

impl Sort {
    /// The sort a client's `sort` names, exactly (`name`, `-name`, `price`, `-price`), or
    /// `None` for anything else.
    pub fn parse(sort: &str) -> Option<Sort> {
        match sort {
            "name" => Some(Sort::NameAsc),
            "-name" => Some(Sort::NameDesc),
            "price" => Some(Sort::PriceAsc),
            "-price" => Some(Sort::PriceDesc),
            _ => None,
        }
    }

    /// This sort's `ORDER BY` clause: SQL written here, never text from a request. The `id`
    /// last puts equal names or prices in a stable order.
    pub fn order_by(self) -> &'static str {
        match self {
            Sort::NameAsc => "name, id",
            Sort::NameDesc => "name DESC, id",
            Sort::PriceAsc => "price_cents, id",
            Sort::PriceDesc => "price_cents DESC, id",
        }
    }
}

/// The query string of `GET /products` as the client sent it: nothing in it is trusted yet.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchParams {
    pub q: Option<String>,
    pub sort: Option<String>,
    pub limit: Option<String>,
}

/// A search, checked: every field is safe to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// The text a product's name contains (any case); empty matches every product.
    pub name_contains: String,
    pub sort: Sort,
    /// From 1 to [`MAX_LIMIT`].
    pub limit: i64,
}

impl Search {
    /// Checks what the client sent, one parameter at a time in this order:
    ///
    /// - `q`: missing is empty; more than [`MAX_QUERY_CHARS`] characters is
    ///   [`SearchError::QueryTooLong`]; a NUL character in it is [`SearchError::NulInQuery`].
    /// - `sort`: missing is [`Sort::NameAsc`]; one [`Sort::parse`] does not know is
    ///   [`SearchError::InvalidSort`].
    /// - `limit`: missing is [`DEFAULT_LIMIT`]; anything but a whole number of at least 1 is
    ///   [`SearchError::InvalidLimit`]; above [`MAX_LIMIT`] it is [`MAX_LIMIT`].
    pub fn from_params(params: SearchParams) -> Result<Search, SearchError> {
        let name_contains = params.q.unwrap_or_default();
        if name_contains.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchError::QueryTooLong);
        }
        if name_contains.contains('\0') {
            return Err(SearchError::NulInQuery);
        }
        let sort = match params.sort {
            None => Sort::default(),
            Some(sort) => Sort::parse(&sort).ok_or(SearchError::InvalidSort)?,
        };
        let limit = match params.limit {
            None => DEFAULT_LIMIT,
            Some(limit) => match limit.parse::<i64>() {
                Ok(limit) if limit >= 1 => limit.min(MAX_LIMIT),
                _ => return Err(SearchError::InvalidLimit),
            },
        };
        Ok(Search {
            name_contains,
            sort,
            limit,
        })
    }
}

/// Every way a search fails. The texts are what the client reads: none repeats its input.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("q must be at most {} characters", MAX_QUERY_CHARS)]
    QueryTooLong,
    #[error("q must not contain a NUL character")]
    NulInQuery,
    #[error("sort must be one of name, -name, price, -price")]
    InvalidSort,
    #[error("limit must be a whole number of at least 1")]
    InvalidLimit,
    /// Its text, with the SQL and what PostgreSQL said, is for the logs only.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl IntoResponse for SearchError {
    /// A client's mistake: 400 and `{"error": <this error's text>}`. A database error: logged
    /// at ERROR level, and 500 with `{"error": INTERNAL_ERROR}`.
    fn into_response(self) -> Response {
        let (status, error) = match &self {
            SearchError::Database(error) => {
                tracing::error!(%error, "a product search failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    INTERNAL_ERROR.to_string(),
                )
            }
            _ => (StatusCode::BAD_REQUEST, self.to_string()),
        };
        (status, Json(json!({ "error": error }))).into_response()
    }
}

/// The products whose name contains `search.name_contains` (any case, `%` and `_` only
/// themselves), in the order of `search.sort`, at most `search.limit` of them.
pub async fn search_products(pool: &PgPool, search: &Search) -> Result<Vec<Product>, SearchError> {
    // Values travel as binds; the one piece of SQL that varies, the ORDER BY, is a
    // `&'static str` of this file, picked by the allow-list.
    let mut query = QueryBuilder::<Postgres>::new(
        "SELECT id, name, price_cents FROM products WHERE name ILIKE ",
    );
    query
        .push_bind(like_pattern(&search.name_contains))
        .push(" ORDER BY ")
        .push(search.sort.order_by())
        .push(" LIMIT ")
        .push_bind(search.limit);
    Ok(query.build_query_as::<Product>().fetch_all(pool).await?)
}

/// The API, given: `GET /products?q=…&sort=…&limit=…` answers the products as JSON.
pub fn app(pool: PgPool) -> Router {
    Router::new()
        .route("/products", get(list_products))
        .with_state(pool)
}

async fn list_products(
    State(pool): State<PgPool>,
    Query(params): Query<SearchParams>,
) -> Result<Json<Vec<Product>>, SearchError> {
    let search = Search::from_params(params)?;
    Ok(Json(search_products(&pool, &search).await?))
}
