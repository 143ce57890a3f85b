//! What the milestones share: a database and a Redis prefix of the test's own, instances
//! served on free ports (in the test's runtime, or each in a process of its own that a test
//! can kill), click workers, and waits that end. No tests here.

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use redis::streams::{StreamInfoGroupsReply, StreamInfoStreamReply};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use testkit::http::Client;
use testkit::postgres::TestDatabase;
use testkit::redis::TestRedis;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::task::JoinHandle;

use crate::exercise::{self, AppState, Config};

/// Short links are `{PUBLIC_URL}/{code}` in every test.
pub const PUBLIC_URL: &str = "http://sho.rt";

/// The consumer group every worker reads in, as the contract names it.
pub const GROUP: &str = "counters";

/// A database (migrated) and a Redis prefix of the test's own.
pub struct World {
    pub db: TestDatabase,
    pub redis: TestRedis,
}

impl World {
    pub async fn new() -> World {
        let db = testkit::postgres::database().await;
        let redis = testkit::redis::connection().await;
        testkit::within("migrate()", exercise::migrate(db.pool()))
            .await
            .unwrap_or_else(|e| {
                panic!("migrate() failed: the migrations did not run on an empty database: {e}")
            });
        World { db, redis }
    }

    /// The tests' configuration, with this test's prefix.
    pub fn config(&self) -> Config {
        tests_config(self.redis.prefix())
    }

    /// The click stream's key, `{prefix}clicks`.
    pub fn stream(&self) -> String {
        self.redis.key("clicks")
    }

    /// An instance on this test's database with `config`, served in the test's runtime.
    pub async fn instance(&self, config: Config) -> Instance {
        Instance::serve(self.db.pool().clone(), &self.redis, config).await
    }
}

/// The tests' configuration: keys under `prefix`, limits no test reaches unless it sets them,
/// a worker that polls every 50 ms and takes over clicks left for 300 ms.
fn tests_config(prefix: &str) -> Config {
    Config {
        rate_limit: 1_000_000,
        claim_idle: Duration::from_millis(300),
        poll: Duration::from_millis(50),
        ..Config::new(PUBLIC_URL, prefix)
    }
}

/// One instance's HTTP side, served on a free port of 127.0.0.1; stopped when dropped.
pub struct Instance {
    pub client: Client,
    pub state: AppState,
    server: JoinHandle<()>,
}

impl Instance {
    pub async fn serve(pool: PgPool, redis: &TestRedis, config: Config) -> Instance {
        let state = testkit::within(
            "AppState::connect",
            AppState::connect(pool, redis.client(), config),
        )
        .await
        .unwrap_or_else(|e| panic!("AppState::connect failed: {e}"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a free port on 127.0.0.1");
        let addr = listener.local_addr().expect("the listener's address");
        let app = exercise::app(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Instance {
            client: Client::new(addr),
            state,
            server,
        }
    }

    /// A click worker of this instance named `name`, stopped when dropped.
    pub fn worker(&self, name: &str) -> Worker {
        Worker::start(self.state.clone(), name)
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A running `clicks::run_worker`; dropping it drops the worker's task at its next `.await`,
/// the way a killed process stops: nothing after that point runs.
pub struct Worker(JoinHandle<()>);

impl Worker {
    pub fn start(state: AppState, name: &str) -> Worker {
        let name = name.to_string();
        Worker(tokio::spawn(async move {
            if let Err(e) = exercise::clicks::run_worker(state, name.clone()).await {
                eprintln!("worker {name} stopped: {e}");
            }
        }))
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Set in the environment of an instance process: its settings, as JSON.
const CHILD: &str = "SHORTENER_TEST_INSTANCE";

/// The line an instance process prints once it listens: `listening on 127.0.0.1:<port>`.
const LISTENING: &str = "listening on ";

#[derive(Serialize, Deserialize)]
struct ChildSettings {
    database_url: String,
    redis_url: String,
    prefix: String,
    rate_limit: u64,
    worker: Option<String>,
}

/// The first line of every test that starts instance processes. Such a process is this test
/// binary again, running only that test; in it, this function becomes the instance (server,
/// and worker if asked) and never returns. In the test itself it returns at once.
///
/// Processes, not tasks: two instances in one process would share its `static`s, and a
/// counter or a rate limit kept in one would look shared when it is not.
pub async fn become_the_instance_in_a_child() {
    let Ok(settings) = std::env::var(CHILD) else {
        return;
    };
    let settings: ChildSettings = serde_json::from_str(&settings).expect("the parent's settings");
    // The test holds this process's standard input: when it closes (the test ended, or died),
    // the instance ends too, and never outlives its test.
    std::thread::spawn(|| {
        let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
        std::process::exit(0);
    });
    let pool = PgPoolOptions::new()
        .max_connections(5)
        .acquire_timeout(Duration::from_secs(5))
        .connect(&settings.database_url)
        .await
        .unwrap_or_else(|e| panic!("the instance cannot connect to PostgreSQL: {e}"));
    let client = redis::Client::open(settings.redis_url.as_str()).expect("a Redis URL");
    let config = Config {
        rate_limit: settings.rate_limit,
        ..tests_config(&settings.prefix)
    };
    let state = AppState::connect(pool, client, config)
        .await
        .unwrap_or_else(|e| panic!("AppState::connect failed: {e}"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port on 127.0.0.1");
    let addr = listener.local_addr().expect("the listener's address");
    if let Some(worker) = settings.worker {
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(e) = exercise::clicks::run_worker(state, worker.clone()).await {
                eprintln!("worker {worker} stopped: {e}");
            }
        });
    }
    let app = exercise::app(state).into_make_service_with_connect_info::<SocketAddr>();
    println!("{LISTENING}{addr}");
    let _ = std::io::stdout().flush();
    let _ = axum::serve(listener, app).await;
    std::process::exit(0);
}

/// An instance in a process of its own (server, and worker if asked), on this test's
/// database and Redis prefix; killed (SIGKILL) by [`Process::kill`] or when dropped.
pub struct Process {
    pub addr: SocketAddr,
    pub client: Client,
    process: tokio::process::Child,
}

impl Process {
    /// Starts `test` (its full name, `links::two_instances_…`, which must call
    /// [`become_the_instance_in_a_child`] first) as an instance process.
    pub async fn start(
        world: &World,
        test: &str,
        rate_limit: u64,
        worker: Option<&str>,
    ) -> Process {
        let settings = ChildSettings {
            database_url: world.db.url().to_string(),
            redis_url: world.redis.url().to_string(),
            prefix: world.redis.prefix().to_string(),
            rate_limit,
            worker: worker.map(str::to_string),
        };
        let exe = std::env::current_exe().expect("the test binary's path");
        let mut process = tokio::process::Command::new(exe)
            .args([test, "--exact", "--nocapture", "--test-threads", "1"])
            .env(
                CHILD,
                serde_json::to_string(&settings).expect("settings as JSON"),
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start the test binary as an instance");
        let output = Arc::new(Mutex::new(String::new()));
        let mut stdout = BufReader::new(process.stdout.take().expect("piped")).lines();
        let mut stderr = BufReader::new(process.stderr.take().expect("piped")).lines();
        let errors = Arc::clone(&output);
        tokio::spawn(async move {
            while let Ok(Some(line)) = stderr.next_line().await {
                let mut errors = errors.lock().expect("not poisoned");
                errors.push_str(&line);
                errors.push('\n');
            }
        });
        let listening = async {
            while let Ok(Some(line)) = stdout.next_line().await {
                // libtest may have begun the line with `test <name> ... `.
                if let Some((_, addr)) = line.split_once(LISTENING) {
                    return addr.parse::<SocketAddr>().ok();
                }
            }
            None
        };
        let addr = testkit::within_secs(20, "an instance process starting", listening).await;
        let Some(addr) = addr else {
            tokio::time::sleep(Duration::from_millis(200)).await;
            panic!(
                "the instance process ended before it listened; it said:\n{}",
                output.lock().expect("not poisoned")
            );
        };
        // Its output must be read, or a full pipe would block it.
        tokio::spawn(async move { while let Ok(Some(_)) = stdout.next_line().await {} });
        Process {
            addr,
            client: Client::new(addr),
            process,
        }
    }

    /// Kills the instance, server and worker, at once: SIGKILL, the way a crash or an
    /// out-of-memory kill ends a process, with no chance to finish anything.
    pub fn kill(&mut self) {
        let _ = self.process.start_kill();
    }
}

/// Creates a link to `url` through `client`: its code, checked to be 201.
pub async fn create(client: &Client, url: &str) -> String {
    let response = client
        .post("/api/links")
        .json(&serde_json::json!({ "url": url }))
        .send()
        .await;
    response.expect_status(201);
    let link: Value = response.expect_json();
    match link["code"].as_str() {
        Some(code) => code.to_string(),
        None => response.fail("the answer has no string `code`"),
    }
}

/// The `clicks` of `GET /api/links/{code}/stats`.
pub async fn clicks(client: &Client, code: &str) -> i64 {
    let response = client.get(&format!("/api/links/{code}/stats")).send().await;
    response.expect_status(200);
    let stats: Value = response.expect_json();
    match stats["clicks"].as_i64() {
        Some(clicks) => clicks,
        None => response.fail("the answer has no integer `clicks`"),
    }
}

/// Waits, at most `secs`, until the clicks of each code are as expected; panics with the
/// counts seen otherwise.
pub async fn wait_for_clicks(client: &Client, expected: &[(&str, i64)], secs: u64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let mut seen = Vec::new();
        for (code, _) in expected {
            seen.push((*code, clicks(client, code).await));
        }
        if seen == expected {
            return;
        }
        if tokio::time::Instant::now() > deadline {
            panic!(
                "after {secs} s the clicks are {seen:?} (code, clicks), expected {expected:?}: \
                 is a worker running and acknowledging what it applied?"
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The group's state: (pending, last delivered id), and the stream's last id.
pub async fn group_state(redis: &TestRedis, stream: &str) -> Option<(usize, String, String)> {
    let mut conn = redis.conn();
    let groups: StreamInfoGroupsReply = redis::cmd("XINFO")
        .arg("GROUPS")
        .arg(stream)
        .query_async(&mut conn)
        .await
        .ok()?;
    let info: StreamInfoStreamReply = redis::cmd("XINFO")
        .arg("STREAM")
        .arg(stream)
        .query_async(&mut conn)
        .await
        .ok()?;
    let group = groups.groups.into_iter().find(|g| g.name == GROUP)?;
    Some((
        group.pending,
        group.last_delivered_id,
        info.last_generated_id,
    ))
}

/// Waits, at most `secs`, until the group has been given every entry of the stream and has
/// none pending: the workers are done.
pub async fn wait_until_settled(redis: &TestRedis, stream: &str, secs: u64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let state = group_state(redis, stream).await;
        if let Some((0, delivered, last)) = &state
            && delivered == last
        {
            return;
        }
        if tokio::time::Instant::now() > deadline {
            panic!(
                "after {secs} s the group `{GROUP}` of the click stream is {state:?} \
                 (pending, last delivered id, the stream's last id): the workers should have \
                 read every click and acknowledged each"
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
