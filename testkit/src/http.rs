//! An HTTP client for tests that, when a check fails, shows the whole exchange that failed.
//!
//! From stage 3 on, a test starts the learner's server on `127.0.0.1:0` and talks to it over a
//! real socket. When such a test fails, "assertion failed: left == right" says almost nothing:
//! the learner needs to see what was asked and what came back, the way `curl -v` shows it. So
//! every request sent through [`Client`] is recorded, and every check on its [`Response`] that
//! fails panics with a transcript of the exchange:
//!
//! ```text
//! expected status 201 Created, got 422 Unprocessable Entity
//!
//! > POST http://127.0.0.1:41517/users
//! > content-type: application/json
//! >
//! > {
//! >   "name": "ada"
//! > }
//!
//! < HTTP/1.1 422 Unprocessable Entity
//! < content-type: application/json
//! < content-length: 30
//! <
//! < {
//! <   "error": "email is required"
//! < }
//! ```
//!
//! The first line is the expectation that failed; then `>` lines are the request, `<` lines
//! the response, each an HTTP message as it travels: a start line, headers, a blank line, the
//! body. Bodies that are JSON are pretty-printed, their keys in the order they were sent, and a
//! body longer than 2 KB is cut, with a note saying how much was left out. `authorization`, `cookie` and `set-cookie` are shown but
//! cut after 20 characters: enough to tell a `Bearer` token from a `Basic` one, not enough to
//! spread a secret through CI logs. The headers shown on the request side are those the test
//! set (and `content-type` for a JSON body); the client adds `host`, `accept` and
//! `content-length` on its own.
//!
//! A request never hangs: one that gets no answer within 5 s (see [`Client::with_timeout`])
//! fails saying so, and a refused or reset connection fails with a transcript too:
//!
//! ```text
//! expected status 200 OK, got no response: connection refused — is the server listening?
//!
//! > GET http://127.0.0.1:41517/health
//!
//! no response: connection refused — is the server listening?
//! ```
//!
//! # Example
//!
//! ```no_run
//! use serde_json::json;
//! use testkit::http::{Client, StatusCode};
//!
//! # async fn example(addr: std::net::SocketAddr) {
//! let client = Client::new(addr); // or Client::new("http://127.0.0.1:3000")
//!
//! let created = client
//!     .post("/users")
//!     .json(&json!({ "name": "ada", "email": "ada@example.com" }))
//!     .send()
//!     .await;
//! created
//!     .expect_status(StatusCode::CREATED)
//!     .expect_header("content-type", "application/json");
//! let user: serde_json::Value = created.expect_json();
//!
//! let fetched = client
//!     .get(&format!("/users/{}", user["id"]))
//!     .bearer("secret-token")
//!     .send()
//!     .await;
//! fetched.expect_status(200).expect_json_eq(user.clone());
//!
//! // Checks of your own keep the transcript too.
//! if fetched.text().len() > 1_000 {
//!     fetched.fail("expected a short body for a single user");
//! }
//! # }
//! ```
//!
//! Every check is a plain method that panics, marked `#[track_caller]`, so a failure points at
//! the line of the test that made the check. A [`Response`] with no answer behind it (refused,
//! reset, timed out) panics on the first check or read, saying why.
//!
//! Two choices differ from a browser's, on purpose: redirects are not followed (a test of a
//! redirect must see the `3xx` itself), and each request opens a connection of its own, so one
//! exchange's mistakes (a wrong `content-length`, a connection left open) cannot turn up as a
//! puzzling failure of the next. Do not use the client under `#[tokio::test(start_paused =
//! true)]`: a paused clock jumps ahead while a request waits for the network, so every request
//! would time out at once.

use std::fmt::{self, Display, Write as _};
use std::future::Future;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use reqwest::header::HeaderMap;
pub use reqwest::{Method, StatusCode, Version};

/// How long a request waits for its whole answer, unless [`Client::with_timeout`] says
/// otherwise: generous for a server on the same machine, short enough that a server that
/// never answers fails the test well before the runner's timeout stops the binary.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Bodies longer than this (in bytes, after pretty-printing) are cut in a transcript.
pub const BODY_LIMIT: usize = 2048;

/// How many characters of a secret header's value a transcript shows.
const SECRET_SHOWN: usize = 20;

/// Headers whose values are credentials.
const SECRET_HEADERS: [&str; 4] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// A client for one server that records every exchange. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Client {
    base: Url,
    inner: reqwest::Client,
    timeout: Duration,
}

impl Client {
    /// A client for the server at `server`: an address (`127.0.0.1:3000`, a `SocketAddr`) or a
    /// base URL (`http://127.0.0.1:3000`, `http://127.0.0.1:3000/api`). Paths are joined to it.
    #[track_caller]
    pub fn new(server: impl Display) -> Self {
        let server = server.to_string();
        let url = if server.contains("://") {
            server.clone()
        } else {
            format!("http://{server}")
        };
        let base = Url::parse(url.trim_end_matches('/')).unwrap_or_else(|e| {
            panic!(
                "`{server}` is not a server address ({e}); give an address such as \
                 127.0.0.1:3000 or a URL such as http://127.0.0.1:3000"
            )
        });
        let inner = reqwest::Client::builder()
            // A proxy from the environment must not stand between the test and the server.
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .build()
            .expect("a client with no TLS and no proxy always builds");
        Client {
            base,
            inner,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The same client, waiting `limit` for each whole answer instead of 5 s.
    pub fn with_timeout(mut self, limit: Duration) -> Self {
        self.timeout = limit;
        self
    }

    /// The URL that paths are joined to.
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// A request with any method: `client.request(Method::OPTIONS, "/users")`.
    ///
    /// `path` is joined to the base URL (`/users?page=2`); a whole URL (`http://…`) is used
    /// as it is.
    #[track_caller]
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let url = if path.starts_with("http://") || path.starts_with("https://") {
            path.to_string()
        } else {
            let base = self.base.as_str().trim_end_matches('/');
            let sep = if path.starts_with('/') || path.is_empty() {
                ""
            } else {
                "/"
            };
            format!("{base}{sep}{path}")
        };
        let url = Url::parse(&url).unwrap_or_else(|e| {
            panic!(
                "`{path}` does not make a URL with {} ({e}); give a path such as /users",
                self.base
            )
        });
        RequestBuilder {
            client: self.clone(),
            method,
            url,
            headers: HeaderMap::new(),
            body: None,
        }
    }

    /// A `GET` request for `path`.
    #[track_caller]
    pub fn get(&self, path: &str) -> RequestBuilder {
        self.request(Method::GET, path)
    }

    /// A `POST` request for `path`.
    #[track_caller]
    pub fn post(&self, path: &str) -> RequestBuilder {
        self.request(Method::POST, path)
    }

    /// A `PUT` request for `path`.
    #[track_caller]
    pub fn put(&self, path: &str) -> RequestBuilder {
        self.request(Method::PUT, path)
    }

    /// A `PATCH` request for `path`.
    #[track_caller]
    pub fn patch(&self, path: &str) -> RequestBuilder {
        self.request(Method::PATCH, path)
    }

    /// A `DELETE` request for `path`.
    #[track_caller]
    pub fn delete(&self, path: &str) -> RequestBuilder {
        self.request(Method::DELETE, path)
    }
}

/// A request being put together; [`send`](RequestBuilder::send) sends it.
#[derive(Debug)]
#[must_use = "a request is sent only by `.send().await`"]
pub struct RequestBuilder {
    client: Client,
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
}

impl RequestBuilder {
    /// Adds a header; a name given twice is sent twice.
    #[track_caller]
    pub fn header(mut self, name: &str, value: impl Display) -> Self {
        let value = value.to_string();
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .unwrap_or_else(|e| panic!("`{name}` is not a valid header name ({e}); fix the test"));
        let header_value = HeaderValue::from_str(&value).unwrap_or_else(|e| {
            panic!("`{value}` is not a valid value for header {name} ({e}); fix the test")
        });
        self.headers.append(header_name, header_value);
        self
    }

    /// Adds `authorization: Bearer <token>`.
    #[track_caller]
    pub fn bearer(self, token: impl Display) -> Self {
        self.header("authorization", format_args!("Bearer {token}"))
    }

    /// Sends `value` as a JSON body, with `content-type: application/json` unless the test
    /// set another one.
    #[track_caller]
    pub fn json<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        let body = serde_json::to_vec(value).unwrap_or_else(|e| {
            panic!("the request body cannot be written as JSON ({e}); fix the test")
        });
        if !self.headers.contains_key(CONTENT_TYPE) {
            self.headers
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        self.body = Some(body);
        self
    }

    /// Sends these bytes as the body, as they are; set `content-type` with
    /// [`header`](RequestBuilder::header) if the server needs one.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Sends the request and waits for the whole answer, at most the client's timeout.
    ///
    /// This never fails: a request that got no answer gives a [`Response`] that panics, with
    /// the reason and the transcript, on its first check or read.
    pub fn send(self) -> impl Future<Output = Response> {
        let RequestBuilder {
            client,
            method,
            url,
            headers,
            body,
        } = self;
        async move {
            let mut request = reqwest::Request::new(method.clone(), url.clone());
            *request.headers_mut() = headers.clone();
            if let Some(body) = &body {
                *request.body_mut() = Some(body.clone().into());
            }
            let reply = exchange(&client, request).await;
            Response {
                exchange: Exchange {
                    method,
                    url: url.to_string(),
                    request_headers: headers,
                    request_body: body.unwrap_or_default(),
                    reply,
                },
            }
        }
    }
}

/// Sends `request` and reads the whole answer, all within the client's timeout.
async fn exchange(client: &Client, request: reqwest::Request) -> Reply {
    let limit = client.timeout;
    let deadline = tokio::time::Instant::now() + limit;
    let response = match tokio::time::timeout_at(deadline, client.inner.execute(request)).await {
        Err(_) => {
            return Reply::None(format!(
                "no response within {}: the server took the connection but never answered — \
                 does every path through the handler send a response?",
                show_duration(limit)
            ));
        }
        Ok(Err(error)) => return Reply::None(format!("no response: {}", why_no_response(&error))),
        Ok(Ok(response)) => response,
    };
    let status = response.status();
    let version = response.version();
    let headers = response.headers().clone();
    let body = match tokio::time::timeout_at(deadline, response.bytes()).await {
        Err(_) => Err(format!(
            "the body did not arrive in full within {} — does the content-length match the body?",
            show_duration(limit)
        )),
        Ok(Err(error)) => Err(why_no_body(&error)),
        Ok(Ok(bytes)) => Ok(bytes.to_vec()),
    };
    Reply::Answered {
        status,
        version,
        headers,
        body,
    }
}

/// Why no response came, in words a learner can act on; the error's own chain otherwise.
fn why_no_response(error: &reqwest::Error) -> String {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    return "connection refused — is the server listening?".to_string();
                }
                std::io::ErrorKind::ConnectionReset => {
                    return "the server reset the connection before answering — did it crash \
                            or drop the connection?"
                        .to_string();
                }
                _ => {}
            }
        }
        // hyper's words for a connection closed before a whole response head came back.
        if cause.to_string() == "connection closed before message completed" {
            return "the server closed the connection without answering — did the handler \
                    panic, or the server drop the connection?"
                .to_string();
        }
        source = cause.source();
    }
    error_chain(error)
}

/// Why a body that had begun did not arrive in full, as in "got 200 OK but …".
fn why_no_body(error: &reqwest::Error) -> String {
    let chain = error_chain(error);
    // hyper's words for a connection closed before `content-length` bytes came.
    if chain.contains("end of file before message length reached") {
        "the connection closed before the whole body arrived — does the content-length match \
         the body?"
            .to_string()
    } else {
        format!("the body did not arrive in full: {chain}")
    }
}

/// The error's causes, one after the other, without the first: reqwest's own, which only
/// repeats the URL.
fn error_chain(error: &reqwest::Error) -> String {
    let mut chain: Vec<String> = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if chain.last() != Some(&text) {
            chain.push(text);
        }
        source = cause.source();
    }
    if chain.is_empty() {
        error.to_string()
    } else {
        chain.join(": ")
    }
}

/// `5 s`, `300 ms`.
fn show_duration(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// A status the tests can name either way: `201` or `StatusCode::CREATED`.
pub trait IntoStatus {
    fn into_status(self) -> StatusCode;
}

impl IntoStatus for StatusCode {
    fn into_status(self) -> StatusCode {
        self
    }
}

impl IntoStatus for u16 {
    #[track_caller]
    fn into_status(self) -> StatusCode {
        StatusCode::from_u16(self).unwrap_or_else(|_| {
            panic!("{self} is not an HTTP status code; give one from 100 to 999")
        })
    }
}

/// One exchange: what was sent and what came back, with checks that fail with its transcript.
#[derive(Debug)]
#[must_use = "a response proves nothing until it is checked: .expect_status(200), for one"]
pub struct Response {
    exchange: Exchange,
}

#[derive(Debug)]
struct Exchange {
    method: Method,
    url: String,
    request_headers: HeaderMap,
    request_body: Vec<u8>,
    reply: Reply,
}

#[derive(Debug)]
enum Reply {
    /// No response at all, and why.
    None(String),
    /// A status line and headers; the body, or why it did not arrive in full.
    Answered {
        status: StatusCode,
        version: Version,
        headers: HeaderMap,
        body: Result<Vec<u8>, String>,
    },
}

impl Response {
    /// Panics unless the status is `expected`: `expect_status(201)` or
    /// `expect_status(StatusCode::CREATED)`.
    #[track_caller]
    pub fn expect_status(&self, expected: impl IntoStatus) -> &Self {
        let expected = expected.into_status();
        let expectation = format!("expected status {}", show_status(expected));
        let status = self.complete(&expectation).0;
        if status != expected {
            self.fail(format_args!("{expectation}, got {}", show_status(status)));
        }
        self
    }

    /// Panics unless header `name` has the value `value`, exactly (one of its values, if it
    /// came more than once).
    #[track_caller]
    pub fn expect_header(&self, name: &str, value: &str) -> &Self {
        let name = name.to_ascii_lowercase();
        let expectation = format!("expected header {name}: {value}");
        let headers = self.complete(&expectation).1;
        let got: Vec<String> = headers
            .get_all(name.as_str())
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        if !got.iter().any(|v| v == value) {
            if got.is_empty() {
                self.fail(format_args!("{expectation}, got no {name} header"));
            }
            let got: Vec<String> = got.iter().map(|v| format!("{name}: {v}")).collect();
            self.fail(format_args!("{expectation}, got {}", got.join(", ")));
        }
        self
    }

    /// The body read as JSON into a `T`; panics if it is not JSON or does not fit `T`, naming
    /// the field that did not.
    #[track_caller]
    pub fn expect_json<T: DeserializeOwned>(&self) -> T {
        let wanted = short_type_name(std::any::type_name::<T>());
        let expectation = format!("expected a JSON body that reads as {wanted}");
        let body = self.complete(&expectation).2;
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(body) {
            self.fail(format_args!("{expectation}, got {}", not_json(body, &e)));
        }
        let mut de = serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize(&mut de).unwrap_or_else(|error| {
            let mut path = String::new();
            for segment in error.path().iter() {
                match segment {
                    serde_path_to_error::Segment::Seq { index } => {
                        let _ = write!(path, "[{index}]");
                    }
                    serde_path_to_error::Segment::Map { key } => push_key(&mut path, key),
                    serde_path_to_error::Segment::Enum { variant } => push_key(&mut path, variant),
                    serde_path_to_error::Segment::Unknown => path.push_str(".?"),
                }
            }
            let at = if path.is_empty() {
                String::new()
            } else {
                format!(" at {path}")
            };
            self.fail(format_args!(
                "{expectation}, got one that does not: {}{at}",
                without_location(error.inner())
            ))
        })
    }

    /// Panics unless the body is JSON equal to `expected`; the message names the first place
    /// where they differ and shows the expected body in full.
    #[track_caller]
    pub fn expect_json_eq(&self, expected: Value) -> &Self {
        let expectation = "expected a JSON body equal to the one below";
        let body = self.complete(expectation).2;
        let actual: Value = match serde_json::from_slice(body) {
            Ok(actual) => actual,
            Err(e) => self.fail(format_args!(
                "{expectation}, got {}\n\nexpected body:\n{}",
                not_json(body, &e),
                pretty(&expected)
            )),
        };
        if let Some(difference) = first_difference(&expected, &actual, &mut String::new()) {
            self.fail(format_args!(
                "{expectation}; it differs {difference}\n\nexpected body:\n{}",
                pretty(&expected)
            ));
        }
        self
    }

    /// The status; panics if there was no response.
    #[track_caller]
    pub fn status(&self) -> StatusCode {
        self.complete("expected a response").0
    }

    /// The response's headers; panics if there was no response.
    #[track_caller]
    pub fn headers(&self) -> &HeaderMap {
        self.complete("expected a response").1
    }

    /// The first value of header `name`, if there is one and it is text.
    #[track_caller]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers().get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as bytes; panics if there was no response or the body did not arrive in full.
    #[track_caller]
    pub fn bytes(&self) -> &[u8] {
        self.complete("expected a response body").2
    }

    /// The body as text; panics if it is not UTF-8.
    #[track_caller]
    pub fn text(&self) -> &str {
        let body = self.complete("expected a text body").2;
        std::str::from_utf8(body).unwrap_or_else(|e| {
            self.fail(format_args!(
                "expected a text body, got {} bytes that are not UTF-8 ({e})",
                body.len()
            ))
        })
    }

    /// Fails the test with `message`, a blank line, then the transcript: for checks of the
    /// test's own, `if user.id <= 0 { res.fail("expected a positive id") }`.
    #[track_caller]
    pub fn fail(&self, message: impl Display) -> ! {
        panic!("{message}\n\n{}", self.transcript())
    }

    /// The exchange as the failures show it.
    pub fn transcript(&self) -> String {
        self.exchange.render()
    }

    /// Status, headers and body of a response that arrived in full; otherwise fails with
    /// `expectation`, what came instead, and the transcript.
    #[track_caller]
    fn complete(&self, expectation: &str) -> (StatusCode, &HeaderMap, &[u8]) {
        match &self.exchange.reply {
            Reply::None(why) => self.fail(format_args!("{expectation}, got {why}")),
            Reply::Answered {
                body: Err(why),
                status,
                ..
            } => self.fail(format_args!(
                "{expectation}, got {} but {why}",
                show_status(*status)
            )),
            Reply::Answered {
                status,
                headers,
                body: Ok(body),
                ..
            } => (*status, headers, body),
        }
    }
}

impl Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.transcript())
    }
}

impl Exchange {
    /// The transcript: `>` lines for the request, `<` lines for the response.
    fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "> {} {}", self.method, self.url);
        render_message(&mut out, '>', &self.request_headers, &self.request_body);
        out.push('\n');
        match &self.reply {
            Reply::None(why) => out.push_str(why),
            Reply::Answered {
                status,
                version,
                headers,
                body,
            } => {
                let _ = writeln!(out, "< {version:?} {}", show_status(*status));
                match body {
                    Ok(body) => render_message(&mut out, '<', headers, body),
                    Err(why) => {
                        render_message(&mut out, '<', headers, &[]);
                        out.push_str(why);
                    }
                }
            }
        }
        while out.ends_with('\n') {
            out.pop();
        }
        out
    }
}

/// Headers, then a blank line and the body if there is one, each line after `mark`.
fn render_message(out: &mut String, mark: char, headers: &HeaderMap, body: &[u8]) {
    for (name, value) in headers {
        let _ = writeln!(out, "{mark} {name}: {}", show_header_value(name, value));
    }
    if body.is_empty() {
        return;
    }
    let _ = writeln!(out, "{mark}");
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    for line in show_body(body, content_type).lines() {
        if line.is_empty() {
            let _ = writeln!(out, "{mark}");
        } else {
            let _ = writeln!(out, "{mark} {line}");
        }
    }
}

/// A header's value as a transcript shows it: credentials cut after 20 characters.
fn show_header_value(name: &HeaderName, value: &HeaderValue) -> String {
    let text = String::from_utf8_lossy(value.as_bytes());
    let chars = text.chars().count();
    if SECRET_HEADERS.contains(&name.as_str()) && chars > SECRET_SHOWN {
        let shown: String = text.chars().take(SECRET_SHOWN).collect();
        format!("{shown}… (cut: {} more characters)", chars - SECRET_SHOWN)
    } else {
        text.into_owned()
    }
}

/// A body as a transcript shows it: JSON pretty-printed, text as it is, binary data as its
/// size; cut after `BODY_LIMIT` bytes with a note saying how much was left out.
fn show_body(body: &[u8], content_type: Option<&str>) -> String {
    let Ok(text) = std::str::from_utf8(body) else {
        let kind = content_type.map_or(String::new(), |t| format!(", {t}"));
        return format!("({} bytes of binary data{kind}, not shown)", body.len());
    };
    // Pretty-print objects and arrays only: a bare number or string reads the same either way.
    let trimmed = text.trim();
    let structured = trimmed.starts_with('{') || trimmed.starts_with('[');
    let shown = if structured && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
        reindent(trimmed)
    } else {
        text.to_string()
    };
    cut(&shown, BODY_LIMIT)
}

/// Valid JSON text laid out as serde_json's pretty printer does, but with the keys in the order
/// they were sent and the numbers as they were written: a `serde_json::Value` would sort the
/// keys, and a learner comparing the transcript with their code would look for an order their
/// server never produced.
fn reindent(json: &str) -> String {
    fn new_line(out: &mut String, depth: usize) {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    }
    let mut out = String::with_capacity(json.len() * 2);
    let mut depth = 0;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = json.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                while chars.next_if(|c| c.is_ascii_whitespace()).is_some() {}
                let close = if c == '{' { '}' } else { ']' };
                out.push(c);
                if chars.next_if_eq(&close).is_some() {
                    out.push(close);
                } else {
                    depth += 1;
                    new_line(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth -= 1;
                new_line(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                new_line(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_ascii_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// `text` up to `limit` bytes (at a character boundary), with a note of how much is left out.
fn cut(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_string();
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}\n… (cut: {} more bytes of {} not shown)",
        &text[..end],
        text.len() - end,
        text.len()
    )
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).expect("a JSON value always serializes")
}

/// `201 Created`, or `599` for a code with no standard reason.
fn show_status(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

/// What a body that is not JSON is, for an expectation of JSON.
fn not_json(body: &[u8], error: &serde_json::Error) -> String {
    if body.is_empty() {
        "an empty body".to_string()
    } else {
        format!("one that is not JSON: {error}")
    }
}

/// serde_json's message without its ` at line L column C`, which the path replaces.
fn without_location(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_string()
}

/// `alloc::vec::Vec<my_tests::User>` as `Vec<User>`.
fn short_type_name(full: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let mut chars = full.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            word.clear();
        } else if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            out.push_str(&word);
            word.clear();
            out.push(c);
        }
    }
    out.push_str(&word);
    out
}

/// Where `actual` first differs from `expected`, as `at .user.id: expected 1, got 2`; `path`
/// is where the two values are, in jq's notation.
fn first_difference(expected: &Value, actual: &Value, path: &mut String) -> Option<String> {
    let at = |path: &str| {
        if path.is_empty() {
            "at the top".to_string()
        } else {
            format!("at {path}")
        }
    };
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for (key, want_value) in want {
                let len = path.len();
                push_key(path, key);
                let found = match got.get(key) {
                    None => Some(format!(
                        "at {path}: expected {}, got no such key",
                        brief(want_value)
                    )),
                    Some(got_value) => first_difference(want_value, got_value, path),
                };
                path.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            got.iter()
                .find(|(key, _)| !want.contains_key(*key))
                .map(|(key, value)| {
                    push_key(path, key);
                    format!("at {path}: expected no such key, got {}", brief(value))
                })
        }
        (Value::Array(want), Value::Array(got)) => {
            for (i, (want_item, got_item)) in want.iter().zip(got).enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                let found = first_difference(want_item, got_item, path);
                path.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            (want.len() != got.len()).then(|| {
                format!(
                    "{}: expected {} items, got {}",
                    at(path),
                    want.len(),
                    got.len()
                )
            })
        }
        (Value::Number(want), Value::Number(got)) => {
            // 1 and 1.0 are the same JSON number, though serde_json keeps them apart.
            let same = match (want.as_i128(), got.as_i128()) {
                (Some(w), Some(g)) => w == g,
                _ => want.as_f64() == got.as_f64(),
            };
            (!same).then(|| {
                format!(
                    "{}: expected {}, got {}",
                    at(path),
                    brief(expected),
                    brief(actual)
                )
            })
        }
        _ => (expected != actual).then(|| {
            format!(
                "{}: expected {}, got {}",
                at(path),
                brief(expected),
                brief(actual)
            )
        }),
    }
}

/// `.name`, or `["first name"]` for a key that is not a plain word, as jq writes them.
fn push_key(path: &mut String, key: &str) {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        let _ = write!(path, ".{key}");
    } else {
        let _ = write!(path, "[{}]", Value::String(key.to_string()));
    }
}

/// A value on one line, cut after 60 characters.
fn brief(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 60 {
        text
    } else {
        let shown: String = text.chars().take(60).collect();
        format!("{shown}…")
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::panic::{AssertUnwindSafe, catch_unwind};

    use serde_json::json;

    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    /// A `POST /users` with a JSON body of its own, answered with `status`, `reply_headers`
    /// and `reply_body`.
    fn answered(status: u16, reply_headers: &[(&str, &str)], reply_body: &[u8]) -> Response {
        Response {
            exchange: Exchange {
                method: Method::POST,
                url: "http://127.0.0.1:3000/users".to_string(),
                request_headers: headers(&[("content-type", "application/json")]),
                request_body: br#"{"name":"ada"}"#.to_vec(),
                reply: Reply::Answered {
                    status: StatusCode::from_u16(status).unwrap(),
                    version: Version::HTTP_11,
                    headers: headers(reply_headers),
                    body: Ok(reply_body.to_vec()),
                },
            },
        }
    }

    fn json_reply(status: u16, body: &str) -> Response {
        answered(
            status,
            &[
                ("content-type", "application/json"),
                ("content-length", &body.len().to_string()),
            ],
            body.as_bytes(),
        )
    }

    fn panic_message(check: impl FnOnce()) -> String {
        let payload = catch_unwind(AssertUnwindSafe(check)).expect_err("the check must fail");
        match payload.downcast::<String>() {
            Ok(message) => *message,
            Err(payload) => payload
                .downcast_ref::<&str>()
                .expect("a panic message")
                .to_string(),
        }
    }

    #[test]
    fn a_transcript_shows_both_messages_with_json_pretty_printed() {
        let response = json_reply(422, r#"{"error":"email is required","fields":["email"]}"#);
        assert_eq!(
            response.transcript(),
            r#"> POST http://127.0.0.1:3000/users
> content-type: application/json
>
> {
>   "name": "ada"
> }

< HTTP/1.1 422 Unprocessable Entity
< content-type: application/json
< content-length: 48
<
< {
<   "error": "email is required",
<   "fields": [
<     "email"
<   ]
< }"#
        );
    }

    #[test]
    fn a_message_without_a_body_ends_at_its_headers() {
        let mut response = answered(204, &[("x-request-id", "7")], b"");
        response.exchange.method = Method::GET;
        response.exchange.request_headers = HeaderMap::new();
        response.exchange.request_body = Vec::new();
        assert_eq!(
            response.transcript(),
            "> GET http://127.0.0.1:3000/users\n\n< HTTP/1.1 204 No Content\n< x-request-id: 7"
        );
    }

    #[test]
    fn text_is_shown_as_it_is_and_binary_data_as_its_size() {
        assert_eq!(
            show_body(b"hello\n\nworld", Some("text/plain")),
            "hello\n\nworld"
        );
        assert_eq!(show_body(b"42", Some("application/json")), "42");
        assert_eq!(
            show_body(&[0xff, 0xd8, 0xff, 0xe0], Some("image/jpeg")),
            "(4 bytes of binary data, image/jpeg, not shown)"
        );
        // JSON is recognised by its shape, whatever the content-type says.
        assert_eq!(show_body(br#"[1]"#, Some("text/plain")), "[\n  1\n]");
    }

    #[test]
    fn json_is_laid_out_as_serde_json_does_but_in_the_order_it_was_sent() {
        let sent = r#" {"name":"ada", "email" : "a@b","n":1.50,"tags":[],"meta":{},
            "say":"a \"quoted\" {brace}, [bracket]: \\","list":[1,[2,{"x":null}]]} "#;
        assert_eq!(
            show_body(sent.as_bytes(), Some("application/json")),
            r#"{
  "name": "ada",
  "email": "a@b",
  "n": 1.50,
  "tags": [],
  "meta": {},
  "say": "a \"quoted\" {brace}, [bracket]: \\",
  "list": [
    1,
    [
      2,
      {
        "x": null
      }
    ]
  ]
}"#
        );
        // Sorted keys and plain numbers come out exactly as serde_json's own pretty printer's.
        let value = json!({ "a": [1, { "b": [] }], "c": { "d": "e" }, "f": {} });
        assert_eq!(reindent(&value.to_string()), pretty(&value));
    }

    #[test]
    fn a_body_over_2_kb_is_cut_with_a_note_of_how_much() {
        let body = "a".repeat(3000);
        assert_eq!(
            show_body(body.as_bytes(), None),
            format!(
                "{}\n… (cut: 952 more bytes of 3000 not shown)",
                "a".repeat(2048)
            )
        );
        let exactly = "b".repeat(BODY_LIMIT);
        assert_eq!(show_body(exactly.as_bytes(), None), exactly);
    }

    #[test]
    fn a_body_is_cut_between_characters_never_inside_one() {
        // 'é' is two bytes: byte 2048 falls in the middle of the 1024th one.
        let body = format!("x{}", "é".repeat(1500));
        let shown = show_body(body.as_bytes(), None);
        let (kept, note) = shown.split_once('\n').unwrap();
        assert_eq!(kept.len(), 2047);
        assert_eq!(note, "… (cut: 954 more bytes of 3001 not shown)");
    }

    #[test]
    fn a_json_body_is_cut_after_pretty_printing() {
        let items: Vec<Value> = (0..200).map(|i| json!({ "id": i })).collect();
        let body = serde_json::to_vec(&items).unwrap();
        let shown = show_body(&body, Some("application/json"));
        let pretty_len = pretty(&Value::Array(items)).len();
        assert!(shown.starts_with("[\n  {\n    \"id\": 0\n  },"), "{shown}");
        assert!(
            shown.ends_with(&format!(
                "… (cut: {} more bytes of {pretty_len} not shown)",
                pretty_len - BODY_LIMIT
            )),
            "{shown}"
        );
    }

    #[test]
    fn credentials_are_cut_after_20_characters_and_other_headers_are_not() {
        let token = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig";
        let mut response = answered(
            200,
            &[
                ("set-cookie", "session=0123456789abcdef0123; HttpOnly"),
                ("x-trace", "a-very-long-but-harmless-value-0123456789"),
            ],
            b"",
        );
        response.exchange.request_headers = headers(&[
            ("authorization", token),
            ("cookie", "short=1"),
            ("x-api-version", "2"),
        ]);
        response.exchange.request_body = Vec::new();
        assert_eq!(
            response.transcript(),
            "> POST http://127.0.0.1:3000/users
> authorization: Bearer eyJhbGciOiJIU… (cut: 27 more characters)
> cookie: short=1
> x-api-version: 2

< HTTP/1.1 200 OK
< set-cookie: session=0123456789ab… (cut: 18 more characters)
< x-trace: a-very-long-but-harmless-value-0123456789"
        );
    }

    #[test]
    fn a_missing_reply_is_shown_after_the_request() {
        let mut response = answered(200, &[], b"");
        response.exchange.reply =
            Reply::None("no response: connection refused — is the server listening?".into());
        assert_eq!(
            panic_message(|| {
                response.expect_status(200);
            }),
            r#"expected status 200 OK, got no response: connection refused — is the server listening?

> POST http://127.0.0.1:3000/users
> content-type: application/json
>
> {
>   "name": "ada"
> }

no response: connection refused — is the server listening?"#
        );
    }

    #[test]
    fn a_body_that_never_finished_fails_every_check_saying_so() {
        let mut response = answered(200, &[("content-length", "100")], b"");
        response.exchange.reply = match response.exchange.reply {
            Reply::Answered {
                status,
                version,
                headers,
                ..
            } => Reply::Answered {
                status,
                version,
                headers,
                body: Err("the body did not arrive in full within 5 s".into()),
            },
            Reply::None(_) => unreachable!(),
        };
        let message = panic_message(|| {
            response.expect_status(200);
        });
        assert_eq!(
            message.lines().next(),
            Some(
                "expected status 200 OK, got 200 OK but the body did not arrive in full within 5 s"
            )
        );
        assert!(
            message.ends_with(
                "< HTTP/1.1 200 OK\n< content-length: 100\nthe body did not arrive in full within 5 s"
            ),
            "{message}"
        );
    }

    #[test]
    fn a_wrong_status_fails_with_the_expectation_then_the_transcript() {
        let response = json_reply(422, r#"{"error":"email is required"}"#);
        let message = panic_message(|| {
            response.expect_status(StatusCode::CREATED);
        });
        assert_eq!(
            message,
            format!(
                "expected status 201 Created, got 422 Unprocessable Entity\n\n{}",
                response.transcript()
            )
        );
        assert_eq!(
            panic_message(|| {
                json_reply(599, "{}").expect_status(200);
            })
            .lines()
            .next(),
            Some("expected status 200 OK, got 599")
        );
    }

    #[test]
    fn passing_checks_chain_and_give_the_body() {
        let response = json_reply(201, r#"{"id":7,"name":"ada"}"#);
        let user: HashMap<String, Value> = response
            .expect_status(201)
            .expect_header("content-type", "application/json")
            .expect_header("Content-Length", "21")
            .expect_json_eq(json!({ "name": "ada", "id": 7.0 }))
            .expect_json();
        assert_eq!(user["id"], 7);
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.header("content-type"), Some("application/json"));
        assert_eq!(response.text(), r#"{"id":7,"name":"ada"}"#);
    }

    #[test]
    fn a_wrong_or_missing_header_is_named() {
        let response = json_reply(200, "{}");
        assert_eq!(
            panic_message(|| {
                response.expect_header("content-type", "text/html");
            })
            .lines()
            .next(),
            Some("expected header content-type: text/html, got content-type: application/json")
        );
        assert_eq!(
            panic_message(|| {
                response.expect_header("Location", "/users/7");
            })
            .lines()
            .next(),
            Some("expected header location: /users/7, got no location header")
        );
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct User {
        id: i64,
        email: String,
        roles: Vec<String>,
    }

    #[test]
    fn a_body_that_does_not_fit_the_type_names_the_field() {
        let first_line = |body: &str| {
            panic_message(|| {
                json_reply(200, body).expect_json::<User>();
            })
            .lines()
            .next()
            .unwrap()
            .to_string()
        };
        assert_eq!(
            first_line(r#"{"id":"7","email":"a@b","roles":[]}"#),
            r#"expected a JSON body that reads as User, got one that does not: invalid type: string "7", expected i64 at .id"#
        );
        assert_eq!(
            first_line(r#"{"id":7,"email":"a@b","roles":["x",1]}"#),
            "expected a JSON body that reads as User, got one that does not: invalid type: integer `1`, expected a string at .roles[1]"
        );
        assert_eq!(
            first_line(r#"{"id":7}"#),
            "expected a JSON body that reads as User, got one that does not: missing field `email`"
        );
        assert_eq!(
            first_line("<html>"),
            "expected a JSON body that reads as User, got one that is not JSON: expected value at line 1 column 1"
        );
        assert_eq!(
            first_line(""),
            "expected a JSON body that reads as User, got an empty body"
        );
    }

    #[test]
    fn a_different_json_body_shows_where_it_differs_and_the_expected_body() {
        let response = json_reply(200, r#"{"user":{"id":2,"name":"ada"}}"#);
        let message = panic_message(|| {
            response.expect_json_eq(json!({ "user": { "id": 1, "name": "ada" } }));
        });
        assert_eq!(
            message,
            format!(
                "expected a JSON body equal to the one below; it differs at .user.id: expected 1, got 2

expected body:
{{
  \"user\": {{
    \"id\": 1,
    \"name\": \"ada\"
  }}
}}

{}",
                response.transcript()
            )
        );
    }

    #[test]
    fn json_differences_name_the_first_place_in_jq_notation() {
        let diff = |want: Value, got: Value| first_difference(&want, &got, &mut String::new());
        assert_eq!(diff(json!({ "a": [1, 2] }), json!({ "a": [1, 2] })), None);
        assert_eq!(diff(json!(1), json!(1.0)), None);
        assert_eq!(
            diff(json!({ "a": [1, 2] }), json!({ "a": [1, 3] })),
            Some("at .a[1]: expected 2, got 3".into())
        );
        assert_eq!(
            diff(json!({ "a": [1, 2] }), json!({ "a": [1] })),
            Some("at .a: expected 2 items, got 1".into())
        );
        assert_eq!(
            diff(json!({ "a": 1, "b": 2 }), json!({ "a": 1 })),
            Some("at .b: expected 2, got no such key".into())
        );
        assert_eq!(
            diff(json!({ "a": 1 }), json!({ "a": 1, "password": "hunter2" })),
            Some(r#"at .password: expected no such key, got "hunter2""#.into())
        );
        assert_eq!(
            diff(
                json!({ "first name": null }),
                json!({ "first name": "ada" })
            ),
            Some(r#"at ["first name"]: expected null, got "ada""#.into())
        );
        assert_eq!(
            diff(json!([]), json!({})),
            Some("at the top: expected [], got {}".into())
        );
    }

    #[test]
    fn fail_puts_the_tests_own_message_before_the_transcript() {
        let response = json_reply(200, r#"{"id":-1}"#);
        assert_eq!(
            panic_message(|| response.fail("expected a positive id")),
            format!("expected a positive id\n\n{}", response.transcript())
        );
    }

    #[test]
    fn type_names_lose_their_module_paths() {
        assert_eq!(
            short_type_name("alloc::vec::Vec<my_tests::User>"),
            "Vec<User>"
        );
        assert_eq!(
            short_type_name("std::collections::hash::map::HashMap<alloc::string::String, i64>"),
            "HashMap<String, i64>"
        );
    }

    #[test]
    fn durations_read_in_seconds_or_milliseconds() {
        assert_eq!(show_duration(Duration::from_secs(5)), "5 s");
        assert_eq!(show_duration(Duration::from_millis(300)), "300 ms");
    }
}
