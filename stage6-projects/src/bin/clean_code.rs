//! The order service as a server: `cargo run -p stage6-projects --bin clean_code` (your
//! refactored app, from `exercises/04_clean_code/`), or with `--features solution` (the
//! reference). This file is the composition root: the one place that picks the adapters and
//! plugs them into `OrderService`.
//!
//! It reads its settings from the environment:
//!
//! - `PORT`: the port to listen on, 3000 by default (on 127.0.0.1).
//! - `DATABASE_URL`: the PostgreSQL database, `postgres://postgres@127.0.0.1:5432/postgres` by
//!   default; the tables are created at start (`schema::migrate`). `STORE=memory` keeps the
//!   orders in memory instead (`InMemoryOrderRepository`), with no database at all.
//! - `MAIL_API_URL`: the mail API (`POST {MAIL_API_URL}/v1/messages`). Without it, the
//!   mails are written to the log instead (`LogMailer`, below), with a warning at start.
//! - `APP=legacy`: serve the legacy handler instead (it needs PostgreSQL and a mail API URL:
//!   without one its mails fail and its orders say `"mail": "pending"`), to compare the two
//!   by hand.
//! - `RUST_LOG`: what to log, `info` by default.
//!
//! ```text
//! curl -s localhost:3000/api/orders -H 'content-type: application/json' -d \
//!   '{"email":"ada@example.com","lines":[{"sku":"tea","quantity":5,"unit_price_cents":250}],"coupon":"SAVE10"}'
//! curl -s 'localhost:3000/api/orders?email=ada@example.com'
//! ```
//!
//! Until milestone 4 the refactored app is not there yet: the server still starts, and
//! answers every request 501, naming what to write.

#[cfg(not(feature = "solution"))]
#[allow(unused_variables, unused_imports, dead_code)]
#[path = "../../exercises/04_clean_code/mod.rs"]
mod clean_code;
// The binary uses a part of the project (the tests use the rest: the pricing, the fakes'
// ports), so what it leaves unused is no mistake.
#[cfg(feature = "solution")]
#[allow(unused_imports, dead_code)]
#[path = "../../../solutions/stage6-projects/04_clean_code/mod.rs"]
mod clean_code;

use std::error::Error;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use clean_code::{
    HttpMailer, InMemoryOrderRepository, Mail, MailError, Mailer, OrderRepository, OrderService,
    PgOrderRepository, SystemClock,
};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use tracing_subscriber::EnvFilter;

const DEFAULT_PORT: u16 = 3000;
const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Writes each mail to the log instead of sending it: an adapter of the `Mailer` port, in a
/// few lines, for a development server without a mail API.
struct LogMailer;

impl Mailer for LogMailer {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        tracing::info!(to = %mail.to, subject = %mail.subject, "a mail, not sent:\n{}", mail.text);
        Ok(())
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();

    let port = match std::env::var("PORT") {
        Ok(port) => port
            .parse::<u16>()
            .map_err(|_| format!("PORT={port:?} is not a port number: set it to e.g. 3000"))?,
        Err(_) => DEFAULT_PORT,
    };
    let mail_api_url = std::env::var("MAIL_API_URL")
        .ok()
        .filter(|url| !url.is_empty());
    let legacy = std::env::var("APP").is_ok_and(|app| app == "legacy");
    let in_memory = std::env::var("STORE").is_ok_and(|store| store == "memory");

    let app = if legacy {
        let url = mail_api_url.unwrap_or_else(|| {
            tracing::warn!(
                "MAIL_API_URL is not set: the legacy app's mails will fail (set it to a mail \
                 API's URL, e.g. http://127.0.0.1:8025)"
            );
            "http://127.0.0.1:9".to_string()
        });
        clean_code::legacy::app(connect().await?, url)
    } else if in_memory {
        refactored(None, mail_api_url)
    } else {
        refactored(Some(connect().await?), mail_api_url)
    };

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}; set PORT to a free port"))?;
    let which = if legacy { "legacy" } else { "refactored" };
    tracing::info!(
        "the {which} order service is at http://{}/api/orders",
        listener.local_addr()?
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// The database of `DATABASE_URL`, with its tables.
async fn connect() -> Result<PgPool, String> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_string());
    let pool = PgPoolOptions::new()
        .acquire_timeout(Duration::from_secs(5))
        .connect(&url)
        .await
        .map_err(|e| {
            format!(
                "cannot connect to the database: {e}; start PostgreSQL, set DATABASE_URL, or \
                 run with STORE=memory"
            )
        })?;
    clean_code::schema::migrate(&pool)
        .await
        .map_err(|e| format!("cannot create the tables: {e}"))?;
    Ok(pool)
}

/// The refactored app on PostgreSQL (`pool`) or in memory (`None`), mailing through the mail
/// API or to the log. Until your adapters and `app` are written they panic with their
/// `todo!()`: then the server answers every request 501 with that message, instead of dying.
fn refactored(pool: Option<PgPool>, mail_api_url: Option<String>) -> Router {
    if mail_api_url.is_none() {
        tracing::warn!("MAIL_API_URL is not set: mails go to the log, not to customers");
    }
    // The starter's panics are expected here: keep them off stderr, say it once in the log.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    // Unwind safe: on a panic, what the closure took is dropped, never used again.
    let built = std::panic::catch_unwind(AssertUnwindSafe(|| match pool {
        Some(pool) => with_mailer(PgOrderRepository::new(pool), mail_api_url),
        None => with_mailer(InMemoryOrderRepository::new(), mail_api_url),
    }));
    std::panic::set_hook(hook);
    built.unwrap_or_else(|panic| {
        let todo = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        tracing::warn!("the refactored app is not written yet ({todo}): every request answers 501");
        let message = format!(
            "not implemented yet: the refactored app (milestones 1 to 4 of 04_clean_code: the \
             adapters, OrderService, and app(service) in http.rs); first missing: {todo}\n"
        );
        Router::new().fallback(async move || (StatusCode::NOT_IMPLEMENTED, message))
    })
}

fn with_mailer<R: OrderRepository>(repository: R, mail_api_url: Option<String>) -> Router {
    match mail_api_url {
        Some(url) => clean_code::app(OrderService::new(
            repository,
            HttpMailer::new(url),
            SystemClock,
        )),
        None => clean_code::app(OrderService::new(repository, LogMailer, SystemClock)),
    }
}
