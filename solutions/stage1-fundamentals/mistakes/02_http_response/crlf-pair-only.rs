//! mistake: a header value is rejected only when it holds the pair \r\n, so a lone \n, a lone \r or a NUL byte is written out
//! # Exercise 02: build and serialize an HTTP/1.1 response
//!
//! The other half of a server: once a handler has decided what to answer, the answer has to go
//! back on the socket as exact bytes (RFC 9112):
//!
//! ```text
//! HTTP/1.1 201 Created\r\n                <- status line: version SP code SP reason CRLF
//! Content-Type: application/json\r\n      <- headers, in the order they were added
//! Location: /users/7\r\n
//! Content-Length: 10\r\n                  <- computed from the body, always last
//! \r\n                                    <- an empty line ends the head
//! {"id":"7"}                              <- the body
//! ```
//!
//! Why a backend engineer cares: clients trust these bytes. A wrong `Content-Length` makes a
//! client hang or read the next response as part of this one. A header value containing `\r\n`
//! that came from user input (a redirect target, a file name) lets an attacker write their own
//! headers, or a whole second response: that is header injection, or "response splitting". And
//! some statuses must not have a body at all: `204 No Content` and `304 Not Modified`.
//!
//! In production, hyper writes these bytes for you; axum and the `http` crate give you
//! `StatusCode`, `HeaderName` and `HeaderValue` types whose constructors reject invalid names
//! and values, so an injected `\r\n` never reaches the wire. Here you write that serializer.
//!
//! - RFC 9112 (message syntax): <https://www.rfc-editor.org/rfc/rfc9112>
//! - RFC 9110 section 15 (status codes and reason phrases):
//!   <https://www.rfc-editor.org/rfc/rfc9110#section-15>
//! - `http::StatusCode`: <https://docs.rs/http/latest/http/status/struct.StatusCode.html>
//! - `http::HeaderValue::from_str`:
//!   <https://docs.rs/http/latest/http/header/struct.HeaderValue.html#method.from_str>
//!
//! ## The rules (the tests check every one)
//!
//! 1. The status line is `HTTP/1.1 <code> <reason>\r\n`. The reason phrases are in
//!    [`StatusCode::reason_phrase`]. A code without a known phrase keeps the space and has an
//!    empty reason: `HTTP/1.1 299 \r\n`.
//! 2. Each header is `Name: value\r\n`, in the order the builder added them, names as given.
//!    The same name may appear twice (think `Set-Cookie`).
//! 3. The serializer owns `Content-Length`: any `Content-Length` the caller added (in any case)
//!    is dropped, and `Content-Length: <body length>` is written after all other headers, even
//!    for an empty body (`Content-Length: 0`).
//! 4. `204` and `304` responses have no body and no `Content-Length` at all: a body set on
//!    them is dropped. (RFC 9110 section 8.6 forbids `Content-Length` on a 204; on a 304 it may
//!    only repeat the length of the 200 it stands for, so leaving it out is the safe choice. The
//!    1xx codes never have a body either; this exercise leaves them out.)
//! 5. An empty line (`\r\n`) ends the head, then the body bytes follow.
//! 6. Invalid headers make [`Response::to_bytes`] fail instead of writing anything: a name that
//!    is empty or has a byte outside the RFC 9110 "token" characters (letters, digits and
//!    ``!#$%&'*+-.^_`|~``) is [`ResponseError::InvalidHeaderName`]; a value containing `\r`,
//!    `\n` or a NUL byte is [`ResponseError::InvalidHeaderValue`]. The builder stays chainable
//!    and the error is reported once, at the end, like `http::response::Builder` does.
//!
//! Run `cargo xtask check 02_http_response` to check your work; `cargo xtask hint 02_http_response`
//! gives a hint.

/// An HTTP status code. Use the constants, or `StatusCode(299)` for any other code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusCode(pub u16);

impl StatusCode {
    pub const OK: StatusCode = StatusCode(200);
    pub const CREATED: StatusCode = StatusCode(201);
    pub const NO_CONTENT: StatusCode = StatusCode(204);
    pub const MOVED_PERMANENTLY: StatusCode = StatusCode(301);
    pub const NOT_MODIFIED: StatusCode = StatusCode(304);
    pub const BAD_REQUEST: StatusCode = StatusCode(400);
    pub const UNAUTHORIZED: StatusCode = StatusCode(401);
    pub const FORBIDDEN: StatusCode = StatusCode(403);
    pub const NOT_FOUND: StatusCode = StatusCode(404);
    pub const METHOD_NOT_ALLOWED: StatusCode = StatusCode(405);
    pub const CONFLICT: StatusCode = StatusCode(409);
    pub const UNPROCESSABLE_CONTENT: StatusCode = StatusCode(422);
    pub const TOO_MANY_REQUESTS: StatusCode = StatusCode(429);
    pub const INTERNAL_SERVER_ERROR: StatusCode = StatusCode(500);
    pub const SERVICE_UNAVAILABLE: StatusCode = StatusCode(503);

    /// The standard reason phrase of this code, or `None` for a code not in the table.
    pub fn reason_phrase(self) -> Option<&'static str> {
        let phrase = match self.0 {
            200 => "OK",
            201 => "Created",
            204 => "No Content",
            301 => "Moved Permanently",
            304 => "Not Modified",
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            409 => "Conflict",
            // RFC 9110's name; older texts (and the `http` crate) say "Unprocessable Entity".
            422 => "Unprocessable Content",
            429 => "Too Many Requests",
            500 => "Internal Server Error",
            503 => "Service Unavailable",
            _ => return None,
        };
        Some(phrase)
    }

    /// `204 No Content` and `304 Not Modified` never carry a body (RFC 9110 sections 15.3.5
    /// and 15.4.5), so they get no `Content-Length` either.
    fn allows_body(self) -> bool {
        !matches!(self.0, 204 | 304)
    }
}

/// Why a response could not be serialized. Each variant carries the offending header's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    #[error("invalid header name {0:?}")]
    InvalidHeaderName(String),
    #[error("invalid value for header {0:?}")]
    InvalidHeaderValue(String),
}

/// A response under construction. Build it with [`Response::new`], [`Response::header`] and
/// [`Response::body`], then turn it into bytes with [`Response::to_bytes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    status: StatusCode,
    /// (name, value) in the order they were added; validated only by `to_bytes`.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    /// A response with this status, no headers and an empty body.
    pub fn new(status: StatusCode) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header after the ones already added. Never fails: `to_bytes` validates.
    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Replaces the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Response {
        self.body = body.into();
        self
    }

    /// Serializes the response: status line, headers, `Content-Length`, empty line, body.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ResponseError> {
        for (name, value) in &self.headers {
            if !is_token(name) {
                return Err(ResponseError::InvalidHeaderName(name.clone()));
            }
            if value.contains("\r\n") {
                return Err(ResponseError::InvalidHeaderValue(name.clone()));
            }
        }

        let reason = self.status.reason_phrase().unwrap_or("");
        let mut head = format!("HTTP/1.1 {} {reason}\r\n", self.status.0);
        for (name, value) in &self.headers {
            if !name.eq_ignore_ascii_case("content-length") {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        let body: &[u8] = if self.status.allows_body() {
            head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
            &self.body
        } else {
            &[]
        };
        head.push_str("\r\n");

        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(body);
        Ok(bytes)
    }
}

/// RFC 9110 section 5.6.2: `token = 1*tchar`.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}
