//! Redis with a key prefix of the test's own; its keys are deleted when the test ends.
//!
//! Redis has no cheap "database per test" (there are 16 numbered ones), so isolation is by
//! name: every key a test uses goes through [`TestRedis::key`], which puts the test's prefix
//! in front. Prefixes carry their creation time, so keys left by a killed run are swept by
//! the next one after ten minutes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use redis::aio::ConnectionManager;

use crate::{Service, resolve};

const ROOT: &str = "tk";
const STALE_AFTER: Duration = Duration::from_secs(600);

pub struct TestRedis {
    client: redis::Client,
    conn: ConnectionManager,
    prefix: String,
    url: String,
}

impl TestRedis {
    /// The name to use for `name` in this test: `tk:<time>:<pid>:<n>:name`.
    pub fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// The prefix every key of this test starts with.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// A cheap clone of a shared, reconnecting connection.
    pub fn conn(&self) -> ConnectionManager {
        self.conn.clone()
    }

    /// The client, for code that opens its own connections (a blocking read needs one).
    pub fn client(&self) -> redis::Client {
        self.client.clone()
    }

    /// The server's URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}

/// A Redis connection and a key prefix of the test's own. Panics, with what to do, when
/// Redis is missing.
pub async fn connection() -> TestRedis {
    match try_connection().await {
        Ok(r) => r,
        Err(message) => panic!("{message}"),
    }
}

pub async fn try_connection() -> Result<TestRedis, String> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let server = resolve::find(Service::Redis)?;
    let fail = |e: &dyn std::fmt::Display| format!("Redis at {}: {e}", server.url);
    let client = redis::Client::open(server.url.as_str()).map_err(|e| fail(&e))?;
    let config = redis::aio::ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(5)))
        .set_number_of_retries(1);
    let conn = tokio::time::timeout(
        Duration::from_secs(5),
        ConnectionManager::new_with_config(client.clone(), config),
    )
    .await
    .map_err(|_| fail(&"no answer within 5 s"))?
    .map_err(|e| fail(&e))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    if n == 0 {
        sweep_stale(&client, now);
    }
    let prefix = format!("{ROOT}:{now}:{}:{n}:", std::process::id());
    Ok(TestRedis {
        client,
        conn,
        prefix,
        url: server.url,
    })
}

impl Drop for TestRedis {
    fn drop(&mut self) {
        // A blocking connection of its own: Drop cannot await, and the test's runtime may be
        // shutting down.
        delete_matching(&self.client, &format!("{}*", self.prefix));
    }
}

/// Deletes keys of earlier runs that are older than ten minutes (testkit does this once per
/// test process, on its first connection).
pub fn sweep_stale(client: &redis::Client, now: u64) {
    let Ok(mut conn) = client.get_connection_with_timeout(Duration::from_secs(2)) else {
        return;
    };
    let keys = scan(&mut conn, &format!("{ROOT}:*"));
    let stale: Vec<&String> = keys
        .iter()
        .filter(|k| {
            k.split(':')
                .nth(1)
                .and_then(|t| t.parse::<u64>().ok())
                .is_some_and(|t| now.saturating_sub(t) > STALE_AFTER.as_secs())
        })
        .collect();
    delete(&mut conn, &stale);
}

fn delete_matching(client: &redis::Client, pattern: &str) {
    let Ok(mut conn) = client.get_connection_with_timeout(Duration::from_secs(2)) else {
        return;
    };
    let keys = scan(&mut conn, pattern);
    delete(&mut conn, &keys.iter().collect::<Vec<_>>());
}

/// Every key matching `pattern`, without blocking the server the way `KEYS` would.
fn scan(conn: &mut redis::Connection, pattern: &str) -> Vec<String> {
    let mut cmd = redis::cmd("SCAN");
    cmd.cursor_arg(0)
        .arg("MATCH")
        .arg(pattern)
        .arg("COUNT")
        .arg(1000);
    match cmd.iter(conn) {
        Ok(iter) => iter.filter_map(Result::ok).collect(),
        Err(_) => Vec::new(),
    }
}

fn delete(conn: &mut redis::Connection, keys: &[&String]) {
    for chunk in keys.chunks(500) {
        let _: Result<(), _> = redis::cmd("DEL").arg(chunk).query(conn);
    }
}

/// One round trip to Redis: the commands sent together, each as its words (`["SET", "k",
/// "v", "PX", "1500"]`), whether they were wrapped in MULTI/EXEC, and whether Redis answered
/// without an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trip {
    pub commands: Vec<Vec<String>>,
    pub atomic: bool,
    pub answered: bool,
}

impl Trip {
    /// The command names only, upper-cased: `["SET"]`, `["MULTI", …]` for a pipeline.
    pub fn names(&self) -> Vec<String> {
        self.commands
            .iter()
            .map(|c| c.first().map(|n| n.to_uppercase()).unwrap_or_default())
            .collect()
    }
}

/// A connection that forwards everything to a real one and writes down every round trip, so
/// a test can check what the learner's code sent: one command or two, in one atomic step or
/// not, with its expiry or without. Its clones share one record (code under test may clone
/// its connection for each call). Pass it wherever the code takes a connection
/// (`impl redis::aio::ConnectionLike`).
#[derive(Clone)]
pub struct Recorder {
    inner: ConnectionManager,
    trips: std::sync::Arc<std::sync::Mutex<Vec<Trip>>>,
}

impl Recorder {
    pub fn new(inner: ConnectionManager) -> Recorder {
        Recorder {
            inner,
            trips: Default::default(),
        }
    }

    /// Every trip sent, answered or not, in order.
    pub fn sent(&self) -> Vec<Trip> {
        self.trips.lock().expect("no panic while recording").clone()
    }

    /// The trips Redis carried out, leaving out the loading of Lua scripts (`SCRIPT LOAD`,
    /// and an `EVALSHA` refused with NOSCRIPT before it), which change no key.
    pub fn trips(&self) -> Vec<Trip> {
        self.sent()
            .into_iter()
            .filter(|t| t.answered && !t.names().iter().all(|n| n == "SCRIPT"))
            .collect()
    }

    /// Forgets what was recorded so far (after a test's own set-up).
    pub fn clear(&self) {
        self.trips.lock().expect("no panic while recording").clear();
    }

    fn record(&self, commands: Vec<Vec<String>>, atomic: bool, answered: bool) {
        self.trips
            .lock()
            .expect("no panic while recording")
            .push(Trip {
                commands,
                atomic,
                answered,
            });
    }
}

/// A command's words as text; a cursor argument (SCAN's) as `<cursor>`.
fn words(cmd: &redis::Cmd) -> Vec<String> {
    cmd.args_iter()
        .map(|arg| match arg {
            redis::Arg::Simple(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            _ => "<cursor>".to_string(),
        })
        .collect()
}

impl redis::aio::ConnectionLike for Recorder {
    fn req_packed_command<'a>(
        &'a mut self,
        cmd: &'a redis::Cmd,
    ) -> redis::RedisFuture<'a, redis::Value> {
        Box::pin(async move {
            let reply = self.inner.req_packed_command(cmd).await;
            let answered = matches!(reply, Ok(ref v) if !matches!(v, redis::Value::ServerError(_)));
            self.record(vec![words(cmd)], false, answered);
            reply
        })
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a redis::Pipeline,
        offset: usize,
        count: usize,
    ) -> redis::RedisFuture<'a, Vec<redis::Value>> {
        Box::pin(async move {
            let reply = self
                .inner
                .req_packed_commands(pipeline, offset, count)
                .await;
            self.record(
                pipeline.cmd_iter().map(words).collect(),
                pipeline.is_transaction(),
                reply.is_ok(),
            );
            reply
        })
    }

    fn get_db(&self) -> i64 {
        self.inner.get_db()
    }
}
