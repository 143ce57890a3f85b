//! The domain's values: what an order is, independent of HTTP, SQL and mail. Given.
//!
//! Plain data, no behaviour that needs the outside world: every module may use it, and it
//! uses none of them (dependencies point inwards, towards the domain).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One line of an order: `quantity` times `sku` at `unit_price_cents` each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub sku: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
}

impl Line {
    pub fn new(sku: &str, quantity: i64, unit_price_cents: i64) -> Line {
        Line {
            sku: sku.to_string(),
            quantity,
            unit_price_cents,
        }
    }
}

/// What a customer asks for: the body of `POST /api/orders`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlaceOrder {
    pub email: String,
    pub lines: Vec<Line>,
    /// A coupon code (`"SAVE10"`, `"FIVEOFF"`), absent or `null` for none.
    #[serde(default)]
    pub coupon: Option<String>,
}

/// What an order costs, in cents. `discount_cents` is every discount together (quantity,
/// coupon, happy hour); `total_cents = subtotal_cents - discount_cents + tax_cents`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Quote {
    pub subtotal_cents: i64,
    pub discount_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
}

/// An order about to be stored: everything but its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    /// Trimmed.
    pub email: String,
    pub lines: Vec<Line>,
    /// The code as the customer gave it (it was known, or there is no order).
    pub coupon: Option<String>,
    /// The prices at `created_at`, kept: a later change of the rules never changes an order.
    pub quote: Quote,
    pub created_at: DateTime<Utc>,
}

/// A stored order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: i64,
    pub email: String,
    pub lines: Vec<Line>,
    pub coupon: Option<String>,
    pub quote: Quote,
    pub created_at: DateTime<Utc>,
}

impl Order {
    /// The stored order `order` became under `id`.
    pub fn from_new(id: i64, order: NewOrder) -> Order {
        Order {
            id,
            email: order.email,
            lines: order.lines,
            coupon: order.coupon,
            quote: order.quote,
            created_at: order.created_at,
        }
    }
}

/// A mail to send: what the mail API takes, `{"to", "subject", "text"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
}

/// Whether the confirmation went out. `Pending`: the mailer failed, the order is saved anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailStatus {
    Sent,
    Pending,
}

/// The outcome of placing an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub order: Order,
    pub mail: MailStatus,
}
