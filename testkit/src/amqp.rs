//! RabbitMQ with queue and exchange names of the test's own; they are deleted when the test
//! ends.
//!
//! Every queue and exchange a test uses is named through [`TestAmqp::queue`] or
//! [`TestAmqp::exchange`], which put the test's prefix in front and remember the name, so that
//! tests run in parallel on one broker and a second run starts with empty queues.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lapin::options::{ExchangeDeleteOptions, QueueDeleteOptions};
use lapin::{Connection, ConnectionProperties};

use crate::{Service, resolve};

pub struct TestAmqp {
    conn: Connection,
    url: String,
    prefix: String,
    queues: Mutex<Vec<String>>,
    exchanges: Mutex<Vec<String>>,
}

impl TestAmqp {
    /// The connection to the broker, for channels (`conn.create_channel()`).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The broker's URL, for code that connects by itself.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The prefix of every name this test uses: `tk.<time>.<pid>.<n>.`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The name to use for queue `name` in this test; deleted afterwards.
    pub fn queue(&self, name: &str) -> String {
        let full = format!("{}{name}", self.prefix);
        self.queues.lock().expect("not poisoned").push(full.clone());
        full
    }

    /// The name to use for exchange `name` in this test; deleted afterwards.
    pub fn exchange(&self, name: &str) -> String {
        let full = format!("{}{name}", self.prefix);
        self.exchanges
            .lock()
            .expect("not poisoned")
            .push(full.clone());
        full
    }
}

/// A RabbitMQ connection and a name prefix of the test's own. Panics, with what to do, when
/// RabbitMQ is missing.
pub async fn connection() -> TestAmqp {
    match try_connection().await {
        Ok(amqp) => amqp,
        Err(message) => panic!("{message}"),
    }
}

pub async fn try_connection() -> Result<TestAmqp, String> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let server = resolve::find(Service::Rabbitmq)?;
    let conn = connect(&server.url).await?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    Ok(TestAmqp {
        conn,
        prefix: format!("tk.{now}.{}.{n}.", std::process::id()),
        url: server.url,
        queues: Mutex::default(),
        exchanges: Mutex::default(),
    })
}

async fn connect(url: &str) -> Result<Connection, String> {
    tokio::time::timeout(
        Duration::from_secs(5),
        Connection::connect(url, ConnectionProperties::default()),
    )
    .await
    .map_err(|_| format!("RabbitMQ at {url}: no answer within 5 s"))?
    .map_err(|e| format!("RabbitMQ at {url}: {e}"))
}

impl Drop for TestAmqp {
    fn drop(&mut self) {
        let queues = std::mem::take(&mut *self.queues.lock().expect("not poisoned"));
        let exchanges = std::mem::take(&mut *self.exchanges.lock().expect("not poisoned"));
        if queues.is_empty() && exchanges.is_empty() {
            return;
        }
        let url = self.url.clone();
        // Drop cannot await, and the test's runtime may be shutting down: clean up on a
        // thread with a runtime of its own.
        let cleanup = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                let Ok(conn) = connect(&url).await else {
                    return;
                };
                for queue in &queues {
                    // A channel per deletion: a failed one (already gone) closes its channel.
                    if let Ok(channel) = conn.create_channel().await {
                        let _ = channel
                            .queue_delete(queue.as_str().into(), QueueDeleteOptions::default())
                            .await;
                    }
                }
                for exchange in &exchanges {
                    if let Ok(channel) = conn.create_channel().await {
                        let _ = channel
                            .exchange_delete(
                                exchange.as_str().into(),
                                ExchangeDeleteOptions::default(),
                            )
                            .await;
                    }
                }
                let _ = conn.close(0, "testkit cleanup".into()).await;
            });
        });
        let _ = cleanup.join();
    }
}
