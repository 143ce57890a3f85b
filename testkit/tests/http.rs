//! testkit's HTTP client against small real servers: what a failure prints, and that no
//! request hangs. The servers are raw tokio sockets rather than a framework, so that every
//! byte of each response, and so every line of a transcript, is known in advance.
#![cfg(feature = "http")]

use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use testkit::http::{Client, StatusCode};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// What the test server does with each request, once it has read it whole.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Writes these bytes and closes the connection.
    Reply(&'static str),
    /// Keeps the connection open and never writes.
    Silent,
    /// Writes these bytes, then keeps the connection open without writing the rest.
    Stall(&'static str),
    /// Closes the connection without writing.
    Close,
}

/// A server on a free port of 127.0.0.1 that treats every request as `behaviour` says, and
/// the requests it read, as text.
async fn serve(behaviour: Behaviour) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let log = Arc::clone(&log);
            tokio::spawn(async move { handle(stream, behaviour, &log).await });
        }
    });
    (addr, seen)
}

async fn handle(stream: TcpStream, behaviour: Behaviour, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream);
    let mut request = String::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.unwrap() == 0 {
            return;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap();
        }
        request.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.unwrap();
    request.push_str(&String::from_utf8(body).unwrap());
    log.lock().unwrap().push(request);
    let mut stream = reader.into_inner();
    match behaviour {
        Behaviour::Reply(bytes) => {
            stream.write_all(bytes.as_bytes()).await.unwrap();
            stream.shutdown().await.unwrap();
        }
        Behaviour::Silent => std::future::pending().await,
        Behaviour::Stall(bytes) => {
            stream.write_all(bytes.as_bytes()).await.unwrap();
            std::future::pending().await
        }
        Behaviour::Close => drop(stream),
    }
}

/// The message of the panic that `check` raises, with the server's port replaced by `PORT`
/// so that it can be compared whole.
fn panic_message(addr: SocketAddr, check: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(check)).expect_err("the check must fail");
    let message = payload
        .downcast::<String>()
        .expect("a formatted panic message");
    message.replace(&format!(":{}/", addr.port()), ":PORT/")
}

const CREATED: &str = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 22\r\n\r\n{\"id\":7,\"name\":\"ada\"}\n";

const REJECTED: &str = "HTTP/1.1 422 Unprocessable Entity\r\ncontent-type: application/json\r\ncontent-length: 30\r\n\r\n{\"error\":\"email is required\"}\n";

#[tokio::test]
async fn a_passing_exchange_does_not_panic_and_sends_what_the_test_asked() {
    let (addr, seen) = serve(Behaviour::Reply(CREATED)).await;
    let response = Client::new(addr)
        .post("/users")
        .bearer("t0k3n")
        .header("x-request-id", 42)
        .json(&json!({ "name": "ada" }))
        .send()
        .await;
    let user: serde_json::Value = response
        .expect_status(StatusCode::CREATED)
        .expect_header("content-type", "application/json")
        .expect_json_eq(json!({ "id": 7, "name": "ada" }))
        .expect_json();
    assert_eq!(user["id"], 7);

    let request = seen.lock().unwrap()[0].to_lowercase();
    assert!(request.starts_with("post /users http/1.1\r\n"), "{request}");
    for line in [
        "authorization: bearer t0k3n\r\n",
        "x-request-id: 42\r\n",
        "content-type: application/json\r\n",
    ] {
        assert!(request.contains(line), "{line:?} missing from {request}");
    }
    assert!(request.ends_with("\r\n\r\n{\"name\":\"ada\"}"), "{request}");
}

#[tokio::test]
async fn a_wrong_status_panics_with_the_request_and_the_response_in_full() {
    let (addr, _) = serve(Behaviour::Reply(REJECTED)).await;
    let response = Client::new(addr)
        .post("/users")
        .json(&json!({ "name": "ada" }))
        .send()
        .await;
    assert_eq!(
        panic_message(addr, || {
            response.expect_status(201);
        }),
        r#"expected status 201 Created, got 422 Unprocessable Entity

> POST http://127.0.0.1:PORT/users
> content-type: application/json
>
> {
>   "name": "ada"
> }

< HTTP/1.1 422 Unprocessable Entity
< content-type: application/json
< content-length: 30
<
< {
<   "error": "email is required"
< }"#
    );
}

#[tokio::test]
async fn a_base_url_and_a_relative_path_make_the_url() {
    let (addr, seen) = serve(Behaviour::Reply(CREATED)).await;
    let client = Client::new(format!("http://{addr}/api/"));
    assert_eq!(client.base_url(), format!("http://{addr}/api"));
    client.get("users?page=2").send().await.expect_status(201);
    // A URL in the query string is part of the path, not a server to go to instead.
    client
        .get("/login?next=http://elsewhere/")
        .send()
        .await
        .expect_status(201);
    let seen = seen.lock().unwrap();
    assert!(
        seen[0].starts_with("GET /api/users?page=2 HTTP/1.1\r\n"),
        "{}",
        seen[0]
    );
    assert!(
        seen[1].starts_with("GET /api/login?next=http://elsewhere/ HTTP/1.1\r\n"),
        "{}",
        seen[1]
    );
}

#[tokio::test]
async fn a_server_that_never_answers_fails_within_the_timeout_saying_so() {
    let (addr, _) = serve(Behaviour::Silent).await;
    let started = Instant::now();
    let response = Client::new(addr)
        .with_timeout(Duration::from_millis(300))
        .get("/health")
        .send()
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        panic_message(addr, || {
            response.expect_status(200);
        }),
        "expected status 200 OK, got no response within 300 ms: the server took the connection \
         but never answered — does every path through the handler send a response?

> GET http://127.0.0.1:PORT/health

no response within 300 ms: the server took the connection but never answered — does every \
         path through the handler send a response?"
    );
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_fails_within_the_timeout() {
    let (addr, _) = serve(Behaviour::Stall(
        "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"id\":",
    ))
    .await;
    let response = Client::new(addr)
        .with_timeout(Duration::from_millis(300))
        .get("/users/7")
        .send()
        .await;
    assert_eq!(
        panic_message(addr, || {
            response.expect_json::<serde_json::Value>();
        }),
        "expected a JSON body that reads as Value, got 200 OK but the body did not arrive in \
         full within 300 ms — does the content-length match the body?

> GET http://127.0.0.1:PORT/users/7

< HTTP/1.1 200 OK
< content-length: 100
the body did not arrive in full within 300 ms — does the content-length match the body?"
    );
}

#[tokio::test]
async fn a_body_cut_short_by_a_closed_connection_is_reported_as_such() {
    let (addr, _) = serve(Behaviour::Reply(
        "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"id\":",
    ))
    .await;
    let response = Client::new(addr).get("/users/7").send().await;
    assert_eq!(
        panic_message(addr, || {
            response.text();
        }),
        "expected a text body, got 200 OK but the connection closed before the whole body \
         arrived — does the content-length match the body?

> GET http://127.0.0.1:PORT/users/7

< HTTP/1.1 200 OK
< content-length: 100
the connection closed before the whole body arrived — does the content-length match the body?"
    );
}

#[tokio::test]
async fn a_closed_port_fails_at_once_asking_whether_the_server_listens() {
    // Bind, then drop: nothing listens on that port any more.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let started = Instant::now();
    let response = Client::new(addr).get("/health").send().await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        panic_message(addr, || {
            response.status();
        }),
        "expected a response, got no response: connection refused — is the server listening?

> GET http://127.0.0.1:PORT/health

no response: connection refused — is the server listening?"
    );
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_reported_as_such() {
    let (addr, _) = serve(Behaviour::Close).await;
    let response = Client::new(addr).delete("/users/7").send().await;
    assert_eq!(
        panic_message(addr, || {
            response.expect_status(204);
        }),
        "expected status 204 No Content, got no response: the server closed the connection \
         without answering — did the handler panic, or the server drop the connection?

> DELETE http://127.0.0.1:PORT/users/7

no response: the server closed the connection without answering — did the handler panic, \
         or the server drop the connection?"
    );
}

#[tokio::test]
async fn a_failed_check_points_at_the_line_of_the_test() {
    let (addr, _) = serve(Behaviour::Reply(REJECTED)).await;
    let response = Client::new(addr).get("/teapot").send().await;

    // The panic hook sees where a panic was raised; this one notes it for our panic alone
    // and leaves every other panic (of tests running alongside) to the hook before it.
    static LOCATION: Mutex<Option<String>> = Mutex::new(None);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let ours = info
            .payload()
            .downcast_ref::<String>()
            .is_some_and(|m| m.starts_with("expected status 418"));
        if ours {
            *LOCATION.lock().unwrap() = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()));
        } else {
            previous(info);
        }
    }));
    let line = line!() + 2;
    let _ = catch_unwind(AssertUnwindSafe(|| {
        response.expect_status(418);
    }));
    assert_eq!(
        LOCATION.lock().unwrap().as_deref(),
        Some(format!("testkit/tests/http.rs:{line}").as_str())
    );
}
