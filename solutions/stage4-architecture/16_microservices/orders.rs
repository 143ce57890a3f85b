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
        match self {
            OrderError::UnknownUser(_) => StatusCode::UNPROCESSABLE_ENTITY,
            OrderError::UsersUnavailable | OrderError::EventNotPublished => {
                StatusCode::SERVICE_UNAVAILABLE
            }
        }
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
        let http = reqwest::Client::builder()
            .timeout(config.users_timeout)
            .build()
            .expect("a client with a timeout always builds");
        let events = amqp.create_channel().await?;
        events
            .confirm_select(ConfirmSelectOptions::default())
            .await?;
        events::declare_exchange(&events, &config.exchange).await?;
        Ok(Arc::new(Orders {
            store: Mutex::default(),
            http,
            users_url: config.users_url,
            events,
            exchange: config.exchange,
        }))
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
        let mut request = self.http.get(format!("{}/users/{user_id}", self.users_url));
        if let Some(id) = request_id {
            request = request.header(X_REQUEST_ID, id);
        }
        let response = request.send().await.map_err(|error| {
            tracing::warn!(%error, user_id, "users service unavailable");
            OrderError::UsersUnavailable
        })?;
        match response.status() {
            reqwest::StatusCode::OK => Ok(()),
            reqwest::StatusCode::NOT_FOUND => Err(OrderError::UnknownUser(user_id)),
            status => {
                tracing::warn!(%status, user_id, "users service answered an error");
                Err(OrderError::UsersUnavailable)
            }
        }
    }

    /// Publishes `event` on the events exchange with the routing key [`ORDER_PLACED`], as JSON
    /// (`content-type: application/json`), persistent (delivery mode 2), and waits for the
    /// broker's confirm: only an ack is `Ok`. Anything else is [`OrderError::EventNotPublished`].
    pub async fn publish(&self, event: &OrderPlaced) -> Result<(), OrderError> {
        let body = serde_json::to_vec(event).expect("an event serializes");
        let properties = BasicProperties::default()
            .with_content_type("application/json".into())
            .with_delivery_mode(2);
        let published = async {
            self.events
                .basic_publish(
                    self.exchange.as_str().into(),
                    ORDER_PLACED.into(),
                    BasicPublishOptions::default(),
                    &body,
                    properties,
                )
                .await?
                .await
        };
        match published.await {
            Ok(Confirmation::Ack(_)) => Ok(()),
            Ok(other) => {
                tracing::error!(?other, event.order_id, "the broker did not ack the event");
                Err(OrderError::EventNotPublished)
            }
            Err(error) => {
                tracing::error!(%error, event.order_id, "the event could not be published");
                Err(OrderError::EventNotPublished)
            }
        }
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
        self.check_user(new.user_id, request_id).await?;
        let id = {
            let mut store = self.store.lock().expect("no panic while holding the lock");
            store.last_id += 1;
            store.last_id
        };
        let order = Order {
            id,
            user_id: new.user_id,
            item: new.item,
            quantity: new.quantity,
        };
        // Publish, then store: the store is memory and cannot fail, so an order is kept only
        // once the world can hear of it. (With a database, store and event go in one
        // transaction: the outbox of exercise 06.)
        self.publish(&OrderPlaced {
            order_id: order.id,
            user_id: order.user_id,
            item: order.item.clone(),
            quantity: order.quantity,
        })
        .await?;
        let mut store = self.store.lock().expect("no panic while holding the lock");
        store.orders.insert(order.id, order.clone());
        Ok(order)
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
