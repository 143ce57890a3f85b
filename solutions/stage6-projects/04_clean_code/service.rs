//! Milestone 3, the service: the use cases (place an order, read one, list a customer's),
//! written against the ports only. It knows no HTTP, no SQL and no mail API, so a test builds
//! it from fakes (a fixed clock, a mailer that records or fails, the in-memory repository).
//!
//! The rules it keeps, the legacy handler's:
//! - validation, in this order, each with the legacy message: the email (trimmed: not empty,
//!   with an `@`) `"email is not valid"`; `"an order needs at least one line"`; `"an order has
//!   at most 100 lines"`; then line by line (numbered from 1) `"line 2: sku is empty"` (blank
//!   once trimmed), `"line 2: quantity must be between 1 and 999"`, `"line 2: unit price must
//!   be between 0 and 1000000 cents"`; then `"unknown coupon: BOGUS"`;
//! - the prices are `pricing::quote` at the clock's `now()`, which is also `created_at`;
//! - the order is saved first, then the confirmation mailed: a mailer that fails leaves the
//!   order saved and the outcome `MailStatus::Pending` (never a lost order, never an error to
//!   a customer whose order exists); a store that fails is an error and no mail goes out.

use super::error::OrderError;
use super::model::{Line, Mail, MailStatus, NewOrder, Order, PlaceOrder, Placed};
use super::ports::{Clock, Mailer, OrderRepository};
use super::pricing::{self, Coupon};

/// The order service, built from its three providers.
pub struct OrderService<R, M, C> {
    repository: R,
    mailer: M,
    clock: C,
}

impl<R: OrderRepository, M: Mailer, C: Clock> OrderService<R, M, C> {
    pub fn new(repository: R, mailer: M, clock: C) -> OrderService<R, M, C> {
        OrderService {
            repository,
            mailer,
            clock,
        }
    }

    /// Validates, prices, saves, then mails the confirmation.
    pub async fn place(&self, request: PlaceOrder) -> Result<Placed, OrderError> {
        let email = request.email.trim().to_string();
        let coupon = validate(&email, &request)?;
        let created_at = self.clock.now();
        let quote = pricing::quote(&request.lines, coupon, created_at);
        let order = self
            .repository
            .insert(NewOrder {
                email,
                lines: request.lines,
                coupon: request.coupon,
                quote,
                created_at,
            })
            .await?;
        let mail = match self.mailer.send(confirmation(&order)).await {
            Ok(()) => MailStatus::Sent,
            Err(e) => {
                // Production would keep the mail in an outbox table and retry it; the order
                // stands either way.
                tracing::warn!(order = order.id, "the confirmation is pending: {e}");
                MailStatus::Pending
            }
        };
        Ok(Placed { order, mail })
    }

    /// The order `id`, or `OrderError::NotFound(id)`.
    pub async fn get(&self, id: i64) -> Result<Order, OrderError> {
        self.repository
            .get(id)
            .await?
            .ok_or(OrderError::NotFound(id))
    }

    /// The orders of the customer `email` (trimmed), newest first.
    pub async fn list_for(&self, email: &str) -> Result<Vec<Order>, OrderError> {
        Ok(self.repository.list_by_email(email.trim()).await?)
    }
}

/// Checks `request` (whose email, trimmed, is `email`) and returns its coupon.
fn validate(email: &str, request: &PlaceOrder) -> Result<Option<Coupon>, OrderError> {
    let invalid = |message: String| Err(OrderError::Invalid(message));
    if !email.contains('@') {
        return invalid("email is not valid".into());
    }
    if request.lines.is_empty() {
        return invalid("an order needs at least one line".into());
    }
    if request.lines.len() > 100 {
        return invalid("an order has at most 100 lines".into());
    }
    for (n, line) in (1..).zip(&request.lines) {
        if let Some(problem) = line_problem(line) {
            return invalid(format!("line {n}: {problem}"));
        }
    }
    match &request.coupon {
        None => Ok(None),
        Some(code) => match Coupon::from_code(code) {
            Some(coupon) => Ok(Some(coupon)),
            None => invalid(format!("unknown coupon: {code}")),
        },
    }
}

fn line_problem(line: &Line) -> Option<&'static str> {
    if line.sku.trim().is_empty() {
        Some("sku is empty")
    } else if !(1..=999).contains(&line.quantity) {
        Some("quantity must be between 1 and 999")
    } else if !(0..=1_000_000).contains(&line.unit_price_cents) {
        Some("unit price must be between 0 and 1000000 cents")
    } else {
        None
    }
}

/// `12.50 EUR` for 1250 cents.
fn euros(cents: i64) -> String {
    format!("{}.{:02} EUR", cents / 100, cents % 100)
}

/// The confirmation of `order`, word for word the legacy one.
pub fn confirmation(order: &Order) -> Mail {
    let mut text = format!("Thank you for your order #{}.\n\n", order.id);
    for line in &order.lines {
        text += &format!(
            "{} x {} at {}\n",
            line.quantity,
            line.sku,
            euros(line.unit_price_cents)
        );
    }
    let quote = &order.quote;
    text += &format!("\nSubtotal: {}\n", euros(quote.subtotal_cents));
    if quote.discount_cents > 0 {
        text += &format!("Discount: -{}\n", euros(quote.discount_cents));
    }
    text += &format!("Tax: {}\n", euros(quote.tax_cents));
    text += &format!("Total: {}\n", euros(quote.total_cents));
    Mail {
        to: order.email.clone(),
        subject: format!("Your order #{}", order.id),
        text,
    }
}
