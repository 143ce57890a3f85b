//! mistake: a new BufReader for each request drops the bytes it had already read of the next one
//! # Exercise 10: an HTTP/1.1 server on a raw TCP socket
//!
//! Reference solution. See `stage1-fundamentals/exercises/10_tcp_server.rs` for the lesson.

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
    /// Serializes the response: status line, `Content-Type`, `Content-Length`, blank line, body.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            self.status,
            self.reason,
            self.body.len()
        )
        .into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

/// Chooses the response for a request.
pub fn route(request: &Request) -> Response {
    match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/health") => Response {
            status: 200,
            reason: "OK",
            body: br#"{"status":"ok"}"#.to_vec(),
        },
        ("POST", "/echo") => Response {
            status: 200,
            reason: "OK",
            body: request.body.clone(),
        },
        _ => Response {
            status: 404,
            reason: "Not Found",
            body: br#"{"error":"not found"}"#.to_vec(),
        },
    }
}

/// Whether the client asked us to close the connection after this response.
pub fn wants_close(request: &Request) -> bool {
    request
        .header("connection")
        .is_some_and(|value| value.eq_ignore_ascii_case("close"))
}

/// Serves every request of one connection, in order, until the client closes it or asks to;
/// a body over the limit gets `413 Content Too Large`, then the connection is closed.
pub async fn handle_connection(stream: TcpStream) -> io::Result<()> {
    let (mut reader, mut writer) = stream.into_split();
    loop {
        let request = match read_request(&mut BufReader::new(&mut reader)).await {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            // The body is still unread, so the connection cannot carry another request:
            // answer, then close it.
            Err(ReadError::TooLarge(_)) => {
                let response = Response {
                    status: 413,
                    reason: "Content Too Large",
                    body: br#"{"error":"body too large"}"#.to_vec(),
                };
                return writer.write_all(&response.to_bytes()).await;
            }
            Err(ReadError::Io(error)) => return Err(error),
        };
        // `write_all`, not `write`: one write may take only part of a large response.
        writer.write_all(&route(&request).to_bytes()).await?;
        if wants_close(&request) {
            return Ok(());
        }
    }
}

/// Accepts connections forever and serves each one in its own task.
pub async fn run(listener: TcpListener) {
    loop {
        match listener.accept().await {
            Ok((stream, _peer)) => {
                tokio::spawn(async move {
                    if let Err(error) = handle_connection(stream).await {
                        eprintln!("connection failed: {error}");
                    }
                });
            }
            // Accepting fails when, for example, the process is out of file descriptors. The
            // server keeps serving the connections it has, and pauses so as not to spin.
            Err(error) => {
                eprintln!("accept failed: {error}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}
