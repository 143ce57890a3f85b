//! # Graceful shutdown: finish what was started, start nothing new, and do not wait forever
//!
//! A service is stopped many times a day: every deploy, every scale-in, every node drain sends
//! it a signal (`SIGTERM` in Kubernetes) and, some seconds later, kills it. What happens in
//! between decides whether users see errors and whether work is lost:
//!
//! - **HTTP**: stop accepting new connections (the load balancer sends them to another
//!   replica), but let every request already in flight finish and get its answer. axum does
//!   this with [`axum::serve(...).with_graceful_shutdown(signal)`][graceful]: when `signal`
//!   completes it closes the listener, tells idle keep-alive connections to close, and waits
//!   for the busy ones.
//! - **A queue consumer**: stop taking new messages, finish the one in hand and **ack** it.
//!   Messages not started stay in the queue for the next replica. Closing the channel gives
//!   back any message delivered but not acknowledged, so nothing is lost.
//! - **A deadline** (Kubernetes' `terminationGracePeriodSeconds`): draining may hang (a stuck
//!   request, a job waiting on a dead backend). After the grace period the service stops
//!   anyway, and says what it abandoned. An abandoned message is *not* acked: the broker
//!   delivers it again, to someone who can finish it (so jobs must be idempotent, exercise 02).
//!   A request past the deadline is cut when the process exits right after: axum runs each
//!   connection on a task of its own, so only the end of the process (or of its runtime)
//!   stops it; aborting the server's task stops just the accepting.
//!
//! Here the shutdown signal is a [`tokio::sync::watch`] channel the caller flips to `true`
//! (in production, `tokio::signal::unix::signal(SignalKind::terminate())` would flip it).
//! A watch channel suits a signal: any number of tasks can wait on it, and one that starts
//! waiting late still sees that it fired.
//!
//! You write [`run`]: serve [`app`] on the listener and consume the queue, one message at a
//! time, until the signal; then drain both within the grace period and return a
//! [`ShutdownReport`].
//!
//! Read more:
//! - axum graceful shutdown: <https://docs.rs/axum/0.8/axum/serve/struct.Serve.html#method.with_graceful_shutdown>
//! - `tokio::time::timeout_at`: <https://docs.rs/tokio/latest/tokio/time/fn.timeout_at.html>
//! - Kubernetes pod termination: <https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination>
//!
//! [graceful]: https://docs.rs/axum/0.8/axum/serve/struct.Serve.html#method.with_graceful_shutdown

use std::future::{Future, IntoFuture};
use std::pin::pin;
use std::sync::Mutex;
use std::time::Duration;

use axum::Router;
use axum::extract::Path;
use axum::routing::get;
use futures_util::StreamExt;
use lapin::options::{BasicAckOptions, BasicConsumeOptions, BasicQosOptions};
use lapin::types::FieldTable;
use lapin::{Connection, Consumer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::time::{Instant, timeout_at};

/// What a shutdown did: the messages acknowledged (in order), the message abandoned in hand
/// when the grace period ran out (not acknowledged, so RabbitMQ delivers it again), and whether
/// HTTP requests still running at the deadline were cut.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShutdownReport {
    pub acked: Vec<String>,
    pub abandoned: Option<String>,
    pub requests_cut: bool,
}

/// What can stop [`run`] before a shutdown; each message says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum ShutdownError {
    #[error("RabbitMQ: {0}; check that the broker runs and that the queue exists")]
    Amqp(#[from] lapin::Error),
    #[error(
        "the consumer ended before the shutdown signal; RabbitMQ closed it, restart the service"
    )]
    ConsumerEnded,
}

/// The HTTP side, given: `GET /health` answers `ok`; `GET /slow/{ms}` answers
/// `done after {ms} ms` after waiting that long (a request that takes time to finish).
pub fn app() -> Router {
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route(
            "/slow/{ms}",
            get(|Path(ms): Path<u64>| async move {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                format!("done after {ms} ms")
            }),
        )
}

/// Completes once `shutdown` holds `true` (at once if it does already), or once its sender is
/// gone: a service whose controller vanished should stop too.
pub async fn signalled(mut shutdown: watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|&stop| stop).await;
}

/// Runs the service until `shutdown` turns `true`, then drains it:
///
/// - serves [`app`] on `listener`; after the signal it accepts no new connection, and requests
///   in flight finish;
/// - consumes `queue` on a channel of `amqp` of its own, holding one unacknowledged message at
///   a time (prefetch 1), running `work` on each message's body (UTF-8 text) and acking it once
///   `work` is done; after the signal it starts no new message;
/// - gives both at most `grace` after the signal; whatever is still running then is abandoned
///   (reported, and the message not acked), and the channel is closed so that RabbitMQ gets
///   back every message it delivered but was not acked.
pub async fn run<W, Fut>(
    listener: TcpListener,
    amqp: &Connection,
    queue: &str,
    work: W,
    shutdown: watch::Receiver<bool>,
    grace: Duration,
) -> Result<ShutdownReport, ShutdownError>
where
    W: Fn(String) -> Fut,
    Fut: Future<Output = ()>,
{
    let channel = amqp.create_channel().await?;
    // One message in hand at a time: at shutdown only that one has to be finished.
    channel.basic_qos(1, BasicQosOptions::default()).await?;
    let consumer = channel
        .basic_consume(
            queue.into(),
            "".into(),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await?;

    let mut server = tokio::spawn(
        axum::serve(listener, app())
            .with_graceful_shutdown(signalled(shutdown.clone()))
            .into_future(),
    );

    let state = Mutex::new(ShutdownReport::default());
    let in_hand = Mutex::new(None::<String>);
    let mut consuming = pin!(consume(consumer, &work, shutdown.clone(), &state, &in_hand));

    // Until the signal, the consumer runs. It returns `Ok` only after seeing the signal itself,
    // so `Some(Ok(()))` means "drained already", and an error ends the service at once.
    let finished_early = tokio::select! {
        ended = &mut consuming => Some(ended),
        () = signalled(shutdown) => None,
    };
    if let Some(Err(error)) = finished_early {
        server.abort();
        return Err(error);
    }

    // The grace period starts at the signal and is shared by both sides.
    let deadline = Instant::now() + grace;
    let drained = match finished_early {
        Some(ended) => Ok(ended),
        None => timeout_at(deadline, &mut consuming).await,
    };
    let mut report = match drained {
        Ok(result) => {
            result?;
            std::mem::take(&mut *state.lock().expect("no panic while holding the lock"))
        }
        Err(_) => {
            // Dropping the future stops the work; its message was never acked.
            let mut report =
                std::mem::take(&mut *state.lock().expect("no panic while holding the lock"));
            report.abandoned = in_hand
                .lock()
                .expect("no panic while holding the lock")
                .take();
            report
        }
    };
    if timeout_at(deadline, &mut server).await.is_err() {
        server.abort();
        report.requests_cut = true;
    }
    // Closing the channel hands every unacknowledged message back to the queue.
    channel.close(200, "shutting down".into()).await?;
    Ok(report)
}

/// Takes messages one at a time until the signal; finishes and acks the one in hand.
async fn consume<W, Fut>(
    mut consumer: Consumer,
    work: &W,
    shutdown: watch::Receiver<bool>,
    state: &Mutex<ShutdownReport>,
    in_hand: &Mutex<Option<String>>,
) -> Result<(), ShutdownError>
where
    W: Fn(String) -> Fut,
    Fut: Future<Output = ()>,
{
    loop {
        // `biased`: once the signal fired, a message already waiting is not taken.
        let delivery = tokio::select! {
            biased;
            () = signalled(shutdown.clone()) => return Ok(()),
            next = consumer.next() => match next {
                Some(delivery) => delivery?,
                None => return Err(ShutdownError::ConsumerEnded),
            },
        };
        let body = String::from_utf8_lossy(&delivery.data).into_owned();
        *in_hand.lock().expect("no panic while holding the lock") = Some(body.clone());
        work(body.clone()).await;
        delivery.acker.ack(BasicAckOptions::default()).await?;
        *in_hand.lock().expect("no panic while holding the lock") = None;
        state
            .lock()
            .expect("no panic while holding the lock")
            .acked
            .push(body);
    }
}
