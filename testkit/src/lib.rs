//! Real services for the course's tests: PostgreSQL, Redis, RabbitMQ, Kafka, each test isolated
//! from the others, a clear error within seconds when a service is missing, never a hang;
//! and an HTTP client whose failures show the whole exchange.
//!
//! ```text
//! let db = testkit::postgres::database().await;      // feature `postgres`: a clean database
//! sqlx::query("CREATE TABLE t (id int)").execute(db.pool()).await?;
//!
//! let redis = testkit::redis::connection().await;     // feature `redis`: its own key prefix
//! let key = redis.key("visits");                      // "tk:…:visits", deleted afterwards
//!
//! let amqp = testkit::amqp::connection().await;       // feature `amqp`
//! let queue = amqp.queue("jobs");                     // "tk.….jobs", deleted afterwards
//!
//! let client = testkit::http::Client::new(addr);      // feature `http`
//! client.get("/health").send().await.expect_status(200);  // a failure prints the exchange
//!
//! let s3 = testkit::s3::server().await;               // feature `s3`: a real S3 server in process
//! let store = s3.endpoint();                          // http://127.0.0.1:…, its own bucket
//!
//! let browser = testkit::browser::browser().await;    // feature `browser`: headless Chromium
//! browser.open(&url).await; browser.click("#save").await;  // failures show the page and console
//!
//! let kafka = testkit::kafka::broker().await;         // feature `kafka`: a Kafka-protocol broker
//! let topic = kafka.create_topic("orders", 3).await;  // "tk.….orders", 3 partitions, deleted afterwards
//!
//! let prom = testkit::prometheus::prometheus(&[addr]).await;  // feature `prometheus`: a real server
//! prom.wait_until_up(Duration::from_secs(15)).await;  // scraping `addr`; then `prom.query("up")`
//!
//! let nginx = testkit::nginx::site("nginx.conf", CONF).var("APP_1", app).start().await;  // feature `nginx`
//! let findings = testkit::lint::hadolint(DOCKERFILE);  // feature `lint`: hadolint, actionlint
//!
//! let rows = testkit::within("fetch_all", fetch_all(&pool)).await;  // fails after 5 s
//!
//! let (pool, counter) = db.counting_pool().await;    // statements and rows, counted
//! let recorder = testkit::redis::Recorder::new(redis.conn());  // what was sent, trip by trip
//! let run = testkit::shell::run(file, TOOLS, "TASK", TASK, &env).await;  // a learner's command
//! ```
//!
//! Each service is a cargo feature (`postgres`, `redis`, `amqp`, `kafka`, `http`, `s3`, `browser`,
//! `prometheus`, `nginx`, `lint`), so a stage builds only the clients it uses; `within`, `shell` and
//! `resolve` need none. The [`http`] module's documentation shows what a failure prints.
//!
//! Where each service is found, in order (see `resolve`): the URL in the environment
//! (`DATABASE_URL`, `REDIS_URL`, `AMQP_URL`, `KAFKA_BROKERS`), the same variable in the workspace's `.env`, the
//! local default, a container started through testcontainers where a Docker engine answers
//! (feature `containers`, which `cargo xtask check` turns on when it is needed); otherwise the
//! test fails at once with a message that names the service and how to start it. The first
//! three steps, the services themselves and the texts that say how to start them are the
//! `services` crate's, which `cargo xtask` uses too, so both give a learner the same fix.

#[cfg(feature = "amqp")]
pub mod amqp;
#[cfg(feature = "browser")]
pub mod browser;
#[cfg(feature = "containers")]
mod containers;
#[cfg(feature = "http")]
pub mod http;
#[cfg(feature = "kafka")]
pub mod kafka;
#[cfg(feature = "lint")]
pub mod lint;
#[cfg(feature = "nginx")]
pub mod nginx;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(any(
    feature = "browser",
    feature = "lint",
    feature = "nginx",
    feature = "prometheus",
    feature = "s3"
))]
mod program;
#[cfg(feature = "prometheus")]
pub mod prometheus;
#[cfg(feature = "redis")]
pub mod redis;
pub mod resolve;
mod rng;
#[cfg(feature = "s3")]
pub mod s3;
pub mod shell;
mod timeout;

pub use rng::Rng;
pub use services::Service;
pub use timeout::{DEFAULT_SECS, within, within_secs};
