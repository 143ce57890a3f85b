//! # Exercise 10: an HTTP/1.1 server on a raw TCP socket
//!
//! In the client–server model a server listens on a port and clients open TCP connections to it.
//! TCP gives both sides a byte stream, nothing more: HTTP/1.1 is text written into that stream.
//! In this exercise you write the server side with no framework, only tokio's sockets:
//!
//! - an accept loop: `TcpListener::accept` hands you one `TcpStream` per client;
//! - one task per connection (`tokio::spawn`, exercise 08), so that a slow or idle client never
//!   blocks the others. Tasks are cheap (a few hundred bytes each), unlike OS threads;
//! - keep-alive: in HTTP/1.1 a connection stays open after a response and carries the next
//!   request, which saves a TCP handshake per request. It only works because every message says
//!   where it ends: a stream has no message boundaries, so the `Content-Length` header is what
//!   tells the client where your response body stops. The client ends the conversation by
//!   closing the socket, or by sending `Connection: close` (then you close after answering);
//! - a byte stream in both directions: a read may return half a request or the start of the
//!   next one, and a write may take only part of what you hand it (the kernel takes what fits
//!   in the socket's send buffer and says how much that was), so a large response may need
//!   several writes;
//! - limits: a server decides how much it is willing to read, or any client can make it
//!   allocate gigabytes. A request whose `Content-Length` is over the limit is answered
//!   `413 Content Too Large` (RFC 9110) before a byte of its body is read, and the connection
//!   is closed: its unread body would otherwise be taken for the next request. (Closing a
//!   socket with unread bytes in it resets the connection, and a client that has already sent
//!   its body may lose the 413 in that reset; nginx's `lingering_close` reads and discards
//!   for a while before closing. Here the tests send only the head.)
//!
//! The server answers `GET /health` with `200 {"status":"ok"}`, echoes the body of `POST /echo`,
//! answers anything else with `404 {"error":"not found"}`, and a body over [`MAX_BODY`] with
//! `413 {"error":"body too large"}`. Every response is JSON.
//!
//! In production you never write this by hand: hyper (with httparse for parsing) implements
//! HTTP/1.1 and HTTP/2, and axum's `axum::serve` runs exactly this accept-and-spawn loop on top
//! of it. Knowing what they do makes their timeouts, pools and errors much easier to read.
//!
//! - <https://docs.rs/tokio/latest/tokio/net/struct.TcpListener.html>
//! - <https://docs.rs/tokio/latest/tokio/task/fn.spawn.html>
//! - <https://www.rfc-editor.org/rfc/rfc9112#section-9> (persistent connections)
//! - <https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14> (413 Content Too Large)
//! - <https://docs.rs/hyper/latest/hyper/server/conn/http1/index.html>
//!
//! Run `cargo xtask check 10_tcp_server` to check your work; `cargo xtask hint 10_tcp_server`
//! gives a hint.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// The most body bytes the parser accepts, so that a client cannot make us allocate gigabytes.
pub const MAX_BODY: usize = 1024 * 1024;

/// The most header lines the parser accepts.
pub const MAX_HEADERS: usize = 100;

/// One parsed HTTP/1.1 request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names and values as they arrived (names keep their case; values are trimmed).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The value of the first header called `name`, ignoring ASCII case (header names are
    /// case-insensitive: `Content-Length` and `content-length` are the same header).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// Why `read_request` could not read a request.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The request's `Content-Length` is over [`MAX_BODY`]. Its body has not been read.
    #[error("a body of {0} bytes is over the limit of {MAX_BODY}")]
    TooLarge(usize),
    /// The bytes are not an HTTP/1.1 request, or the connection failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Reads one request from `reader` (provided; you do not need to change it).
///
/// Returns `Ok(None)` when the client closed the connection cleanly before sending another
/// request: that is how a keep-alive connection normally ends. A `Content-Length` over
/// [`MAX_BODY`] is `Err(ReadError::TooLarge)`, found before a byte of the body is read.
pub async fn read_request<R>(reader: &mut R) -> Result<Option<Request>, ReadError>
where
    R: AsyncBufRead + Unpin,
{
    let mut line = String::new();
    if reader.read_line(&mut line).await? == 0 {
        return Ok(None);
    }
    let mut parts = line.trim_end_matches(['\r', '\n']).split(' ');
    let (Some(method), Some(path), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("malformed request line").into());
    };
    if !version.starts_with("HTTP/1.") {
        return Err(invalid("unsupported http version").into());
    }
    let (method, path) = (method.to_string(), path.to_string());

    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Err(io::Error::from(io::ErrorKind::UnexpectedEof).into());
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        if headers.len() == MAX_HEADERS {
            return Err(invalid("too many headers").into());
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| invalid("header without colon"))?;
        headers.push((name.to_string(), value.trim().to_string()));
    }

    let mut request = Request {
        method,
        path,
        headers,
        body: Vec::new(),
    };
    let length = match request.header("content-length") {
        Some(value) => value.parse().map_err(|_| invalid("bad content-length"))?,
        None => 0,
    };
    if length > MAX_BODY {
        return Err(ReadError::TooLarge(length));
    }
    request.body = vec![0; length];
    reader.read_exact(&mut request.body).await?;
    Ok(Some(request))
}

/// A response. Every response of this server is JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub reason: &'static str,
    pub body: Vec<u8>,
}

impl Response {
    /// Serializes the response, exactly in this order:
    ///
    /// ```text
    /// HTTP/1.1 200 OK\r\n
    /// Content-Type: application/json\r\n
    /// Content-Length: 15\r\n
    /// \r\n
    /// {"status":"ok"}
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        // TODO: the bytes above, for any status, reason and body. Content-Length counts the
        // body's bytes, not its characters.
        todo!("serialize the response with Content-Type and Content-Length headers")
    }
}

/// Chooses the response for a request:
///
/// - `GET /health`: `200 OK` with `{"status":"ok"}`;
/// - `POST /echo`: `200 OK` with the request's body, unchanged;
/// - anything else: `404 Not Found` with `{"error":"not found"}`.
pub fn route(request: &Request) -> Response {
    // TODO: the three answers above. A route is a method and a path: `GET /echo` and
    // `POST /health` are not found.
    todo!("route GET /health, POST /echo, and 404 for anything else")
}

/// Whether the client asked us to close the connection after this response: its request has a
/// `Connection: close` header (the value is case-insensitive, like the name).
pub fn wants_close(request: &Request) -> bool {
    // TODO: true for `Connection: close`, whatever the case of the name or the value.
    todo!("tell whether the request carries Connection: close")
}

/// Serves every request of one connection, in order, until the client closes the connection
/// (`read_request` returns `Ok(None)`) or sends `Connection: close` (answer, then return).
/// A request whose body is over [`MAX_BODY`] is answered `413 Content Too Large` with
/// `{"error":"body too large"}`, and then the connection is closed. Any other error of
/// `read_request` ends the connection without an answer: return it.
///
/// Dropping the `TcpStream` when you return closes the connection.
pub async fn handle_connection(stream: TcpStream) -> io::Result<()> {
    // TODO: answer the connection's requests one after another with `route`'s responses, whole,
    // until the client is done. Requests can arrive back to back in one packet (pipelining):
    // bytes already read for the next request must not be lost. A body over the limit gets
    // the 413 above, then the connection closes.
    todo!("answer every request of the connection, honouring Connection: close")
}

/// Accepts connections forever and serves each one in its own task.
pub async fn run(listener: TcpListener) {
    // TODO: accept clients forever and serve each connection with `handle_connection`, so that
    // a slow or idle client never holds up the others. A failed `accept` (out of file
    // descriptors, say) must not stop the server: report it, pause a moment (`Duration` is
    // imported for that), and go on.
    todo!("accept connections forever, one task per connection")
}
