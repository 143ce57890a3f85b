//! # Exercise 06: the transactional outbox — an order and its event in one transaction
//!
//! When an order is placed, two things must happen: the order is stored, and the rest of the
//! system (billing, e-mail, stock) hears about it through an event on RabbitMQ. The obvious
//! code does both in a row — `INSERT` the order, then `basic_publish` the event — and that is
//! the **dual write**, a bug waiting for a crash: publish first and roll back the transaction,
//! and the world hears of an order that does not exist; commit first and die (or lose the
//! broker) before the publish, and an order exists that nobody ever hears of. There is no
//! transaction spanning PostgreSQL and RabbitMQ, so no ordering of the two writes is safe.
//!
//! **The outbox** turns the two writes into one. `place_order` writes the order row *and* an
//! `outbox` row holding the event, in ONE database transaction: both are committed or neither
//! is. A separate **relay** then moves events from the table to the broker:
//!
//! 1. in a transaction, `SELECT … FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1
//!    FOR UPDATE SKIP LOCKED` — the oldest unpublished events, in the order they were written;
//! 2. publish each one and wait for the broker's **publisher confirm** (`confirm_select` on the
//!    channel, then `.await` the `PublisherConfirm` that `basic_publish` returns): only an
//!    `Ack` means RabbitMQ has taken responsibility for the message; a `Nack` means it has not;
//! 3. only then mark the row published (`UPDATE … SET published_at = now()`, or `DELETE` it),
//!    and commit.
//!
//! A crash between 2 and 3 publishes the event again on the next run: the outbox is
//! **at-least-once**, never at-most-once. So the consumer must be **idempotent**: it records
//! each event id it has applied (`processed_events`, a primary key) in the same transaction as
//! the effect, and a duplicate changes nothing (`INSERT … ON CONFLICT DO NOTHING`, then look at
//! `rows_affected()`).
//!
//! **Two relays at once** (two replicas of the service) must not publish the same row twice.
//! `FOR UPDATE` locks the rows a relay took until it commits; `SKIP LOCKED` makes another relay
//! pass over them and take the next ones instead of waiting. Without `FOR UPDATE` both relays
//! read the same unpublished row; with `FOR UPDATE` but no `SKIP LOCKED`, the second one blocks
//! until the first commits.
//!
//! In production the same pattern is Debezium's outbox router (reading PostgreSQL's WAL
//! instead of polling) or a polling relay like this one running in a loop every few hundred
//! milliseconds. Read: <https://microservices.io/patterns/data/transactional-outbox.html>,
//! <https://www.rabbitmq.com/docs/confirms#publisher-confirms>,
//! <https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE>,
//! <https://docs.rs/lapin/latest/lapin/struct.Channel.html#method.basic_publish>.
//!
//! Messages are published on the default exchange (`""`) with the queue's name as routing key;
//! the body is the outbox row's `payload` as JSON, and the message's `message_id` property is
//! the outbox row's `id` as a decimal string: that is the event id the consumer dedupes on.

use lapin::options::{BasicPublishOptions, ConfirmSelectOptions};
use lapin::{BasicProperties, Channel, Connection};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

/// The tables: the orders, the outbox beside them, and the consumer's side (in a real system,
/// another service's database).
pub const SCHEMA: &str = "
CREATE TABLE orders (
    id BIGSERIAL PRIMARY KEY,
    customer TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0)
);
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    payload JSONB NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE TABLE processed_events (event_id BIGINT PRIMARY KEY);
CREATE TABLE customer_totals (customer TEXT PRIMARY KEY, total BIGINT NOT NULL);
";

/// An order as the client sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOrder {
    pub customer: String,
    pub amount: i64,
}

/// The event of a placed order: the outbox row's `payload`, and the body of the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPlaced {
    pub order_id: i64,
    pub customer: String,
    pub amount: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("rabbitmq: {0}")]
    Amqp(#[from] lapin::Error),
    #[error(
        "the broker refused event {event_id} (nack): it stays in the outbox, run the relay again"
    )]
    Nacked { event_id: i64 },
    /// What a hook returns to stop the relay where it stands, as a crash would.
    #[error("relay stopped: {0}")]
    Stopped(&'static str),
}

/// A channel for the relay, with publisher confirms turned on.
pub async fn publisher(conn: &Connection) -> Result<Channel, OutboxError> {
    // TODO: open a channel on `conn` and turn publisher confirms on (`confirm_select`).
    todo!("open a channel on conn with publisher confirms turned on")
}

/// Stores `order` and its `OrderPlaced` event in the outbox, in one transaction; returns the
/// order's id.
pub async fn place_order(pool: &PgPool, order: &NewOrder) -> Result<i64, OutboxError> {
    // TODO: one transaction: insert the order (RETURNING id), insert its `OrderPlaced` event
    // into the outbox, commit.
    todo!("insert the order and its event in the outbox in one transaction; return the order id")
}

/// One pass of the relay: publishes at most `batch` unpublished events, oldest first, to
/// `queue` through `channel` (which has confirms on), and marks each published once the broker
/// confirmed it. Calls `after_confirm(event_id)` after each confirm and before the mark; an
/// error from it stops the pass at once and is returned. Returns how many events it published.
pub async fn relay_once<F>(
    pool: &PgPool,
    channel: &Channel,
    queue: &str,
    batch: i64,
    after_confirm: F,
) -> Result<usize, OutboxError>
where
    F: AsyncFn(i64) -> Result<(), OutboxError>,
{
    // TODO: in a transaction, take at most `batch` unpublished rows in id order, locking them
    // and skipping rows another relay holds.
    // TODO: publish each one (body: the payload, `message_id`: the row id) and await its
    // confirm; a nack keeps the confirmed marks and returns `OutboxError::Nacked`.
    // TODO: call `after_confirm(event_id)`, then mark the row published; commit at the end.
    todo!("publish the oldest unpublished events, each marked only after the broker confirmed it")
}

/// The consumer: applies event `event_id` (adds its amount to the customer's total) unless it
/// was applied before. Returns whether it was applied now.
pub async fn apply_event(
    pool: &PgPool,
    event_id: i64,
    event: &OrderPlaced,
) -> Result<bool, OutboxError> {
    // TODO: in one transaction, record `event_id` in `processed_events` unless it is there
    // already (then return false), and add the amount to the customer's total.
    todo!("apply the event once: record its id and add its amount to the customer's total")
}
