//! mistake: a taken email is answered 422, as if the values were wrong, instead of 409 Conflict
//! # Exercise 03: choose the right status code
//!
//! The status code is the one part of a response that every client reads: browsers, `curl`,
//! retry middleware, caches, monitoring dashboards and load balancers all act on it without
//! looking at the body. A wrong code makes good clients do the wrong thing: a retry loop that
//! hammers a 404, a login page shown to a user who is already logged in, an alert that never fires.
//! The meaning of each code is defined by RFC 9110, "HTTP Semantics", section 15
//! (<https://www.rfc-editor.org/rfc/rfc9110#section-15>); 429 comes from RFC 6585.
//!
//! Some codes come with a header, because the code alone does not tell the client what to do
//! next. For 401 and 405 the RFC says MUST; for 201 and 429 it is what good APIs (and this
//! exercise) always send:
//!
//! | code | header             | tells the client                                     |
//! |------|--------------------|------------------------------------------------------|
//! | 201  | `Location`         | where the new resource lives (RFC 9110 §15.3.2)      |
//! | 401  | `WWW-Authenticate` | how to authenticate (RFC 9110 §15.5.2)               |
//! | 405  | `Allow`            | which methods the resource supports (§15.5.6)        |
//! | 429  | `Retry-After`      | when to try again (RFC 6585 §4, RFC 9110 §10.2.3)    |
//!
//! ## The pairs people confuse
//!
//! - **401 vs 403.** 401 Unauthorized really means "unauthenticated": the request "lacks valid
//!   authentication credentials" (§15.5.2). No token, an expired token, a wrong password: logging
//!   in (again) could fix it, and the `WWW-Authenticate` challenge says how. 403 Forbidden means
//!   "the server understood the request but refuses to fulfill it" (§15.5.4): the server knows
//!   who you are, and you are not allowed. New credentials for the same user will not help.
//! - **400 vs 422.** 400 Bad Request is for a request the server cannot even read: "malformed
//!   request syntax" (§15.5.1), such as truncated JSON. 422 Unprocessable Content is for content
//!   whose "syntax ... is correct, but [the server] was unable to process the contained
//!   instructions" (§15.5.21): valid JSON of the right shape whose values break the rules.
//! - **404 vs 405.** 404 Not Found: there is nothing at this URL (§15.5.5). 405 Method Not
//!   Allowed: the resource exists but does not support this method, and the response "MUST
//!   generate an Allow header field" listing the methods it does support (§15.5.6).
//! - **409 vs 422.** Both are about a well-formed request that cannot be applied. 409 Conflict is
//!   "a conflict with the current state of the target resource" (§15.5.10): the same request
//!   would succeed against different data (the email is taken *today*). 422 says the content
//!   itself is wrong and will stay wrong however the data changes (an age of -3).
//!
//! In production, frameworks give you named constants instead of bare numbers: `http::StatusCode`
//! (<https://docs.rs/http/latest/http/status/struct.StatusCode.html>), used by hyper, axum and
//! reqwest, has `StatusCode::CONFLICT`, `StatusCode::UNPROCESSABLE_ENTITY` (422's name before
//! RFC 9110 called it "Unprocessable Content") and so on. axum's own extractors already follow
//! these rules: its `Json` extractor rejects unparsable JSON with 400 and JSON of the wrong
//! shape with 422 (<https://docs.rs/axum/latest/axum/struct.Json.html>), and its router answers
//! 405 with an `Allow` header.
//!
//! This is the reference solution.

/// What happened while the server handled a request to a small users API.
///
/// The routes are `/users` (list and create) and `/users/{id}` (fetch, replace and delete one user).
/// Clients authenticate with `Authorization: Bearer <token>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `GET /users/42`: user 42 exists, and the server sends it back as JSON.
    Fetched,
    /// `POST /users` with a valid body: the server stored a new user, whose URL is `location`
    /// (for example `/users/43`).
    Created { location: String },
    /// `DELETE /users/42`: the user is gone, and the API sends no body back.
    Deleted,
    /// `POST /users` whose body is `{"name": "Ada",` and nothing more: it is not JSON at all.
    MalformedJson,
    /// `GET /users/42` with no `Authorization` header at all.
    MissingCredentials,
    /// `GET /users/42` with `Authorization: Bearer <token>`, but that token expired an hour ago.
    ExpiredToken,
    /// `DELETE /users/7` with a valid, unexpired token that belongs to an ordinary user. Only
    /// admins may delete users, and the server knows exactly who is asking.
    InsufficientRole,
    /// `GET /users/999`: the route exists, but there is no user 999.
    UnknownUser,
    /// `PATCH /users`: the resource `/users` exists, but it only supports the methods in
    /// `allowed`, in that order (for example `["GET", "POST"]`).
    WrongMethod { allowed: Vec<&'static str> },
    /// `POST /users` with well-formed JSON of the right shape and valid values, but its email is
    /// already used by another user. The same request would succeed once that user is deleted.
    DuplicateEmail,
    /// `POST /users` with well-formed JSON of the right shape, but `"age": -3` and an email
    /// without `@`. No state of the database would make these values acceptable.
    ValidationFailed,
    /// This client has used up its quota of 100 requests per minute; the quota refills in
    /// `retry_after_secs` seconds.
    RateLimited { retry_after_secs: u64 },
}

/// The parts of the response that depend on the outcome: the status code and the headers that
/// code requires. The body is left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    /// `(name, value)` pairs. Only the headers the status code needs, nothing else.
    pub headers: Vec<(&'static str, String)>,
}

/// Chooses the status code and required headers for `outcome`.
///
/// Header names are written exactly like this: `Location`, `WWW-Authenticate`, `Allow`,
/// `Retry-After`. Their values must be exactly:
///
/// - `Location`: the `location` of the new resource, unchanged.
/// - `WWW-Authenticate` (RFC 6750 §3, the Bearer scheme): `Bearer realm="api"` when the request
///   had no credentials; `Bearer realm="api", error="invalid_token"` when the token it sent is
///   expired.
/// - `Allow`: the allowed methods joined with a comma and a space, in order: `GET, POST`.
/// - `Retry-After`: the number of seconds as a decimal integer, such as `30`.
///
/// Outcomes whose status code requires none of these headers get an empty header list.
pub fn respond(outcome: &Outcome) -> Response {
    // Most outcomes need no header; the four that do build their header list inline.
    let (status, headers) = match outcome {
        Outcome::Fetched => (200, vec![]),
        Outcome::Created { location } => (201, vec![("Location", location.clone())]),
        Outcome::Deleted => (204, vec![]),
        Outcome::MalformedJson => (400, vec![]),
        Outcome::MissingCredentials => (
            401,
            vec![("WWW-Authenticate", r#"Bearer realm="api""#.to_string())],
        ),
        Outcome::ExpiredToken => (
            401,
            vec![(
                "WWW-Authenticate",
                r#"Bearer realm="api", error="invalid_token""#.to_string(),
            )],
        ),
        Outcome::InsufficientRole => (403, vec![]),
        Outcome::UnknownUser => (404, vec![]),
        Outcome::WrongMethod { allowed } => (405, vec![("Allow", allowed.join(", "))]),
        Outcome::DuplicateEmail => (422, vec![]),
        Outcome::ValidationFailed => (422, vec![]),
        Outcome::RateLimited { retry_after_secs } => {
            (429, vec![("Retry-After", retry_after_secs.to_string())])
        }
    };
    Response { status, headers }
}
