//! What the milestones share: fakes for the ports (written here, outside your code, which is
//! the point: the service takes any provider), a mail API server that records what it is
//! sent, and the apps served on free ports. No tests here.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use chrono::{DateTime, Utc};
use serde_json::Value;
use testkit::http::Client;
use testkit::postgres::TestDatabase;

use crate::exercise::{
    Clock, HttpMailer, InMemoryOrderRepository, Mail, MailError, Mailer, NewOrder, Order,
    OrderRepository, OrderService, PgOrderRepository, StorageError, SystemClock, app, legacy,
    schema,
};

/// `at("2026-12-03T17:59:59Z")`: an instant, from RFC 3339.
pub fn at(instant: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(instant)
        .unwrap_or_else(|e| panic!("{instant} is not RFC 3339: {e}"))
        .with_timezone(&Utc)
}

/// A clock stopped at one instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// A mailer that keeps what it is given, and notes whether the store held the mail's order
/// (the id in its subject) at the moment of sending.
#[derive(Clone, Default)]
pub struct RecordingMailer {
    pub mails: Arc<Mutex<Vec<Mail>>>,
    /// Set by [`RecordingMailer::watching`]: the store to look in when a mail is sent.
    store: Option<InMemoryOrderRepository>,
    /// One entry a mail: whether its order was in the store when it was sent.
    pub saved_when_sent: Arc<Mutex<Vec<bool>>>,
}

impl RecordingMailer {
    pub fn watching(store: InMemoryOrderRepository) -> RecordingMailer {
        RecordingMailer {
            store: Some(store),
            ..RecordingMailer::default()
        }
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

impl Mailer for RecordingMailer {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        if let Some(store) = &self.store {
            let id: Option<i64> = mail
                .subject
                .rsplit('#')
                .next()
                .and_then(|id| id.parse().ok());
            let saved = match id {
                Some(id) => store.get(id).await.ok().flatten().is_some(),
                None => false,
            };
            self.saved_when_sent.lock().unwrap().push(saved);
        }
        self.mails.lock().unwrap().push(mail);
        Ok(())
    }
}

/// A mailer whose every mail fails, as a mail API that is down.
#[derive(Clone, Default)]
pub struct FailingMailer {
    pub attempts: Arc<Mutex<usize>>,
}

impl Mailer for FailingMailer {
    async fn send(&self, _mail: Mail) -> Result<(), MailError> {
        *self.attempts.lock().unwrap() += 1;
        Err(MailError("the mail API is down (a test's fake)".into()))
    }
}

/// A store that fails every call, as a database that is down.
#[derive(Clone, Default)]
pub struct FailingRepository;

impl OrderRepository for FailingRepository {
    async fn insert(&self, _order: NewOrder) -> Result<Order, StorageError> {
        Err(StorageError("the database is down (a test's fake)".into()))
    }
    async fn get(&self, _id: i64) -> Result<Option<Order>, StorageError> {
        Err(StorageError("the database is down (a test's fake)".into()))
    }
    async fn list_by_email(&self, _email: &str) -> Result<Vec<Order>, StorageError> {
        Err(StorageError("the database is down (a test's fake)".into()))
    }
}

/// What a [`MailSink`] was sent: `(path, JSON body)` of each request.
type Received = Arc<Mutex<Vec<(String, Value)>>>;

/// A mail API on a free port: it answers every `POST` with `status` and keeps the path and
/// the JSON body of each.
#[derive(Clone)]
pub struct MailSink {
    pub url: String,
    received: Received,
}

impl MailSink {
    pub async fn start(status: u16) -> MailSink {
        let received: Received = Arc::default();
        let status = StatusCode::from_u16(status).expect("a status code");
        let router = axum::Router::new()
            .fallback(
                async move |State(received): State<Received>, uri: Uri, Json(body): Json<Value>| {
                    received
                        .lock()
                        .unwrap()
                        .push((uri.path().to_string(), body));
                    status
                },
            )
            .with_state(received.clone());
        let addr = serve(router).await;
        MailSink {
            url: format!("http://{addr}"),
            received,
        }
    }

    /// `(path, body)` of each mail received, in order.
    pub fn received(&self) -> Vec<(String, Value)> {
        self.received.lock().unwrap().clone()
    }
}

/// Serves `router` on a free port of 127.0.0.1.
pub async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port on 127.0.0.1");
    let addr = listener.local_addr().expect("the listener's address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}

/// A new database with the tables of `schema::migrate`.
pub async fn database() -> TestDatabase {
    let db = testkit::postgres::database().await;
    schema::migrate(db.pool())
        .await
        .expect("schema::migrate on an empty database");
    db
}

/// Which app a pinned test is talking to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Legacy,
    Refactored,
}

/// One app of a pinned test, with its database and its mail server.
pub struct Running {
    pub client: Client,
    pub sink: MailSink,
    /// Kept for as long as the app runs: the database is dropped with it.
    _db: TestDatabase,
}

/// `side`'s app, served with a new database and a mail API answering `mail_status`.
pub async fn run(side: Side, mail_status: u16) -> Running {
    let db = database().await;
    let sink = MailSink::start(mail_status).await;
    let router = router(side, &db, &sink);
    let addr = serve(router).await;
    // The side is named in every failure, in the URL's place.
    eprintln!("--- the {side:?} app, at http://{addr}");
    Running {
        client: Client::new(format!("http://{addr}")),
        sink,
        _db: db,
    }
}

/// `side`'s router on `db`, mailing to `sink`: for the refactored side, the production wiring.
pub fn router(side: Side, db: &TestDatabase, sink: &MailSink) -> axum::Router {
    match side {
        Side::Legacy => legacy::app(db.pool().clone(), sink.url.clone()),
        Side::Refactored => app(OrderService::new(
            PgOrderRepository::new(db.pool().clone()),
            HttpMailer::new(sink.url.clone()),
            SystemClock,
        )),
    }
}
