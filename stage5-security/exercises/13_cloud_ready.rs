//! # Exercise 13: ready for the cloud — config from the environment, probes, logs to stdout
//!
//! A platform (Kubernetes, ECS, Cloud Run, Fly, a plain systemd unit) runs the same image in
//! every environment and expects the app to follow a few rules, most of them from the
//! [twelve-factor app](https://12factor.net):
//!
//! - **Configuration in the environment.** The image is the same in staging and production;
//!   what differs (the port, the database, the log level) comes from variables. Read them once,
//!   at startup, into a typed [`Config`]: a variable with a sensible default takes it when it
//!   is *unset*; a required one that is missing, and a value that does not parse, stop the app
//!   at once with an error that **names the variable**. A silent default for `DATABASE_URL`
//!   ("localhost, surely") starts an app that fails on its first request, far from the cause.
//!   A variable set to an empty value is a mistake in the deployment, not a request for the
//!   default.
//! - **Port binding.** The app serves HTTP itself on the port it is given, on every interface
//!   (`0.0.0.0`): inside a container, `127.0.0.1` is the container's own loopback, which no
//!   one outside can reach.
//! - **Liveness is not readiness.** The platform asks two questions. `GET /livez`: *is the
//!   process stuck?* If not answered, the platform kills and restarts it, so it checks nothing
//!   outside the process: when the database is down, restarting every app instance fixes
//!   nothing and turns an outage into a restart storm. `GET /readyz`: *may I send you
//!   traffic?* It runs `SELECT 1` against the database; while that fails, a 503 takes the
//!   instance out of the load balancer, and when the database returns, the next probe puts
//!   it back, without a restart. A probe has a deadline (Kubernetes' default `timeoutSeconds`
//!   is 1 s): a check that waits 30 s for a connection is a probe that times out, so the pool
//!   waits at most [`CHECK_TIMEOUT`] for one, and the check as a whole too.
//! - **Start without the database.** The pool is created *lazily* (`connect_lazy`): the app
//!   starts, answers `/livez`, and reports not ready until the database answers. An app that
//!   refuses to start while the database is down crash-loops through every deploy and every
//!   database failover.
//! - **Logs are a stream of events on stdout**, one JSON object per line, that the platform
//!   collects; the app never manages log files. And logs travel far: the database URL holds a
//!   password, so the startup line names the database by its host, never by its URL.
//!
//! Graceful shutdown (SIGTERM, draining) is stage 4's exercise 15; a real `main` would be:
//!
//! ```ignore
//! let config = Config::from_env(|name| std::env::var(name).ok())?;
//! tracing::subscriber::set_global_default(subscriber(config.log_level, std::io::stdout))?;
//! let listener = TcpListener::bind(config.bind_address()).await?;
//! run(config, listener).await?;
//! ```
//!
//! - <https://12factor.net/config>, <https://12factor.net/logs>
//! - <https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/>
//! - <https://docs.rs/sqlx/0.9.0/sqlx/pool/struct.PoolOptions.html#method.connect_lazy>,
//!   <https://docs.rs/sqlx/0.9.0/sqlx/pool/struct.PoolOptions.html#method.acquire_timeout>
//! - <https://docs.rs/tracing-subscriber/0.3/tracing_subscriber/fmt/struct.SubscriberBuilder.html#method.json>
//!
//! Your task: [`Config::from_env`], [`Config::bind_address`], [`subscriber`], [`pool`],
//! [`livez`], [`readyz`] and [`run`].
//!
//! Run `cargo xtask check 13_cloud_ready` to check your work; `cargo xtask hint 13_cloud_ready`
//! gives a hint.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::str::FromStr;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tokio::net::TcpListener;
use tracing::level_filters::LevelFilter;
use tracing_subscriber::fmt::MakeWriter;

/// The port when `PORT` is unset.
pub const DEFAULT_PORT: u16 = 8080;

/// The log level when `LOG_LEVEL` is unset.
pub const DEFAULT_LOG_LEVEL: LevelFilter = LevelFilter::INFO;

/// The longest a readiness check waits for the database, connection included.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(1);

/// The service's settings, read from the environment by [`Config::from_env`]:
///
/// | variable | field | when unset |
/// |---|---|---|
/// | `PORT` | `port`: 0 to 65535 | [`DEFAULT_PORT`] |
/// | `DATABASE_URL` | `database_url` | an error: it is required |
/// | `LOG_LEVEL` | `log_level`: `off`, `error`, `warn`, `info`, `debug` or `trace` | [`DEFAULT_LOG_LEVEL`] |
#[derive(Clone, PartialEq)]
pub struct Config {
    pub port: u16,
    pub database_url: String,
    pub log_level: LevelFilter,
}

// By hand rather than derived: a `{config:?}` in a log line must not print the password.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("port", &self.port)
            .field("database_url", &"[redacted]")
            .field("log_level", &self.log_level)
            .finish()
    }
}

/// Why the configuration cannot be read: each names the variable to fix.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is not set: set it in the environment (a required variable has no default)")]
    Missing(&'static str),
    #[error("{name} is `{value}`, which is not {expected}: fix the variable")]
    Invalid {
        name: &'static str,
        value: String,
        expected: &'static str,
    },
}

impl Config {
    /// The configuration from the variables `lookup` gives (`None` for an unset one): see the
    /// table of [`Config`]. An unset `PORT` or `LOG_LEVEL` takes its default; an unset or
    /// empty `DATABASE_URL` is [`ConfigError::Missing`]; a `PORT` or `LOG_LEVEL` that does not
    /// parse (an empty one included) is [`ConfigError::Invalid`], with its name and value.
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        // TODO: `lookup("DATABASE_URL")`, refused when `None` or empty; `PORT` parsed as a
        // `u16` and `LOG_LEVEL` as a `LevelFilter` (`str::parse`) when set, their defaults
        // when not. Refuse an empty value before parsing it: `LevelFilter` reads `""` as
        // `error`, a level nobody asked for.
        todo!("read PORT, DATABASE_URL and LOG_LEVEL through lookup")
    }

    /// Where the service listens: every interface (`0.0.0.0`), at `port`.
    pub fn bind_address(&self) -> SocketAddr {
        // TODO: `Ipv4Addr::UNSPECIFIED` and the port.
        todo!("the address 0.0.0.0:{}", self.port)
    }
}

/// A subscriber that writes each event at `level` or above as one JSON object per line
/// (`timestamp`, `level`, `fields` with `message`, `target`) to `writer`: stdout in
/// production, a buffer in the tests.
pub fn subscriber<W>(level: LevelFilter, writer: W) -> Box<dyn tracing::Subscriber + Send + Sync>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    // TODO: `tracing_subscriber::fmt()` with the JSON format, `level` as the maximum level,
    // and `writer`; box the finished subscriber.
    todo!("a JSON-lines subscriber at {level}")
}

/// The pool of `config.database_url`, created lazily (no connection until one is needed, so
/// that the service starts while the database is down), whose `acquire` gives up after
/// [`CHECK_TIMEOUT`]. An error only for a URL that cannot be parsed.
pub fn pool(config: &Config) -> Result<PgPool, sqlx::Error> {
    // TODO: `PgPoolOptions::new()` with an acquire timeout, then `connect_lazy`.
    todo!("a lazy pool that waits at most {CHECK_TIMEOUT:?} for a connection")
}

/// `GET /livez`: 200 `{"status": "alive"}`, always. It checks nothing outside the process:
/// the database being down is no reason to restart the service.
pub async fn livez() -> Response {
    // TODO: answer, and touch nothing else.
    todo!("say that the process is alive")
}

/// `GET /readyz`: `SELECT 1` on the database, within [`CHECK_TIMEOUT`] in all. It answers
/// 200 `{"status": "ready"}` when it worked; otherwise it logs the error at WARN and answers
/// 503 `{"status": "unavailable", "failing": ["database"]}` (the error stays in the log).
pub async fn readyz(State(pool): State<PgPool>) -> Response {
    // TODO: `tokio::time::timeout(CHECK_TIMEOUT, sqlx::query("SELECT 1").execute(&pool))`:
    // an `Err` of the timeout or of the query is a failed check.
    todo!("check the database within {CHECK_TIMEOUT:?}")
}

/// The app: `GET /livez` and `GET /readyz` on the pool.
pub fn app(pool: PgPool) -> Router {
    Router::new()
        .route("/livez", get(livez))
        .route("/readyz", get(readyz))
        .with_state(pool)
}

/// Runs the service on `listener` until the server fails: the [`pool`] of `config` (a URL
/// that does not parse is an `io::Error` of kind `InvalidInput`), one INFO line when it
/// starts (message `listening`, with the fields `address`, the listener's address, and
/// `database`, the database's host and port, never its URL), then the [`app`].
pub async fn run(config: Config, listener: TcpListener) -> io::Result<()> {
    // TODO: the pool; the startup line (`PgConnectOptions::from_str(&config.database_url)`
    // gives `get_host()` and `get_port()`); `axum::serve(listener, app(pool)).await`.
    todo!("start the service on {listener:?}")
}
