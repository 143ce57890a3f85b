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
        // TODO: validate (the legacy messages, in the legacy order: this file's header), price
        // with `pricing::quote` at `self.clock.now()`, insert, then mail the confirmation: the
        // legacy text word for word (read how `legacy.rs` builds it). A mailer error is
        // logged and makes the outcome `MailStatus::Pending`, never an `Err`.
        todo!("OrderService::place: validate, price, save, mail (milestone 3, service)")
    }

    /// The order `id`, or `OrderError::NotFound(id)`.
    pub async fn get(&self, id: i64) -> Result<Order, OrderError> {
        todo!("OrderService::get (milestone 3, service)")
    }

    /// The orders of the customer `email` (trimmed), newest first.
    pub async fn list_for(&self, email: &str) -> Result<Vec<Order>, OrderError> {
        todo!("OrderService::list_for (milestone 3, service)")
    }
}

// TODO: the validation and the confirmation mail as functions of their own, beside the
// service; and one helper for "12.50 EUR", which the legacy handler writes out four times.
