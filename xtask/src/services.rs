//! Is each service the exercises need reachable, and how does a learner start it?
//!
//! The resolution order is the course's (see README): the URL in the environment or in
//! `.env`, else the local default. A probe is a TCP connect with a short timeout, so a
//! missing service is reported in about a second, never as a hang.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;

use crate::manifest::Service;

#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub service: Service,
    /// `127.0.0.1:5432`, or the program's path for nginx.
    pub address: String,
    /// Where the address came from: `DATABASE_URL`, `.env`, or the default.
    pub source: String,
    pub reachable: bool,
}

impl Service {
    pub fn env_var(self) -> Option<&'static str> {
        match self {
            Service::Postgres => Some("DATABASE_URL"),
            Service::Redis => Some("REDIS_URL"),
            Service::Rabbitmq => Some("AMQP_URL"),
            Service::Nginx => None,
        }
    }

    pub fn default_url(self) -> &'static str {
        match self {
            Service::Postgres => "postgres://postgres@127.0.0.1:5432",
            Service::Redis => "redis://127.0.0.1:6379",
            Service::Rabbitmq => "amqp://guest:guest@127.0.0.1:5672",
            Service::Nginx => "nginx",
        }
    }

    /// How to get the service running, for a learner on a typical machine.
    pub fn how_to_start(self) -> &'static str {
        match self {
            Service::Postgres => {
                "start PostgreSQL: `docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:15`, \
                 or install it (`apt install postgresql`, `brew install postgresql@15`) and start it; \
                 or point DATABASE_URL (in the environment or .env) at a server you have"
            }
            Service::Redis => {
                "start Redis: `docker run -d -p 6379:6379 redis:7`, or install it (`apt install redis-server`, \
                 `brew install redis`) and run `redis-server --daemonize yes`; or set REDIS_URL"
            }
            Service::Rabbitmq => {
                "start RabbitMQ: `docker run -d -p 5672:5672 rabbitmq:3`, or install it \
                 (`apt install rabbitmq-server`, `brew install rabbitmq`) and run `rabbitmq-server -detached`; or set AMQP_URL"
            }
            Service::Nginx => {
                "install nginx (`apt install nginx`, `brew install nginx`): the tests run the binary themselves"
            }
        }
    }
}

/// Reads `KEY=VALUE` lines from the workspace's `.env`, if there is one.
pub fn dotenv(root: &Path) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(root.join(".env")) else {
        return Vec::new();
    };
    parse_dotenv(&text)
}

fn parse_dotenv(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("export ").unwrap_or(l).split_once('='))
        .map(|(k, v)| {
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v);
            (k.trim().to_string(), v.to_string())
        })
        .collect()
}

/// The URL to use and where it came from.
pub fn resolve_url(root: &Path, service: Service) -> (String, String) {
    resolve_url_with(root, service, |var| std::env::var(var).ok())
}

fn resolve_url_with(
    root: &Path,
    service: Service,
    env: impl Fn(&str) -> Option<String>,
) -> (String, String) {
    if let Some(var) = service.env_var() {
        if let Some(url) = env(var)
            && !url.is_empty()
        {
            return (url, format!("{var} in the environment"));
        }
        if let Some((_, url)) = dotenv(root).into_iter().find(|(k, _)| k == var) {
            return (url, format!("{var} in .env"));
        }
    }
    (service.default_url().to_string(), "the default".to_string())
}

/// `host:port` of a URL, with the scheme's default port.
pub fn host_port(url: &str) -> Option<(String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let default = match scheme {
        "postgres" | "postgresql" => 5432,
        "redis" => 6379,
        "rediss" => 6380,
        "amqp" => 5672,
        "amqps" => 5671,
        "docker" => 2375,
        _ => return None,
    };
    if let Some(v6) = host_port.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        let port = after
            .strip_prefix(':')
            .map_or(Some(default), |p| p.parse().ok())?;
        return Some((host.to_string(), port));
    }
    match host_port.rsplit_once(':') {
        Some((host, port)) => Some((host.to_string(), port.parse().ok()?)),
        None => Some((host_port.to_string(), default)),
    }
}

pub fn probe(root: &Path, service: Service) -> Probe {
    if service == Service::Nginx {
        let found = find_on_path("nginx");
        return Probe {
            service,
            address: found.clone().unwrap_or_else(|| "nginx".into()),
            source: "PATH".into(),
            reachable: found.is_some(),
        };
    }
    let (url, source) = resolve_url(root, service);
    let Some((host, port)) = host_port(&url) else {
        return Probe {
            service,
            address: url,
            source,
            reachable: false,
        };
    };
    Probe {
        service,
        address: format!("{host}:{port}"),
        source,
        reachable: reachable(&host, port),
    }
}

/// A TCP connect, one second at most per address.
fn reachable(host: &str, port: u16) -> bool {
    (host, port)
        .to_socket_addrs()
        .map(|addrs| {
            addrs
                .into_iter()
                .any(|a| TcpStream::connect_timeout(&a, Duration::from_secs(1)).is_ok())
        })
        .unwrap_or(false)
}

/// Whether a Docker engine answers: `DOCKER_HOST`, or the usual Unix socket.
pub fn docker_engine_answers() -> bool {
    if let Ok(host) = std::env::var("DOCKER_HOST")
        && !host.is_empty()
    {
        return match host.strip_prefix("unix://") {
            Some(path) => unix_socket_answers(path),
            None => host_port(&host.replace("tcp://", "docker://"))
                .is_some_and(|(h, p)| reachable(&h, p)),
        };
    }
    unix_socket_answers("/var/run/docker.sock")
}

#[cfg(unix)]
fn unix_socket_answers(path: &str) -> bool {
    std::os::unix::net::UnixStream::connect(path).is_ok()
}

#[cfg(not(unix))]
fn unix_socket_answers(_path: &str) -> bool {
    false
}

fn find_on_path(program: &str) -> Option<String> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/usr/local/sbin".into()])
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .map(|p| p.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_and_port_come_from_the_url_or_the_scheme() {
        assert_eq!(
            host_port("postgres://postgres@127.0.0.1:5432"),
            Some(("127.0.0.1".into(), 5432))
        );
        assert_eq!(
            host_port("postgres://u:p@db.local/app?sslmode=disable"),
            Some(("db.local".into(), 5432))
        );
        assert_eq!(
            host_port("redis://127.0.0.1:6390/0"),
            Some(("127.0.0.1".into(), 6390))
        );
        assert_eq!(
            host_port("amqp://guest:guest@[::1]:5673/%2f"),
            Some(("::1".into(), 5673))
        );
        assert_eq!(host_port("amqp://[::1]"), Some(("::1".into(), 5672)));
        assert_eq!(host_port("not a url"), None);
        assert_eq!(host_port("http://example.com"), None);
    }

    #[test]
    fn dotenv_lines_are_read_with_quotes_and_export() {
        let text = "# comment\n\nDATABASE_URL=\"postgres://x@h/db\"\nexport REDIS_URL=redis://r:1\nBROKEN\n";
        assert_eq!(
            parse_dotenv(text),
            vec![
                ("DATABASE_URL".to_string(), "postgres://x@h/db".to_string()),
                ("REDIS_URL".to_string(), "redis://r:1".to_string()),
            ]
        );
    }

    #[test]
    fn the_environment_wins_over_dotenv_which_wins_over_the_default() {
        let root = std::env::temp_dir().join(format!("xtask-svc-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        let no_env = |_: &str| None;
        assert_eq!(
            resolve_url_with(&root, Service::Redis, no_env),
            (
                "redis://127.0.0.1:6379".to_string(),
                "the default".to_string()
            )
        );
        std::fs::write(root.join(".env"), "REDIS_URL=redis://127.0.0.1:7000\n").unwrap();
        assert_eq!(
            resolve_url_with(&root, Service::Redis, no_env),
            (
                "redis://127.0.0.1:7000".to_string(),
                "REDIS_URL in .env".to_string()
            )
        );
        let env = |var: &str| (var == "REDIS_URL").then(|| "redis://10.0.0.1:1".to_string());
        assert_eq!(
            resolve_url_with(&root, Service::Redis, env),
            (
                "redis://10.0.0.1:1".to_string(),
                "REDIS_URL in the environment".to_string()
            )
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_closed_port_is_unreachable_within_seconds() {
        // Bind then drop a listener: nothing listens on that port afterwards.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let started = std::time::Instant::now();
        assert!(!reachable("127.0.0.1", port));
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn a_listening_port_is_reachable() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        assert!(reachable(
            "127.0.0.1",
            listener.local_addr().unwrap().port()
        ));
    }
}
