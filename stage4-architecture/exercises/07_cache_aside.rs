//! # Exercise 07: cache-aside — Redis in front of a slow store
//!
//! A product page reads the same product thousands of times a minute, and the store behind
//! it (a database, another service) answers in tens of milliseconds at best. A cache keeps
//! the answer in Redis, in memory, a fraction of a millisecond away. The most common way to
//! use it is **cache-aside** (also called lazy loading): the application, not the store,
//! talks to the cache.
//!
//! **Reading.** `GET` the key in Redis. A hit is the answer: the store is not touched. A miss
//! loads from the store, then writes the value into Redis *with a time to live*, so that the
//! next reads hit. `SET key value EX 60` does both in one command: a `SET` followed by an
//! `EXPIRE` is two round trips, and if the process dies (or the connection drops) between
//! them, the key stays for ever, stale, without anything to remove it. The TTL is the safety
//! net of every cache: whatever bug or lost invalidation leaves a wrong value in Redis, it
//! is gone after [`TTL_SECONDS`].
//!
//! **Writing.** Update the store first, the source of truth, then **delete** the key. Why not
//! `SET` the new value into the cache instead? Two writers A and B racing can store in one
//! order and set the cache in the other: the cache then holds A's value for ever while the
//! store holds B's. A delete cannot be reordered into a wrong value: the next read misses and
//! loads whatever the store has *now*. Deleting is also cheaper when the value is costly to
//! build and may never be read again. (Why after the store and not before? Deleted first, a
//! read between the delete and the store's update would load the old value and cache it.)
//!
//! **A cache is optional.** Redis down, restarting, or slow must not take the product page
//! down: the store can still answer, only slower. So every Redis error is logged and treated
//! as a miss, never returned to the caller, and every Redis call is bounded by
//! [`REDIS_TIMEOUT`]: a Redis that hangs (a network partition, a full server) would otherwise
//! hang every request with it. (In production, also bound the connection itself, e.g.
//! `ConnectionManagerConfig::set_response_timeout`; here the timeout is yours to write.)
//!
//! The code takes its connection as any `redis::aio::ConnectionLike + Clone`: a
//! `ConnectionManager` in production, a recording or a broken one in the tests. Each call
//! clones it (cheap: a handle to one shared connection) to get the `&mut` a command needs.
//!
//! - <https://docs.rs/redis/1/redis/trait.AsyncCommands.html> (`get`, `set_ex`, `del`)
//! - <https://redis.io/docs/latest/commands/set/> (the `EX` and `PX` options)
//! - <https://docs.aws.amazon.com/whitepapers/latest/database-caching-strategies-using-redis/caching-patterns.html>
//! - <https://docs.rs/tokio/1/tokio/time/fn.timeout.html>

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use redis::AsyncCommands;
use redis::aio::ConnectionLike;

/// How long a cached product lives in Redis.
pub const TTL_SECONDS: u64 = 60;

/// How long one Redis command may take before the cache gives up on it and uses the store.
pub const REDIS_TIMEOUT: Duration = Duration::from_millis(500);

/// The slow source of truth: products by id, each load taking [`SlowStore::DELAY`] and
/// counted. Given whole: it stands in for a database.
#[derive(Default)]
pub struct SlowStore {
    products: Mutex<HashMap<u64, String>>,
    loads: AtomicUsize,
}

impl SlowStore {
    pub const DELAY: Duration = Duration::from_millis(20);

    pub fn with(products: &[(u64, &str)]) -> SlowStore {
        let store = SlowStore::default();
        for (id, name) in products {
            store.lock().insert(*id, name.to_string());
        }
        store
    }

    /// The product, or `None` when there is no such id. Slow, and counted.
    pub async fn load(&self, id: u64) -> Option<String> {
        self.loads.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Self::DELAY).await;
        self.lock().get(&id).cloned()
    }

    pub async fn save(&self, id: u64, name: &str) {
        tokio::time::sleep(Self::DELAY).await;
        self.lock().insert(id, name.to_string());
    }

    /// How many times [`SlowStore::load`] ran.
    pub fn loads(&self) -> usize {
        self.loads.load(Ordering::SeqCst)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, String>> {
        self.products
            .lock()
            .expect("no panic while holding the store")
    }
}

/// Products read through Redis.
pub struct Cache<C> {
    redis: C,
    store: Arc<SlowStore>,
    prefix: String,
}

impl<C: ConnectionLike + Clone + Send + Sync> Cache<C> {
    /// A cache whose keys all start with `prefix` (the tests give one of their own).
    pub fn new(redis: C, store: Arc<SlowStore>, prefix: &str) -> Cache<C> {
        Cache {
            redis,
            store,
            prefix: prefix.to_string(),
        }
    }

    /// The Redis key of product `id`: `<prefix>product:<id>`.
    pub fn key(&self, id: u64) -> String {
        format!("{}product:{id}", self.prefix)
    }

    /// Product `id`: from Redis when it is there, otherwise from the store, then cached for
    /// [`TTL_SECONDS`]. `None` when the store has no such product. Never fails because of
    /// Redis.
    pub async fn get(&self, id: u64) -> Option<String> {
        // TODO: GET the key, each Redis call bounded by REDIS_TIMEOUT (tokio::time::timeout).
        // A hit is the answer. An error or a timeout is logged and counts as a miss.
        // TODO: on a miss, load from the store; cache what it found with its expiry in ONE
        // command (SET key value EX TTL_SECONDS), ignoring (logging) a failure to do so.
        todo!(
            "read product id from Redis; on a miss load it from the store and cache it with a TTL"
        )
    }

    /// Saves product `id` in the store, then deletes its cached copy so that the next read
    /// loads the new one. Never fails because of Redis.
    pub async fn put(&self, id: u64, name: &str) {
        // TODO: save in the store first, then DEL the key (bounded by REDIS_TIMEOUT, a
        // failure logged, not returned).
        todo!("save product id in the store, then delete its key from Redis")
    }
}
