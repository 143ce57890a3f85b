//! # Exercise 12: conditional requests, Link pagination, and /v1 beside /v2
//!
//! Three things every public HTTP API needs, all in plain headers.
//!
//! **ETags: don't send what the client has.** A response carries an `ETag`, an opaque tag of
//! that *representation* (RFC 9110 8.8.3), in double quotes: `ETag: "5f1c…"`. A *strong* tag
//! changes whenever a byte of the body would (a hash of the body, or a version bumped on
//! every write); a *weak* one, `W/"…"`, only promises "equivalent". A client with a copy asks
//! again with `If-None-Match: "5f1c…"`; while that matches, the answer is `304 Not Modified`
//! with the `ETag` and no body (hyper drops any), and the client keeps its copy.
//! `If-None-Match` compares weakly (`W/"x"` matches `"x"`), may list several tags
//! (`"a", W/"b"`), and `*` matches whatever exists.
//!
//! **If-Match: no lost updates.** Alice and Bob both GET contact 1 (tag `"v1"`). Alice PUTs
//! her change; Bob PUTs his, made on the old copy, and silently erases hers. With
//! `If-Match: "v1"` on each PUT, the server writes only if the tag is still current, and
//! answers `412 Precondition Failed` otherwise: Bob must GET again and redo his change.
//! `If-Match` compares strongly (a weak tag never matches); `*` means "if it exists". This API
//! *requires* it: a PUT without it is `428 Precondition Required` (RFC 6585). Check and write
//! under one lock (or in one SQL statement, `UPDATE … WHERE id = $1 AND version = $2`), or
//! two writers can both pass the check.
//!
//! **Link: pages a client can follow.** A list answers one page and a `Link` header
//! (RFC 8288) with the pages around it, as GitHub's API does, so clients never build URLs:
//! `</v1/contacts?page=1&per_page=10>; rel="first", </v1/contacts?page=3&per_page=10>;
//! rel="next", …`. `prev` only when there is a page before, `next` only when there is one
//! after, `first` and `last` always (an empty list still has a page 1).
//!
//! **Versions side by side.** A public API never changes a representation under its clients:
//! v2 here splits `name` into `first_name` and `last_name`; v1 keeps answering `name`, from
//! the same data. Each version is a router nested under its prefix (`Router::nest("/v1", …)`)
//! over one shared store. A nested handler's `Uri` has lost the prefix; `OriginalUri` has it.
//!
//! - <https://www.rfc-editor.org/rfc/rfc9110#name-conditional-requests> (13.1.1 If-Match,
//!   13.1.2 If-None-Match, 8.8.3 ETag and its comparisons)
//! - <https://www.rfc-editor.org/rfc/rfc6585#section-3> (428 Precondition Required)
//! - <https://www.rfc-editor.org/rfc/rfc8288> (Web Linking)
//! - <https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api>
//! - <https://docs.rs/axum/latest/axum/struct.Router.html#method.nest>
//!
//! Your task: `weak_match`, `strong_match`, `link_header`, then the app: two nested versions,
//! three generic handlers. Extractors, representations and `error` are given.
//!
//! Run `cargo xtask check 12_conditional_requests` to check your work;
//! `cargo xtask hint 12_conditional_requests` gives a hint.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, OriginalUri, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A contact as the service keeps it, whatever the version that shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

/// The one store both versions share.
pub type Contacts = Arc<Mutex<BTreeMap<i64, Contact>>>;

/// One version of the API: how it shows a contact, and how its PUT body changes one.
pub trait Version: Serialize + Send + 'static {
    /// The body of a PUT in this version.
    type Input: DeserializeOwned + Send + 'static;
    fn show(contact: &Contact) -> Self;
    fn apply(input: Self::Input, contact: &mut Contact);
}

/// Version 1: `{"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"}`. Frozen.
#[derive(Debug, Serialize)]
pub struct V1 {
    id: i64,
    name: String,
    email: String,
}

#[derive(Debug, Deserialize)]
pub struct V1Input {
    name: String,
    email: String,
}

impl Version for V1 {
    type Input = V1Input;
    fn show(contact: &Contact) -> Self {
        let name = format!("{} {}", contact.first_name, contact.last_name);
        V1 {
            id: contact.id,
            name: name.trim_end().to_string(),
            email: contact.email.clone(),
        }
    }
    /// Version 1 knows one name: the first word is the first name, the rest the last name.
    fn apply(input: V1Input, contact: &mut Contact) {
        let (first, last) = input.name.split_once(' ').unwrap_or((&input.name, ""));
        contact.first_name = first.to_string();
        contact.last_name = last.trim().to_string();
        contact.email = input.email;
    }
}

/// Version 2: `{"id": 1, "first_name": "Ada", "last_name": "Lovelace", "email": "…"}`.
#[derive(Debug, Serialize)]
pub struct V2 {
    id: i64,
    first_name: String,
    last_name: String,
    email: String,
}

#[derive(Debug, Deserialize)]
pub struct V2Input {
    first_name: String,
    last_name: String,
    email: String,
}

impl Version for V2 {
    type Input = V2Input;
    fn show(contact: &Contact) -> Self {
        V2 {
            id: contact.id,
            first_name: contact.first_name.clone(),
            last_name: contact.last_name.clone(),
            email: contact.email.clone(),
        }
    }
    fn apply(input: V2Input, contact: &mut Contact) {
        contact.first_name = input.first_name;
        contact.last_name = input.last_name;
        contact.email = input.email;
    }
}

/// Does an `If-None-Match` value (`*`, or a list of entity-tags such as `"a", W/"b"`) match
/// `etag` (ours, strong: `"…"`)? The weak comparison: `W/"x"` matches `"x"`.
pub fn weak_match(list: &str, etag: &str) -> bool {
    let ours = etag.trim_start_matches("W/");
    list.trim() == "*"
        || list
            .split(',')
            .map(|tag| tag.trim().trim_start_matches("W/"))
            .any(|tag| tag == ours)
}

/// Does an `If-Match` value match `etag`? The strong comparison: a weak tag never matches.
pub fn strong_match(list: &str, etag: &str) -> bool {
    list.trim() == "*" || list.split(',').map(str::trim).any(|tag| tag == etag)
}

/// The `Link` header of page `page` of a list at `path` with `total` items, `per_page` a page:
/// `first`, `prev` (if `page > 1`), `next` (if there is a page after) and `last`, in this
/// order, separated by `, `, each `<{path}?page={n}&per_page={per_page}>; rel="{rel}"`.
/// An empty list has one page.
pub fn link_header(path: &str, page: u64, per_page: u64, total: u64) -> String {
    let last = total.div_ceil(per_page).max(1);
    let link = |n: u64, rel: &str| format!("<{path}?page={n}&per_page={per_page}>; rel=\"{rel}\"");
    let mut links = vec![link(1, "first")];
    if page > 1 {
        links.push(link(page - 1, "prev"));
    }
    if page < last {
        links.push(link(page + 1, "next"));
    }
    links.push(link(last, "last"));
    links.join(", ")
}

/// The app: `/v1/contacts` and `/v2/contacts` (GET, with `?page=&per_page=`), and
/// `/v1/contacts/{id}` and `/v2/contacts/{id}` (GET, PUT), over one store holding `contacts`.
/// Any other path: 404, `no such resource: see /v1/contacts or /v2/contacts`.
pub fn app(contacts: Vec<Contact>) -> Router {
    let store: Contacts = Arc::new(Mutex::new(
        contacts.into_iter().map(|c| (c.id, c)).collect(),
    ));
    Router::new()
        .nest("/v1", routes::<V1>())
        .nest("/v2", routes::<V2>())
        .fallback(|| async {
            error(
                StatusCode::NOT_FOUND,
                "no such resource: see /v1/contacts or /v2/contacts",
            )
        })
        .with_state(store)
}

/// One version's routes; the same handlers serve every version.
fn routes<V: Version>() -> Router<Contacts> {
    Router::new()
        .route("/contacts", get(list::<V>))
        .route("/contacts/{id}", get(show::<V>).put(replace::<V>))
}

/// `GET /vN/contacts?page=&per_page=`: 200, the page's contacts by id, and `Link`.
async fn list<V: Version>(
    State(store): State<Contacts>,
    OriginalUri(uri): OriginalUri,
    PageQuery { page, per_page }: PageQuery,
) -> Response {
    let store = store.lock().unwrap();
    let skip = (page - 1).saturating_mul(per_page);
    let items: Vec<V> = store
        .values()
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(per_page as usize)
        .map(V::show)
        .collect();
    let links = link_header(uri.path(), page, per_page, store.len() as u64);
    ([(header::LINK, links)], Json(items)).into_response()
}

/// `GET /vN/contacts/{id}`: 200, the contact, and its `ETag`; 304 with the `ETag` and no body
/// when `If-None-Match` matches; 404 `contact 7 not found`.
async fn show<V: Version>(
    State(store): State<Contacts>,
    ContactId(id): ContactId,
    headers: HeaderMap,
) -> Response {
    let store = store.lock().unwrap();
    let Some(contact) = store.get(&id) else {
        return error(StatusCode::NOT_FOUND, &format!("contact {id} not found"));
    };
    let (etag, response) = representation::<V>(contact);
    let if_none_match = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok());
    if if_none_match.is_some_and(|list| weak_match(list, &etag)) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    response
}

/// `PUT /vN/contacts/{id}` with `If-Match`: 200, the contact as it is now, and its new `ETag`;
/// 404 for a contact that does not exist; 428 `a PUT needs If-Match with the contact's ETag:
/// GET it first` without `If-Match`; 412 `the contact changed since you read it: GET it again,
/// then retry with its new ETag` when it does not match, and nothing changes.
async fn replace<V: Version>(
    State(store): State<Contacts>,
    ContactId(id): ContactId,
    headers: HeaderMap,
    Body(input): Body<V::Input>,
) -> Response {
    // One lock for the check and the write: no other PUT can slip in between.
    let mut store = store.lock().unwrap();
    let Some(contact) = store.get_mut(&id) else {
        return error(StatusCode::NOT_FOUND, &format!("contact {id} not found"));
    };
    let Some(list) = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) else {
        return error(
            StatusCode::PRECONDITION_REQUIRED,
            "a PUT needs If-Match with the contact's ETag: GET it first",
        );
    };
    let (current, _) = representation::<V>(contact);
    if !strong_match(list, &current) {
        return error(
            StatusCode::PRECONDITION_FAILED,
            "the contact changed since you read it: GET it again, then retry with its new ETag",
        );
    }
    V::apply(input, contact);
    representation::<V>(contact).1
}

/// The strong ETag of `contact` in version `V`, and the 200 answer that carries it: a hash of
/// the JSON body, so that the tag changes exactly when a byte of the body does.
fn representation<V: Version>(contact: &Contact) -> (String, Response) {
    let body = serde_json::to_vec(&V::show(contact)).expect("a contact is always JSON");
    let hash = Sha256::digest(&body);
    let hex: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{hex}\"");
    let json = "application/json".to_string();
    let headers = [(header::CONTENT_TYPE, json), (header::ETAG, etag.clone())];
    (etag, (headers, body).into_response())
}

/// An error answer: `status` and `{"error": message}`.
pub fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

/// The `{id}` of a contact's path: 400 `contact id must be a number` when it is not one.
pub struct ContactId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ContactId {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let bad = |_| error(StatusCode::BAD_REQUEST, "contact id must be a number");
        let Path(id) = Path::<i64>::from_request_parts(parts, state)
            .await
            .map_err(bad)?;
        Ok(ContactId(id))
    }
}

/// `?page=&per_page=`: page 1 and 10 a page unless asked; 400 `page must be a whole number
/// from 1` or `per_page must be a whole number from 1 to 100`.
pub struct PageQuery {
    pub page: u64,
    pub per_page: u64,
}

impl<S: Send + Sync> FromRequestParts<S> for PageQuery {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let Query(query) = Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| error(StatusCode::BAD_REQUEST, "the query string is not a form"))?;
        let number = |name: &str, default: u64, max: u64| match query.get(name) {
            None => Some(default),
            Some(text) => text.parse().ok().filter(|n| (1..=max).contains(n)),
        };
        let bad = |message| error(StatusCode::BAD_REQUEST, message);
        match (number("page", 1, u64::MAX), number("per_page", 10, 100)) {
            (Some(page), Some(per_page)) => Ok(PageQuery { page, per_page }),
            (None, _) => Err(bad("page must be a whole number from 1")),
            (_, None) => Err(bad("per_page must be a whole number from 1 to 100")),
        }
    }
}

/// A JSON body: 415 `send the body as JSON, with content-type: application/json`, 400 `the
/// body is not valid JSON`, 422 `the body is not a contact of this API version`.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Body(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send the body as JSON, with content-type: application/json",
            )),
            Err(JsonRejection::JsonDataError(_)) => Err(error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "the body is not a contact of this API version",
            )),
            Err(_) => Err(error(StatusCode::BAD_REQUEST, "the body is not valid JSON")),
        }
    }
}
