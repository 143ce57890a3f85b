//! # Exercise 01: layers — a controller, a service and a repository behind a trait
//!
//! A handler that parses JSON, checks a business rule, runs SQL and picks a status works, until
//! the rule is needed by a second entry point (a queue consumer, a CLI) or must be tested
//! without a database. Layers (the "MVC" of web frameworks) give each job one home:
//!
//! - the **controller** speaks HTTP: request in, a call to the service, status and body out;
//! - the **service** holds the business rules ("a total must be positive", "at most 3 open
//!   orders per customer"), knows nothing of HTTP nor SQL, and reaches storage through a trait;
//! - the **repository** stores and finds (`PgOrderRepository`, with sqlx), applies no rule, and
//!   keeps a *contract* (what `find` answers for a missing id, the order of a list) that every
//!   implementation of the trait keeps the same.
//!
//! The payoff is in the tests: the rules are tested on a *fake* repository (a `Vec` behind a
//! mutex, in the test file: microseconds, no PostgreSQL), then the very same tests run on
//! `PgOrderRepository`, proving that it keeps the fake's contract. A rule written in a handler
//! is invisible to them (and to tomorrow's queue consumer).
//!
//! **The trait, in Rust 2024.** `async fn` in traits is stable, but it promises nothing about
//! `Send`, and axum needs `Send` futures (a multi-threaded runtime). So the trait declares
//! `fn find(&self, id: i64) -> impl Future<Output = …> + Send` (what the `trait_variant` crate
//! writes), and each impl still writes a plain `async fn`.
//!
//! **Generics, not `dyn`.** Such a trait is not dyn-compatible (each impl returns a future type
//! of its own). For `Box<dyn OrderRepository>`, every method would return
//! `Pin<Box<dyn Future<Output = …> + Send + '_>>` (what `async-trait` writes): a heap
//! allocation per call. Here `OrderService<R: OrderRepository>` is compiled once per
//! repository, no allocation, no virtual call; the price is the `<R>` in the signatures. `dyn`
//! pays off when the implementation is chosen at run time, from a configuration.
//!
//! **Errors per layer.** `RepoError` (storage failed), `ServiceError` (a rule broken, or
//! storage failed), and the controller maps each to a status. A missing row is no `RepoError`:
//! `find` answers `Ok(None)` and the service decides that it means `NotFound`. A repository
//! never panics on a database error: it returns it, the client gets a 503, the server lives on.
//!
//! - <https://blog.rust-lang.org/2023/12/21/async-fn-rpit-in-traits.html>
//! - <https://doc.rust-lang.org/reference/items/traits.html#dyn-compatibility>
//! - <https://martinfowler.com/eaaCatalog/repository.html>,
//!   <https://martinfowler.com/eaaCatalog/serviceLayer.html>
//!
//! The tests create this table:
//!
//! ```sql
//! CREATE TABLE orders (id bigserial PRIMARY KEY, customer text NOT NULL,
//!                      total_cents bigint NOT NULL, open boolean NOT NULL DEFAULT true);
//! ```
//!
//! Your task: the service's four methods, `PgOrderRepository`'s four methods, the mapping of
//! `ServiceError` to statuses, and the four handlers.
//!
//! Run `cargo xtask check 01_layers` to check your work; `cargo xtask hint 01_layers` helps.

use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;

/// How many open orders a customer may have at once.
pub const MAX_OPEN_ORDERS: usize = 3;

/// An order, a row of `orders`, and its JSON:
/// `{"id":1,"customer":"ada","total_cents":1250,"open":true}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Order {
    pub id: i64,
    pub customer: String,
    pub total_cents: i64,
    pub open: bool,
}

/// The storage failed (the database is down, the query is wrong...). A missing order is not
/// an error: see [`OrderRepository::find`].
#[derive(Debug, thiserror::Error)]
#[error("storage failed: {0}")]
pub struct RepoError(pub String);

impl From<sqlx::Error> for RepoError {
    fn from(error: sqlx::Error) -> Self {
        RepoError(error.to_string())
    }
}

/// Where orders are kept. Every implementation keeps the same contract.
pub trait OrderRepository: Send + Sync + 'static {
    /// Stores a new open order and returns it with its new id (ids grow: a later order has a
    /// greater id).
    fn insert(
        &self,
        customer: &str,
        total_cents: i64,
    ) -> impl Future<Output = Result<Order, RepoError>> + Send;

    /// The order `id`, or `Ok(None)` when there is none.
    fn find(&self, id: i64) -> impl Future<Output = Result<Option<Order>, RepoError>> + Send;

    /// The open orders of `customer`, in order of id (oldest first); empty when there is none.
    fn open_orders_of(
        &self,
        customer: &str,
    ) -> impl Future<Output = Result<Vec<Order>, RepoError>> + Send;

    /// Marks the order `id` closed and returns it as it is now, or `Ok(None)` when there is
    /// none.
    fn close(&self, id: i64) -> impl Future<Output = Result<Option<Order>, RepoError>> + Send;
}

/// Everything the service can refuse, or fail at; the `#[error]` text is the message a client
/// reads.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("total_cents must be positive")]
    InvalidTotal,
    #[error("customer {0} has {MAX_OPEN_ORDERS} open orders already: close one first")]
    TooManyOpenOrders(String),
    #[error("order {0} not found")]
    NotFound(i64),
    #[error("order {0} is closed already")]
    AlreadyClosed(i64),
    #[error(transparent)]
    Storage(#[from] RepoError),
}

/// The business rules, over any repository.
pub struct OrderService<R> {
    repo: R,
}

impl<R: OrderRepository> OrderService<R> {
    pub fn new(repo: R) -> Self {
        OrderService { repo }
    }

    /// Places an order: refused with `InvalidTotal` when `total_cents` is not positive, with
    /// `TooManyOpenOrders` when the customer has [`MAX_OPEN_ORDERS`] open orders already.
    pub async fn place_order(
        &self,
        customer: &str,
        total_cents: i64,
    ) -> Result<Order, ServiceError> {
        // TODO: check both rules here, in the service (never in the handler), then insert.
        todo!("refuse a total not positive or a 4th open order, else insert the order")
    }

    /// The order `id`, or `NotFound`.
    pub async fn order(&self, id: i64) -> Result<Order, ServiceError> {
        // TODO: the repository answers Ok(None) for a missing order; the service decides
        // that it means NotFound.
        todo!("find the order, and turn None into NotFound(id)")
    }

    /// The open orders of `customer`, oldest first.
    pub async fn open_orders(&self, customer: &str) -> Result<Vec<Order>, ServiceError> {
        // TODO: the repository does the work; `?` wraps its error into ServiceError::Storage.
        todo!("ask the repository for the customer's open orders")
    }

    /// Closes the order `id`: `NotFound` when there is none, `AlreadyClosed` when it is closed.
    pub async fn close_order(&self, id: i64) -> Result<Order, ServiceError> {
        // TODO: reuse `order` for NotFound, then check `open` before asking the repository.
        todo!("find the order (NotFound), refuse one that is closed (AlreadyClosed), else close it")
    }
}

/// The repository on PostgreSQL (the `orders` table of the lesson).
#[derive(Clone)]
pub struct PgOrderRepository {
    pool: PgPool,
}

impl PgOrderRepository {
    pub fn new(pool: PgPool) -> Self {
        PgOrderRepository { pool }
    }
}

impl OrderRepository for PgOrderRepository {
    // TODO: each method is one query on `self.pool`, with binds; `?` turns a `sqlx::Error`
    // into a `RepoError` (the `From` above). Keep the contract of the trait's documentation.
    async fn insert(&self, customer: &str, total_cents: i64) -> Result<Order, RepoError> {
        todo!("insert an open order and return it with its new id (RETURNING)")
    }

    async fn find(&self, id: i64) -> Result<Option<Order>, RepoError> {
        todo!("select the order id; no row is Ok(None), not an error")
    }

    async fn open_orders_of(&self, customer: &str) -> Result<Vec<Order>, RepoError> {
        todo!("select the customer's open orders, oldest first")
    }

    async fn close(&self, id: i64) -> Result<Option<Order>, RepoError> {
        todo!("mark the order closed and return it; no row is Ok(None)")
    }
}

/// The body of `POST /orders`.
#[derive(Debug, Clone, Deserialize)]
pub struct NewOrder {
    pub customer: String,
    pub total_cents: i64,
}

/// What a handler can fail with: a refusal of the service, or a request axum could not read.
#[derive(Debug)]
pub enum ApiError {
    Service(ServiceError),
    /// The request's body or path could not be read: the status axum chose and its message.
    BadRequest(StatusCode, String),
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        ApiError::Service(error)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        ApiError::BadRequest(rejection.status(), rejection.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::BadRequest(rejection.status(), rejection.body_text())
    }
}

impl IntoResponse for ApiError {
    /// Every error is `{"error":"…"}` with its status.
    fn into_response(self) -> Response {
        // TODO: BadRequest keeps axum's status and message. A ServiceError's message is its
        // Display; its status: InvalidTotal 422, TooManyOpenOrders and AlreadyClosed 409,
        // NotFound 404, Storage 503 with {"error":"storage unavailable: try again later"}
        // (the cause goes to the logs, never to the client).
        todo!("turn the error into a status and a {{\"error\": …}} body")
    }
}

/// The HTTP API over `service`:
///
/// - `POST /orders` `{"customer":"ada","total_cents":1250}`: 201, `location: /orders/{id}` and
///   the order;
/// - `GET /orders/{id}`: 200 and the order;
/// - `POST /orders/{id}/close`: 200 and the closed order;
/// - `GET /customers/{customer}/orders`: 200 and the customer's open orders, oldest first.
pub fn app<R: OrderRepository>(service: OrderService<R>) -> Router {
    Router::new()
        .route("/orders", post(create_order::<R>))
        .route("/orders/{id}", get(get_order::<R>))
        .route("/orders/{id}/close", post(close_order::<R>))
        .route("/customers/{customer}/orders", get(customer_orders::<R>))
        .with_state(Arc::new(service))
}

/// `POST /orders`.
async fn create_order<R: OrderRepository>(
    State(service): State<Arc<OrderService<R>>>,
    body: Result<Json<NewOrder>, JsonRejection>,
) -> Result<Response, ApiError> {
    // TODO: `body?` turns a rejection into an ApiError; then call the service, and answer 201
    // with a `location` header. No business rule here: that is the service's job.
    todo!("place the order through the service and answer 201, location and the order")
}

/// `GET /orders/{id}`.
async fn get_order<R: OrderRepository>(
    State(service): State<Arc<OrderService<R>>>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<Order>, ApiError> {
    // TODO: `id?` turns a path that is not a number into a 400 with an error body.
    todo!("get the order through the service")
}

/// `POST /orders/{id}/close`.
async fn close_order<R: OrderRepository>(
    State(service): State<Arc<OrderService<R>>>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<Order>, ApiError> {
    // TODO: like `get_order`, with the service's `close_order`.
    todo!("close the order through the service")
}

/// `GET /customers/{customer}/orders`.
async fn customer_orders<R: OrderRepository>(
    State(service): State<Arc<OrderService<R>>>,
    Path(customer): Path<String>,
) -> Result<Json<Vec<Order>>, ApiError> {
    // TODO: one call to the service, its answer as JSON.
    todo!("list the customer's open orders through the service")
}
