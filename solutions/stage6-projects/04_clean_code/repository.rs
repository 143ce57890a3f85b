//! Milestone 2, the repository adapters: the same contract ([`OrderRepository`]'s) kept by
//! PostgreSQL and by memory. `PgOrderRepository` works on the legacy tables
//! (`schema.rs`); `InMemoryOrderRepository` is what a test of the service uses instead of a
//! database: fast, no setup, and since it keeps the same contract, a test that passes with it
//! says something about production too (Liskov's substitution principle).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::error::StorageError;
use super::model::{Line, NewOrder, Order, Quote};
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

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: i64,
    email: String,
    coupon: Option<String>,
    subtotal_cents: i64,
    discount_cents: i64,
    tax_cents: i64,
    total_cents: i64,
    created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    order_id: i64,
    sku: String,
    quantity: i64,
    unit_price_cents: i64,
}

// A macro, not a `const`: `concat!` keeps the query a `&'static str`, which sqlx takes as
// safe SQL (a `format!`ed string is refused, for fear of injection).
macro_rules! select_orders {
    ($rest:literal) => {
        concat!(
            "SELECT id, email, coupon, subtotal_cents, discount_cents, tax_cents, total_cents, \
             created_at FROM customer_orders ",
            $rest
        )
    };
}

impl PgOrderRepository {
    /// The orders of `rows` with their lines, in the rows' order: one query for all the lines.
    async fn with_lines(&self, rows: Vec<OrderRow>) -> Result<Vec<Order>, StorageError> {
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let lines: Vec<LineRow> = sqlx::query_as(
            "SELECT order_id, sku, quantity, unit_price_cents FROM customer_order_lines \
             WHERE order_id = ANY($1) ORDER BY order_id, position",
        )
        .bind(&ids)
        .fetch_all(&self.pool)
        .await?;
        let mut by_order: HashMap<i64, Vec<Line>> = HashMap::new();
        for line in lines {
            by_order.entry(line.order_id).or_default().push(Line {
                sku: line.sku,
                quantity: line.quantity,
                unit_price_cents: line.unit_price_cents,
            });
        }
        Ok(rows
            .into_iter()
            .map(|row| Order {
                id: row.id,
                lines: by_order.remove(&row.id).unwrap_or_default(),
                email: row.email,
                coupon: row.coupon,
                quote: Quote {
                    subtotal_cents: row.subtotal_cents,
                    discount_cents: row.discount_cents,
                    tax_cents: row.tax_cents,
                    total_cents: row.total_cents,
                },
                created_at: row.created_at,
            })
            .collect())
    }
}

impl OrderRepository for PgOrderRepository {
    async fn insert(&self, order: NewOrder) -> Result<Order, StorageError> {
        // The order and its lines in one transaction: never an order without its lines.
        let mut tx = self.pool.begin().await?;
        let (id, created_at): (i64, DateTime<Utc>) = sqlx::query_as(
            "INSERT INTO customer_orders (email, coupon, subtotal_cents, discount_cents, tax_cents, \
             total_cents, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             RETURNING id, created_at",
        )
        .bind(&order.email)
        .bind(&order.coupon)
        .bind(order.quote.subtotal_cents)
        .bind(order.quote.discount_cents)
        .bind(order.quote.tax_cents)
        .bind(order.quote.total_cents)
        .bind(order.created_at)
        .fetch_one(&mut *tx)
        .await?;
        for (position, line) in (1i32..).zip(&order.lines) {
            sqlx::query(
                "INSERT INTO customer_order_lines (order_id, position, sku, quantity, unit_price_cents) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(position)
            .bind(&line.sku)
            .bind(line.quantity)
            .bind(line.unit_price_cents)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        // The instant as PostgreSQL keeps it (to the microsecond), so `get` answers the same.
        Ok(Order::from_new(
            id,
            NewOrder {
                created_at,
                ..order
            },
        ))
    }

    async fn get(&self, id: i64) -> Result<Option<Order>, StorageError> {
        let row: Option<OrderRow> = sqlx::query_as(select_orders!("WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => Ok(self.with_lines(vec![row]).await?.pop()),
            None => Ok(None),
        }
    }

    async fn list_by_email(&self, email: &str) -> Result<Vec<Order>, StorageError> {
        let rows: Vec<OrderRow> = sqlx::query_as(select_orders!(
            "WHERE email = $1 ORDER BY created_at DESC, id DESC"
        ))
        .bind(email)
        .fetch_all(&self.pool)
        .await?;
        self.with_lines(rows).await
    }
}

/// Orders in memory, for tests and demos. Clones share the same orders.
#[derive(Debug, Clone, Default)]
pub struct InMemoryOrderRepository {
    orders: Arc<Mutex<Vec<Order>>>,
}

impl InMemoryOrderRepository {
    pub fn new() -> InMemoryOrderRepository {
        InMemoryOrderRepository::default()
    }
}

impl OrderRepository for InMemoryOrderRepository {
    async fn insert(&self, order: NewOrder) -> Result<Order, StorageError> {
        // The id and the push under one lock: two inserts at once never get the same id.
        let mut orders = self
            .orders
            .lock()
            .expect("no thread panicked holding the orders");
        let id = orders.len() as i64 + 1;
        let order = Order::from_new(id, order);
        orders.push(order.clone());
        Ok(order)
    }

    async fn get(&self, id: i64) -> Result<Option<Order>, StorageError> {
        let orders = self
            .orders
            .lock()
            .expect("no thread panicked holding the orders");
        Ok(orders.iter().find(|order| order.id == id).cloned())
    }

    async fn list_by_email(&self, email: &str) -> Result<Vec<Order>, StorageError> {
        let orders = self
            .orders
            .lock()
            .expect("no thread panicked holding the orders");
        let mut found: Vec<Order> = orders
            .iter()
            .filter(|order| order.email == email)
            .cloned()
            .collect();
        found.sort_by_key(|order| std::cmp::Reverse((order.created_at, order.id)));
        Ok(found)
    }
}
