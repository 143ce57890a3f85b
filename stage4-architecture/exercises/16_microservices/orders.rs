//! The orders service: it owns the orders. Its store and HTTP API are given:
//!
//! - `POST /orders` `{"user_id", "item", "quantity"}` → [`Orders::place`]: **201** and the order,
//!   `{"id", "user_id", "item", "quantity"}`, or the [`OrderError`]'s status and
//!   `{"error": "<its message>"}`;
//! - `GET /orders/{id}` → **200** and the order, or **404** `{"error": "no order {id}"}`.
//!
//! You write [`Orders::new`] (an HTTP client with a timeout, a channel with publisher
//! confirms), the call to the users service ([`Orders::check_user`]), the publish
//! ([`Orders::publish`]), [`Orders::place`] that puts them in order, and [`OrderError::status`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use lapin::options::{BasicPublishOptions, ConfirmSelectOptions};
use lapin::{BasicProperties, Channel, Confirmation, Connection};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::events::{self, ORDER_PLACED, OrderPlaced};

/// The header that carries a request's id from service to service.
pub const X_REQUEST_ID: &str = "x-request-id";

/// An order as the service shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: u64,
    pub user_id: u64,
    pub item: String,
    pub quantity: u32,
}

/// What a client sends to place an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOrder {
    pub user_id: u64,
    pub item: String,
    pub quantity: u32,
}

/// Where the orders service finds the others.
#[derive(Debug, Clone)]
pub struct Config {
    /// The users service's base URL, such as `http://127.0.0.1:4001` (no trailing `/`).
    pub users_url: String,
    /// How long one call to the users service may take, answer included.
    pub users_timeout: Duration,
    /// The events exchange (see [`events::declare_exchange`]).
    pub exchange: String,
}

/// Why an order was not placed. The message is the body's `error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderError {
    /// The users service answered 404 for the order's user.
    #[error("user {0} does not exist")]
    UnknownUser(u64),
    /// The users service could not say: unreachable, too slow, or answering anything but 200
    /// or 404.
    #[error("the users service is unavailable, try again later")]
    UsersUnavailable,
    /// RabbitMQ did not confirm the `order.placed` event: the channel or connection is gone,
    /// the exchange is missing, or the broker answered with a nack.
    #[error("the order event could not be published, try again later")]
    EventNotPublished,
}

impl OrderError {
    /// The status of each error: the client's mistake is a 422; a dependency that failed
    /// (users, RabbitMQ) is a 503 — the request may work later; nothing here is a 500.
    pub fn status(&self) -> StatusCode {
        // TODO: a `match` on the error: which is the client's fault, which a dependency's?
        todo!("the status of {self:?}: 422 for the client's mistake, 503 for a dependency's")
    }
}

impl IntoResponse for OrderError {
    fn into_response(self) -> Response {
        (self.status(), Json(json!({ "error": self.to_string() }))).into_response()
    }
}

/// The orders service: its store, and how it reaches the users service and RabbitMQ.
pub struct Orders {
    store: Mutex<Store>,
    http: reqwest::Client,
    users_url: String,
    events: Channel,
    exchange: String,
}

#[derive(Debug, Default)]
struct Store {
    orders: HashMap<u64, Order>,
    last_id: u64,
}

impl Orders {
    /// The service, with no orders yet: an HTTP client whose every call to the users service
    /// is bounded by `config.users_timeout`, and a channel of its own on `amqp` in confirm mode
    /// on which the events exchange is declared.
    pub async fn new(config: Config, amqp: &Connection) -> Result<Arc<Orders>, lapin::Error> {
        // TODO: a `reqwest::Client` built with `.timeout(config.users_timeout)`; a channel of
        // its own on `amqp`, put in confirm mode (`confirm_select`), on which
        // `events::declare_exchange` declares the exchange; an empty store.
        todo!(
            "an HTTP client with the users timeout, a confirm-mode channel, the exchange declared"
        )
    }

    /// Asks the users service whether user `user_id` exists: `GET {users_url}/users/{user_id}`,
    /// with the `x-request-id` header when `request_id` is given. 200 is `Ok(())`, 404 is
    /// [`OrderError::UnknownUser`], anything else — another status, no answer, no answer in
    /// time — is [`OrderError::UsersUnavailable`].
    pub async fn check_user(
        &self,
        user_id: u64,
        request_id: Option<&str>,
    ) -> Result<(), OrderError> {
        // TODO: GET {users_url}/users/{user_id}, with the request id; map the outcome.
        todo!("ask the users service whether user {user_id} exists: 200, 404, or unavailable")
    }

    /// Publishes `event` on the events exchange with the routing key [`ORDER_PLACED`], as JSON
    /// (`content-type: application/json`), persistent (delivery mode 2), and waits for the
    /// broker's confirm: only an ack is `Ok`. Anything else is [`OrderError::EventNotPublished`].
    pub async fn publish(&self, event: &OrderPlaced) -> Result<(), OrderError> {
        // TODO: `basic_publish` on the events channel with JSON and its properties, then await
        // the confirm it returns: only `Confirmation::Ack` is a success.
        todo!(
            "publish order {}'s event, persistent JSON, and wait for the broker's ack",
            event.order_id
        )
    }

    /// Places an order: checks that its user exists ([`Orders::check_user`]), takes the next
    /// order id (1, 2, …), publishes its `order.placed` event ([`Orders::publish`]) and, once
    /// the broker confirmed it, stores the order. Any failure on the way stores nothing and
    /// publishes nothing more.
    pub async fn place(
        &self,
        new: NewOrder,
        request_id: Option<&str>,
    ) -> Result<Order, OrderError> {
        // TODO: check the user, take the next id, publish, and only then store the order.
        todo!("place {new:?}: check the user, publish the event, then store the order")
    }

    /// The order `id`, if there is one.
    pub fn get(&self, id: u64) -> Option<Order> {
        let store = self.store.lock().expect("no panic while holding the lock");
        store.orders.get(&id).cloned()
    }
}

/// The orders service's HTTP API (given).
pub fn app(orders: Arc<Orders>) -> Router {
    Router::new()
        .route("/orders", post(create))
        .route("/orders/{id}", get(show))
        .with_state(orders)
}

async fn create(
    State(orders): State<Arc<Orders>>,
    headers: HeaderMap,
    Json(new): Json<NewOrder>,
) -> Result<(StatusCode, Json<Order>), OrderError> {
    let request_id = headers.get(X_REQUEST_ID).and_then(|v| v.to_str().ok());
    let order = orders.place(new, request_id).await?;
    Ok((StatusCode::CREATED, Json(order)))
}

async fn show(
    State(orders): State<Arc<Orders>>,
    Path(id): Path<u64>,
) -> Result<Json<Order>, (StatusCode, Json<Value>)> {
    orders.get(id).map(Json).ok_or_else(|| {
        (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": format!("no order {id}") })),
        )
    })
}
