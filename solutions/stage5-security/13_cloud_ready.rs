//! # Exercise 13: ready for the cloud — config from the environment, probes, logs to stdout
//!
//! The reference solution of exercise 13; the lesson is in
//! `stage5-security/exercises/13_cloud_ready.rs`.

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
        let database_url = lookup("DATABASE_URL")
            .filter(|url| !url.is_empty())
            .ok_or(ConfigError::Missing("DATABASE_URL"))?;
        let port = parsed(
            &lookup,
            "PORT",
            DEFAULT_PORT,
            "a port number from 0 to 65535",
        )?;
        let log_level = parsed(
            &lookup,
            "LOG_LEVEL",
            DEFAULT_LOG_LEVEL,
            "one of off, error, warn, info, debug, trace",
        )?;
        Ok(Config {
            port,
            database_url,
            log_level,
        })
    }

    /// Where the service listens: every interface (`0.0.0.0`), at `port`.
    pub fn bind_address(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::UNSPECIFIED, self.port))
    }
}

/// Variable `name` parsed, `default` when it is unset; a value that does not parse (an empty
/// one included) is an error naming the variable.
fn parsed<T: FromStr>(
    lookup: impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
    expected: &'static str,
) -> Result<T, ConfigError> {
    let invalid = |value| ConfigError::Invalid {
        name,
        value,
        expected,
    };
    match lookup(name) {
        None => Ok(default),
        // An empty value is a mistake in the deployment (and `LevelFilter` would read it as
        // `error`).
        Some(value) if value.is_empty() => Err(invalid(value)),
        Some(value) => value.parse().map_err(|_| invalid(value)),
    }
}

/// A subscriber that writes each event at `level` or above as one JSON object per line
/// (`timestamp`, `level`, `fields` with `message`, `target`) to `writer`: stdout in
/// production, a buffer in the tests.
pub fn subscriber<W>(level: LevelFilter, writer: W) -> Box<dyn tracing::Subscriber + Send + Sync>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    Box::new(
        tracing_subscriber::fmt()
            .json()
            .with_max_level(level)
            .with_writer(writer)
            .finish(),
    )
}

/// The pool of `config.database_url`, created lazily (no connection until one is needed, so
/// that the service starts while the database is down), whose `acquire` gives up after
/// [`CHECK_TIMEOUT`]. An error only for a URL that cannot be parsed.
pub fn pool(config: &Config) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .acquire_timeout(CHECK_TIMEOUT)
        .connect_lazy(&config.database_url)
}

/// `GET /livez`: 200 `{"status": "alive"}`, always. It checks nothing outside the process:
/// the database being down is no reason to restart the service.
pub async fn livez() -> Response {
    Json(json!({ "status": "alive" })).into_response()
}

/// `GET /readyz`: `SELECT 1` on the database, within [`CHECK_TIMEOUT`] in all. It answers
/// 200 `{"status": "ready"}` when it worked; otherwise it logs the error at WARN and answers
/// 503 `{"status": "unavailable", "failing": ["database"]}` (the error stays in the log).
pub async fn readyz(State(pool): State<PgPool>) -> Response {
    // The pool's own acquire timeout bounds the wait for a connection; this one bounds the
    // whole check, a query on a connection that stopped answering included.
    let check = tokio::time::timeout(CHECK_TIMEOUT, sqlx::query("SELECT 1").execute(&pool)).await;
    let error = match check {
        Ok(Ok(_)) => return Json(json!({ "status": "ready" })).into_response(),
        Ok(Err(error)) => error.to_string(),
        Err(_) => format!("no answer within {CHECK_TIMEOUT:?}"),
    };
    tracing::warn!(check = "database", %error, "readiness check failed");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({ "status": "unavailable", "failing": ["database"] })),
    )
        .into_response()
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
    let invalid = |error: sqlx::Error| io::Error::new(io::ErrorKind::InvalidInput, error);
    let pool = pool(&config).map_err(invalid)?;
    let options = PgConnectOptions::from_str(&config.database_url).map_err(invalid)?;
    // The host and port name the database well enough; the URL would give its password away.
    tracing::info!(
        address = %listener.local_addr()?,
        database = %format_args!("{}:{}", options.get_host(), options.get_port()),
        log_level = %config.log_level,
        "listening"
    );
    axum::serve(listener, app(pool)).await
}
