//! The contract between the services, given: the one event they share, its routing key, and
//! the exchange it travels on. Both services depend on this module and on nothing of each
//! other: that is the boundary. (In production it is a schema both teams agree on — a shared
//! crate, JSON Schema, Protobuf — changed only in ways old readers still understand: add a
//! field, never rename one.)

use lapin::options::ExchangeDeclareOptions;
use lapin::types::FieldTable;
use lapin::{Channel, ExchangeKind};
use serde::{Deserialize, Serialize};

/// The routing key of [`OrderPlaced`] on the events exchange. A subscriber binds its queue
/// with this key (or a pattern such as `order.*`).
pub const ORDER_PLACED: &str = "order.placed";

/// "Order `order_id` was placed by user `user_id`": published by the orders service once the
/// order is taken, as JSON (`content-type: application/json`), persistent. `order_id` is unique
/// in the whole system, so it also identifies the event: a consumer that has seen it has seen
/// the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPlaced {
    pub order_id: u64,
    pub user_id: u64,
    pub item: String,
    pub quantity: u32,
}

/// Declares `exchange`: a durable topic exchange. Both services declare it before they use it,
/// so either may start first; declaring an exchange that exists, with the same kind and
/// options, does nothing.
pub async fn declare_exchange(channel: &Channel, exchange: &str) -> Result<(), lapin::Error> {
    channel
        .exchange_declare(
            exchange.into(),
            ExchangeKind::Topic,
            ExchangeDeclareOptions {
                durable: true,
                ..ExchangeDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await
}
