//! # Exercise 05: a partitioned log on a Kafka-protocol broker — keys, groups, committed offsets
//!
//! RabbitMQ (exercise 02) is a **queue**: a message is handed to one consumer and deleted once
//! acknowledged. Kafka is a **log**: a topic is split into **partitions**, each an append-only
//! sequence of records numbered by **offset** (0, 1, 2, …). Reading does not remove anything;
//! records stay for the topic's retention (days, or forever), so a new reader can start from
//! the beginning and an old one can replay. Each reader only remembers *where it is*.
//!
//! **Keys keep order.** A producer sends each record with a key; the partition is
//! `hash(key) % partitions`, so every record of one key lands in one partition, in the order it
//! was sent, and is read in that order. Here the key is the account id: one account's deposits
//! and withdrawals are applied in order, while different accounts spread over the partitions
//! and are handled in parallel. (Two RabbitMQ workers on one queue give no such promise: event
//! 2 of an account can be done before event 1.) Two production details:
//! librdkafka's default partitioner hashes with CRC32 while the Java client uses murmur2, so a
//! Rust and a Java producer put one key in different partitions unless you set
//! `partitioner=murmur2_random`; and adding partitions later moves keys (`% partitions`).
//!
//! **The producer** waits for the broker's acknowledgement: `acks=all` (every in-sync replica
//! has the record) and `enable.idempotence=true` (the broker drops a retried duplicate, so a
//! retry after a lost answer neither doubles a record nor reorders a key). librdkafka retries a
//! send for `message.timeout.ms` (5 minutes by default): bound it, or a dead broker is a hang.
//!
//! **Consumer groups share partitions.** Consumers with the same `group.id` split the topic's
//! partitions: each partition goes to exactly one member (so its order holds), and members join
//! and leave through a **rebalance**. More members than partitions leaves some idle. Another
//! group reads the same records independently, from its own position.
//!
//! **Committed offsets** are the group's position: per partition, the offset of the next record
//! to read, stored by the broker. A member that takes a partition over starts there (a group
//! with none yet starts at `auto.offset.reset`: `earliest`, or `latest` which skips what is
//! already there). When to commit decides what a crash does:
//! - `enable.auto.commit=true` (the default) commits, every 5 s and on close, what was
//!   *handed to you*, done or not: a crash mid-work can lose the record (at-most-once);
//! - commit **after** the work (here: `commit_message` once the database transaction
//!   committed): a member that dies between the work and the commit has that record delivered
//!   again to whoever takes its partition over (**at-least-once**). So the work must be
//!   **idempotent**: record the event id in the same transaction as the effect, and skip an id
//!   already there. (Kafka's exactly-once transactions cover Kafka-to-Kafka pipelines only;
//!   with a database as the effect, this dedupe is the standard answer.)
//!
//! Committing each record synchronously, as here, costs a round trip per record (a fraction of
//! a millisecond on this machine); high-throughput consumers mark records done with
//! `store_offset` and let `enable.auto.commit` send the stored offsets every few seconds,
//! which keeps at-least-once as long as `enable.auto.offset.store=false`.
//!
//! **A poison record** (one that is not an event at all) would stop its partition for good if
//! it stopped the consumer: it stays in the log, and every restart meets it again. Skip it,
//! report it, commit past it (production code also copies it to a dead-letter topic).
//!
//! **How fast a group notices a member is gone**: a member that closes cleanly (dropping an
//! rdkafka consumer does) leaves the group, and its partitions move at once; a process that
//! dies silently stops heartbeating and is removed after `session.timeout.ms` (6 s is the
//! least Apache Kafka allows by default); one whose loop is stuck is removed after
//! `max.poll.interval.ms`.
//!
//! **The broker.** The tests run against whatever speaks Kafka's protocol at `KAFKA_BROKERS`
//! (default `127.0.0.1:9092`). This course installs **tansu**, a Kafka-protocol broker written
//! in Rust (`cargo install tansu`): no JVM, no Docker, one binary. With Docker, the runner
//! starts Apache Kafka instead. Your code and the tests are the same for both: the protocol is
//! the contract. Two things differ in speed, measured here with tansu 0.6: a member joining a
//! group waits 3 s before it gets its partitions (a clean leave hands them over in a few
//! milliseconds), and a fetch is answered only after half of the consumer's
//! `fetch.wait.max.ms` even when records are waiting, so set it to 100 ms (librdkafka's 500 ms
//! delays every batch by a quarter of a second).
//!
//! The client is [rdkafka](https://docs.rs/rdkafka/0.39.0/rdkafka/), Rust bindings to
//! librdkafka (the C client most non-Java clients are built on). Read:
//! - [`FutureProducer::send`](https://docs.rs/rdkafka/0.39.0/rdkafka/producer/future_producer/struct.FutureProducer.html#method.send),
//!   [`FutureRecord`](https://docs.rs/rdkafka/0.39.0/rdkafka/producer/future_producer/struct.FutureRecord.html)
//! - [`StreamConsumer::recv`](https://docs.rs/rdkafka/0.39.0/rdkafka/consumer/stream_consumer/struct.StreamConsumer.html#method.recv),
//!   [`Consumer`](https://docs.rs/rdkafka/0.39.0/rdkafka/consumer/trait.Consumer.html)
//!   (`subscribe`, `fetch_metadata`, `commit_message`), [`Message`](https://docs.rs/rdkafka/0.39.0/rdkafka/message/trait.Message.html)
//! - librdkafka's settings: <https://github.com/confluentinc/librdkafka/blob/master/CONFIGURATION.md>
//! - Kafka's design (the log, consumer positions, delivery semantics): <https://kafka.apache.org/documentation/#design>
//! - tansu: <https://docs.rs/crate/tansu/0.6.0>
//!
//! Your task: `producer`, `publish`, `consumer`, `apply` and `consume`.

use std::collections::BTreeSet;
use std::time::Duration;

use rdkafka::ClientConfig;
use rdkafka::Message;
use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::error::KafkaError;
use rdkafka::producer::{FutureProducer, FutureRecord};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tokio::sync::watch;

/// How long a client may take to reach the broker, or to have a record acknowledged.
pub const ANSWER_LIMIT: Duration = Duration::from_secs(5);

/// The consumer's side: the events applied (one row each, the dedupe) and the balances.
pub const SCHEMA: &str = "
CREATE TABLE applied_events (event_id TEXT PRIMARY KEY);
CREATE TABLE balances (account TEXT PRIMARY KEY, balance BIGINT NOT NULL);
";

/// An account's event, sent as JSON: `{"id":"acct-1:7","account":"acct-1","amount":-20}`.
/// `id` is unique; `amount` is added to the account's balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub account: String,
    pub amount: i64,
}

/// What one [`consume`] run did until it was stopped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// The ids of the events this run applied, in the order it applied them.
    pub applied: Vec<String>,
    /// The ids of events delivered again that were applied already: skipped, and committed.
    pub duplicates: Vec<String>,
    /// Records that are not events, as (partition, offset): skipped, and committed.
    pub skipped: Vec<(i32, i64)>,
    /// The partitions this run read records from.
    pub partitions: BTreeSet<i32>,
}

/// What can go wrong; each message says where.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error(
        "cannot reach Kafka at {brokers} within 5 s ({source}); start the broker (`cargo xtask \
         doctor` says how) or fix the address"
    )]
    Unreachable { brokers: String, source: KafkaError },
    #[error("Kafka did not acknowledge event {id}: {source}")]
    NotAcknowledged { id: String, source: KafkaError },
    #[error("Kafka: {0}")]
    Kafka(#[from] KafkaError),
    #[error("PostgreSQL: {0}")]
    Database(#[from] sqlx::Error),
    #[error(
        "stopped after applying event {event} and before committing its offset ({reason}); \
         the group will deliver it again"
    )]
    Crashed { event: String, reason: String },
}

/// A producer for `brokers` that waits for every in-sync replica (`acks=all`), is idempotent,
/// hashes keys like the Java client, and gives up on a record after [`ANSWER_LIMIT`].
pub fn producer(brokers: &str) -> Result<FutureProducer, LogError> {
    let producer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("acks", "all")
        .set("enable.idempotence", "true")
        .set("partitioner", "murmur2_random")
        .set("message.timeout.ms", ANSWER_LIMIT.as_millis().to_string())
        .create()?;
    Ok(producer)
}

/// Publishes `event` to `topic` as JSON, keyed by its account, and returns the (partition,
/// offset) the broker stored it at, once the broker has acknowledged it.
pub async fn publish(
    producer: &FutureProducer,
    topic: &str,
    event: &Event,
) -> Result<(i32, i64), LogError> {
    let payload = serde_json::to_vec(event).expect("an event always serializes");
    let record = FutureRecord::to(topic)
        .key(&event.account)
        .payload(&payload);
    match producer.send(record, ANSWER_LIMIT).await {
        Ok(delivery) => Ok((delivery.partition, delivery.offset)),
        Err((source, _record)) => Err(LogError::NotAcknowledged {
            id: event.id.clone(),
            source,
        }),
    }
}

/// A member of consumer group `group`, subscribed to `topic`: commits only when told to,
/// starts a partition the group never committed at its first record, and is removed from the
/// group 6 s after its process dies. Fails with [`LogError::Unreachable`] when the broker does
/// not answer within [`ANSWER_LIMIT`] (it blocks until then: call it at start-up).
pub fn consumer(brokers: &str, group: &str, topic: &str) -> Result<StreamConsumer, LogError> {
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .set("session.timeout.ms", "6000")
        .set("heartbeat.interval.ms", "500")
        // How long the broker may hold a fetch waiting for records (librdkafka: 500 ms). A
        // quiet consumer then asks 10 times a second; tansu answers sooner.
        .set("fetch.wait.max.ms", "100")
        .create()?;
    // librdkafka connects lazily and retries forever: ask the broker something, with a limit.
    consumer
        .fetch_metadata(Some(topic), ANSWER_LIMIT)
        .map_err(|source| LogError::Unreachable {
            brokers: brokers.to_owned(),
            source,
        })?;
    consumer.subscribe(&[topic])?;
    Ok(consumer)
}

/// Applies `event` once however often it is delivered: in one transaction, records its id in
/// `applied_events` and adds its amount to its account's balance, unless the id is there
/// already. Returns whether it applied it now.
pub async fn apply(pool: &PgPool, event: &Event) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // The primary key decides: a second delivery inserts nothing (and one running at the same
    // time waits for the first transaction, then inserts nothing).
    let first =
        sqlx::query("INSERT INTO applied_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING")
            .bind(&event.id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
    if first {
        sqlx::query(
            "INSERT INTO balances (account, balance) VALUES ($1, $2)
             ON CONFLICT (account) DO UPDATE SET balance = balances.balance + EXCLUDED.balance",
        )
        .bind(&event.account)
        .bind(event.amount)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(first)
}

/// Consumes with `consumer` until `stop` turns `true` (or its sender is gone), one record at a
/// time: an event is applied ([`apply`]), then `after_apply` runs, then its offset is
/// committed; a record that is not an event is skipped and committed. When `after_apply`
/// returns `Err(reason)` the run ends at once with [`LogError::Crashed`], its offset not
/// committed, as a process that died there would. Returns what this run did.
pub async fn consume<F>(
    consumer: &StreamConsumer,
    pool: &PgPool,
    mut after_apply: F,
    mut stop: watch::Receiver<bool>,
) -> Result<Summary, LogError>
where
    F: FnMut(&Event) -> Result<(), String>,
{
    let mut summary = Summary::default();
    loop {
        let message = tokio::select! {
            biased;
            _ = stop.wait_for(|&stop| stop) => return Ok(summary),
            message = consumer.recv() => message?,
        };
        summary.partitions.insert(message.partition());
        match message.payload().map(serde_json::from_slice::<Event>) {
            Some(Ok(event)) => {
                if apply(pool, &event).await? {
                    summary.applied.push(event.id.clone());
                } else {
                    summary.duplicates.push(event.id.clone());
                }
                after_apply(&event).map_err(|reason| LogError::Crashed {
                    event: event.id.clone(),
                    reason,
                })?;
            }
            // No payload, or not an event: it would be the same on every delivery.
            _ => summary
                .skipped
                .push((message.partition(), message.offset())),
        }
        // Only now is the record done: the group resumes after it.
        consumer.commit_message(&message, CommitMode::Sync)?;
    }
}
