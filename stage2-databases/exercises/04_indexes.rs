//! # Exercise 04: indexes (composite and partial)
//!
//! Without an index, PostgreSQL answers `WHERE customer_id = 42` by reading every row of the
//! table: a *Seq Scan*. That is fine for a thousand rows and a disaster for a hundred million.
//! An index is a second, sorted copy of some columns, each entry pointing at its row; a B-tree
//! (the default kind) finds one key, or the start of a range, in a handful of page reads, and
//! then walks the following entries in order.
//!
//! **Composite indexes are sorted like a phone book**: by the first column, then by the second
//! within equal firsts. An index on `(customer_id, created_at)` keeps all of customer 42's
//! orders side by side, already sorted by date: `WHERE customer_id = 42 AND created_at >= $2
//! ORDER BY created_at` is one short walk, and the `ORDER BY` needs no sort. Swap the columns
//! to `(created_at, customer_id)` and customer 42's orders are scattered over the whole index,
//! one every few hundred entries. Rule of thumb: **equality columns first, then the range or
//! `ORDER BY` column.**
//!
//! **A partial index** indexes only the rows that match its `WHERE`: `CREATE INDEX … ON orders
//! (created_at) WHERE status = 'pending'`. When 1% of orders are pending, it is a hundred times
//! smaller than a full index, costs nothing when shipped orders are inserted, and serves any
//! query whose own `WHERE` implies the index's predicate (here: `WHERE status = 'pending'`).
//! Job queues and "unprocessed" flags are its textbook use.
//!
//! **How to see what the database does**: `EXPLAIN SELECT …` prints the plan the planner chose
//! (`Seq Scan`, `Index Scan using …`, `Bitmap Index Scan on …`, `Sort`…); `EXPLAIN ANALYZE` also
//! runs it. The planner picks by estimated cost, from statistics that `ANALYZE` collects, so an
//! index it considers useless is simply ignored: creating an index proves nothing, the plan
//! does. Every index also slows down every write to its table, so each one must earn its keep.
//! In production, indexes live in migrations (sqlx's `migrate!`, sea-orm's migrator) and are
//! built with `CREATE INDEX CONCURRENTLY` so that writes are not blocked meanwhile.
//!
//! - <https://www.postgresql.org/docs/15/indexes-multicolumn.html>
//! - <https://www.postgresql.org/docs/15/indexes-partial.html>
//! - <https://www.postgresql.org/docs/15/using-explain.html>
//! - <https://use-the-index-luke.com/sql/where-clause/the-equals-operator/concatenated-keys>
//!
//! The tests create this table and fill it with 100,000 orders of 500 customers over 2024, 1% of
//! them pending, then run your statements and `ANALYZE orders`:
//!
//! ```sql
//! CREATE TABLE orders (
//!     id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
//!     customer_id int NOT NULL,
//!     status      text NOT NULL,          -- 'pending' or 'shipped'
//!     total_cents int NOT NULL,
//!     created_at  timestamptz NOT NULL
//! );
//! ```
//!
//! Then they `EXPLAIN` the application's three queries and read the plans:
//!
//! ```sql
//! -- A customer's orders of the year, oldest first.
//! SELECT id, created_at, total_cents FROM orders
//! WHERE customer_id = 42 AND created_at >= '2024-01-01' ORDER BY created_at;
//! -- A customer's ten latest orders.
//! SELECT id, created_at, total_cents FROM orders
//! WHERE customer_id = 42 ORDER BY created_at DESC LIMIT 10;
//! -- The worker's queue: the 20 oldest pending orders.
//! SELECT id, customer_id, created_at FROM orders
//! WHERE status = 'pending' ORDER BY created_at LIMIT 20;
//! ```
//!
//! Your task: write the `CREATE INDEX` statements (two are enough) so that no query reads the
//! whole table, neither of the customer queries needs a `Sort`, and the queue is served by a
//! small partial index. You may experiment in `psql`: create the table, fill it with
//! `INSERT … SELECT … FROM generate_series(1, 100000) AS i`, `ANALYZE orders`, and `EXPLAIN`.
//!
//! Run `cargo xtask check 04_indexes` to check your work; `cargo xtask hint 04_indexes` gives a
//! hint.

/// The statements that create the indexes of the `orders` table, run in this order after the
/// table is filled. One statement per string, e.g.
/// `"CREATE INDEX orders_status_idx ON orders (status)"` (an index that would not help here).
pub const INDEXES: &[&str] = &[
    // TODO: a composite index for the two customer queries (which column first?), and a
    // partial index for the queue of pending orders (which column is it sorted by?).
];
