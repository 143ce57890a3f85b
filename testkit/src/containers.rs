//! The third place to find a service: a container started through testcontainers, where a
//! Docker engine answers. One container per service and test process, left to testcontainers'
//! reaper to remove when the process ends.
//!
//! This is slower than a service that is already running (a new container for each test
//! binary), so `cargo xtask doctor` suggests starting one instead; it is here so that a machine
//! with Docker and nothing else still runs every test.

use std::sync::OnceLock;

use testcontainers::runners::SyncRunner;
use testcontainers::{Container, Image};
use testcontainers_modules::{
    kafka::apache::Kafka, postgres::Postgres, rabbitmq::RabbitMq, redis::Redis,
};

use services::{Resolved, Service};

static POSTGRES: OnceLock<Option<(Container<Postgres>, String)>> = OnceLock::new();
static REDIS: OnceLock<Option<(Container<Redis>, String)>> = OnceLock::new();
static RABBITMQ: OnceLock<Option<(Container<RabbitMq>, String)>> = OnceLock::new();
static KAFKA: OnceLock<Option<(Container<Kafka>, String)>> = OnceLock::new();

/// A container for `service`, where it is one of those that `Service::container_fallback`
/// names, and a Docker engine answers.
pub fn start(service: Service) -> Option<Resolved> {
    let port = service.default_port()?;
    // SyncRunner makes its own runtime, which cannot happen on a runtime's thread.
    let url = std::thread::spawn(move || match service {
        Service::Postgres => cached(&POSTGRES, Postgres::default().with_host_auth(), port, |p| {
            format!("postgres://postgres@127.0.0.1:{p}")
        }),
        Service::Redis => cached(&REDIS, Redis::default(), port, |p| {
            format!("redis://127.0.0.1:{p}")
        }),
        Service::Rabbitmq => cached(&RABBITMQ, RabbitMq::default(), port, |p| {
            format!("amqp://guest:guest@127.0.0.1:{p}")
        }),
        // Apache Kafka's own image (KRaft, no ZooKeeper); the module advertises the mapped
        // port, so clients outside the container reach the broker it names.
        Service::Kafka => cached(&KAFKA, Kafka::default(), port, |p| format!("127.0.0.1:{p}")),
        // No container for these: the runner knows it from `container_fallback`.
        Service::Nginx
        | Service::Chromium
        | Service::Prometheus
        | Service::Hadolint
        | Service::Actionlint => None,
    })
    .join()
    .ok()
    .flatten()?;
    Some(Resolved {
        url,
        source: "a container started by testcontainers".to_string(),
    })
}

fn cached<I: Image + 'static>(
    cell: &'static OnceLock<Option<(Container<I>, String)>>,
    image: I,
    port: u16,
    url: impl Fn(u16) -> String,
) -> Option<String> {
    cell.get_or_init(|| {
        // Without a Docker engine this fails at once (a client error), never hangs.
        let container = image.start().ok()?;
        let host_port = container.get_host_port_ipv4(port).ok()?;
        Some((container, url(host_port)))
    })
    .as_ref()
    .map(|(_, url)| url.clone())
}
