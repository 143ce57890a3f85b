//! mistake: rename_all is on Order only, so the line items keep unit_price_cents
//! # Exercise 05: JSON with serde
//!
//! Almost every backend speaks JSON, and in Rust that means serde: you describe your types once,
//! `#[derive(Serialize, Deserialize)]` writes the code that turns them into JSON and back, and
//! `serde_json` does the reading and writing. axum's `Json<T>` extractor, reqwest's `.json()`
//! and every SDK you will use sit on exactly this.
//!
//! The derive alone maps Rust names one to one (`order_id` becomes `"order_id"`), but the JSON
//! your API promises to its clients usually looks different. *Attributes* close that gap without
//! hand-written code:
//!
//! - `#[serde(rename_all = "camelCase")]` on a struct: `order_id` is `"orderId"` on the wire,
//!   the usual style for JSON APIs, while Rust keeps its snake_case.
//! - `Option<T>` fields may be absent when reading (they become `None`). When writing,
//!   `#[serde(skip_serializing_if = "Option::is_none")]` leaves them out instead of sending
//!   `null`.
//! - `#[serde(default)]` on a field fills it with `Default::default()` when it is absent, so old
//!   clients that do not know a new field keep working.
//! - `#[serde(deny_unknown_fields)]` turns a typo (`"custmerEmail"`) into an error instead of
//!   silently ignoring it. Use it for input you own; leave it off for input from others that may
//!   grow new fields.
//! - Enums: by default serde writes `{"Shipped": {...}}` (externally tagged). Event streams
//!   (Stripe's events, GitHub's Events API) put the kind *inside* the object:
//!   `{"type": "shipped", ...}`. That is `#[serde(tag = "type")]` (internally tagged);
//!   `rename_all = "snake_case"` names the variants and `rename_all_fields = "camelCase"` renames
//!   the fields of every variant.
//! - Timestamps: with chrono's `serde` feature, `DateTime<Utc>` is written as an RFC 3339 string
//!   (`"2024-05-01T12:30:00Z"`) and read from any RFC 3339 string, converting offsets to UTC.
//!   (`chrono::serde::ts_seconds` exists for APIs that use Unix seconds instead.)
//!
//! Your task: give the types below the attributes that produce exactly the JSON in the examples,
//! then implement the four functions with `serde_json::to_string` and `serde_json::from_str`.
//!
//! Docs: <https://serde.rs/attributes.html>, <https://serde.rs/enum-representations.html>,
//! <https://docs.rs/serde_json>, <https://docs.rs/chrono/latest/chrono/serde/index.html>,
//! RFC 3339: <https://www.rfc-editor.org/rfc/rfc3339>.
//!
//! Run `cargo xtask check 05_json` to check your work; `cargo xtask hint 05_json` gives a hint.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An order as the API sends and receives it:
///
/// ```json
/// {
///   "orderId": 42,
///   "customerEmail": "ada@example.com",
///   "items": [{ "sku": "BOOK-1", "quantity": 2, "unitPriceCents": 1250 }],
///   "note": "leave it at the door",
///   "giftWrap": false,
///   "createdAt": "2024-05-01T12:30:00Z"
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Order {
    pub order_id: u64,
    pub customer_email: String,
    pub items: Vec<LineItem>,
    // A missing `Option` field already reads as `None`; this only changes the writing side.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default)]
    pub gift_wrap: bool,
    pub created_at: DateTime<Utc>,
}

/// One line of an order: `{ "sku": "BOOK-1", "quantity": 2, "unitPriceCents": 1250 }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineItem {
    pub sku: String,
    pub quantity: u32,
    pub unit_price_cents: u64,
}

/// What happened to an order, as published to other services:
///
/// ```json
/// {"type":"placed","orderId":42,"totalCents":2500}
/// {"type":"shipped","orderId":42,"carrier":"dhl","trackingNumber":"JD0142"}
/// {"type":"payment_failed","orderId":42,"reason":"card declined"}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum OrderEvent {
    Placed {
        order_id: u64,
        total_cents: u64,
    },
    Shipped {
        order_id: u64,
        carrier: String,
        tracking_number: String,
    },
    PaymentFailed {
        order_id: u64,
        reason: String,
    },
}

/// Writes an order as compact JSON (no spaces or newlines), fields in declaration order.
pub fn order_to_json(order: &Order) -> String {
    serde_json::to_string(order).expect("an order always serializes")
}

/// Reads an order, rejecting missing fields, unknown fields and wrong types.
pub fn order_from_json(json: &str) -> Result<Order, serde_json::Error> {
    serde_json::from_str(json)
}

/// Writes an event as compact JSON, the "type" field first.
pub fn event_to_json(event: &OrderEvent) -> String {
    serde_json::to_string(event).expect("an event always serializes")
}

/// Reads an event, whatever the position of its "type" field.
pub fn event_from_json(json: &str) -> Result<OrderEvent, serde_json::Error> {
    serde_json::from_str(json)
}
