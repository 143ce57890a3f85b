//! # Exercise 08: upserts, idempotent writes and domain errors
//!
//! Networks fail after the work is done: the client's `POST /payments` reached the server, the
//! payment was stored, and the response was lost. The client retries. A backend that stores a
//! second payment has just charged a customer twice. So writes that may be retried must be
//! **idempotent**: doing them twice has the same effect as doing them once.
//!
//! **"Check, then write" is not idempotent under concurrency.** `SELECT … WHERE key = $1`, then
//! `INSERT` if nothing was found: two retries arriving together both find nothing and both
//! insert (or, with a `UNIQUE` constraint, one of them fails with an error the client did not
//! cause). The database must decide in one statement, and PostgreSQL's `INSERT … ON CONFLICT`
//! does, atomically, using a unique index:
//! - `ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, …` is an **upsert**: insert, or
//!   update the existing row. `EXCLUDED` is the row you tried to insert; columns you do not
//!   `SET` keep their value, and you may compute, e.g. `stock = products.stock +
//!   EXCLUDED.stock`.
//! - `ON CONFLICT (idempotency_key) DO NOTHING` keeps the first row and silently skips the
//!   rest. With `RETURNING id`, a skipped insert returns **no row**, so `fetch_optional` tells
//!   "new" (`Some`) from "already there" (`None`). (With `DO UPDATE`, a row is returned in both
//!   cases; the usual trick to tell them apart is `RETURNING (xmax = 0) AS inserted`: `xmax` is
//!   a system column that is 0 on a freshly inserted row version and set on an updated one. It
//!   works, but relies on an implementation detail.)
//!
//! Stripe's API is the classic example: every POST may carry an `Idempotency-Key` header, and a
//! repeat returns the first result (<https://stripe.com/docs/api/idempotent_requests>).
//!
//! **Constraint errors are domain errors.** The `UNIQUE` on `customers.email` is the only
//! reliable "email already taken" check (a `SELECT` first is racy, as above), so let the insert
//! fail and translate the error. Callers should not have to know sqlx or SQLSTATEs: an axum
//! handler matches `StoreError::DuplicateEmail` and answers 409 Conflict. `err.as_database_error()`
//! gives the PostgreSQL error, whose `code()` is the SQLSTATE (`23505` unique violation,
//! `23503` foreign key violation) and `constraint()` the constraint's name: match on both, since
//! a table may have several unique constraints, and everything you do not recognize stays a
//! plain database error. That is why the schema below names its constraints.
//!
//! - <https://www.postgresql.org/docs/15/sql-insert.html#SQL-ON-CONFLICT>
//! - <https://docs.rs/sqlx/0.9/sqlx/error/trait.DatabaseError.html>
//! - <https://docs.rs/thiserror>
//!
//! Your task: write `upsert_product`, the `From<sqlx::Error>` conversion of `StoreError`,
//! `create_customer` and `record_payment`, against the tables of `create_schema`.
//!
//! Run `cargo xtask check 08_upserts` to check your work; `cargo xtask hint 08_upserts` gives a
//! hint.

use sqlx::PgPool;

/// A row of the `products` table.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Product {
    pub sku: String,
    pub name: String,
    pub price_cents: i32,
    /// Counted by the warehouse, never by the catalog feed.
    pub stock: i32,
}

/// One line of the supplier's catalog feed, which is imported again every night.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntry {
    pub sku: String,
    pub name: String,
    pub price_cents: i32,
}

/// A payment request; the client chooses `idempotency_key` once and sends it with every retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    pub idempotency_key: String,
    pub customer_id: i64,
    pub amount_cents: i64,
}

/// What can go wrong when writing customers and payments.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The `customers_email_key` constraint: another customer has this email.
    #[error("a customer with this email already exists")]
    DuplicateEmail,
    /// The `payments_customer_id_fkey` constraint: no customer has this id.
    #[error("no such customer")]
    UnknownCustomer,
    /// Anything else, unchanged.
    #[error("database error")]
    Db(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    /// Translates the two constraint violations above; every other error becomes `Db`.
    fn from(err: sqlx::Error) -> Self {
        // TODO: a violation of `customers_email_key` is `DuplicateEmail`, one of
        // `payments_customer_id_fkey` is `UnknownCustomer`; every other error, from the database
        // or not, stays `Db(err)` unchanged.
        todo!("map 23505 on customers_email_key and 23503 on payments_customer_id_fkey")
    }
}

/// Creates the tables. Provided: the constraints' names are the ones `StoreError` expects.
pub async fn create_schema(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(
        "CREATE TABLE products (
             sku         text PRIMARY KEY,
             name        text NOT NULL,
             price_cents integer NOT NULL,
             stock       integer NOT NULL DEFAULT 0
         );
         CREATE TABLE customers (
             id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
             email text NOT NULL,
             CONSTRAINT customers_email_key UNIQUE (email)
         );
         CREATE TABLE payments (
             id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
             idempotency_key text NOT NULL,
             customer_id     bigint NOT NULL,
             amount_cents    bigint NOT NULL CHECK (amount_cents > 0),
             CONSTRAINT payments_idempotency_key_key UNIQUE (idempotency_key),
             CONSTRAINT payments_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id)
         );",
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Imports one catalog entry: a new sku is inserted with a stock of 0; a known sku gets the
/// entry's name and price and keeps its stock. Returns the row as stored. Safe to repeat, and
/// to run concurrently for the same sku.
pub async fn upsert_product(pool: &PgPool, entry: &CatalogEntry) -> Result<Product, sqlx::Error> {
    // TODO: insert the product, or give the existing one this name and price, in one step
    // that stays right when two imports of the same sku run at once. The stock is never the
    // feed's to set.
    todo!("insert or update the product by sku")
}

/// Creates a customer and returns their id; `StoreError::DuplicateEmail` if the email is taken.
pub async fn create_customer(pool: &PgPool, email: &str) -> Result<i64, StoreError> {
    // TODO: insert the customer and return the id the database chose; a taken email comes
    // back as `DuplicateEmail`, through your `From`.
    todo!("insert the customer, mapping a taken email to DuplicateEmail")
}

/// Records a payment once per idempotency key: `Ok(true)` if this call stored it, `Ok(false)`
/// if a payment with this key already exists (whatever its amount: the first one wins).
/// `StoreError::UnknownCustomer` if the customer does not exist. Safe to run concurrently.
pub async fn record_payment(pool: &PgPool, payment: &NewPayment) -> Result<bool, StoreError> {
    // TODO: store the payment unless one with this key exists, and say which happened, in one
    // step that stays right when the first request and its retry arrive at the same moment.
    todo!("insert the payment unless its key was already used; say whether it is new")
}
