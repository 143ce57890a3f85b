//! The gateway: the one address clients know. Every request is routed by its path:
//!
//! | the client asks | goes to |
//! |---|---|
//! | `/api/users`, `/api/users/…` | the users service, `/users`, `/users/…` |
//! | `/api/orders`, `/api/orders/…` | the orders service, `/orders`, `/orders/…` |
//! | anything else (`/api/payments`, `/users/1`, `/api/usersx`) | nobody: **404** `{"error": "no route"}` |
//!
//! The query string goes along (`/api/users?page=2` → `/users?page=2`). A forwarded request
//! keeps its method, its body, and its `content-type` and `x-request-id` headers; the client
//! gets back the service's status, `content-type` and body, whatever they are — a 404 or a 422
//! from a service is the answer, not a failure of the gateway. The gateway's own failures, in
//! JSON, naming the service:
//!
//! - the service cannot be reached (connection refused, reset): **502** `{"error": "the users
//!   service is unreachable"}`;
//! - it did not answer in full within the gateway's `timeout`: **504** `{"error": "the users
//!   service timed out"}`.
//!
//! Every request gets an `x-request-id`: the client's own when it sent one, else a new one
//! (a UUID). The service gets it with the request and the client gets it on the answer, on
//! every answer, the gateway's own 404, 502 and 504 included. (You wrote this middleware by
//! hand in stage 3, exercise 05; here tower-http's `SetRequestIdLayer` and
//! `PropagateRequestIdLayer` do it.)

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

/// The header that carries a request's id.
pub const X_REQUEST_ID: &str = "x-request-id";

/// Where the services are, and how long the gateway waits for one.
#[derive(Debug, Clone)]
pub struct Config {
    /// The users service's base URL, such as `http://127.0.0.1:4001` (no trailing `/`).
    pub users_url: String,
    /// The orders service's base URL.
    pub orders_url: String,
    /// How long a forwarded request may take, the whole answer included, before a 504.
    pub timeout: Duration,
}

/// Where one request goes: the service's name (`"users"`, `"orders"`) and the URL to call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    pub service: &'static str,
    pub url: String,
}

/// The gateway's state: its route table and its HTTP client.
pub struct Gateway {
    config: Config,
    client: reqwest::Client,
}

impl Gateway {
    /// A gateway over the services of `config`, whose client gives up after `config.timeout`.
    pub fn new(config: Config) -> Arc<Gateway> {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .expect("a client with a timeout always builds");
        Arc::new(Gateway { config, client })
    }

    /// Where a request for `path_and_query` (such as `/api/users/7?full=1`) goes, by the table
    /// above: `Some(Upstream { service: "users", url: "{users_url}/users/7?full=1" })`; `None`
    /// for a path of no service.
    pub fn upstream(&self, path_and_query: &str) -> Option<Upstream> {
        let routes = [
            ("users", "/users", &self.config.users_url),
            ("orders", "/orders", &self.config.orders_url),
        ];
        let path = path_and_query.strip_prefix("/api")?;
        routes.into_iter().find_map(|(service, prefix, base)| {
            let rest = path.strip_prefix(prefix)?;
            // `/api/users`, `/api/users/7`, `/api/users?x`, but not `/api/usersx`.
            (rest.is_empty() || rest.starts_with('/') || rest.starts_with('?')).then(|| Upstream {
                service,
                url: format!("{base}{path}"),
            })
        })
    }
}

/// The gateway's HTTP front: every request goes to [`proxy`], inside the request-id layers.
pub fn app(gateway: Arc<Gateway>) -> Router {
    Router::new()
        .fallback(proxy)
        .with_state(gateway)
        // The last layer added runs first: set the id on the request, then copy it to the
        // response.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// `{"error": message}` with `status`.
fn error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "error": message }))).into_response()
}

/// Forwards one request to its service, as the module's doc says, and brings the answer back.
async fn proxy(
    State(gateway): State<Arc<Gateway>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    let Some(upstream) = gateway.upstream(path) else {
        return error(StatusCode::NOT_FOUND, "no route");
    };
    let mut request = gateway.client.request(method, &upstream.url).body(body);
    for name in [header::CONTENT_TYPE.as_str(), X_REQUEST_ID] {
        if let Some(value) = headers.get(name) {
            request = request.header(name, value);
        }
    }
    let exchange = async {
        let response = request.send().await?;
        let status = response.status();
        let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
        let body = response.bytes().await?;
        Ok::<_, reqwest::Error>((status, content_type, body))
    };
    match exchange.await {
        Ok((status, content_type, body)) => {
            let mut response = (status, body).into_response();
            match content_type {
                Some(value) => response.headers_mut().insert(header::CONTENT_TYPE, value),
                None => response.headers_mut().remove(header::CONTENT_TYPE),
            };
            response
        }
        Err(e) if e.is_timeout() => error(
            StatusCode::GATEWAY_TIMEOUT,
            &format!("the {} service timed out", upstream.service),
        ),
        Err(_) => error(
            StatusCode::BAD_GATEWAY,
            &format!("the {} service is unreachable", upstream.service),
        ),
    }
}
