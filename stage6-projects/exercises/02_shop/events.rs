//! Milestone 5: order events on RabbitMQ (`Config::events`).
//!
//! After a checkout commits, publish `{"type": "order.placed", "order_id", "email",
//! "total_cents"}` (the customer's email) to the topic exchange, with the routing key
//! `order.placed`; after a payment commits, the same with `order.paid`. Nothing for a
//! checkout or payment that was refused (rolled back) or only replayed (a retried key, a
//! redelivered event).
//!
//! - Connect once, in [`super::app`]: `lapin::Connection::connect(url,
//!   ConnectionProperties::default())`, a channel, `exchange_declare(exchange,
//!   ExchangeKind::Topic, ..)` (the mailer declares it the same way: whoever comes first
//!   creates it), and `confirm_select` so that each publish is answered by the broker. Keep
//!   the connection alive as long as the channel (an `Arc` in your publisher).
//! - Publish after `tx.commit()`, and await the confirm before answering the request: the
//!   events then leave in the order the requests were answered. A failed publish is logged,
//!   not returned: the order is committed, the customer's request succeeded. (A crash
//!   between commit and publish loses the event; stage 4's transactional outbox is the cure.)
//!
//! - <https://docs.rs/lapin/4/lapin/struct.Channel.html> (`exchange_declare`,
//!   `confirm_select`, `basic_publish`)

// TODO: the event type (`Serialize`, `Deserialize`: the mailer reads it too), a function that
// declares the exchange, and a publisher (`Clone`, kept in `AppState`).
