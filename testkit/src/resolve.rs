//! Where a service is: the environment, `.env`, the local default, a container, or a clear
//! error — in that order, within a few seconds.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// A service the tests talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Postgres,
    Redis,
    Rabbitmq,
}

impl Service {
    pub fn name(self) -> &'static str {
        match self {
            Service::Postgres => "PostgreSQL",
            Service::Redis => "Redis",
            Service::Rabbitmq => "RabbitMQ",
        }
    }

    pub fn env_var(self) -> &'static str {
        match self {
            Service::Postgres => "DATABASE_URL",
            Service::Redis => "REDIS_URL",
            Service::Rabbitmq => "AMQP_URL",
        }
    }

    pub fn default_url(self) -> &'static str {
        match self {
            Service::Postgres => "postgres://postgres@127.0.0.1:5432",
            Service::Redis => "redis://127.0.0.1:6379",
            Service::Rabbitmq => "amqp://guest:guest@127.0.0.1:5672",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Service::Postgres => 5432,
            Service::Redis => 6379,
            Service::Rabbitmq => 5672,
        }
    }

    /// How to start it, on a typical learner's machine.
    pub fn how_to_start(self) -> &'static str {
        match self {
            Service::Postgres => {
                "start PostgreSQL (`docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:15`, \
                 or install it: `apt install postgresql`, `brew install postgresql@15`), or set DATABASE_URL"
            }
            Service::Redis => {
                "start Redis (`docker run -d -p 6379:6379 redis:7`, or `redis-server --daemonize yes`), or set REDIS_URL"
            }
            Service::Rabbitmq => {
                "start RabbitMQ (`docker run -d -p 5672:5672 rabbitmq:3`, or `rabbitmq-server -detached`), or set AMQP_URL"
            }
        }
    }
}

/// A service's URL and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub url: String,
    pub source: String,
}

/// The workspace root, where `.env` lives.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("testkit is in the workspace")
        .to_path_buf()
}

/// The URL to try first and where it came from: the environment, `.env`, or the default.
pub fn configured_url(
    service: Service,
    root: &Path,
    env: impl Fn(&str) -> Option<String>,
) -> Resolved {
    let var = service.env_var();
    if let Some(url) = env(var).filter(|u| !u.is_empty()) {
        return Resolved {
            url,
            source: format!("{var} in the environment"),
        };
    }
    if let Some(url) = dotenv(root, var) {
        return Resolved {
            url,
            source: format!("{var} in .env"),
        };
    }
    Resolved {
        url: service.default_url().to_string(),
        source: "the default".to_string(),
    }
}

fn dotenv(root: &Path, var: &str) -> Option<String> {
    let text = std::fs::read_to_string(root.join(".env")).ok()?;
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .find_map(|line| {
            let line = line.strip_prefix("export ").unwrap_or(line);
            let (key, value) = line.split_once('=')?;
            (key.trim() == var).then(|| {
                let value = value.trim();
                value
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .unwrap_or(value)
                    .to_string()
            })
        })
}

/// `host:port` of a service URL (`scheme://user:pass@host:port/db?x`).
pub fn host_port(url: &str, default_port: u16) -> Option<(String, u16)> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    if let Some(v6) = host_port.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None => default_port,
        };
        return Some((host.to_string(), port));
    }
    match host_port.rsplit_once(':') {
        Some((host, port)) => Some((host.to_string(), port.parse().ok()?)),
        None => Some((host_port.to_string(), default_port)),
    }
}

/// Whether something accepts TCP connections there, one second at most per address.
pub fn reachable(url: &str, default_port: u16) -> bool {
    let Some((host, port)) = host_port(url, default_port) else {
        return false;
    };
    (host.as_str(), port)
        .to_socket_addrs()
        .map(|addrs| {
            addrs
                .into_iter()
                .any(|a| TcpStream::connect_timeout(&a, Duration::from_secs(1)).is_ok())
        })
        .unwrap_or(false)
}

/// Finds a running service, or says clearly why there is none.
pub fn find(service: Service) -> Result<Resolved, String> {
    let configured = configured_url(service, &workspace_root(), |v| std::env::var(v).ok());
    find_from(service, configured, true)
}

fn find_from(
    service: Service,
    configured: Resolved,
    try_containers: bool,
) -> Result<Resolved, String> {
    if reachable(&configured.url, service.default_port()) {
        return Ok(configured);
    }
    if try_containers && let Some(container) = container(service) {
        return Ok(container);
    }
    let at = host_port(&configured.url, service.default_port())
        .map_or(configured.url.clone(), |(h, p)| format!("{h}:{p}"));
    Err(format!(
        "{} is not reachable at {at} ({}); {}. `cargo xtask doctor` checks every service",
        service.name(),
        configured.source,
        service.how_to_start()
    ))
}

/// `find`, once per process and service; a failure panics with the explanation, which is
/// what the learner then sees as the test's failure.
pub fn require(service: Service) -> Resolved {
    static POSTGRES: OnceLock<Result<Resolved, String>> = OnceLock::new();
    static REDIS: OnceLock<Result<Resolved, String>> = OnceLock::new();
    static RABBITMQ: OnceLock<Result<Resolved, String>> = OnceLock::new();
    let cell = match service {
        Service::Postgres => &POSTGRES,
        Service::Redis => &REDIS,
        Service::Rabbitmq => &RABBITMQ,
    };
    match cell.get_or_init(|| find(service)) {
        Ok(resolved) => resolved.clone(),
        Err(message) => panic!("{message}"),
    }
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

    fn temp_root(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("testkit-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_environment_wins_then_dotenv_then_the_default() {
        let root = temp_root("order");
        let none = |_: &str| None;
        assert_eq!(
            configured_url(Service::Postgres, &root, none),
            Resolved {
                url: "postgres://postgres@127.0.0.1:5432".into(),
                source: "the default".into()
            }
        );
        std::fs::write(
            root.join(".env"),
            "# local\nexport DATABASE_URL=\"postgres://me@db:6000/x\"\n",
        )
        .unwrap();
        assert_eq!(
            configured_url(Service::Postgres, &root, none),
            Resolved {
                url: "postgres://me@db:6000/x".into(),
                source: "DATABASE_URL in .env".into()
            }
        );
        let env = |v: &str| (v == "DATABASE_URL").then(|| "postgres://env@h:1/y".to_string());
        assert_eq!(
            configured_url(Service::Postgres, &root, env),
            Resolved {
                url: "postgres://env@h:1/y".into(),
                source: "DATABASE_URL in the environment".into()
            }
        );
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn host_and_port_come_from_the_url() {
        assert_eq!(
            host_port("postgres://u:p@db.local:6000/app?x=1", 5432),
            Some(("db.local".into(), 6000))
        );
        assert_eq!(
            host_port("redis://127.0.0.1", 6379),
            Some(("127.0.0.1".into(), 6379))
        );
        assert_eq!(
            host_port("amqp://guest:guest@[::1]:5673/%2f", 5672),
            Some(("::1".into(), 5673))
        );
        assert_eq!(host_port("nonsense", 1), None);
    }

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
    }
}
