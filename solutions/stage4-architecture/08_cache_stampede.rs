//! # Exercise 08: a cache stampede tamed — many misses, one load
//!
//! Cache-aside (exercise 07) has a weak moment: the miss. A popular key expires, and in the
//! next 100 ms a thousand requests find it missing, and a thousand of them load it from the
//! store at once: the very load the cache was there to prevent, all together, on the
//! slowest part of the system. That is a **cache stampede** (or thundering herd, or dog
//! piling), and it takes databases down right after a deploy, a Redis restart, or a TTL.
//!
//! The cure is **single-flight**: for one key, one caller loads and the others wait for its
//! answer. Different keys stay independent: one global lock would serialise every miss of
//! every product behind each other, trading a stampede for a queue.
//!
//! **In one process,** the waiting is done in memory. A map from key to "the load in
//! flight", behind a `std::sync::Mutex` held only to look up or insert (never across an
//! `.await`), where each entry is an `Arc<tokio::sync::OnceCell<…>>`: the first caller's
//! `get_or_init` runs the load, the others' `get_or_init` wait for it and get a clone of the
//! same result, an error included (every waiter hears about the failure; none hangs). When
//! it is done, the entry is removed, so that the next miss (after a failure, say) loads
//! again. (`broadcast` or `watch` channels, or `futures::future::Shared`, do the same job.)
//!
//! **Across instances,** memory is not shared, but Redis is: a lock key per cache key.
//! `SET lock token NX PX 2000` is atomic: exactly one caller gets `OK`, the others get nil.
//! The winner checks the cache once more (another instance may have filled it between the
//! first `GET` and the lock), loads, fills the cache, and deletes the lock. The losers poll:
//! sleep a little, `GET` the cache (filled? done), and if the lock is gone while the cache
//! is still empty (the winner failed), try to take the lock themselves. The lock **must**
//! have an expiry: an instance that crashes while holding it would otherwise block that key
//! for ever. (Deleting only your own lock needs a compare-and-delete Lua script on the
//! token; a plain `DEL` is enough here, where the load is much shorter than the expiry.)
//!
//! - <https://docs.rs/tokio/1/tokio/sync/struct.OnceCell.html#method.get_or_init>
//! - <https://redis.io/docs/latest/commands/set/> (`NX`, `PX`)
//! - <https://redis.io/docs/latest/develop/use/patterns/distributed-locks/>
//! - <https://en.wikipedia.org/wiki/Cache_stampede>

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use redis::AsyncCommands;
use redis::aio::ConnectionLike;
use tokio::sync::OnceCell;

/// How long a cached product lives in Redis.
pub const TTL_SECONDS: u64 = 60;
/// How long a Redis lock lives if its holder never deletes it (a crash).
pub const LOCK_TTL: Duration = Duration::from_secs(2);
/// How long a caller that lost the lock sleeps before looking again.
pub const POLL: Duration = Duration::from_millis(10);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("the store failed to load product {0}, try again")]
    Store(u64),
    #[error("redis failed: {0}")]
    Redis(String),
}

impl From<redis::RedisError> for Error {
    fn from(e: redis::RedisError) -> Error {
        Error::Redis(e.to_string())
    }
}

/// The slow source of truth: every product exists and is named `product <id>`. Each load
/// takes [`SlowStore::DELAY`] and is counted; [`SlowStore::fail_next`] makes loads fail.
/// Given whole.
#[derive(Default)]
pub struct SlowStore {
    loads: AtomicUsize,
    failures: AtomicUsize,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

impl SlowStore {
    pub const DELAY: Duration = Duration::from_millis(250);

    pub async fn load(&self, id: u64) -> Result<String, Error> {
        self.loads.fetch_add(1, Ordering::SeqCst);
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_in_flight.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Self::DELAY).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        let fail = self
            .failures
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if fail {
            Err(Error::Store(id))
        } else {
            Ok(format!("product {id}"))
        }
    }

    /// The next `n` loads fail with [`Error::Store`].
    pub fn fail_next(&self, n: usize) {
        self.failures.store(n, Ordering::SeqCst);
    }

    /// How many loads started.
    pub fn loads(&self) -> usize {
        self.loads.load(Ordering::SeqCst)
    }

    /// The most loads that ever ran at the same time.
    pub fn most_in_flight(&self) -> usize {
        self.most_in_flight.load(Ordering::SeqCst)
    }
}

/// The load of one key that is in flight: its result, once there is one.
type Flight = Arc<OnceCell<Result<String, Error>>>;

/// Single-flight in one process: concurrent calls for one id share one load.
pub struct SingleFlight {
    store: Arc<SlowStore>,
    flights: Mutex<HashMap<u64, Flight>>,
}

impl SingleFlight {
    pub fn new(store: Arc<SlowStore>) -> SingleFlight {
        SingleFlight {
            store,
            flights: Mutex::new(HashMap::new()),
        }
    }

    /// Product `id` from the store, loaded once for all the calls that overlap; its error,
    /// if the load fails, to every one of them.
    pub async fn get(&self, id: u64) -> Result<String, Error> {
        let flight = self
            .lock()
            .entry(id)
            .or_insert_with(|| Arc::new(OnceCell::new()))
            .clone();
        let result = flight.get_or_init(|| self.store.load(id)).await.clone();
        // The load is over: the next call after this one starts a load of its own.
        let mut flights = self.lock();
        if flights.get(&id).is_some_and(|f| Arc::ptr_eq(f, &flight)) {
            flights.remove(&id);
        }
        result
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Flight>> {
        self.flights.lock().expect("no panic while holding the map")
    }
}

/// Cache-aside over Redis where, across every instance sharing the Redis, one caller per key
/// loads on a miss.
pub struct RedisCache<C> {
    redis: C,
    store: Arc<SlowStore>,
    prefix: String,
}

impl<C: ConnectionLike + Clone + Send + Sync> RedisCache<C> {
    pub fn new(redis: C, store: Arc<SlowStore>, prefix: &str) -> RedisCache<C> {
        RedisCache {
            redis,
            store,
            prefix: prefix.to_string(),
        }
    }

    /// `<prefix>product:<id>`: the cached value.
    pub fn key(&self, id: u64) -> String {
        format!("{}product:{id}", self.prefix)
    }

    /// `<prefix>lock:product:<id>`: the lock of whoever is loading product `id`.
    pub fn lock_key(&self, id: u64) -> String {
        format!("{}lock:product:{id}", self.prefix)
    }

    /// A token that names this caller in its lock (for the logs, and for a compare-and-delete).
    pub fn token() -> String {
        format!("{}:{}", std::process::id(), rand::random::<u64>())
    }

    /// Product `id`: from Redis on a hit; on a miss, loaded by the one caller that takes the
    /// lock, and awaited by the others, polling the cache.
    pub async fn get(&self, id: u64) -> Result<String, Error> {
        let (key, lock) = (self.key(id), self.lock_key(id));
        let mut conn = self.redis.clone();
        loop {
            if let Some(name) = conn.get::<_, Option<String>>(&key).await? {
                return Ok(name);
            }
            let taken: Option<String> = redis::cmd("SET")
                .arg(&lock)
                .arg(Self::token())
                .arg("NX")
                .arg("PX")
                .arg(LOCK_TTL.as_millis() as u64)
                .query_async(&mut conn)
                .await?;
            if taken.is_some() {
                let result = self.load_holding_lock(&mut conn, id).await;
                conn.del::<_, ()>(&lock).await?;
                return result;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    async fn load_holding_lock(&self, conn: &mut C, id: u64) -> Result<String, Error> {
        let key = self.key(id);
        // Another caller may have filled the cache between our GET and our lock.
        if let Some(name) = conn.get::<_, Option<String>>(&key).await? {
            return Ok(name);
        }
        let name = self.store.load(id).await?;
        conn.set_ex::<_, _, ()>(&key, &name, TTL_SECONDS).await?;
        Ok(name)
    }
}
