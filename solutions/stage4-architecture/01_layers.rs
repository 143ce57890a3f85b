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
        if total_cents <= 0 {
            return Err(ServiceError::InvalidTotal);
        }
        // Two concurrent requests could both read 2 open orders and both insert: a real system
        // closes that race in the database (a lock on the customer's row, or a constraint).
        let open = self.repo.open_orders_of(customer).await?;
        if open.len() >= MAX_OPEN_ORDERS {
            return Err(ServiceError::TooManyOpenOrders(customer.to_string()));
        }
        Ok(self.repo.insert(customer, total_cents).await?)
    }

    /// The order `id`, or `NotFound`.
    pub async fn order(&self, id: i64) -> Result<Order, ServiceError> {
        self.repo.find(id).await?.ok_or(ServiceError::NotFound(id))
    }

    /// The open orders of `customer`, oldest first.
    pub async fn open_orders(&self, customer: &str) -> Result<Vec<Order>, ServiceError> {
        Ok(self.repo.open_orders_of(customer).await?)
    }

    /// Closes the order `id`: `NotFound` when there is none, `AlreadyClosed` when it is closed.
    pub async fn close_order(&self, id: i64) -> Result<Order, ServiceError> {
        let order = self.order(id).await?;
        if !order.open {
            return Err(ServiceError::AlreadyClosed(id));
        }
        self.repo.close(id).await?.ok_or(ServiceError::NotFound(id))
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
    async fn insert(&self, customer: &str, total_cents: i64) -> Result<Order, RepoError> {
        let order = sqlx::query_as(
            "INSERT INTO orders (customer, total_cents) VALUES ($1, $2)
             RETURNING id, customer, total_cents, open",
        )
        .bind(customer)
        .bind(total_cents)
        .fetch_one(&self.pool)
        .await?;
        Ok(order)
    }

    async fn find(&self, id: i64) -> Result<Option<Order>, RepoError> {
        let order =
            sqlx::query_as("SELECT id, customer, total_cents, open FROM orders WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(order)
    }

    async fn open_orders_of(&self, customer: &str) -> Result<Vec<Order>, RepoError> {
        // Without ORDER BY, PostgreSQL returns rows in whatever order is cheapest: the contract
        // says "oldest first", so say it in SQL.
        let orders = sqlx::query_as(
            "SELECT id, customer, total_cents, open FROM orders
             WHERE customer = $1 AND open ORDER BY id",
        )
        .bind(customer)
        .fetch_all(&self.pool)
        .await?;
        Ok(orders)
    }

    async fn close(&self, id: i64) -> Result<Option<Order>, RepoError> {
        let order = sqlx::query_as(
            "UPDATE orders SET open = false WHERE id = $1
             RETURNING id, customer, total_cents, open",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(order)
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
        let (status, message) = match self {
            ApiError::BadRequest(status, message) => (status, message),
            ApiError::Service(error) => {
                let status = match &error {
                    ServiceError::InvalidTotal => StatusCode::UNPROCESSABLE_ENTITY,
                    ServiceError::TooManyOpenOrders(_) | ServiceError::AlreadyClosed(_) => {
                        StatusCode::CONFLICT
                    }
                    ServiceError::NotFound(_) => StatusCode::NOT_FOUND,
                    ServiceError::Storage(cause) => {
                        // The cause is for the logs, never for the client.
                        tracing::error!(%cause, "storage failed");
                        return (
                            StatusCode::SERVICE_UNAVAILABLE,
                            Json(json!({ "error": "storage unavailable: try again later" })),
                        )
                            .into_response();
                    }
                };
                (status, error.to_string())
            }
        };
        (status, Json(json!({ "error": message }))).into_response()
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
    let Json(new) = body?;
    let order = service.place_order(&new.customer, new.total_cents).await?;
    let location = format!("/orders/{}", order.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(order)).into_response())
}

/// `GET /orders/{id}`.
async fn get_order<R: OrderRepository>(
    State(service): State<Arc<OrderService<R>>>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<Order>, ApiError> {
    let Path(id) = id?;
    Ok(Json(service.order(id).await?))
}

/// `POST /orders/{id}/close`.
async fn close_order<R: OrderRepository>(
    State(service): State<Arc<OrderService<R>>>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<Order>, ApiError> {
    let Path(id) = id?;
    Ok(Json(service.close_order(id).await?))
}

/// `GET /customers/{customer}/orders`.
async fn customer_orders<R: OrderRepository>(
    State(service): State<Arc<OrderService<R>>>,
    Path(customer): Path<String>,
) -> Result<Json<Vec<Order>>, ApiError> {
    Ok(Json(service.open_orders(&customer).await?))
}
