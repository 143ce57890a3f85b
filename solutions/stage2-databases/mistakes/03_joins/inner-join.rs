//! mistake: customer_summaries uses INNER JOINs: customers without orders or items disappear
//! # Exercise 03: JOINs, GROUP BY and window functions
//!
//! Data about one thing lives in one table, so nearly every question an API answers joins
//! tables back together, and the database does it far faster than a loop in Rust that runs
//! one query per row (the "N+1" problem, later in this stage).
//!
//! **`JOIN … ON`** pairs every row of the left table with every row of the right table that
//! matches the condition.
//! - `INNER JOIN` (or just `JOIN`) keeps only the pairs: a customer without orders disappears.
//! - `LEFT JOIN` keeps every left row; where nothing matches, the right side's columns are
//!   `NULL`. That is how "every customer, with their number of orders" includes the ones with
//!   none. Then mind the `NULL`s: `COUNT(o.id)` counts non-null values (0 for no orders, while
//!   `COUNT(*)` counts the row itself: 1), and `SUM` over nothing is `NULL`, which
//!   `COALESCE(SUM(…), 0)` turns into 0.
//! - Joining a second one-to-many table multiplies rows: an order with three items appears
//!   three times, so after joining `order_items`, `COUNT(o.id)` counts items. `COUNT(DISTINCT
//!   o.id)` counts orders.
//!
//! **`GROUP BY`** folds the rows into one per group, where aggregates (`COUNT`, `SUM`, `MAX`)
//! compute over each group. `WHERE` filters rows *before* grouping; **`HAVING`** filters groups
//! after, so it can use aggregates: `HAVING SUM(…) > $1`.
//!
//! **Window functions** compute over a group of rows *without* folding them: `RANK() OVER
//! (PARTITION BY customer_id ORDER BY total DESC)` numbers each customer's orders by total, and
//! every order stays its own row. Ties share a rank and the next rank skips (1, 1, 3); that is
//! `RANK()`, while `DENSE_RANK()` gives 1, 1, 2 and `ROW_NUMBER()` 1, 2, 3. A window function
//! may run over the result of a `GROUP BY`, or over a subquery / `WITH` (CTE) that computes the
//! totals first.
//!
//! **Types.** sqlx maps by column name, so give computed columns names with `AS`: `SUM(…) AS
//! spent_cents`. `COUNT`, `RANK` and `SUM` of `integer` are `bigint` (`i64`); an `integer`
//! product (`quantity * unit_price_cents`) stays `integer` (`i32`).
//!
//! - <https://www.postgresql.org/docs/15/queries-table-expressions.html#QUERIES-JOIN>
//! - <https://www.postgresql.org/docs/15/tutorial-agg.html>
//! - <https://www.postgresql.org/docs/15/tutorial-window.html>
//!
//! The tests create and fill these tables:
//!
//! ```text
//! customers (id int PRIMARY KEY, name text)
//!   1 Bob  2 Eve  3 Ada  4 Dee  5 Cy
//! orders (id int PRIMARY KEY, customer_id int REFERENCES customers)
//!   10 Ada  11 Ada  12 Bob  13 Ada  14 Cy  15 Bob  16 Eve (16 has no items yet)
//! order_items (order_id int REFERENCES orders, sku text, quantity int, unit_price_cents int)
//!   10 gadget 1 × 1500   10 widget 2 × 500   11 widget 1 × 500   12 gizmo 3 × 1000
//!   13 gadget 1 × 1500   13 widget 2 × 500   14 widget 1 × 500
//!   15 gizmo  1 × 1000   15 widget 2 × 500
//! ```
//!
//! Your task: write the four queries below. Each function is one SQL statement run with
//! `sqlx::query_as(…).fetch_all(pool)`; the order of the rows is part of the task.
//!
//! Run `cargo xtask check 03_joins` to check your work; `cargo xtask hint 03_joins` gives a hint.

use sqlx::PgPool;

/// One item of an order, with the name of the customer who placed it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderLine {
    pub order_id: i32,
    pub customer: String,
    pub sku: String,
    pub quantity: i32,
    /// `quantity * unit_price_cents`.
    pub line_cents: i32,
}

/// A customer's number of orders and total spend.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CustomerSummary {
    pub name: String,
    pub orders: i64,
    pub spent_cents: i64,
}

/// A customer whose total spend is above a threshold.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Spender {
    pub name: String,
    pub spent_cents: i64,
}

/// An order, its total, and its rank among the same customer's orders.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RankedOrder {
    pub customer: String,
    pub order_id: i32,
    pub total_cents: i64,
    /// 1 for the customer's biggest order; equal totals share a rank, as `RANK()` does.
    pub rank: i64,
}

/// Every order item with its order's customer, ordered by `order_id`, then `sku`.
/// An order without items has no lines.
pub async fn order_lines(pool: &PgPool) -> Result<Vec<OrderLine>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.order_id, c.name AS customer, i.sku, i.quantity,
                i.quantity * i.unit_price_cents AS line_cents
         FROM order_items i
         JOIN orders o ON o.id = i.order_id
         JOIN customers c ON c.id = o.customer_id
         ORDER BY i.order_id, i.sku",
    )
    .fetch_all(pool)
    .await
}

/// Every customer, even one who never ordered, with their number of orders and the sum of
/// their items' `quantity * unit_price_cents` (0 when there is nothing), ordered by name.
pub async fn customer_summaries(pool: &PgPool) -> Result<Vec<CustomerSummary>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.name,
                COUNT(DISTINCT o.id) AS orders,
                COALESCE(SUM(i.quantity * i.unit_price_cents), 0) AS spent_cents
         FROM customers c
         JOIN orders o ON o.customer_id = c.id
         JOIN order_items i ON i.order_id = o.id
         GROUP BY c.id, c.name
         ORDER BY c.name",
    )
    .fetch_all(pool)
    .await
}

/// The customers who spent strictly more than `min_cents` in total, biggest spender first
/// (equal spends by name).
pub async fn big_spenders(pool: &PgPool, min_cents: i64) -> Result<Vec<Spender>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.name, SUM(i.quantity * i.unit_price_cents) AS spent_cents
         FROM customers c
         JOIN orders o ON o.customer_id = c.id
         JOIN order_items i ON i.order_id = o.id
         GROUP BY c.id, c.name
         HAVING SUM(i.quantity * i.unit_price_cents) > $1
         ORDER BY spent_cents DESC, c.name",
    )
    .bind(min_cents)
    .fetch_all(pool)
    .await
}

/// Every order, with its total (0 for an order without items) and its `RANK()` among the
/// same customer's orders by total, biggest first. Ordered by customer name, then rank, then
/// order id.
pub async fn ranked_orders(pool: &PgPool) -> Result<Vec<RankedOrder>, sqlx::Error> {
    sqlx::query_as(
        "WITH totals AS (
             SELECT o.id, o.customer_id,
                    COALESCE(SUM(i.quantity * i.unit_price_cents), 0) AS total_cents
             FROM orders o
             LEFT JOIN order_items i ON i.order_id = o.id
             GROUP BY o.id
         )
         SELECT c.name AS customer, t.id AS order_id, t.total_cents,
                RANK() OVER (PARTITION BY t.customer_id ORDER BY t.total_cents DESC) AS rank
         FROM totals t
         JOIN customers c ON c.id = t.customer_id
         ORDER BY c.name, rank, t.id",
    )
    .fetch_all(pool)
    .await
}
