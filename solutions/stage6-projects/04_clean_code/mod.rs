//! # Project 04: clean code — refactor a tangled service behind traits
//!
//! `legacy.rs` is a real-looking service: `POST /api/orders` is one long handler that parses
//! the body, validates it with nested `if`s, prices the order with magic numbers (quantity
//! discounts, coupons, a happy hour that reads `Utc::now()` in the middle of the sums, the tax,
//! rounding to the cent), runs its SQL inline, and sends the confirmation mail inline through
//! an HTTP mail API. It works, and it is nearly untestable: to test happy hour you wait for
//! 17:00; to test a mail failure you need a mail server that fails; nothing can be tested
//! without PostgreSQL. Your job is the refactoring every team faces sooner or later: the same
//! behaviour, to the byte, from code whose parts can be tested and replaced one by one.
//!
//! ## The shape you build (ports and adapters)
//!
//! - **The domain** (`model.rs`, given): plain data, `Line`, `PlaceOrder`, `Quote`, `Order`,
//!   `Mail`; it depends on nothing.
//! - **Pure rules** (`pricing.rs`): `quote(lines, coupon, at) -> Quote`. The instant is an
//!   argument, so the rules are a function you can call with any time.
//! - **Ports** (`ports.rs`, given): what the service needs from the outside world, as traits
//!   it owns: `OrderRepository` (store and read orders), `Mailer` (send a mail), `Clock` (the
//!   time). This is the dependency inversion principle: the service depends on abstractions it
//!   defines, and the details (sqlx, reqwest, the system clock) depend on them, not the
//!   other way round.
//! - **Adapters**: `PgOrderRepository` (the legacy tables, `schema.rs`),
//!   `InMemoryOrderRepository`, `HttpMailer`, `SystemClock`. The tests bring their own fakes
//!   (a fixed clock, a mailer that records, one that fails): any type implementing a port will
//!   do, which is the open/closed principle at work (new behaviour by adding a type, not by
//!   editing the service).
//! - **The service** (`service.rs`): `OrderService::new(repository, mailer, clock)` with
//!   `place`, `get`, `list_for`: the use cases, with the validation and the order of the steps
//!   (save, then mail).
//! - **The HTTP layer** (`http.rs`): `app(service) -> Router`, thin: read the request, call
//!   the service, write the legacy JSON. No rule lives there (single responsibility: one reason
//!   to change per module: the prices change `pricing.rs`, the JSON changes `http.rs`, the
//!   database changes `repository.rs`).
//!
//! Why generics and not `Box<dyn Mailer>`: the ports' methods return `impl Future + Send`
//! (`ports.rs` explains it), which is what lets you write `async fn` in each `impl` and still
//! serve them from a multi-threaded runtime, but such traits cannot be `dyn`. So the service is
//! `OrderService<R, M, C>`, each provider a type parameter, chosen once where the app is
//! assembled (`src/bin/clean_code.rs`, the composition root, and each test). A provider picked
//! at run time would need `dyn` with boxed futures (the `async-trait` crate, or a hand-written
//! `Pin<Box<dyn Future<…> + Send + '_>>`); here nothing does.
//!
//! ## How it goes: four milestones
//!
//! 1. **pricing** (`pricing.rs`): `Coupon::from_code`, `is_happy_hour`, `quote`. The rules are
//!    in `pricing.rs`'s header; they are the legacy handler's. Tested at fixed instants
//!    (17:59:59.999 is happy hour, 18:00:00 is not) and on the rounding: the quantity discount
//!    is rounded once for the order, every amount half up, every discount before the tax.
//! 2. **repository** (`repository.rs`): both stores, held to one contract (the doc of
//!    `OrderRepository`): ids 1, 2, 3 in a new store, `None` for an unknown id, lines in their
//!    order, a customer's orders newest first. The same tests run against each, so the in-memory
//!    one behaves like PostgreSQL (Liskov's substitution principle), and service tests built on
//!    it mean something.
//! 3. **service** (`service.rs`): `OrderService`. The rule for a mail that fails: the order
//!    is saved first and stays saved, and the answer says `MailStatus::Pending` (never a lost
//!    order; production would keep the mail in an outbox to retry it); a store that fails is
//!    `OrderError::Storage` and no mail goes out. Tested with fakes: no database, no mail
//!    server, no waiting for 17:00.
//! 4. **pinned behaviour** (`http.rs`, `mailer.rs`, `clock.rs`): `app(service)` and the two
//!    production adapters left, `HttpMailer` and `SystemClock`. Each test runs the same
//!    requests against `legacy::app` and against `app(OrderService::new(PgOrderRepository,
//!    HttpMailer, SystemClock))` and expects the same statuses, bodies and mails from both
//!    (characterization tests: the legacy passes them as it is). One test runs both apps on
//!    one database: your app reads what the legacy one wrote and the other way round, so it
//!    can replace it in production without a migration. Another serves your `app` on fakes,
//!    which the legacy handler cannot do.
//!
//! What is given: `legacy.rs` and `schema.rs` (do not change them: the tests use them as they
//! are), `model.rs`, `error.rs`, `ports.rs`, and the public signatures of everything else, with
//! `todo!()` bodies. Read the legacy handler first and list its rules; then move them out one
//! milestone at a time. Your modules may use each other (`super::pricing::quote`) but never
//! `legacy.rs`: the refactored code must stand on its own.
//!
//! ## What production code does
//!
//! Refactoring legacy code safely is Michael Feathers' recipe (*Working Effectively with Legacy
//! Code*): pin the current behaviour with characterization tests, find the seams (a place where
//! behaviour can change without editing there: here, each trait), break the dependencies
//! (the clock, the mailer, the database) behind them, then move the logic in small steps, the
//! tests green after each. Production services keep the same layering (the "hexagonal" or
//! "clean" architecture): handlers that translate, services that decide, repositories and
//! clients that talk to the world; and they test the middle with fakes, the edges with the
//! real thing (milestone 2's contract suite is how they keep the two honest).
//!
//! - <https://doc.rust-lang.org/book/ch10-02-traits.html> (traits, `impl Trait`)
//! - <https://blog.rust-lang.org/2023/12/21/async-fn-rpit-in-traits.html> (`async fn` and
//!   `impl Future` in traits, and why `Send` must be spelt out)
//! - <https://docs.rs/sqlx/0.9/sqlx/> (`query_as`, `FromRow`, transactions: `Pool::begin`)
//! - <https://docs.rs/reqwest/0.13/reqwest/> (`Client::post`, `RequestBuilder::json`)
//! - <https://docs.rs/axum/0.8/axum/> (`Router::with_state`, `body::Bytes`, `extract::Path`)
//! - <https://martinfowler.com/bliki/TestDouble.html> (fakes, stubs, mocks)
//!
//! ## Run it
//!
//! - `cargo xtask check 04_clean_code`: the tests, milestone by milestone (PostgreSQL at
//!   `127.0.0.1:5432` for milestones 2 and 4; the tests start their own mail API).
//! - `cargo run -p stage6-projects --bin clean_code`: your app at
//!   `http://127.0.0.1:3000/api/orders` (`APP=legacy` serves the legacy one, to compare;
//!   `STORE=memory` needs no database; `MAIL_API_URL` sends real mails, and without it they go
//!   to the log; see `src/bin/clean_code.rs`).

mod clock;
mod error;
mod http;
pub mod legacy;
mod mailer;
mod model;
mod ports;
pub mod pricing;
mod repository;
pub mod schema;
mod service;

pub use clock::SystemClock;
pub use error::{MailError, OrderError, StorageError};
pub use http::app;
pub use mailer::HttpMailer;
pub use model::{Line, Mail, MailStatus, NewOrder, Order, PlaceOrder, Placed, Quote};
pub use ports::{Clock, Mailer, OrderRepository};
pub use pricing::{Coupon, quote};
pub use repository::{InMemoryOrderRepository, PgOrderRepository};
pub use service::OrderService;
