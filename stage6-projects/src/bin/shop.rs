//! The shop as a server you can click through: `cargo run -p stage6-projects --bin shop`
//! (your code in `exercises/02_shop/`), or with `--features solution` (the reference).
//!
//! It reads its settings from the environment:
//!
//! - `PORT`: the port to listen on, 3000 by default.
//! - `HOST`: the address to listen on, `127.0.0.1` by default (only this machine).
//! - `DATABASE_URL`: the PostgreSQL database, `postgres://postgres@127.0.0.1:5432/shop` by
//!   default (on the course's local server; created when it is missing, since the blog's
//!   tables, in the default database `postgres`, would clash with the shop's `users`). The
//!   app runs its migrations there at start.
//! - `JWT_SECRET` and `WEBHOOK_SECRET`: the keys of the tokens and of the payment webhook.
//!   Without them fixed development keys are used, with a warning: anybody who reads this
//!   file could forge tokens and payments for that server.
//! - `ADMIN_EMAIL`: the account registered with this address is the admin
//!   (`admin@shop.test` by default).
//! - `S3_ENDPOINT` (e.g. `http://127.0.0.1:9000`), `S3_REGION` (`us-east-1` by default),
//!   `S3_BUCKET`, `S3_ACCESS_KEY`, `S3_SECRET_KEY`: the S3-compatible bucket of product
//!   images (milestone 5; MinIO or Garage run one locally). Without `S3_ENDPOINT`, none.
//! - `AMQP_URL` (e.g. `amqp://guest:guest@127.0.0.1:5672/%2f`) and `AMQP_EXCHANGE`
//!   (`shop.events` by default): where order events go (milestone 5). With it, the mailer
//!   runs too, on the queue `shop.mailer`, and logs each e-mail it would send.
//! - `RUST_LOG`: what to log, `info,tower_http=debug` by default (one line per request).
//!
//! Then, with curl:
//!
//! ```text
//! curl -s localhost:3000/api/users -H 'content-type: application/json' \
//!   -d '{"email":"admin@shop.test","password":"correct horse"}'
//! curl -s 'localhost:3000/api/products?q=shoes'
//! ```
//!
//! A payment, signed as the provider would (`WEBHOOK_SECRET` unset: the development key):
//!
//! ```text
//! body='{"id":"evt_1","type":"payment.succeeded","order_id":1}'; t=$(date +%s)
//! sig=$(printf '%s.%s' "$t" "$body" | openssl dgst -sha256 -hmac "$WEBHOOK_SECRET" -r | cut -d' ' -f1)
//! curl -s localhost:3000/api/webhooks/payments -H "shop-signature: t=$t,v1=$sig" -d "$body"
//! ```

#[cfg(not(feature = "solution"))]
#[allow(unused_variables, unused_imports, dead_code)]
#[path = "../../exercises/02_shop/mod.rs"]
mod shop;
#[cfg(feature = "solution")]
#[path = "../../../solutions/stage6-projects/02_shop/mod.rs"]
mod shop;

use std::error::Error;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use sqlx::ConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tracing_subscriber::EnvFilter;

const DEFAULT_PORT: u16 = 3000;
const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/shop";
const DEFAULT_ADMIN_EMAIL: &str = "admin@shop.test";
const DEVELOPMENT_JWT_SECRET: &str = "backendlings development secret: never use it in production";
const DEVELOPMENT_WEBHOOK_SECRET: &str = "whsec_backendlings_development";

/// The value of the environment variable `name`, or `development` with a warning.
fn secret(name: &str, development: &str) -> String {
    match std::env::var(name) {
        Ok(secret) if !secret.is_empty() => secret,
        _ => {
            tracing::warn!(
                "{name} is not set: using a fixed development key that anybody can read in \
                 src/bin/shop.rs; set {name} to a long random string"
            );
            development.to_string()
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=debug"));
    tracing_subscriber::fmt().with_env_filter(filter).init();

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
    let admin_email =
        std::env::var("ADMIN_EMAIL").unwrap_or_else(|_| DEFAULT_ADMIN_EMAIL.to_string());
    let config = shop::Config::new(
        secret("JWT_SECRET", DEVELOPMENT_JWT_SECRET),
        secret("WEBHOOK_SECRET", DEVELOPMENT_WEBHOOK_SECRET),
    )
    .with_admin(admin_email);
    let mut config = config;
    if let Ok(endpoint) = std::env::var("S3_ENDPOINT") {
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        config = config.with_storage(shop::Storage {
            endpoint,
            region: std::env::var("S3_REGION").unwrap_or_else(|_| "us-east-1".to_string()),
            bucket: var("S3_BUCKET"),
            access_key: var("S3_ACCESS_KEY"),
            secret_key: var("S3_SECRET_KEY"),
        });
    }
    let amqp = std::env::var("AMQP_URL").ok().map(|url| {
        let exchange = std::env::var("AMQP_EXCHANGE").unwrap_or_else(|_| "shop.events".to_string());
        (url, exchange)
    });
    if let Some((url, exchange)) = &amqp {
        config = config.with_events(url.clone(), exchange.clone());
        start_mailer(url.clone(), exchange.clone());
    }

    let options: PgConnectOptions = database_url
        .parse()
        .map_err(|e| format!("DATABASE_URL is not a PostgreSQL URL: {e}"))?;
    create_database_if_missing(&options).await?;
    let pool = PgPoolOptions::new()
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .map_err(|e| {
            format!("cannot connect to the database: {e}; start PostgreSQL or set DATABASE_URL")
        })?;
    let app = shop::app(pool, config).await.map_err(|e| e.to_string())?;

    let listener = tokio::net::TcpListener::bind((host, port))
        .await
        .map_err(|e| format!("cannot listen on {host}:{port}: {e}; set PORT to a free port"))?;
    let address = listener.local_addr()?;
    tracing::info!("the shop's API is at http://{address}/api");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// Runs the mailer in a task of its own, logging each e-mail; a mailer that fails (or is
/// still a `todo!()`) is logged, and the API runs without it.
fn start_mailer(url: String, exchange: String) {
    tokio::spawn(async move {
        let (outbox, mut emails) = tokio::sync::mpsc::unbounded_channel();
        let started = tokio::spawn(async move {
            shop::mailer::start(&url, &exchange, "shop.mailer", outbox).await
        })
        .await;
        match started {
            Ok(Ok(_task)) => {
                tracing::info!("the mailer is consuming the queue shop.mailer");
                while let Some(email) = emails.recv().await {
                    tracing::info!(to = %email.to, subject = %email.subject, "e-mail sent");
                }
            }
            Ok(Err(e)) => tracing::error!("the mailer could not start: {e}"),
            Err(_) => tracing::error!(
                "the mailer panicked: write mailer::start (milestone 5); the API runs without it"
            ),
        }
    });
}

/// Creates the database of `options` when the server does not have it yet, through the
/// server's `postgres` database.
async fn create_database_if_missing(options: &PgConnectOptions) -> Result<(), String> {
    let Some(name) = options.get_database().map(str::to_string) else {
        return Ok(());
    };
    let mut admin = options
        .clone()
        .database("postgres")
        .connect()
        .await
        .map_err(|e| {
            format!("cannot connect to the database: {e}; start PostgreSQL or set DATABASE_URL")
        })?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&name)
            .fetch_one(&mut admin)
            .await
            .map_err(|e| format!("cannot list the databases: {e}"))?;
    if !exists {
        // A name cannot be a bind parameter; quoted as an identifier, any name is safe.
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {quoted}")))
            .execute(&mut admin)
            .await
            .map_err(|e| format!("cannot create the database {name}: {e}"))?;
        tracing::info!("created the database {name}");
    }
    Ok(())
}
