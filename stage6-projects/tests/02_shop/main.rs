//! The spec for project 02: the shop, an e-commerce API, milestone by milestone, over HTTP.
//! `cargo xtask check 02_shop` runs it. Do not edit these files: the runner checks that they
//! are the course's version.
//!
//! Each milestone is a module of its own (`catalog`, `cart`, …) in the order you build them;
//! each test starts the app with a database of its own and makes its admin, customers,
//! products and orders through the API. The contract is the lesson at the top of
//! `exercises/02_shop/mod.rs`; what the tests rely on besides:
//! - every error is `{"error": "<a string>"}`, never a 5xx for bad input;
//! - the admin is the account registered with `admin@shop.test` (`Config::with_admin`);
//! - webhooks are signed with the `WEBHOOK_SECRET` of `common.rs`, the way a payment
//!   provider would, with the clock of this machine.

#[cfg(not(feature = "solution"))]
#[allow(unused_variables, unused_imports, dead_code)]
#[path = "../../exercises/02_shop/mod.rs"]
mod exercise;
#[cfg(feature = "solution")]
#[path = "../../../solutions/stage6-projects/02_shop/mod.rs"]
mod exercise;

/// What the milestones share; no tests.
mod common;

#[path = "05_beyond.rs"]
mod beyond;
#[path = "02_cart.rs"]
mod cart;
#[path = "01_catalog.rs"]
mod catalog;
#[path = "03_checkout.rs"]
mod checkout;
#[path = "04_payments_and_orders.rs"]
mod payments_and_orders;
