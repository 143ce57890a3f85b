//! Milestone 5: order events on RabbitMQ. After a checkout commits, `order.placed`; after a
//! payment commits, `order.paid`: JSON [`OrderEvent`]s published to the topic exchange of
//! `Config::with_events`, with the event's type as the routing key.
//!
//! Published after the commit, never before: an event for an order that was then rolled
//! back would have the mailer announce an order that does not exist. The price: a crash
//! between the commit and the publish loses the event (stage 4's transactional outbox is the
//! cure, at the cost of a table and a relay).

use std::sync::Arc;

use lapin::options::{BasicPublishOptions, ConfirmSelectOptions, ExchangeDeclareOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Channel, Connection, ConnectionProperties, ExchangeKind};
use serde::{Deserialize, Serialize};

/// What the mailer, and any other consumer, reads.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct OrderEvent {
    /// `order.placed` or `order.paid`, also the routing key.
    #[serde(rename = "type")]
    pub kind: String,
    pub order_id: i64,
    /// The customer's e-mail address.
    pub email: String,
    pub total_cents: i64,
}

/// Declares `exchange` as a topic exchange; the same declaration in the app and the mailer,
/// so whichever starts first creates it.
pub async fn declare_exchange(channel: &Channel, exchange: &str) -> Result<(), lapin::Error> {
    channel
        .exchange_declare(
            exchange.into(),
            ExchangeKind::Topic,
            ExchangeDeclareOptions::default(),
            FieldTable::default(),
        )
        .await
}

/// The app's publisher: a channel in confirm mode on a connection of its own.
#[derive(Clone)]
pub struct Events {
    // Kept so the connection lives as long as the app.
    _connection: Arc<Connection>,
    channel: Channel,
    exchange: String,
}

impl Events {
    pub async fn connect(url: &str, exchange: &str) -> Result<Events, lapin::Error> {
        let connection = Connection::connect(url, ConnectionProperties::default()).await?;
        let channel = connection.create_channel().await?;
        declare_exchange(&channel, exchange).await?;
        channel
            .confirm_select(ConfirmSelectOptions::default())
            .await?;
        Ok(Events {
            _connection: Arc::new(connection),
            channel,
            exchange: exchange.to_string(),
        })
    }

    /// Publishes `event` and waits for the broker's confirm. A failure is logged, not
    /// returned: the order is committed already, and the customer's request succeeded.
    pub async fn publish(&self, event: &OrderEvent) {
        let payload = match serde_json::to_vec(event) {
            Ok(payload) => payload,
            Err(e) => {
                tracing::error!(error = %e, "an order event could not be serialized");
                return;
            }
        };
        let sent = async {
            self.channel
                .basic_publish(
                    self.exchange.as_str().into(),
                    event.kind.as_str().into(),
                    BasicPublishOptions::default(),
                    &payload,
                    BasicProperties::default().with_content_type("application/json".into()),
                )
                .await?
                .await
        };
        if let Err(e) = sent.await {
            tracing::error!(error = %e, order_id = event.order_id, kind = %event.kind,
                "an order event was not published");
        }
    }
}
