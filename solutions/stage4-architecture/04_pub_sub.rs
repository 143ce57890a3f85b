//! # Publish/subscribe with a topic exchange: each subscriber gets exactly its events
//!
//! A work queue (exercise 02) hands each job to ONE worker: the workers share a queue and split
//! the jobs. Publish/subscribe is the other shape: a publisher announces an event
//! (`order.created.eu`) and EVERY interested subscriber gets its own copy. The billing service,
//! the mailer and the EU analytics all hear about the same order, and the publisher knows none
//! of them.
//!
//! In RabbitMQ (AMQP 0-9-1) the publisher sends to an **exchange**, never to a queue. Each
//! subscriber owns a queue and **binds** it to the exchange with patterns; the exchange copies
//! every message into each queue with a matching binding. A **topic** exchange matches routing
//! keys made of dot-separated words against binding patterns where:
//!
//! - `*` stands for exactly one word: `order.*.eu` matches `order.created.eu`, not `order.eu`;
//! - `#` stands for zero or more words: `order.#` matches `order`, `order.created` and
//!   `order.created.eu`; `#` alone matches everything.
//!
//! (A **direct** exchange compares the key with the pattern as a plain string, and a **fanout**
//! exchange ignores the key: neither can say "every order event".)
//!
//! Three consequences are the lesson of the tests:
//!
//! - A queue bound with two patterns gets a matching message once, not twice.
//! - An event published before a subscriber has bound its queue is gone for that subscriber:
//!   an exchange keeps nothing, it only routes into the queues that exist now. Production code
//!   that must not miss events uses durable queues that outlive the subscriber's process.
//! - Two subscribers that share one queue are not two subscribers: they split the events like
//!   workers of a work queue. Each subscriber needs a queue of its own.
//!
//! A publish is fire-and-forget unless the channel is in **confirm mode**
//! ([`confirm_select`](https://docs.rs/lapin/4/lapin/struct.Channel.html#method.confirm_select)):
//! then the broker answers every message with an ack (routed to every matching queue) or a nack,
//! and the awaited `PublisherConfirm` reports it. Without confirms, `basic_publish` succeeds as
//! soon as the bytes are written, even to an exchange that does not exist (the broker then
//! closes the channel, later, and the message is lost silently).
//!
//! Your job: [`declare_exchange`], [`Publisher::new`], [`Publisher::publish`], [`subscribe`],
//! [`Subscriber::next`], and [`matches`], the topic rule in plain Rust (the tests check it on
//! the same cases they send through the broker).
//!
//! Read: <https://www.rabbitmq.com/tutorials/tutorial-five-python>,
//! <https://www.rabbitmq.com/docs/exchanges#topic>,
//! <https://www.rabbitmq.com/docs/confirms#publisher-confirms>,
//! <https://docs.rs/lapin/4/lapin/struct.Channel.html>.

use futures_util::StreamExt;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicPublishOptions, ConfirmSelectOptions,
    ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Channel, Confirmation, Connection, Consumer, ExchangeKind};

/// What can go wrong between this code and the broker.
#[derive(Debug, thiserror::Error)]
pub enum PubSubError {
    /// The broker refused an operation or the connection failed; lapin says which.
    #[error("rabbitmq: {0}")]
    Broker(#[from] lapin::Error),
    /// The broker answered a publish with a nack: the message may not have been routed.
    #[error("the broker refused the message (nack): publish it again")]
    Nacked,
    /// The publish got no verdict from the broker: the channel is not in confirm mode.
    #[error("the broker was not asked to confirm: call confirm_select on the channel first")]
    Unconfirmed,
    /// The subscriber's consumer ended: its channel or connection is closed.
    #[error("the subscription ended: its channel was closed, subscribe again")]
    Closed,
}

/// One event as a subscriber receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The routing key it was published with, e.g. `order.created.eu`.
    pub routing_key: String,
    /// Its body, as published.
    pub payload: Vec<u8>,
}

/// Declares `exchange` as a TOPIC exchange (not durable: the tests' exchanges are
/// throwaway). Declaring is idempotent: declaring an existing exchange of the same kind is fine.
pub async fn declare_exchange(conn: &Connection, exchange: &str) -> Result<(), PubSubError> {
    let channel = conn.create_channel().await?;
    channel
        .exchange_declare(
            exchange.into(),
            ExchangeKind::Topic,
            ExchangeDeclareOptions::default(),
            FieldTable::default(),
        )
        .await?;
    // The channel was only needed for the declaration; a failure to close it changes nothing.
    let _ = channel.close(200, "declared".into()).await;
    Ok(())
}

/// Publishes events to one exchange, on a channel of its own in confirm mode.
pub struct Publisher {
    channel: Channel,
    exchange: String,
}

impl Publisher {
    /// Opens a channel on `conn` and puts it in confirm mode, so that every publish is
    /// answered by the broker. It does not declare the exchange: that is the job of
    /// [`declare_exchange`], and publishing to a missing one must fail.
    pub async fn new(conn: &Connection, exchange: &str) -> Result<Publisher, PubSubError> {
        let channel = conn.create_channel().await?;
        channel
            .confirm_select(ConfirmSelectOptions::default())
            .await?;
        Ok(Publisher {
            channel,
            exchange: exchange.to_string(),
        })
    }

    /// Publishes `payload` with `routing_key` and returns once the broker has confirmed it:
    /// `Ok(())` on an ack, [`PubSubError::Nacked`] on a nack, [`PubSubError::Broker`] when the
    /// broker refused it (no such exchange) or the connection failed, and
    /// [`PubSubError::Unconfirmed`] when the channel was not in confirm mode.
    pub async fn publish(&self, routing_key: &str, payload: &[u8]) -> Result<(), PubSubError> {
        let confirm = self
            .channel
            .basic_publish(
                self.exchange.as_str().into(),
                routing_key.into(),
                BasicPublishOptions::default(),
                payload,
                BasicProperties::default(),
            )
            .await?
            .await?;
        match confirm {
            Confirmation::Ack(_) => Ok(()),
            Confirmation::Nack(_) => Err(PubSubError::Nacked),
            // Only a channel without confirm mode gets this answer: the broker's verdict was never
            // asked for, so the publish proves nothing.
            Confirmation::NotRequested => Err(PubSubError::Unconfirmed),
        }
    }
}

/// A subscription: a queue of its own bound to the exchange, and a consumer on it.
pub struct Subscriber {
    consumer: Consumer,
}

/// Subscribes to the events of `exchange` whose routing key matches one of `patterns`.
///
/// Declares `queue` (exclusive to this connection and deleted with it: a subscriber's queue
/// lives as long as the subscriber), binds it to `exchange` once per pattern, and starts
/// consuming it. Returns once the bindings are in place: an event published after `subscribe`
/// returns reaches this subscriber. Fails when `exchange` does not exist.
pub async fn subscribe(
    conn: &Connection,
    exchange: &str,
    queue: &str,
    patterns: &[&str],
) -> Result<Subscriber, PubSubError> {
    let channel = conn.create_channel().await?;
    channel
        .queue_declare(
            queue.into(),
            QueueDeclareOptions {
                exclusive: true,
                auto_delete: true,
                ..QueueDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await?;
    for pattern in patterns {
        channel
            .queue_bind(
                queue.into(),
                exchange.into(),
                (*pattern).into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await?;
    }
    let consumer = channel
        .basic_consume(
            queue.into(),
            "".into(),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await?;
    Ok(Subscriber { consumer })
}

impl Subscriber {
    /// Waits for the next event of this subscription, acknowledges it, and returns it.
    pub async fn next(&mut self) -> Result<Event, PubSubError> {
        let delivery = self.consumer.next().await.ok_or(PubSubError::Closed)??;
        delivery.ack(BasicAckOptions::default()).await?;
        Ok(Event {
            routing_key: delivery.routing_key.to_string(),
            payload: delivery.data,
        })
    }
}

/// Whether routing key `key` matches binding `pattern` by the rules of a topic exchange:
/// words are separated by `.`, `*` matches exactly one word, `#` matches zero or more words,
/// any other word matches only itself.
pub fn matches(pattern: &str, key: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('.').collect();
    let key: Vec<&str> = key.split('.').collect();
    matches_words(&pattern, &key)
}

fn matches_words(pattern: &[&str], key: &[&str]) -> bool {
    match pattern.split_first() {
        None => key.is_empty(),
        // `#` takes zero words and the rest must match, or takes one more word and tries again.
        Some((&"#", rest)) => {
            matches_words(rest, key) || (!key.is_empty() && matches_words(pattern, &key[1..]))
        }
        Some((&word, rest)) => match key.split_first() {
            Some((first, key_rest)) => {
                (word == "*" || word == *first) && matches_words(rest, key_rest)
            }
            None => false,
        },
    }
}
