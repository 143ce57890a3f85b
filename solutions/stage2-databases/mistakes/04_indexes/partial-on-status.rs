//! mistake: the partial index is on (status): it finds the pending orders but not in date order
//! # Exercise 04: indexes (composite and partial)
//!
//! Equality column first, then the range/`ORDER BY` column: all of a customer's orders sit
//! side by side in `orders_customer_created_idx`, sorted by date, so both customer queries are
//! one short index walk with no sort. The queue's index holds only the 1% of pending orders,
//! sorted by age, so the worker reads its 20 oldest straight from a tiny index.
//!
//! - <https://www.postgresql.org/docs/15/indexes-multicolumn.html>
//! - <https://www.postgresql.org/docs/15/indexes-partial.html>

/// The statements that create the indexes of the `orders` table, run in this order after the
/// table is filled.
pub const INDEXES: &[&str] = &[
    "CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at)",
    "CREATE INDEX orders_pending_idx ON orders (status) WHERE status = 'pending'",
];
