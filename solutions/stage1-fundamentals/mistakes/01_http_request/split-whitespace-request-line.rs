//! mistake: the request line is split with split_whitespace, so double spaces, tabs and a trailing space pass
//! # Exercise 01: parse an HTTP/1.1 request
//!
//! Every web server starts here. Bytes arrive on a TCP socket, and before any routing or JSON
//! can happen something has to turn them into a method, a target, headers and a body. An
//! HTTP/1.1 request on the wire (RFC 9112) looks like this:
//!
//! ```text
//! POST /users?active=true HTTP/1.1\r\n   <- request line: method SP target SP version CRLF
//! Host: example.com\r\n                   <- header line: name ":" value CRLF
//! Content-Length: 13\r\n
//! \r\n                                    <- an empty line ends the head
//! {"name":"ok"}                           <- the body: exactly Content-Length bytes
//! ```
//!
//! Why a backend engineer cares: the parser is where hostile input meets your server. A parser
//! that panics on a truncated request lets anyone crash a worker. Two parsers that disagree about
//! where a line or a body ends (a bare `\n`, two `Content-Length` headers, a `+5`) are how
//! request-smuggling attacks slip a second request past a proxy. So a good parser is strict,
//! rejects anything ambiguous with a precise error, and never panics.
//!
//! In production you never write this by hand: hyper (the HTTP engine under axum and reqwest)
//! uses the `httparse` crate, a zero-copy parser that also reports "incomplete, read more bytes".
//! Here you write a small, strict version of it.
//!
//! - RFC 9112, HTTP/1.1 message syntax: <https://www.rfc-editor.org/rfc/rfc9112>
//! - httparse: <https://docs.rs/httparse/latest/httparse/>
//! - hyper: <https://docs.rs/hyper/latest/hyper/>
//!
//! ## The rules (the tests check every one, in this order)
//!
//! 1. The head ends at the first `\r\n\r\n`; the body starts right after it. No `\r\n\r\n`
//!    anywhere: [`ParseError::MissingCrlf`].
//! 2. The head must be valid UTF-8, else [`ParseError::InvalidUtf8`]. (httparse accepts some
//!    non-ASCII bytes in header values; we are stricter.)
//! 3. Split the head into lines at `\r\n`. A line that still contains a `\r` or a `\n` was ended
//!    with a bare line feed: [`ParseError::MissingCrlf`].
//! 4. The first line is the request line: exactly three non-empty parts separated by single
//!    spaces, else [`ParseError::MalformedRequestLine`]. The version must be exactly `HTTP/1.1`
//!    or `HTTP/1.0` (it is case-sensitive), else [`ParseError::UnsupportedVersion`].
//!    (RFC 9112 section 3 lets a lenient server split on any run of whitespace instead, and
//!    warns in the same breath that this leniency is how request smuggling gets in.)
//! 5. Every other line is a header. Split it at the first `:`. No colon, or a name that is empty
//!    or contains whitespace: [`ParseError::MalformedHeader`] with the whole line. The value is
//!    trimmed of spaces and tabs on both sides. Names keep the case they were sent with.
//! 6. `Content-Length` (any case) gives the body length: one or more ASCII digits that fit in a
//!    `usize`, nothing else (no sign, no spaces inside). Anything else, or more than one
//!    `Content-Length` header: [`ParseError::InvalidContentLength`]. No header: an empty body.
//! 7. The body is the `Content-Length` bytes after the head. Fewer bytes than that:
//!    [`ParseError::IncompleteBody`]. Bytes after the body are not part of it (on a kept-alive
//!    connection they are the start of the next request).
//!
//! A real server also reads bodies sent with `Transfer-Encoding: chunked` (RFC 9112 section 7),
//! in pieces whose length is not known in advance; this parser leaves them out.
//!
//! Run `cargo xtask check 01_http_request` to check your work; `cargo xtask hint 01_http_request`
//! gives a hint.

/// The HTTP versions this parser accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `HTTP/1.0`
    Http10,
    /// `HTTP/1.1`
    Http11,
}

/// A parsed request. It owns its data, so it can outlive the input buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method exactly as sent, e.g. `"GET"`.
    pub method: String,
    /// The request target exactly as sent, e.g. `"/users?active=true"`.
    pub target: String,
    pub version: Version,
    /// The headers in the order they were sent: (name as sent, trimmed value).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Why a request was rejected. A server would answer each of these with `400 Bad Request`
/// (or `505 HTTP Version Not Supported` for [`ParseError::UnsupportedVersion`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("a line does not end with \\r\\n, or the head has no empty line")]
    MissingCrlf,
    #[error("the request head is not valid utf-8")]
    InvalidUtf8,
    #[error("malformed request line")]
    MalformedRequestLine,
    #[error("unsupported http version {0:?}")]
    UnsupportedVersion(String),
    #[error("malformed header line {0:?}")]
    MalformedHeader(String),
    #[error("invalid content-length")]
    InvalidContentLength,
    #[error("body has {received} bytes but content-length says {expected}")]
    IncompleteBody { expected: usize, received: usize },
}

impl Request {
    /// Returns the value of the first header called `name`, compared case-insensitively
    /// (`header("content-type")` finds `Content-Type`), or `None`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Parses one request from the start of `bytes`, following the rules in the lesson above.
///
/// It must never panic, whatever the input: no unchecked indexing, no `unwrap` on data that
/// came from the network, no arithmetic that can overflow.
pub fn parse_request(bytes: &[u8]) -> Result<Request, ParseError> {
    // Rule 1: the head ends at the first empty line.
    let head_len = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or(ParseError::MissingCrlf)?;
    let (head, rest) = bytes.split_at(head_len);
    let rest = &rest[4..];

    // Rules 2 and 3: UTF-8 lines, each ended by a full CRLF.
    let head = std::str::from_utf8(head).map_err(|_| ParseError::InvalidUtf8)?;
    let lines: Vec<&str> = head.split("\r\n").collect();
    if lines.iter().any(|line| line.contains(['\r', '\n'])) {
        return Err(ParseError::MissingCrlf);
    }

    // Rule 4: the request line (`split` always yields at least one line).
    let [request_line, header_lines @ ..] = lines.as_slice() else {
        return Err(ParseError::MalformedRequestLine);
    };
    let (method, target, version) = parse_request_line(request_line)?;

    // Rule 5: the headers.
    let headers = header_lines
        .iter()
        .map(|line| parse_header(line))
        .collect::<Result<Vec<_>, _>>()?;

    // Rule 6: the body length.
    let mut lengths = headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("content-length"));
    let length = match (lengths.next(), lengths.next()) {
        (None, _) => 0,
        (Some((_, value)), None) => parse_content_length(value)?,
        (Some(_), Some(_)) => return Err(ParseError::InvalidContentLength),
    };

    // Rule 7: exactly `length` bytes of body; anything after them is the next request.
    let body = rest.get(..length).ok_or(ParseError::IncompleteBody {
        expected: length,
        received: rest.len(),
    })?;

    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        version,
        headers,
        body: body.to_vec(),
    })
}

fn parse_request_line(line: &str) -> Result<(&str, &str, Version), ParseError> {
    let parts: Vec<&str> = line.split_whitespace().collect();
    let [method, target, version] = parts[..] else {
        return Err(ParseError::MalformedRequestLine);
    };
    if method.is_empty() || target.is_empty() || version.is_empty() {
        return Err(ParseError::MalformedRequestLine);
    }
    let version = match version {
        "HTTP/1.1" => Version::Http11,
        "HTTP/1.0" => Version::Http10,
        other => return Err(ParseError::UnsupportedVersion(other.to_string())),
    };
    Ok((method, target, version))
}

fn parse_header(line: &str) -> Result<(String, String), ParseError> {
    let malformed = || ParseError::MalformedHeader(line.to_string());
    let (name, value) = line.split_once(':').ok_or_else(malformed)?;
    if name.is_empty() || name.contains(char::is_whitespace) {
        return Err(malformed());
    }
    let value = value.trim_matches([' ', '\t']);
    Ok((name.to_string(), value.to_string()))
}

/// `Content-Length = 1*DIGIT`. `str::parse::<usize>` alone would also accept `+5`.
fn parse_content_length(value: &str) -> Result<usize, ParseError> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError::InvalidContentLength);
    }
    value.parse().map_err(|_| ParseError::InvalidContentLength)
}
