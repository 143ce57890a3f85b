//! Where a server is, for the tests: where the `services` crate says (the environment, `.env`,
//! the local default), else a container where a Docker engine answers, else a clear error —
//! in that order, within a few seconds.

use std::path::{Path, PathBuf};

pub use services::Resolved;
use services::Service;

/// The workspace root, where `.env` lives.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("testkit is in the workspace")
        .to_path_buf()
}

/// Finds a running server, or says clearly why there is none: the message names the
/// service, where it was looked for and how to start it, and is what a learner then reads as
/// the test's failure.
pub fn find(service: Service) -> Result<Resolved, String> {
    match services::resolve(&workspace_root(), service) {
        Some(configured) => find_from(service, configured, true),
        None => Err(format!(
            "{} is a program the tests run themselves, not a server testkit connects to",
            service.name()
        )),
    }
}

fn find_from(
    service: Service,
    configured: Resolved,
    try_containers: bool,
) -> Result<Resolved, String> {
    let probe = services::probe_resolved(service, &configured);
    if probe.reachable {
        return Ok(configured);
    }
    if try_containers && let Some(container) = container(service) {
        return Ok(container);
    }
    Err(format!(
        "{} is not reachable at {} ({}); {}. `cargo xtask doctor` checks every service",
        service.name(),
        probe.address,
        probe.source,
        service.how_to_start()
    ))
}

/// A container started through testcontainers, where a Docker engine answers.
#[cfg(feature = "containers")]
fn container(service: Service) -> Option<Resolved> {
    crate::containers::start(service)
}

#[cfg(not(feature = "containers"))]
fn container(_service: Service) -> Option<Resolved> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_closed_port_fails_within_seconds_naming_the_service_and_the_fix() {
        // Bind, then drop: nothing listens on that port any more.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let configured = Resolved {
            url: format!("redis://127.0.0.1:{port}"),
            source: "REDIS_URL in .env".into(),
        };
        let started = std::time::Instant::now();
        let err = find_from(Service::Redis, configured, false).unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "took {:?}",
            started.elapsed()
        );
        assert_eq!(
            err,
            format!(
                "Redis is not reachable at 127.0.0.1:{port} (REDIS_URL in .env); {}. `cargo xtask doctor` checks every service",
                Service::Redis.how_to_start()
            )
        );
        assert!(
            err.contains("; start Redis: `docker run -d -p 6379:6379 redis:7`"),
            "{err}"
        );
    }

    #[test]
    fn a_reachable_server_is_found_where_it_was_configured() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let configured = Resolved {
            url: format!(
                "postgres://me@127.0.0.1:{}/x",
                listener.local_addr().unwrap().port()
            ),
            source: "DATABASE_URL in the environment".into(),
        };
        assert_eq!(
            find_from(Service::Postgres, configured.clone(), false),
            Ok(configured)
        );
    }

    #[test]
    fn a_program_is_not_a_server_to_find() {
        assert_eq!(
            find(Service::Nginx).unwrap_err(),
            "nginx is a program the tests run themselves, not a server testkit connects to"
        );
    }
}
