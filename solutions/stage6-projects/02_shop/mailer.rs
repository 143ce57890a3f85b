//! Milestone 5: the mailer, a consumer of the order events. A real one would render a
//! template and hand it to an e-mail service; this stub "sends" each [`Email`] into a
//! channel, which the tests read.

use futures_util::StreamExt;
use lapin::options::{BasicAckOptions, BasicConsumeOptions, QueueBindOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use lapin::{Connection, ConnectionProperties};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::events::{OrderEvent, declare_exchange};

/// An e-mail as the stub sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
}

/// The e-mail for `event`: `Order 7 received` for `order.placed`, `Order 7 is paid` for
/// `order.paid`, none for other types.
pub fn email_for(event: &OrderEvent) -> Option<Email> {
    let subject = match event.kind.as_str() {
        "order.placed" => format!("Order {} received", event.order_id),
        "order.paid" => format!("Order {} is paid", event.order_id),
        _ => return None,
    };
    Some(Email {
        to: event.email.clone(),
        subject,
    })
}

/// Starts the mailer: connects to `url`, declares `exchange` (a topic exchange) and `queue`,
/// binds the queue to `order.*`, and returns once it is bound (an event published after this
/// returns reaches the mailer), leaving a task that sends an [`Email`] into `outbox` for each
/// event and acknowledges it once sent.
pub async fn start(
    url: &str,
    exchange: &str,
    queue: &str,
    outbox: UnboundedSender<Email>,
) -> Result<JoinHandle<()>, lapin::Error> {
    let connection = Connection::connect(url, ConnectionProperties::default()).await?;
    let channel = connection.create_channel().await?;
    declare_exchange(&channel, exchange).await?;
    channel
        .queue_declare(
            queue.into(),
            QueueDeclareOptions::default(),
            FieldTable::default(),
        )
        .await?;
    channel
        .queue_bind(
            queue.into(),
            exchange.into(),
            "order.*".into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await?;
    let mut consumer = channel
        .basic_consume(
            queue.into(),
            "mailer".into(),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await?;
    Ok(tokio::spawn(async move {
        // The connection lives as long as the task.
        let _connection = connection;
        while let Some(delivery) = consumer.next().await {
            let Ok(delivery) = delivery else { break };
            match serde_json::from_slice::<OrderEvent>(&delivery.data) {
                Ok(event) => {
                    if let Some(email) = email_for(&event)
                        && outbox.send(email).is_err()
                    {
                        // Nobody reads the outbox any more: stop, unacknowledged.
                        break;
                    }
                }
                Err(e) => tracing::warn!(error = %e, "the mailer skipped a message it cannot read"),
            }
            if let Err(e) = delivery.ack(BasicAckOptions::default()).await {
                tracing::warn!(error = %e, "the mailer could not acknowledge a message");
                break;
            }
        }
    }))
}
