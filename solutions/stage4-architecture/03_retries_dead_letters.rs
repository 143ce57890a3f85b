//! # Retries with delay, and dead letters, with RabbitMQ's own mechanisms
//!
//! A job that fails should not be lost, and it should not be retried at once in a tight loop
//! either (the database that made it fail is probably still down). Nor should a *poison*
//! message, one that fails every time, be retried forever: after a few tries it belongs in a
//! **dead-letter queue** (DLQ), where a person looks at it.
//!
//! RabbitMQ does the waiting and the counting for you, so that no state lives in the consumer
//! (a consumer that restarts, or a second consumer, continues the same count):
//!
//! - the **work** queue is declared with `x-dead-letter-exchange = ""` (the default exchange)
//!   and `x-dead-letter-routing-key = <retry queue>`: a message the consumer rejects with
//!   `basic_nack(requeue = false)` is not dropped but moved to the retry queue;
//! - the **retry** queue has no consumer. It is declared with `x-message-ttl = <delay in ms>`
//!   and dead-letters back into the work queue: a message waits there for the delay, expires,
//!   and returns to work. That is a retry with delay, and no timer in your code;
//! - each time RabbitMQ dead-letters a message it updates the message's **`x-death`** header: an
//!   array of tables, one per `(queue, reason)`, with a `count`. The entry of the work queue
//!   with reason `"rejected"` counts the failed attempts so far, so this attempt's number is
//!   that count plus one. After two failures the header reads, in lapin's types:
//!
//!   ```text
//!   "x-death": FieldArray [
//!       FieldTable { "queue": LongString("retry"), "reason": LongString("expired"), "count": LongLongInt(2), .. },
//!       FieldTable { "queue": LongString("work"), "reason": LongString("rejected"), "count": LongLongInt(2), .. },
//!   ]
//!   ```
//!
//!   (a `LongString` is bytes: compare it with `s.as_bytes() == b"rejected"`);
//! - when the last allowed attempt fails, the consumer publishes the message to the **dead**
//!   queue itself, with the *same body and properties* (headers included: whoever reads the DLQ
//!   needs the original and its `x-death` history), and only then acks it.
//!
//! `basic_nack` with `requeue = true` is the trap: the message goes back to the head of the
//! same queue, with no delay and no count, and a poison message spins forever.
//!
//! In production you would also turn on publisher confirms (`confirm_select`) so that the DLQ
//! publish is known to be stored before the ack; see the RabbitMQ guides below.
//!
//! Read: <https://www.rabbitmq.com/docs/dlx>, <https://www.rabbitmq.com/docs/ttl>,
//! <https://docs.rs/lapin/4/lapin/struct.Channel.html>.

use std::time::Duration;

use futures_util::StreamExt;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicNackOptions, BasicPublishOptions,
    QueueDeclareOptions,
};
use lapin::types::{AMQPValue, FieldTable};
use lapin::{BasicProperties, Channel};

/// How many times a message is tried in all before it goes to the dead queue.
pub const MAX_ATTEMPTS: u32 = 3;

/// The names of the three queues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queues {
    /// Where jobs are published and consumed.
    pub work: String,
    /// Where a failed job waits out the retry delay (no consumer).
    pub retry: String,
    /// Where a job goes after its last failed attempt.
    pub dead: String,
}

/// What [`Worker::handle`] did with one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The handler succeeded: the message was acked.
    Done,
    /// The handler failed and attempts are left: the message was rejected into the retry queue.
    Retried,
    /// The handler failed its last attempt: the message was copied to the dead queue and acked.
    DeadLettered,
}

/// A consumer of the work queue.
pub struct Worker {
    channel: Channel,
    queues: Queues,
}

impl Worker {
    /// Declares the three queues (durable; declaring them again with the same arguments is
    /// harmless) and returns a worker on `channel`. A failed message waits `retry_delay` in the
    /// retry queue before it comes back to the work queue.
    pub async fn declare(
        channel: Channel,
        queues: Queues,
        retry_delay: Duration,
    ) -> Result<Worker, lapin::Error> {
        let durable = QueueDeclareOptions {
            durable: true,
            ..QueueDeclareOptions::default()
        };
        // A rejected work message is dead-lettered, through the default exchange, to the retry
        // queue.
        let mut work_args = FieldTable::default();
        work_args.insert(
            "x-dead-letter-exchange".into(),
            AMQPValue::LongString("".into()),
        );
        work_args.insert(
            "x-dead-letter-routing-key".into(),
            AMQPValue::LongString(queues.retry.as_str().into()),
        );
        channel
            .queue_declare(queues.work.as_str().into(), durable, work_args)
            .await?;

        // An expired retry message is dead-lettered back to the work queue.
        let mut retry_args = FieldTable::default();
        retry_args.insert(
            "x-message-ttl".into(),
            AMQPValue::LongLongInt(retry_delay.as_millis() as i64),
        );
        retry_args.insert(
            "x-dead-letter-exchange".into(),
            AMQPValue::LongString("".into()),
        );
        retry_args.insert(
            "x-dead-letter-routing-key".into(),
            AMQPValue::LongString(queues.work.as_str().into()),
        );
        channel
            .queue_declare(queues.retry.as_str().into(), durable, retry_args)
            .await?;

        channel
            .queue_declare(queues.dead.as_str().into(), durable, FieldTable::default())
            .await?;
        Ok(Worker { channel, queues })
    }

    /// Runs `handler` on one delivery of the work queue and settles the delivery: ack on
    /// success; on failure, reject it into the retry queue if attempts are left, or else copy
    /// it (same body, same properties) to the dead queue and ack it.
    pub async fn handle<F>(
        &self,
        delivery: lapin::message::Delivery,
        handler: F,
    ) -> Result<Outcome, lapin::Error>
    where
        F: FnOnce(&[u8], u32) -> Result<(), String>,
    {
        let attempt = attempt(&delivery.properties, &self.queues.work);
        if handler(&delivery.data, attempt).is_ok() {
            delivery.ack(BasicAckOptions::default()).await?;
            return Ok(Outcome::Done);
        }
        if attempt < MAX_ATTEMPTS {
            // `requeue: false` is what makes RabbitMQ dead-letter it into the retry queue.
            delivery
                .nack(BasicNackOptions {
                    requeue: false,
                    ..BasicNackOptions::default()
                })
                .await?;
            return Ok(Outcome::Retried);
        }
        self.channel
            .basic_publish(
                "".into(),
                self.queues.dead.as_str().into(),
                BasicPublishOptions::default(),
                &delivery.data,
                delivery.properties.clone(),
            )
            .await?
            .await?;
        delivery.ack(BasicAckOptions::default()).await?;
        Ok(Outcome::DeadLettered)
    }

    /// Consumes the work queue, handing every delivery to [`Worker::handle`], until the channel
    /// or the connection fails; then it returns the error, so that whoever runs the worker
    /// restarts it. A message being handled at that moment is not lost: it was not acked, so
    /// the broker delivers it again.
    pub async fn run<F>(self, mut handler: F) -> Result<(), lapin::Error>
    where
        F: FnMut(&[u8], u32) -> Result<(), String>,
    {
        let mut consumer = self
            .channel
            .basic_consume(
                self.queues.work.as_str().into(),
                "".into(),
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await?;
        while let Some(delivery) = consumer.next().await {
            self.handle(delivery?, &mut handler).await?;
        }
        // The stream ends without an error when the connection is closed under it: stopping
        // quietly would look like success to whoever runs the worker.
        Err(std::io::Error::other(format!(
            "the consumer of {} stopped because its channel closed: restart the worker",
            self.queues.work
        ))
        .into())
    }
}

/// The number of this attempt at a message consumed from `work_queue`: 1 the first time, then
/// one more than the `count` of the `x-death` entry whose `queue` is `work_queue` and whose
/// `reason` is `"rejected"`. A missing or malformed header means a first attempt.
pub fn attempt(properties: &BasicProperties, work_queue: &str) -> u32 {
    let Some(headers) = properties.headers() else {
        return 1;
    };
    let Some(AMQPValue::FieldArray(deaths)) = headers.inner().get("x-death") else {
        return 1;
    };
    let rejected = deaths.as_slice().iter().find_map(|death| {
        let AMQPValue::FieldTable(death) = death else {
            return None;
        };
        let field = |name: &str| death.inner().get(name);
        let is_string = |value: Option<&AMQPValue>, expected: &str| match value {
            Some(AMQPValue::LongString(s)) => s.as_bytes() == expected.as_bytes(),
            Some(AMQPValue::ShortString(s)) => s.as_str() == expected,
            _ => false,
        };
        if !is_string(field("queue"), work_queue) || !is_string(field("reason"), "rejected") {
            return None;
        }
        match field("count") {
            Some(AMQPValue::LongLongInt(n)) => u32::try_from(*n).ok(),
            Some(AMQPValue::LongInt(n)) => u32::try_from(*n).ok(),
            _ => None,
        }
    });
    rejected.map_or(1, |count| count.saturating_add(1))
}
