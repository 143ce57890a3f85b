//! The blog as a server you can click through: `cargo run -p stage6-projects --bin blog`
//! (your code in `exercises/01_blog/`), or with `--features solution` (the reference).
//!
//! It reads its settings from the environment:
//!
//! - `PORT`: the port to listen on, 3000 by default.
//! - `HOST`: the address to listen on, `127.0.0.1` by default (only this machine); set
//!   `HOST=0.0.0.0` to be reachable from elsewhere (a phone, a container's host).
//! - `DATABASE_URL`: the PostgreSQL database, `postgres://postgres@127.0.0.1:5432/postgres`
//!   by default (the course's local server, its default database). The app runs its
//!   migrations there at start.
//! - `JWT_SECRET`: the key of its tokens. Without it a fixed development secret is used, with
//!   a warning: anybody who reads this file could forge tokens for that server.
//! - `S3_ENDPOINT` (e.g. `http://127.0.0.1:9000`), `S3_REGION` (`us-east-1` by default),
//!   `S3_BUCKET`, `S3_ACCESS_KEY`, `S3_SECRET_KEY`: the S3-compatible bucket of cover images
//!   (milestone 8; MinIO or Garage run one locally). Without `S3_ENDPOINT`, none.
//! - `LOG_FORMAT=json`: log JSON lines (each with the request's `request_id`), not text.
//! - `RUST_LOG`: what to log, `info,tower_http=debug` by default (one line per request).
//!
//! Then point a RealWorld front end (<https://codebase.show/projects/realworld>) at
//! `http://127.0.0.1:3000/api`, or try it with curl:
//!
//! ```text
//! curl -s localhost:3000/api/users -H 'content-type: application/json' \
//!   -d '{"user":{"username":"ada","email":"ada@example.com","password":"lovelace"}}'
//! ```

#[cfg(not(feature = "solution"))]
#[allow(unused_variables, unused_imports, dead_code)]
#[path = "../../exercises/01_blog/mod.rs"]
mod blog;
#[cfg(feature = "solution")]
#[path = "../../../solutions/stage6-projects/01_blog/mod.rs"]
mod blog;

use std::error::Error;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use tracing_subscriber::EnvFilter;

const DEFAULT_PORT: u16 = 3000;
const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const DEVELOPMENT_SECRET: &str = "backendlings development secret: never use it in production";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=debug"));
    // `LOG_FORMAT=json`: one JSON object a line, each with its request's span (and id), for a
    // log collector; otherwise lines for a human.
    if std::env::var("LOG_FORMAT").is_ok_and(|format| format == "json") {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }

    let port = match std::env::var("PORT") {
        Ok(port) => port
            .parse::<u16>()
            .map_err(|_| format!("PORT={port:?} is not a port number: set it to e.g. 3000"))?,
        Err(_) => DEFAULT_PORT,
    };
    let host = match std::env::var("HOST") {
        Ok(host) => host
            .parse::<IpAddr>()
            .map_err(|_| format!("HOST={host:?} is not an IP address: set it to e.g. 0.0.0.0"))?,
        Err(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
    };
    let database_url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_string());
    let secret = match std::env::var("JWT_SECRET") {
        Ok(secret) if !secret.is_empty() => secret,
        _ => {
            tracing::warn!(
                "JWT_SECRET is not set: using a fixed development secret, anybody can forge \
                 tokens for this server; set JWT_SECRET to a long random string"
            );
            DEVELOPMENT_SECRET.to_string()
        }
    };

    let pool = PgPoolOptions::new()
        .acquire_timeout(Duration::from_secs(5))
        .connect(&database_url)
        .await
        .map_err(|e| {
            format!("cannot connect to the database: {e}; start PostgreSQL or set DATABASE_URL")
        })?;
    let mut config = blog::Config::new(secret);
    if let Ok(endpoint) = std::env::var("S3_ENDPOINT") {
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        config = config.with_storage(blog::Storage {
            endpoint,
            region: std::env::var("S3_REGION").unwrap_or_else(|_| "us-east-1".to_string()),
            bucket: var("S3_BUCKET"),
            access_key: var("S3_ACCESS_KEY"),
            secret_key: var("S3_SECRET_KEY"),
        });
    }
    let app = blog::app(pool, config)
        .await
        .map_err(|e| format!("the migrations failed: {e}"))?;

    let listener = tokio::net::TcpListener::bind((host, port))
        .await
        .map_err(|e| format!("cannot listen on {host}:{port}: {e}; set PORT to a free port"))?;
    let address = listener.local_addr()?;
    tracing::info!("the blog's API is at http://{address}/api");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
