//! The URL shortener as a server you can click through: `cargo run -p stage6-projects --bin
//! shortener` (your code in `exercises/03_shortener/`), or with `--features solution` (the
//! reference). Each instance serves HTTP and runs a click worker.
//!
//! It reads its settings from the environment:
//!
//! - `PORT`: the first instance's port, 3000 by default.
//! - `INSTANCES`: how many instances to run, 1 by default; instance `n` listens on
//!   `PORT + n`, so `INSTANCES=2` gives 3000 and 3001, ready for a load balancer (the
//!   project's `nginx.conf`, with `${APP_1}` and `${APP_2}` set to them).
//! - `DATABASE_URL`: PostgreSQL, `postgres://postgres@127.0.0.1:5432/postgres` by default.
//!   The migrations run there at start.
//! - `REDIS_URL`: Redis, `redis://127.0.0.1:6379` by default.
//! - `PUBLIC_URL`: the address short links start with, `http://127.0.0.1:<PORT>` by default.
//! - `RUST_LOG`: what to log, `info` by default.
//!
//! ```text
//! curl -si localhost:3000/api/links -H 'content-type: application/json' \
//!   -d '{"url":"https://www.rust-lang.org"}'
//! curl -si localhost:3000/1
//! curl -s localhost:3000/api/links/1/stats
//! ```

#[cfg(not(feature = "solution"))]
#[allow(unused_variables, unused_imports, dead_code)]
#[path = "../../exercises/03_shortener/mod.rs"]
mod shortener;
// The estimate's functions and `NGINX_CONF` are the tests', not the server's.
#[cfg(feature = "solution")]
#[allow(dead_code)]
#[path = "../../../solutions/stage6-projects/03_shortener/mod.rs"]
mod shortener;

use std::error::Error;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use tracing_subscriber::EnvFilter;

const DEFAULT_PORT: u16 = 3000;
const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const DEFAULT_REDIS_URL: &str = "redis://127.0.0.1:6379";

/// A variable parsed as a number, or its default when it is not set.
fn number<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match std::env::var(name) {
        Ok(value) => value
            .parse()
            .map_err(|_| format!("{name}={value:?} is not a number: set it to e.g. 2")),
        Err(_) => Ok(default),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();

    let port: u16 = number("PORT", DEFAULT_PORT)?;
    let instances: u16 = number("INSTANCES", 1)?;
    let database_url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_string());
    let redis_url = std::env::var("REDIS_URL").unwrap_or_else(|_| DEFAULT_REDIS_URL.to_string());
    let public_url =
        std::env::var("PUBLIC_URL").unwrap_or_else(|_| format!("http://127.0.0.1:{port}"));

    let pool = PgPoolOptions::new()
        .acquire_timeout(Duration::from_secs(5))
        .connect(&database_url)
        .await
        .map_err(|e| {
            format!("cannot connect to the database: {e}; start PostgreSQL or set DATABASE_URL")
        })?;
    shortener::migrate(&pool)
        .await
        .map_err(|e| format!("the migrations failed: {e}"))?;
    let redis = redis::Client::open(redis_url.as_str())
        .map_err(|e| format!("REDIS_URL={redis_url:?} is refused: {e}"))?;

    let mut servers = Vec::new();
    for n in 0..instances.max(1) {
        let port = port + n;
        let config = shortener::Config::new(public_url.clone(), "shortener:");
        let state = shortener::AppState::connect(pool.clone(), redis.clone(), config)
            .await
            .map_err(|e| format!("cannot connect to Redis: {e}; start Redis or set REDIS_URL"))?;
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .await
            .map_err(|e| format!("cannot listen on port {port}: {e}; set PORT to a free port"))?;
        tracing::info!("instance {} at http://{}", n + 1, listener.local_addr()?);
        let worker = format!("worker-{port}");
        let worker_state = state.clone();
        tokio::spawn(async move {
            if let Err(e) = shortener::clicks::run_worker(worker_state, worker.clone()).await {
                tracing::warn!("click worker {worker} stopped: {e}");
            }
        });
        let app = shortener::app(state).into_make_service_with_connect_info::<SocketAddr>();
        servers.push(tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await
        }));
    }
    for server in servers {
        server.await??;
    }
    Ok(())
}
