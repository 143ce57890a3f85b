//! Where a server is said to be: the environment, the workspace's `.env`, or the default, in
//! that order (README's "What each stage needs"), and the host and port in its URL.

use std::path::Path;

use crate::Service;

/// A server's URL and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub url: String,
    /// `DATABASE_URL in the environment`, `REDIS_URL in .env`, or `the default`: what a
    /// learner reads to know which setting to change.
    pub source: String,
}

/// The URL of a server: its variable in the environment, else in `root/.env`, else the
/// default. `None` for programs, which have no URL.
pub fn resolve(root: &Path, service: Service) -> Option<Resolved> {
    resolve_with(root, service, |var| std::env::var(var).ok())
}

/// [`resolve`] with the environment read through `env`, so that tests need not change the
/// process's own.
pub fn resolve_with(
    root: &Path,
    service: Service,
    env: impl Fn(&str) -> Option<String>,
) -> Option<Resolved> {
    let default = service.default_url()?;
    let var = service.env_var()?;
    // An empty value is how people unset a variable in a shell or a `.env`, so it counts as
    // none in both.
    if let Some(url) = env(var).filter(|url| !url.is_empty()) {
        return Some(Resolved {
            url,
            source: format!("{var} in the environment"),
        });
    }
    if let Some((_, url)) = dotenv(root)
        .into_iter()
        .find(|(key, url)| key == var && !url.is_empty())
    {
        return Some(Resolved {
            url,
            source: format!("{var} in .env"),
        });
    }
    Some(Resolved {
        url: default.to_string(),
        source: "the default".to_string(),
    })
}

/// The `KEY=VALUE` lines of the workspace's `.env`, if there is one.
fn dotenv(root: &Path) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(root.join(".env")) else {
        return Vec::new();
    };
    parse_dotenv(&text)
}

/// `KEY=VALUE` lines, each maybe after `export ` and with its value in quotes; blank lines,
/// `#` comments and lines without `=` are skipped.
fn parse_dotenv(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.strip_prefix("export ").unwrap_or(line).split_once('='))
        .map(|(key, value)| (key.trim().to_string(), unquote(value.trim()).to_string()))
        .collect()
}

fn unquote(value: &str) -> &str {
    ['"', '\'']
        .into_iter()
        .find_map(|quote| value.strip_prefix(quote)?.strip_suffix(quote))
        .unwrap_or(value)
}

/// The host and port a server's address names:
///
/// - a URL, `scheme://user:pass@host:port/path?query`, the port defaulting to the scheme's
///   (`postgres`, `postgresql`, `redis`, `rediss`, `amqp`, `amqps`); an unknown scheme is `None`;
/// - a Kafka broker list, `host:port,host:port` without a scheme: the first broker, whose
///   port must be written, since nothing else says which one it is.
///
/// An IPv6 host is written in brackets (`[::1]:5432`) and returned without them.
pub fn host_port(url: &str) -> Option<(String, u16)> {
    let Some((scheme, rest)) = url.split_once("://") else {
        let first = url.split(',').next()?.trim();
        return match authority_host_port(first, None)? {
            (host, _) if host.is_empty() || host.contains(char::is_whitespace) => None,
            found => Some(found),
        };
    };
    let default = match scheme {
        "postgres" | "postgresql" => 5432,
        "redis" => 6379,
        "rediss" => 6380,
        "amqp" => 5672,
        "amqps" => 5671,
        _ => return None,
    };
    let authority = rest.split(['/', '?']).next()?;
    authority_host_port(authority, Some(default))
}

/// `user:pass@host:port` → (host, port); `default` is the port where none is written.
pub(crate) fn authority_host_port(authority: &str, default: Option<u16>) -> Option<(String, u16)> {
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    if let Some(v6) = host_port.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(port) => port.parse().ok()?,
            None if after.is_empty() => default?,
            None => return None,
        };
        return Some((host.to_string(), port));
    }
    match host_port.rsplit_once(':') {
        Some((host, port)) => Some((host.to_string(), port.parse().ok()?)),
        None => Some((host_port.to_string(), default?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// An empty folder of the test's own to play the workspace root.
    fn temp_root(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("services-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn resolved(url: &str, source: &str) -> Option<Resolved> {
        Some(Resolved {
            url: url.to_string(),
            source: source.to_string(),
        })
    }

    /// Checks `host_port` on each (address, expected host and port) pair.
    fn assert_host_ports(cases: &[(&str, Option<(&str, u16)>)]) {
        for &(url, expected) in cases {
            let expected = expected.map(|(host, port)| (host.to_string(), port));
            assert_eq!(host_port(url), expected, "{url}");
        }
    }

    #[test]
    fn host_and_port_come_from_the_url_or_the_scheme() {
        assert_host_ports(&[
            (
                "postgres://postgres@127.0.0.1:5432",
                Some(("127.0.0.1", 5432)),
            ),
            (
                "postgres://u:p@db.local/app?sslmode=disable",
                Some(("db.local", 5432)),
            ),
            (
                "postgres://u:p@db.local:6000/app?x=1",
                Some(("db.local", 6000)),
            ),
            ("postgresql://db.local", Some(("db.local", 5432))),
            ("redis://127.0.0.1:6390/0", Some(("127.0.0.1", 6390))),
            ("redis://127.0.0.1", Some(("127.0.0.1", 6379))),
            ("rediss://cache.example", Some(("cache.example", 6380))),
            ("amqp://guest:guest@[::1]:5673/%2f", Some(("::1", 5673))),
            ("amqp://[::1]", Some(("::1", 5672))),
            ("amqps://mq", Some(("mq", 5671))),
            ("not a url", None),
            ("nonsense", None),
            ("http://example.com", None),
            ("redis://127.0.0.1:port", None),
            ("amqp://[::1]x", None),
        ]);
    }

    #[test]
    fn a_kafka_broker_list_names_its_first_broker() {
        assert_host_ports(&[
            ("127.0.0.1:9092", Some(("127.0.0.1", 9092))),
            ("broker-1:19092,broker-2:19093", Some(("broker-1", 19092))),
            (
                " kafka.local:9093 , other:9094",
                Some(("kafka.local", 9093)),
            ),
            ("[::1]:9094", Some(("::1", 9094))),
            // Without a scheme nothing says which port is meant, so it must be written.
            ("kafka.local", None),
            ("[::1]", None),
            (":9092", None),
            ("two words:9092", None),
            ("", None),
        ]);
    }

    #[test]
    fn dotenv_lines_are_read_with_quotes_and_export() {
        let text = "# comment\n\nDATABASE_URL=\"postgres://x@h/db\"\nexport REDIS_URL=redis://r:1\nBROKEN\n  \
                    AMQP_URL = 'amqp://q'  \nKAFKA_BROKERS=\"k:1,k:2\"\nEMPTY=\nODD=\"\n";
        assert_eq!(
            parse_dotenv(text),
            vec![
                ("DATABASE_URL".to_string(), "postgres://x@h/db".to_string()),
                ("REDIS_URL".to_string(), "redis://r:1".to_string()),
                ("AMQP_URL".to_string(), "amqp://q".to_string()),
                ("KAFKA_BROKERS".to_string(), "k:1,k:2".to_string()),
                ("EMPTY".to_string(), String::new()),
                ("ODD".to_string(), "\"".to_string()),
            ]
        );
    }

    #[test]
    fn the_environment_wins_over_dotenv_which_wins_over_the_default() {
        let root = temp_root("order");
        let no_env = |_: &str| None;
        assert_eq!(
            resolve_with(&root, Service::Redis, no_env),
            resolved("redis://127.0.0.1:6379", "the default")
        );
        assert_eq!(
            resolve_with(&root, Service::Postgres, no_env),
            resolved("postgres://postgres@127.0.0.1:5432", "the default")
        );
        std::fs::write(
            root.join(".env"),
            "# local\nREDIS_URL=redis://127.0.0.1:7000\nexport DATABASE_URL=\"postgres://me@db:6000/x\"\n\
             REDIS_URL=redis://second:1\n",
        )
        .unwrap();
        assert_eq!(
            resolve_with(&root, Service::Redis, no_env),
            resolved("redis://127.0.0.1:7000", "REDIS_URL in .env")
        );
        assert_eq!(
            resolve_with(&root, Service::Postgres, no_env),
            resolved("postgres://me@db:6000/x", "DATABASE_URL in .env")
        );
        let env = |var: &str| (var == "REDIS_URL").then(|| "redis://10.0.0.1:1".to_string());
        assert_eq!(
            resolve_with(&root, Service::Redis, env),
            resolved("redis://10.0.0.1:1", "REDIS_URL in the environment")
        );
        let env = |v: &str| (v == "DATABASE_URL").then(|| "postgres://env@h:1/y".to_string());
        assert_eq!(
            resolve_with(&root, Service::Postgres, env),
            resolved("postgres://env@h:1/y", "DATABASE_URL in the environment")
        );
        // Another service's variable changes nothing.
        assert_eq!(
            resolve_with(&root, Service::Rabbitmq, env),
            resolved("amqp://guest:guest@127.0.0.1:5672", "the default")
        );
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn an_empty_value_counts_as_unset() {
        let root = temp_root("empty");
        std::fs::write(root.join(".env"), "AMQP_URL=\nAMQP_URL=amqp://mq:1\n").unwrap();
        let empty = |_: &str| Some(String::new());
        assert_eq!(
            resolve_with(&root, Service::Rabbitmq, empty),
            resolved("amqp://mq:1", "AMQP_URL in .env")
        );
        std::fs::write(root.join(".env"), "AMQP_URL=\"\"\n").unwrap();
        assert_eq!(
            resolve_with(&root, Service::Rabbitmq, empty),
            resolved("amqp://guest:guest@127.0.0.1:5672", "the default")
        );
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn kafka_brokers_are_resolved_like_any_server() {
        let root = temp_root("kafka");
        assert_eq!(
            resolve_with(&root, Service::Kafka, |_| None),
            resolved("127.0.0.1:9092", "the default")
        );
        let env = |v: &str| (v == "KAFKA_BROKERS").then(|| "b1:9093,b2:9094".to_string());
        assert_eq!(
            resolve_with(&root, Service::Kafka, env),
            resolved("b1:9093,b2:9094", "KAFKA_BROKERS in the environment")
        );
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn programs_have_no_url_to_resolve() {
        let root = temp_root("programs");
        std::fs::write(root.join(".env"), "NGINX=/opt/nginx\n").unwrap();
        for service in [
            Service::Nginx,
            Service::Chromium,
            Service::Prometheus,
            Service::Hadolint,
            Service::Actionlint,
        ] {
            assert_eq!(resolve_with(&root, service, |_| Some("x".into())), None);
        }
        std::fs::remove_dir_all(root).unwrap();
    }
}
