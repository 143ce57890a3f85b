//! # Exercise 08: async Rust with tokio
//!
//! A backend spends most of its time waiting: for the network, the database, another service.
//! Async Rust lets one thread wait for thousands of things at once. The rules that matter:
//!
//! - A future does nothing until it is awaited, and `a.await; b.await;` runs `a`, *then* `b`.
//!   To wait for several things at once, run them concurrently: `tokio::join!` for a fixed
//!   number of futures, `tokio::spawn` or a `tokio::task::JoinSet` for any number (spawned
//!   tasks run on their own, even on other threads, and finish in any order).
//! - Dropping a future cancels it: it simply never runs again. `tokio::time::timeout` and
//!   `tokio::select!` are built on that: `select!` polls several futures, runs the branch of
//!   the first one to finish, and drops the others. A request handler is cancelled the same
//!   way when its client disconnects.
//! - Shutdown is a message: a task that must stop on request `select!`s between its work and
//!   a signal (here a `tokio::sync::watch` channel; production code often uses tokio-util's
//!   `CancellationToken`, and axum's `with_graceful_shutdown` takes such a signal). A watch
//!   channel holds a state, not a stream of events: a task that starts late, or was busy when
//!   the state was set, must still see that it says "stop", so it looks at the value rather
//!   than waiting for the next change.
//! - Queues need a bound. An unbounded channel lets a fast producer pile up work until the
//!   process runs out of memory. With `tokio::sync::mpsc::channel(capacity)`, `send(..).await`
//!   waits while the channel is full: the slow consumer slows the producer down. That is
//!   back-pressure, and it is how hyper, tower's concurrency limits and every good pipeline
//!   stay stable under load.
//!
//! - <https://tokio.rs/tokio/tutorial/spawning> and <https://tokio.rs/tokio/tutorial/select>
//! - <https://docs.rs/tokio/latest/tokio/task/struct.JoinSet.html>
//! - <https://docs.rs/tokio/latest/tokio/time/fn.timeout.html>
//! - <https://docs.rs/tokio/latest/tokio/sync/watch/index.html>
//! - <https://docs.rs/tokio/latest/tokio/sync/mpsc/index.html>
//!
//! Run `cargo xtask check 08_async_basics` to check your work; `cargo xtask hint 08_async_basics`
//! gives a hint.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

/// A stand-in for a network call: fetching item `id` takes `id` milliseconds.
pub async fn fetch(id: u32) -> String {
    tokio::time::sleep(Duration::from_millis(u64::from(id))).await;
    format!("item-{id}")
}

/// Fetches every id concurrently and returns the results in the order of `ids`: ten fetches of
/// 100 ms take about 100 ms, not a second.
pub async fn fetch_all(ids: &[u32]) -> Vec<String> {
    // TODO: start every fetch before waiting for any of them, and return the results in the
    // order of `ids`, although the fastest fetch finishes first.
    todo!("fetch all ids concurrently, keeping the input order")
}

/// The error of `with_timeout`: the limit that was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("timed out after {0:?}")]
pub struct TimedOut(pub Duration);

/// Runs `future` for at most `limit`, and drops (cancels) it if it has not finished by then.
pub async fn with_timeout<F: Future>(future: F, limit: Duration) -> Result<F::Output, TimedOut> {
    // TODO: the future's output if it finishes within `limit`; otherwise stop waiting at the
    // limit, cancel the future, and return `TimedOut(limit)`.
    todo!("give up on the future after the limit")
}

/// A stand-in for real work: a job of `ms` takes `ms` milliseconds.
pub async fn process(ms: u64) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

/// Processes jobs (`process(job).await` for each) until the `jobs` channel closes or
/// `shutdown` is `true`, and returns how many jobs it finished.
///
/// Shutdown must take effect at once: while the worker waits for the next job, and also in the
/// middle of a job (an interrupted job is not counted). It may already be `true` when the
/// worker starts; a `false` sent meanwhile means "keep going".
pub async fn worker(jobs: mpsc::Receiver<u64>, shutdown: watch::Receiver<bool>) -> usize {
    // TODO: make both parameters `mut` (receiving needs `&mut`). Take the jobs one by one until
    // the channel closes. Shutdown is the value `true`, whenever it was set, even before the
    // worker started; it stops the worker at once, waiting for a job or in the middle of one.
    todo!("process jobs until the channel closes or shutdown is signalled")
}

/// What happened in `pipeline`, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The producer's `send` of this item returned: the item is in the channel.
    Produced(u32),
    /// The consumer's `recv` returned this item: it left the channel.
    Consumed(u32),
}

/// A log that several tasks can write to. Cloning it gives another handle to the same log.
#[derive(Debug, Clone, Default)]
pub struct EventLog(Arc<Mutex<Vec<Event>>>);

impl EventLog {
    pub fn record(&self, event: Event) {
        self.0.lock().unwrap().push(event);
    }

    pub fn events(&self) -> Vec<Event> {
        self.0.lock().unwrap().clone()
    }
}

/// Sends the items `0..count` from a producer task to a consumer task through a channel that
/// holds at most `capacity` items, and returns the log of what happened.
///
/// - The producer records `Produced(item)` right after each `send` returns.
/// - The consumer records `Consumed(item)` right after each `recv` returns, then works on the
///   item slowly: `process(10).await`.
pub async fn pipeline(count: u32, capacity: usize) -> Vec<Event> {
    // TODO: a producer task and a consumer task, joined by a channel that never holds more than
    // `capacity` items, both recording in one log; return the log once both are done. The
    // consumer stops when the producer is done and the channel is empty.
    todo!("run a producer and a slow consumer over a bounded channel")
}
