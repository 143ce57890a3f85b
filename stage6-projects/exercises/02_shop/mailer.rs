//! Milestone 5: the mailer, a consumer of the order events. A real one would render a
//! template and hand it to an e-mail service; this stub "sends" each [`Email`] into a
//! channel, which the tests read.
//!
//! `start` connects to the broker, declares the exchange (a topic exchange, as the app
//! does) and `queue`, binds the queue to the exchange with the pattern `order.*`, starts
//! consuming (`basic_consume`), and only then returns: an event published after `start`
//! returns must reach the mailer. What it returns is the task (`tokio::spawn`) that reads
//! the deliveries (`futures_util::StreamExt::next` on the consumer), sends one e-mail per
//! event into `outbox`, `Order 7 received` for `order.placed` and `Order 7 is paid` for
//! `order.paid`, to the event's `email`, and acknowledges each delivery once it is sent.
//!
//! - <https://docs.rs/lapin/4/lapin/struct.Channel.html> (`queue_declare`, `queue_bind`,
//!   `basic_consume`), <https://docs.rs/lapin/4/lapin/message/struct.Delivery.html>

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

/// An e-mail as the stub sends it. Given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
}

/// Starts the mailer on `queue`, bound to `exchange` of the broker at `url`; returns once it
/// is bound, leaving the task that sends an [`Email`] into `outbox` for each event.
pub async fn start(
    url: &str,
    exchange: &str,
    queue: &str,
    outbox: UnboundedSender<Email>,
) -> Result<JoinHandle<()>, lapin::Error> {
    // TODO: connect, declare, bind, consume; then spawn the loop and return its handle.
    todo!("start a mailer on {queue} bound to {exchange} at {url}, sending into {outbox:?}")
}
