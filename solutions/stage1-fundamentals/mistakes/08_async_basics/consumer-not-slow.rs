//! mistake: the consumer takes each item without working on it, so nothing ever makes the producer wait for long
//! # Exercise 08: async Rust with tokio
//!
//! Reference solution. See `stage1-fundamentals/exercises/08_async_basics.rs` for the lesson.

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

/// Fetches every id concurrently and returns the results in the order of `ids`.
pub async fn fetch_all(ids: &[u32]) -> Vec<String> {
    let mut tasks = JoinSet::new();
    for (index, &id) in ids.iter().enumerate() {
        tasks.spawn(async move { (index, fetch(id).await) });
    }
    // Tasks finish in any order: put each result back in its input slot.
    let mut results = vec![String::new(); ids.len()];
    while let Some(joined) = tasks.join_next().await {
        let (index, item) = joined.expect("a fetch task panicked");
        results[index] = item;
    }
    results
}

/// The error of `with_timeout`: the limit that was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("timed out after {0:?}")]
pub struct TimedOut(pub Duration);

/// Runs `future` for at most `limit`, and drops (cancels) it if it has not finished by then.
pub async fn with_timeout<F: Future>(future: F, limit: Duration) -> Result<F::Output, TimedOut> {
    tokio::time::timeout(limit, future)
        .await
        .map_err(|_| TimedOut(limit))
}

/// A stand-in for real work: a job of `ms` takes `ms` milliseconds.
pub async fn process(ms: u64) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

/// Processes jobs until the channel closes or `shutdown` becomes `true`, and returns how many
/// jobs it finished. Shutdown interrupts both the wait for a job and the job itself.
pub async fn worker(mut jobs: mpsc::Receiver<u64>, mut shutdown: watch::Receiver<bool>) -> usize {
    let mut done = 0;
    loop {
        let job = tokio::select! {
            _ = shutdown.wait_for(|&stop| stop) => break,
            job = jobs.recv() => match job {
                Some(job) => job,
                None => break,
            },
        };
        tokio::select! {
            _ = shutdown.wait_for(|&stop| stop) => break,
            () = process(job) => done += 1,
        }
    }
    done
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
/// holds at most `capacity` items. The consumer is slow: `process(10)` per item.
pub async fn pipeline(count: u32, capacity: usize) -> Vec<Event> {
    let (tx, mut rx) = mpsc::channel(capacity);
    let log = EventLog::default();

    let producer_log = log.clone();
    let producer = tokio::spawn(async move {
        for item in 0..count {
            // `send` waits while the channel is full: that is the back-pressure.
            if tx.send(item).await.is_err() {
                break;
            }
            producer_log.record(Event::Produced(item));
        }
        // Dropping `tx` here closes the channel, which ends the consumer's loop.
    });

    let consumer_log = log.clone();
    let consumer = tokio::spawn(async move {
        while let Some(item) = rx.recv().await {
            consumer_log.record(Event::Consumed(item));
        }
    });

    producer.await.expect("the producer panicked");
    consumer.await.expect("the consumer panicked");
    log.events()
}
