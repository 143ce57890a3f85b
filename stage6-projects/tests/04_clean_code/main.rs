//! The spec for project 04: clean code, milestone by milestone. `cargo xtask check
//! 04_clean_code` runs it. Do not edit these files: the runner checks that they are the
//! course's version.
//!
//! 1. `pricing`: the legacy prices as a pure function, at instants the tests choose.
//! 2. `repository`: one contract, run against `PgOrderRepository` (a database of its own per
//!    test) and `InMemoryOrderRepository`: each test is a module with `in_postgres` and
//!    `in_memory`.
//! 3. `service`: `OrderService` built from fakes the tests write themselves (`common.rs`): a
//!    fixed clock, a mailer that records or fails, a store that fails.
//! 4. `pinned_behaviour`: the legacy app's answers, pinned. Each test runs the same requests
//!    against `legacy::app` and against your `app(OrderService::new(PgOrderRepository,
//!    HttpMailer, SystemClock))`, each on a database of its own with a mail server of its own,
//!    and expects the same answers and mails from both: the legacy half passes from the start
//!    (it proves the expectations are the legacy's), yours when the refactoring keeps them.

#[cfg(not(feature = "solution"))]
#[allow(unused_variables, unused_imports, dead_code)]
#[path = "../../exercises/04_clean_code/mod.rs"]
mod exercise;
#[cfg(feature = "solution")]
#[path = "../../../solutions/stage6-projects/04_clean_code/mod.rs"]
mod exercise;

/// The fakes, the mail server and the helpers the milestones share; no tests.
mod common;

#[path = "04_pinned_behaviour.rs"]
mod pinned_behaviour;
#[path = "01_pricing.rs"]
mod pricing;
#[path = "02_repository.rs"]
mod repository;
#[path = "03_service.rs"]
mod service;
