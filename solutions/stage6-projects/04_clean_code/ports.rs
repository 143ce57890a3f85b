//! The ports: what the service needs from the outside world, as traits. Given: they are the
//! contract your adapters implement and the tests' fakes implement too.
//!
//! Each method that waits returns `impl Future<Output = …> + Send` rather than being an
//! `async fn`: the two mean the same to an implementor (write `async fn insert(…)` in your
//! `impl`), but only this spelling promises callers that the future is `Send`, which a
//! multi-threaded server (axum on tokio) needs to move it between threads. Such traits are
//! not dyn-compatible (`Box<dyn OrderRepository>` does not compile), so the service takes
//! its providers as generic parameters: static dispatch, and the compiler checks at each
//! `OrderService::new(…)` that the three fit. The `async-trait` crate would give `dyn` by
//! boxing every future; nothing here needs to choose a provider at run time.

use std::future::Future;

use chrono::{DateTime, Utc};

use super::error::{MailError, StorageError};
use super::model::{Mail, NewOrder, Order};

/// Where orders are kept. Every implementation behaves the same (milestone 2 runs one
/// contract against each):
/// - `insert` gives ids 1, 2, 3, … in a new store, and returns the order as `get` will;
/// - `get` of an unknown id is `Ok(None)`;
/// - `list_by_email` is that customer's orders (the email compared exactly), newest
///   `created_at` first, and of two at the same instant the later id first;
/// - lines keep their order.
pub trait OrderRepository: Send + Sync + 'static {
    fn insert(&self, order: NewOrder) -> impl Future<Output = Result<Order, StorageError>> + Send;
    fn get(&self, id: i64) -> impl Future<Output = Result<Option<Order>, StorageError>> + Send;
    fn list_by_email(
        &self,
        email: &str,
    ) -> impl Future<Output = Result<Vec<Order>, StorageError>> + Send;
}

/// Sends mails. `Ok` once the mail is handed over (the mail API answered 2xx).
pub trait Mailer: Send + Sync + 'static {
    fn send(&self, mail: Mail) -> impl Future<Output = Result<(), MailError>> + Send;
}

/// The time. The only way the service learns what time it is.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}
