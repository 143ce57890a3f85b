//! # Exercise 01: routes and extractors — path, query and JSON in, typed responses out
//!
//! A web framework does two jobs before your code runs. **Routing** picks a handler from the
//! request's method and path: in axum, `Router::new().route("/items/{id}", get(get_item))`
//! sends `GET /items/3` to `get_item`. A path that no route matches is the router's
//! *fallback* (404 by default, `Router::fallback` to answer in your API's shape); a path that
//! matches with a method it was not given (`DELETE /items/3`) is `405 Method Not Allowed`,
//! with an `Allow` header that lists the methods the path does take (RFC 9110 §15.5.6).
//! axum 0.8 writes a path parameter `{id}`; the `:id` of axum 0.7 and of most tutorials
//! panics when the router is built.
//!
//! **Extracting** turns the request into typed values, one handler argument each:
//!
//! - `Path<u64>` parses the `{id}` segment; `Path<(String, u64)>` takes two.
//! - `Query<T>` deserializes the query string (`?q=lamp&limit=2`) into a `T: Deserialize`.
//!   A parameter the client may leave out is an `Option`, or has a serde default
//!   (`#[serde(default)]` on a field, `#[serde(default = "a_function")]` for another value).
//! - `Json<T>` reads the body as JSON into a `T`, and must be the **last** argument: it
//!   consumes the body, so axum only accepts one such extractor, at the end.
//!
//! A handler returns anything that is `IntoResponse`: `Json(value)` is 200 with
//! `content-type: application/json`; a tuple `(StatusCode, Json(value))` sets the status too;
//! `Result<A, B>` answers with whichever it holds, so `?` and early `return Err(...)` read as
//! they do in any Rust function.
//!
//! **Rejections.** When an extractor fails, axum answers for you, before your handler runs:
//! `/items/abc` for a `Path<u64>` gets `400` and, in `text/plain`, "Invalid URL: Cannot parse
//! \`abc\` to a \`u64\`". A production API answers every error in one shape (here
//! `{"error": "..."}`), and in words for its clients, not for Rust programmers. The way in is
//! that an extractor wrapped in `Result` never fails: the handler receives
//! `Err(rejection)` and decides. `PathRejection`, `QueryRejection` and `JsonRejection` each
//! have `status()` and `body_text()`.
//!
//! A JSON body can be wrong in three ways, and each has its own status: no
//! `content-type: application/json` is `415 Unsupported Media Type`; text that is not JSON is
//! `400 Bad Request`; JSON of the wrong shape (a missing field, a string for a number) is
//! `422 Unprocessable Content`. axum's `JsonRejection` already knows which, and its text
//! names the field and where it went wrong, so this API passes both on, in its own shape.
//!
//! Production code does the same, usually once for the whole API: an error type of its own
//! that implements `IntoResponse` (exercise 03), and extractors that turn rejections into it.
//!
//! - <https://docs.rs/axum/0.8/axum/extract/index.html#handling-extractor-rejections>
//! - <https://docs.rs/axum/0.8/axum/routing/struct.Router.html#method.route>
//! - <https://docs.rs/axum/0.8/axum/routing/struct.Router.html#method.fallback>
//! - <https://docs.rs/axum/0.8/axum/extract/rejection/enum.JsonRejection.html>
//! - <https://serde.rs/field-attrs.html#default>
//! - <https://www.rfc-editor.org/rfc/rfc9110#name-client-error-4xx>
//!
//! Your task: a small read-only shop API over [`CATALOGUE`], every error as
//! `{"error": "..."}`. `app()` routes:
//!
//! - `GET /items?q=lamp&limit=2`: 200 and the items whose name contains `q` in any case, in id
//!   order, at most `limit` of them ([`DEFAULT_LIMIT`] when it is left out); a `limit` that is
//!   not a whole number is 400 `"limit must be a whole number, such as ?limit=5"`.
//! - `GET /items/{id}`: 200 and the item; 404 `"item 7 not found"`; an id that is not a whole
//!   number is 400 `"the item id must be a whole number, such as /items/3"`.
//! - `POST /quotes` with `{"item_id":2,"quantity":3}`: 200 and a [`Quote`]; 422 `"item 99 does
//!   not exist"` or `"quantity must be at least 1"`; a body axum rejects gets the rejection's
//!   own status, and its `body_text()` as the error.
//! - any other path: 404 `"no route for GET /nope"` (the method and the path, without the
//!   query string).
//!
//! A route asked with a method it was not given answers 405, as axum does by itself.
//!
//! Run `cargo xtask check 01_routing` to check your work; `cargo xtask hint 01_routing` gives
//! a hint.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query};
use axum::http::{Method, StatusCode, Uri};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// How many items `GET /items` answers when the client gives no `limit`.
pub const DEFAULT_LIMIT: usize = 10;

/// One item of the shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Item {
    pub id: u64,
    pub name: &'static str,
    pub price_cents: u64,
}

/// Everything the shop sells, in id order.
pub const CATALOGUE: [Item; 12] = [
    item(1, "Desk Lamp", 2499),
    item(2, "Office Chair", 12900),
    item(3, "Standing Desk", 34900),
    item(4, "Monitor Arm", 5999),
    item(5, "Floor Lamp", 4599),
    item(6, "Keyboard", 7999),
    item(7, "Mouse", 2999),
    item(8, "Desk Mat", 1999),
    item(9, "Cable Tray", 1499),
    item(10, "Webcam", 6999),
    item(11, "Headphones", 9999),
    item(12, "Lamp Bulb", 499),
];

const fn item(id: u64, name: &'static str, price_cents: u64) -> Item {
    Item {
        id,
        name,
        price_cents,
    }
}

/// The query string of `GET /items`: `?q=lamp&limit=2`. Both are optional.
#[derive(Debug, Deserialize)]
pub struct ListParams {
    /// Part of an item's name, in any case; left out, every item matches.
    #[serde(default)]
    pub q: String,
    /// The most items to answer; left out, [`DEFAULT_LIMIT`].
    #[serde(default = "default_limit")]
    pub limit: usize,
}

fn default_limit() -> usize {
    DEFAULT_LIMIT
}

/// The body of `POST /quotes`.
#[derive(Debug, Deserialize)]
pub struct QuoteRequest {
    pub item_id: u64,
    pub quantity: u32,
}

/// The answer of `POST /quotes`: what `quantity` of an item costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    pub item_id: u64,
    pub name: &'static str,
    pub quantity: u32,
    pub total_cents: u64,
}

/// The body of every error this API answers: `{"error": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    pub error: String,
}

/// An error answer: its status and its JSON body. A tuple of a status and something that is
/// `IntoResponse` is itself `IntoResponse`.
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

/// The shop's router.
pub fn app() -> Router {
    Router::new()
        .route("/items", get(list_items))
        .route("/items/{id}", get(get_item))
        .route("/quotes", post(create_quote))
        // Only for paths that no route matches: a known path with another method still gets
        // axum's 405 and its Allow header.
        .fallback(no_route)
}

/// `GET /items?q=&limit=`.
pub async fn list_items(
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<Vec<Item>>, ApiError> {
    // `q` is a string and cannot fail to parse, so a rejection is always about `limit`.
    let Query(params) = params.map_err(|_| {
        api_error(
            StatusCode::BAD_REQUEST,
            "limit must be a whole number, such as ?limit=5",
        )
    })?;
    let wanted = params.q.to_lowercase();
    let items = CATALOGUE
        .iter()
        .filter(|item| item.name.to_lowercase().contains(&wanted))
        // The limit counts the items that match, so it comes after the filter.
        .take(params.limit)
        .copied()
        .collect();
    Ok(Json(items))
}

/// `GET /items/{id}`.
pub async fn get_item(id: Result<Path<u64>, PathRejection>) -> Result<Json<Item>, ApiError> {
    let Path(id) = id.map_err(|_| {
        api_error(
            StatusCode::BAD_REQUEST,
            "the item id must be a whole number, such as /items/3",
        )
    })?;
    find(id)
        .map(Json)
        .ok_or_else(|| api_error(StatusCode::NOT_FOUND, format!("item {id} not found")))
}

/// `POST /quotes`.
pub async fn create_quote(
    body: Result<Json<QuoteRequest>, JsonRejection>,
) -> Result<Json<Quote>, ApiError> {
    // axum knows which of 415, 400 and 422 the body deserves, and its text says why.
    let Json(request) =
        body.map_err(|rejection| api_error(rejection.status(), rejection.body_text()))?;
    // The body is well-formed JSON but asks for something impossible: 422, not 404, because
    // the URL (/quotes) exists; what is wrong is inside the body.
    let item = find(request.item_id).ok_or_else(|| {
        api_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("item {} does not exist", request.item_id),
        )
    })?;
    if request.quantity == 0 {
        return Err(api_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "quantity must be at least 1",
        ));
    }
    Ok(Json(Quote {
        item_id: item.id,
        name: item.name,
        quantity: request.quantity,
        total_cents: item.price_cents * u64::from(request.quantity),
    }))
}

/// The answer for a path that no route matches: `{"error":"no route for GET /nope"}`.
pub async fn no_route(method: Method, uri: Uri) -> ApiError {
    api_error(
        StatusCode::NOT_FOUND,
        format!("no route for {method} {}", uri.path()),
    )
}

/// The item with this id, if the catalogue has one.
fn find(id: u64) -> Option<Item> {
    CATALOGUE.iter().find(|item| item.id == id).copied()
}
