//! Milestone 2, the repository adapters: the same contract ([`OrderRepository`]'s) kept by
//! PostgreSQL and by memory. `PgOrderRepository` works on the legacy tables
//! (`schema.rs`); `InMemoryOrderRepository` is what a test of the service uses instead of a
//! database: fast, no setup, and since it keeps the same contract, a test that passes with it
//! says something about production too (Liskov's substitution principle).

use std::sync::{Arc, Mutex};

use sqlx::PgPool;

use super::error::StorageError;
use super::model::{NewOrder, Order};
use super::ports::OrderRepository;

/// Orders in PostgreSQL, in the legacy tables `customer_orders` and `customer_order_lines`.
#[derive(Debug, Clone)]
pub struct PgOrderRepository {
    pool: PgPool,
}

impl PgOrderRepository {
    /// On `pool`, whose database has the tables already (`schema::migrate`).
    pub fn new(pool: PgPool) -> PgOrderRepository {
        PgOrderRepository { pool }
    }
}

impl OrderRepository for PgOrderRepository {
    async fn insert(&self, order: NewOrder) -> Result<Order, StorageError> {
        // TODO: in one transaction (`self.pool.begin()`), `INSERT INTO customer_orders … RETURNING id,
        // created_at`, then one `customer_order_lines` row a line with its `position` (1, 2, …); commit.
        // Return the order with PostgreSQL's `created_at` (it keeps microseconds).
        todo!("PgOrderRepository::insert: the order and its lines (milestone 2, repository)")
    }

    async fn get(&self, id: i64) -> Result<Option<Order>, StorageError> {
        // TODO: the row, then its lines `ORDER BY position`. Queries must be `&'static str`
        // (or `concat!`): sqlx refuses a `format!`ed string, for fear of SQL injection.
        todo!("PgOrderRepository::get: the order or None (milestone 2, repository)")
    }

    async fn list_by_email(&self, email: &str) -> Result<Vec<Order>, StorageError> {
        // TODO: `ORDER BY created_at DESC, id DESC`; the lines of all of them in one more
        // query (`WHERE order_id = ANY($1)`), not one query an order.
        todo!("PgOrderRepository::list_by_email: newest first (milestone 2, repository)")
    }
}

/// Orders in memory, for tests and demos. Clones share the same orders.
#[derive(Debug, Clone, Default)]
pub struct InMemoryOrderRepository {
    // TODO: the orders, behind an `Arc` (clones share them) and a `Mutex` (the methods take
    // `&self`, and a server calls them from several threads at once).
}

impl InMemoryOrderRepository {
    pub fn new() -> InMemoryOrderRepository {
        todo!("InMemoryOrderRepository::new: an empty store (milestone 2, repository)")
    }
}

impl OrderRepository for InMemoryOrderRepository {
    async fn insert(&self, order: NewOrder) -> Result<Order, StorageError> {
        // TODO: the next id, from 1, as PostgreSQL's `bigserial` gives them.
        todo!("InMemoryOrderRepository::insert (milestone 2, repository)")
    }

    async fn get(&self, id: i64) -> Result<Option<Order>, StorageError> {
        todo!("InMemoryOrderRepository::get (milestone 2, repository)")
    }

    async fn list_by_email(&self, email: &str) -> Result<Vec<Order>, StorageError> {
        // TODO: the same order as PostgreSQL's, ties included.
        todo!("InMemoryOrderRepository::list_by_email: newest first (milestone 2, repository)")
    }
}
