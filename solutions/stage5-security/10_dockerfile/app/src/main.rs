//! `hello`: the app that exercise 10's image ships. A tiny HTTP server on the standard library
//! alone, so that the image needs nothing but this binary.
//!
//! - `hello` serves on `0.0.0.0:$PORT` (8080 without `PORT`): `GET /healthz` answers
//!   `200 ok`, `GET /` answers a greeting, anything else `404`.
//! - `hello healthcheck` asks `http://127.0.0.1:$PORT/healthz` and exits with 0 when it
//!   answers 200, 1 otherwise: a `HEALTHCHECK` that needs no curl in the image.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

fn main() {
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse().unwrap_or_else(|_| {
            eprintln!("PORT must be a port number, not {port:?}");
            std::process::exit(2)
        }),
        Err(_) => 8080,
    };
    if std::env::args().nth(1).as_deref() == Some("healthcheck") {
        std::process::exit(if healthy(port) { 0 } else { 1 });
    }
    let listener = TcpListener::bind(("0.0.0.0", port)).unwrap_or_else(|e| {
        eprintln!("cannot listen on port {port}: {e}");
        std::process::exit(1)
    });
    println!("hello: listening on 0.0.0.0:{port}");
    for stream in listener.incoming().flatten() {
        // One thread a connection: a slow client never holds up the health check.
        std::thread::spawn(move || answer(stream));
    }
}

/// Answers one request on `stream`, then closes it.
fn answer(mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut line = String::new();
    if BufReader::new(&stream).read_line(&mut line).is_err() {
        return;
    }
    let mut words = line.split_whitespace();
    let (status, body) = match (words.next(), words.next()) {
        (Some("GET"), Some("/healthz")) => ("200 OK", "ok\n"),
        (Some("GET"), Some("/")) => ("200 OK", "hello from a container\n"),
        _ => ("404 Not Found", "not found\n"),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes());
}

/// Whether the server on `port` answers `GET /healthz` with 200 within 2 seconds.
fn healthy(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = "GET /healthz HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.starts_with("HTTP/1.1 200")
}
