//! The users service: it owns the users, and keeps on each the number of orders it has heard
//! of through `order.placed` events. Its store and HTTP API are given:
//!
//! - `POST /users` `{"name", "email"}` → **201** and the user, `{"id", "name", "email",
//!   "orders": 0}`;
//! - `GET /users/{id}` → **200** and the user, or **404** `{"error": "no user {id}"}`.
//!
//! You write how it hears of orders: [`subscribe`] (its own durable queue, bound to the events
//! exchange), [`consume`] (apply each event, then ack it) and [`Users::apply`] (count each
//! order once, however many times its event arrives).

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::StreamExt;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicRejectOptions, QueueBindOptions, QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{Connection, Consumer};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::events::{self, ORDER_PLACED, OrderPlaced};

/// A user as the service shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: u64,
    pub name: String,
    pub email: String,
    /// How many orders the user has placed, as far as this service has heard.
    pub orders: u64,
}

/// What a client sends to create a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub name: String,
    pub email: String,
}

/// The service's own store: nobody else reads it.
#[derive(Debug, Default)]
pub struct Users {
    store: Mutex<Store>,
}

#[derive(Debug, Default)]
struct Store {
    users: HashMap<u64, User>,
    last_id: u64,
    /// The orders already counted, by id: what makes [`Users::apply`] idempotent.
    counted: HashSet<u64>,
}

impl Users {
    /// An empty store, to share between the HTTP API and the consumer.
    pub fn new() -> Arc<Users> {
        Arc::new(Users::default())
    }

    /// Stores a new user, with the next id (1, 2, …) and no orders.
    pub fn create(&self, new: NewUser) -> User {
        let mut store = self.store.lock().expect("no panic while holding the lock");
        store.last_id += 1;
        let user = User {
            id: store.last_id,
            name: new.name,
            email: new.email,
            orders: 0,
        };
        store.users.insert(user.id, user.clone());
        user
    }

    /// The user `id`, if there is one.
    pub fn get(&self, id: u64) -> Option<User> {
        let store = self.store.lock().expect("no panic while holding the lock");
        store.users.get(&id).cloned()
    }

    /// Counts the order of `event` on its user, once per order id however many times the event
    /// arrives. Returns whether it counted it now: `false` for an order counted before, and
    /// for a user this service does not know (the event is then ignored).
    pub fn apply(&self, event: &OrderPlaced) -> bool {
        // One lock for the check and the update: two deliveries of one event cannot both pass.
        let mut store = self.store.lock().expect("no panic while holding the lock");
        let Store { users, counted, .. } = &mut *store;
        let Some(user) = users.get_mut(&event.user_id) else {
            return false;
        };
        if !counted.insert(event.order_id) {
            return false;
        }
        user.orders += 1;
        true
    }
}

/// The users service's HTTP API (given).
pub fn app(users: Arc<Users>) -> Router {
    Router::new()
        .route("/users", post(create))
        .route("/users/{id}", get(show))
        .with_state(users)
}

async fn create(
    State(users): State<Arc<Users>>,
    Json(new): Json<NewUser>,
) -> (StatusCode, Json<User>) {
    (StatusCode::CREATED, Json(users.create(new)))
}

async fn show(
    State(users): State<Arc<Users>>,
    Path(id): Path<u64>,
) -> Result<Json<User>, (StatusCode, Json<Value>)> {
    users.get(id).map(Json).ok_or_else(|| {
        (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": format!("no user {id}") })),
        )
    })
}

/// Why [`consume`] stopped. It never stops otherwise: a consumer that quietly ends leaves a
/// service that answers HTTP and hears no more events, and nobody notices.
#[derive(Debug, thiserror::Error)]
pub enum ConsumeError {
    #[error("RabbitMQ: {0}; no more events will be counted until the service is restarted")]
    Amqp(#[from] lapin::Error),
    #[error(
        "the consumer was cancelled or its channel closed; no more events will be counted until \
         the service is restarted"
    )]
    Ended,
}

/// Subscribes the users service to `order.placed` events: on a channel of its own, declares
/// the events exchange ([`events::declare_exchange`]), declares `queue` **durable** (it keeps
/// the events while the service is down; not exclusive, not auto-deleted), binds it to
/// `exchange` with the key [`ORDER_PLACED`], and starts consuming it. Returns once all of this
/// is in place: an event published after it returns reaches the queue.
pub async fn subscribe(
    amqp: &Connection,
    exchange: &str,
    queue: &str,
) -> Result<Consumer, lapin::Error> {
    let channel = amqp.create_channel().await?;
    events::declare_exchange(&channel, exchange).await?;
    channel
        .queue_declare(
            queue.into(),
            QueueDeclareOptions {
                durable: true,
                ..QueueDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await?;
    channel
        .queue_bind(
            queue.into(),
            exchange.into(),
            ORDER_PLACED.into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await?;
    // The consumer keeps its channel open for as long as it lives.
    channel
        .basic_consume(
            queue.into(),
            "users".into(),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await
}

/// Takes the events of `consumer` one after the other, for ever: each one that reads as an
/// [`OrderPlaced`] is applied to `users` ([`Users::apply`]) and then acked — after, so that a
/// crash in between gets it delivered again rather than lost. A message that is not an
/// `OrderPlaced` is rejected without requeueing (it would fail again; with a dead-letter
/// exchange, exercise 03, it would be kept aside) and the consumer goes on.
///
/// Returns only when it cannot go on — the channel or the connection closed, the broker
/// cancelled the consumer — with the reason: hence `Infallible`, there is no `Ok` to return.
pub async fn consume(
    users: Arc<Users>,
    mut consumer: Consumer,
) -> Result<Infallible, ConsumeError> {
    while let Some(delivery) = consumer.next().await {
        let delivery = delivery?;
        match serde_json::from_slice::<OrderPlaced>(&delivery.data) {
            Ok(event) => {
                users.apply(&event);
                delivery.ack(BasicAckOptions::default()).await?;
            }
            Err(_) => {
                delivery
                    .reject(BasicRejectOptions { requeue: false })
                    .await?;
            }
        }
    }
    Err(ConsumeError::Ended)
}
