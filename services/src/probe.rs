//! Is a service there? A server is there when a TCP connection succeeds, one second at most
//! per address, so a missing one is reported in about a second, never as a hang; programs are
//! there when every one of them is found.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::config::{Resolved, authority_host_port, host_port, resolve};
use crate::{Kind, Service};

/// What probing a service found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub service: Service,
    /// Where the service is: `127.0.0.1:5432` for a server (the URL itself where it names no
    /// host and port); for programs, their paths when all are found, else the names of those
    /// missing (`chromedriver`).
    pub address: String,
    /// Where the address came from: `REDIS_URL in .env`, `the default`, or `PATH`.
    pub source: String,
    /// The server accepts connections, or every program is found.
    pub reachable: bool,
}

/// Whether `service` is there: a server from [`resolve`]'s URL, or programs on `PATH`.
pub fn probe(root: &Path, service: Service) -> Probe {
    match resolve(root, service) {
        Some(resolved) => probe_resolved(service, &resolved),
        None => probe_programs(service, find_program),
    }
}

/// Whether the server at an already resolved URL accepts connections.
pub fn probe_resolved(service: Service, resolved: &Resolved) -> Probe {
    let (address, reachable) = match host_port(&resolved.url) {
        Some((host, port)) => (format!("{host}:{port}"), reachable(&host, port)),
        None => (resolved.url.clone(), false),
    };
    Probe {
        service,
        address,
        source: resolved.source.clone(),
        reachable,
    }
}

/// `service`'s programs, each looked up with `find`.
fn probe_programs(service: Service, find: impl Fn(&str) -> Option<PathBuf>) -> Probe {
    debug_assert_eq!(service.kind(), Kind::Programs);
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for program in service.programs() {
        match find(program) {
            Some(path) => found.push(path.display().to_string()),
            None => missing.push(*program),
        }
    }
    Probe {
        service,
        reachable: missing.is_empty(),
        address: if missing.is_empty() {
            found.join(", ")
        } else {
            missing.join(" and ")
        },
        source: "PATH".to_string(),
    }
}

/// Whether something accepts TCP connections at `host:port`, one second at most per address
/// the name resolves to.
pub fn reachable(host: &str, port: u16) -> bool {
    (host, port)
        .to_socket_addrs()
        .map(|addrs| {
            addrs
                .into_iter()
                .any(|a| TcpStream::connect_timeout(&a, Duration::from_secs(1)).is_ok())
        })
        .unwrap_or(false)
}

/// Where `program` is: the first match on `PATH`, then in `/usr/sbin` and `/usr/local/sbin`,
/// where distributions install servers such as nginx, and `/opt/homebrew/bin`, Homebrew's on
/// Apple silicon; a user's `PATH` often lacks them.
pub fn find_program(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs = std::env::split_paths(&path).chain([
        "/usr/sbin".into(),
        "/usr/local/sbin".into(),
        "/opt/homebrew/bin".into(),
    ]);
    find_program_in(dirs, program)
}

fn find_program_in(dirs: impl Iterator<Item = PathBuf>, program: &str) -> Option<PathBuf> {
    let file = format!("{program}{}", std::env::consts::EXE_SUFFIX);
    dirs.map(|dir| dir.join(&file)).find(|p| p.is_file())
}

/// Whether a Docker engine answers, so that testkit can start a missing server in a
/// container: at `DOCKER_HOST` where it is set, else at the usual Unix socket.
pub fn docker_engine_answers() -> bool {
    docker_answers_at(std::env::var("DOCKER_HOST").ok().as_deref())
}

fn docker_answers_at(docker_host: Option<&str>) -> bool {
    match docker_host.filter(|h| !h.is_empty()) {
        Some(host) => match host.strip_prefix("unix://") {
            Some(path) => unix_socket_answers(path),
            None => host
                .strip_prefix("tcp://")
                .and_then(|rest| authority_host_port(rest.split('/').next()?, Some(2375)))
                .is_some_and(|(h, p)| reachable(&h, p)),
        },
        None => unix_socket_answers("/var/run/docker.sock"),
    }
}

#[cfg(unix)]
fn unix_socket_answers(path: &str) -> bool {
    std::os::unix::net::UnixStream::connect(path).is_ok()
}

#[cfg(not(unix))]
fn unix_socket_answers(_path: &str) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// A port nothing listens on: bound, then released.
    fn closed_port() -> u16 {
        TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    #[test]
    fn a_closed_port_is_unreachable_within_seconds() {
        let port = closed_port();
        let started = std::time::Instant::now();
        assert!(!reachable("127.0.0.1", port));
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn a_listening_port_is_reachable() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        assert!(reachable(
            "127.0.0.1",
            listener.local_addr().unwrap().port()
        ));
    }

    #[test]
    fn a_probe_says_where_it_looked_and_what_it_found() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let resolved = Resolved {
            url: format!("redis://127.0.0.1:{port}/0"),
            source: "REDIS_URL in .env".into(),
        };
        assert_eq!(
            probe_resolved(Service::Redis, &resolved),
            Probe {
                service: Service::Redis,
                address: format!("127.0.0.1:{port}"),
                source: "REDIS_URL in .env".into(),
                reachable: true,
            }
        );
        drop(listener);
        assert!(!probe_resolved(Service::Redis, &resolved).reachable);
    }

    #[test]
    fn a_kafka_broker_list_is_probed_at_its_first_broker() {
        let port = closed_port();
        let resolved = Resolved {
            url: format!("127.0.0.1:{port},127.0.0.1:1"),
            source: "KAFKA_BROKERS in the environment".into(),
        };
        let probe = probe_resolved(Service::Kafka, &resolved);
        assert_eq!(probe.address, format!("127.0.0.1:{port}"));
        assert!(!probe.reachable);
    }

    #[test]
    fn a_url_without_host_and_port_is_unreachable_and_shown_as_written() {
        let resolved = Resolved {
            url: "mysql://db".into(),
            source: "DATABASE_URL in the environment".into(),
        };
        let probe = probe_resolved(Service::Postgres, &resolved);
        assert_eq!(probe.address, "mysql://db");
        assert!(!probe.reachable);
    }

    #[test]
    fn a_program_that_does_not_exist_is_not_found() {
        assert_eq!(find_program("backendlings-no-such-program"), None);
        let dirs = [std::env::temp_dir()].into_iter();
        assert_eq!(find_program_in(dirs, "backendlings-no-such-program"), None);
    }

    #[test]
    fn a_program_in_a_searched_folder_is_found() {
        let dir = std::env::temp_dir().join(format!("services-bin-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = format!("tool{}", std::env::consts::EXE_SUFFIX);
        std::fs::write(dir.join(&file), "").unwrap();
        let dirs = [PathBuf::from("/nonexistent-dir"), dir.clone()].into_iter();
        assert_eq!(find_program_in(dirs, "tool"), Some(dir.join(file)));
        // A folder of that name is not a program.
        let dirs = [std::env::temp_dir()].into_iter();
        assert_eq!(
            find_program_in(dirs, &format!("services-bin-{}", std::process::id())),
            None
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn programs_count_only_when_all_are_found() {
        let only_chromium = |p: &str| (p == "chromium").then(|| PathBuf::from("/usr/bin/chromium"));
        assert_eq!(
            probe_programs(Service::Chromium, only_chromium),
            Probe {
                service: Service::Chromium,
                address: "chromedriver".into(),
                source: "PATH".into(),
                reachable: false,
            }
        );
        assert_eq!(
            probe_programs(Service::Chromium, |_| None).address,
            "chromium and chromedriver"
        );
        let everywhere = |p: &str| Some(PathBuf::from(format!("/usr/bin/{p}")));
        assert_eq!(
            probe_programs(Service::Chromium, everywhere),
            Probe {
                service: Service::Chromium,
                address: "/usr/bin/chromium, /usr/bin/chromedriver".into(),
                source: "PATH".into(),
                reachable: true,
            }
        );
    }

    #[test]
    fn a_docker_host_that_does_not_answer_is_no_engine() {
        let port = closed_port();
        assert!(!docker_answers_at(Some(&format!("tcp://127.0.0.1:{port}"))));
        assert!(!docker_answers_at(Some("unix:///nonexistent/docker.sock")));
        assert!(!docker_answers_at(Some("ssh://user@host")));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        assert!(docker_answers_at(Some(&format!("tcp://127.0.0.1:{port}"))));
    }
}
