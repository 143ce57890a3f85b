//! # Exercise 02: a work queue on RabbitMQ — durable jobs, manual acks, prefetch
//!
//! A web request should not wait for slow work (sending an email, resizing an image, charging
//! a card). The request puts a **job** on a queue and answers at once; **workers** take jobs
//! off the queue and do them. Several workers on one queue share the load: RabbitMQ hands each
//! message to one consumer only, round robin. This is the *work queue* (or *competing
//! consumers*) pattern.
//!
//! Three settings decide whether such a queue loses work:
//!
//! - **Durable queue, persistent messages.** A queue declared `durable` survives a broker
//!   restart; a message published with `delivery_mode = 2` (persistent) is written to disk.
//!   Both are needed: a durable queue of transient messages comes back empty.
//! - **Manual acknowledgements.** With `no_ack: true` ("auto-ack") RabbitMQ forgets a message
//!   the moment it sends it: a worker that crashes mid-job loses that job. With manual acks
//!   the broker keeps the message until the consumer sends `basic.ack`; if the consumer's
//!   channel or connection closes first, the message goes back to the queue and is delivered
//!   to another consumer with the `redelivered` flag set. So: ack **after** the work is done,
//!   never before.
//! - **Prefetch (`basic.qos`).** Without it, RabbitMQ pushes every ready message to the
//!   consumers as fast as it can: a slow or stuck worker sits on a third of the queue while
//!   the others are idle. `basic_qos(n)` caps the unacknowledged messages a consumer holds at
//!   `n`, so work goes to whoever is free.
//!
//! Manual acks give **at-least-once** delivery: a worker that did the work but died before its
//! ack makes the job run twice. So the work itself must be **idempotent**: record that job 42
//! was done (a unique row, or Redis `SET key 1 NX`, which sets only if absent) and skip the side
//! effect when it is already there.
//!
//! One lapin detail: `delivery.acker.ack(..)` answers `Ok(false)`, not an error, when the
//! channel closed while the job was being done: the ack never reached the broker. A worker
//! that ignores that `false` carries on as if the job were settled; return
//! `WorkError::NotAcked` instead, so that whoever runs the worker knows to reconnect.
//!
//! A message that is not a job at all (bad JSON) would come back forever if requeued:
//! reject it without requeue (production code sends it to a dead-letter queue; exercise 03).
//!
//! lapin is tokio-friendly: `Connection::connect(url, ConnectionProperties::default())`,
//! `conn.create_channel()`, then on the channel `queue_declare`, `basic_publish` (with
//! `BasicProperties::default().with_delivery_mode(2)`), `basic_qos`, `basic_consume` (a
//! `Stream` of `Delivery`, read with `futures_util::StreamExt::next`), and on a delivery
//! `delivery.acker.ack(..)` / `.reject(..)`. Names of lapin 4 are `ShortString`s:
//! `queue.into()`.
//!
//! - <https://www.rabbitmq.com/tutorials/tutorial-two-python>
//! - <https://www.rabbitmq.com/docs/confirms>
//! - <https://www.rabbitmq.com/docs/consumer-prefetch>
//! - <https://docs.rs/lapin/latest/lapin/struct.Channel.html>
//! - <https://redis.io/docs/latest/commands/set/> (the `NX` option)
//!
//! Your task: `connect`, `declare_queue`, `enqueue`, `run_worker` and `send_once`.

use std::future::Future;

use futures_util::StreamExt;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicPublishOptions, BasicQosOptions, BasicRejectOptions,
    QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Channel, Connection, ConnectionProperties};
use redis::AsyncCommands;
use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};

/// A job on the queue, sent as JSON: `{"id":42,"email":"ada@example.com"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    pub email: String,
}

/// A job as a worker receives it: `redelivered` is RabbitMQ's flag, set when an earlier
/// delivery of the same message was not acknowledged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub job: Job,
    pub redelivered: bool,
}

/// What can go wrong between a worker and RabbitMQ; each message says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    #[error("cannot reach RabbitMQ at {url}: {source}; start it (see services/) or fix the URL")]
    Unreachable { url: String, source: lapin::Error },
    #[error("RabbitMQ: {0}")]
    Amqp(#[from] lapin::Error),
    #[error(
        "job {id} was done but its channel closed before the ack; RabbitMQ will deliver it again"
    )]
    NotAcked { id: u64 },
}

/// Connects to RabbitMQ at `url`. When nobody answers there, the error is
/// `WorkError::Unreachable`, which names RabbitMQ and the URL.
pub async fn connect(url: &str) -> Result<Connection, WorkError> {
    // TODO: `Connection::connect`, its error mapped into `WorkError::Unreachable`.
    todo!("connect to RabbitMQ at the url; a failure is WorkError::Unreachable with the url")
}

/// Declares `queue` durable, so that it and its persistent messages survive a broker restart.
pub async fn declare_queue(channel: &Channel, queue: &str) -> Result<(), WorkError> {
    // TODO: `queue_declare` with `durable: true`.
    todo!("declare the queue durable")
}

/// Publishes `job` as JSON to `queue` (through the default exchange, whose routing key is the
/// queue's name), as a persistent message.
pub async fn enqueue(channel: &Channel, queue: &str, job: &Job) -> Result<(), WorkError> {
    // TODO: `basic_publish` to exchange "" with routing key `queue`, delivery_mode 2.
    todo!("publish the job as JSON to the queue, persistent (delivery_mode 2)")
}

/// Consumes `queue` on `channel`, holding at most `prefetch` unacknowledged jobs, and runs
/// `work` on each job, one after the other; a job is acknowledged only once its work is done.
/// A message that is not a job is rejected without requeue. Returns when the consumer ends
/// (its channel closed), or on a RabbitMQ error.
pub async fn run_worker<F, Fut>(
    channel: Channel,
    queue: &str,
    prefetch: u16,
    work: F,
) -> Result<(), WorkError>
where
    F: FnMut(Received) -> Fut,
    Fut: Future<Output = ()>,
{
    // TODO: set the prefetch (`basic_qos`), then consume with manual acks. (Calling an
    // `FnMut` needs `mut work`.)
    // TODO: for each delivery: parse the job; run `work`; only then ack (an ack that answers
    // `false` is `WorkError::NotAcked`). Not a job: reject, without requeue.
    todo!("consume the queue with prefetch and manual acks, acking each job after its work")
}

/// The job's side effect, done once however often the job is delivered: sends the email
/// (appends the job's id to the list `{prefix}sent`) unless the marker `{prefix}done:{id}`
/// says it was sent already. Returns whether it sent it now.
pub async fn send_once(
    redis: &mut ConnectionManager,
    prefix: &str,
    job: &Job,
) -> redis::RedisResult<bool> {
    // TODO: mark `{prefix}done:{id}` with SET NX; only if it was not there, RPUSH the id to
    // `{prefix}sent`.
    todo!("send the email (RPUSH the id) only if SET NX of the done marker succeeds")
}
