//! A real Prometheus server of the test's own, scraping the test's targets every second.
//!
//! Metrics are only proven by the program that reads them: a text on `/metrics` may look
//! right and still be refused by Prometheus (a malformed line, a value that is no number), or
//! mean something else than the test's author thinks once PromQL aggregates it. So [`prometheus`] starts the real
//! `prometheus` program on a free loopback port with a configuration of the test's own (one
//! job `app`, its targets' `/metrics`, every second), and the test asks it questions in PromQL
//! over its HTTP API:
//!
//! ```no_run
//! # async fn example(app: std::net::SocketAddr) {
//! # use std::time::Duration;
//! let prometheus = testkit::prometheus::prometheus(&[app]).await;
//! prometheus.wait_until_up(Duration::from_secs(15)).await; // scraped once: about 6 s
//! // ... requests to the app ...
//! prometheus.wait_for_next_scrape(Duration::from_secs(5)).await; // scraped since: 1 s at most
//! let result = prometheus
//!     .query(r#"sum by (route) (http_requests_total{job="app"})"#)
//!     .await
//!     .unwrap();
//! // [{"metric": {"route": "/items"}, "value": [1733137874.1, "3"]}]
//! assert_eq!(result[0]["value"][1], "3");
//! # }
//! ```
//!
//! **Budget for the first scrape.** The server is ready within a fraction of a second, but
//! it scrapes a target only once its discovery has passed the target on, which Prometheus
//! does on a 5 s tick: measured here (2.42), ready after 50 to 230 ms, the first scrape 5.2
//! to 6.1 s after the start, and it could take one tick more on a busy machine. Give
//! [`Prometheus::wait_until_up`] 15 s. After it, a scrape follows the last every second, so
//! [`Prometheus::wait_for_next_scrape`] returns within a second. Each Prometheus costs its
//! test those 6 s (tests run in parallel, but a machine has few cores): where the checks
//! allow it, make one test of a few checks rather than a few tests.
//!
//! A failed wait says what Prometheus says of each target (its URL, `up` or `down`, the last
//! scrape's error: a refused connection, a 404, a line it could not parse) and ends with the
//! server's log. Each call is a server of its own, with its own storage in a directory
//! `testkit-prometheus-<pid>-<n>` of the system's temporary directory: tests never see each
//! other's series. Dropping the [`Prometheus`] kills the server and removes the directory;
//! when the test binary dies instead, the server dies with it (a small `sh` watchdog, which
//! started it, kills it when the test's end of a pipe closes) and the next run removes the
//! directory.
//!
//! The program is found on `PATH` (the `services` crate's `Service::Prometheus`); when it is
//! missing, [`prometheus`] fails at once, saying how to install it. Unix only. Do not use it
//! under `#[tokio::test(start_paused = true)]`: the waits need the real clock.
//!
//! The HTTP API: <https://prometheus.io/docs/prometheus/latest/querying/api/>; the
//! configuration: <https://prometheus.io/docs/prometheus/latest/configuration/configuration/>.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::Url;
use serde_json::Value;

use crate::Service;
use crate::program::{Scratch, Watched, free_port};

/// How long the server may take to answer `/-/ready` (measured: 50 to 230 ms).
const READY_LIMIT: Duration = Duration::from_secs(10);

/// How many ports [`prometheus`] tries: the port it picks is free when it looks, but another
/// process may take it before Prometheus binds it.
const ATTEMPTS: usize = 5;

/// How long one request to the server may take.
const REQUEST_LIMIT: Duration = Duration::from_secs(5);

/// How often a wait asks again.
const POLL: Duration = Duration::from_millis(50);

/// How many of the log's last lines a failure shows.
const LOG_LINES: usize = 30;

/// A Prometheus server scraping the test's targets every second; stopped on drop.
pub struct Prometheus {
    url: String,
    http: reqwest::Client,
    /// The distinct targets, as the configuration names them.
    targets: Vec<SocketAddr>,
    server: Watched,
}

/// Starts Prometheus on a free loopback port, scraping `/metrics` of each target every second.
/// Panics, saying how to install it, when the `prometheus` program is missing.
pub async fn prometheus(targets: &[SocketAddr]) -> Prometheus {
    match start(targets).await {
        Ok(prometheus) => prometheus,
        Err(message) => panic!("{message}"),
    }
}

impl Prometheus {
    /// `http://127.0.0.1:<port>`, the server's HTTP API and UI.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Waits until every target has been scraped successfully at least once; panics after
    /// `limit` with each target's last error and the server's log. The first scrape comes
    /// about 6 s after the start: give it 15 s.
    pub async fn wait_until_up(&self, limit: Duration) {
        let deadline = Instant::now() + limit;
        loop {
            let targets = self.try_targets().await;
            if let Ok(targets) = &targets
                && targets.len() >= self.targets.len()
                && targets.iter().all(is_up)
            {
                return;
            }
            if Instant::now() >= deadline {
                let seen = match targets {
                    Ok(targets) => self.describe(&targets),
                    Err(e) => format!("its targets cannot be read: {e}"),
                };
                panic!(
                    "Prometheus did not scrape every target successfully within {} s; {seen}\n{}",
                    limit.as_secs_f64(),
                    self.log_tail()
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until every target has been scraped again successfully, each scrape begun after
    /// this call: a query afterwards sees everything the targets counted before the call.
    /// Once they are up (see [`Prometheus::wait_until_up`]) that takes a second; panics after
    /// `limit` with each target's last error and the server's log.
    pub async fn wait_for_next_scrape(&self, limit: Duration) {
        // A scrape's start is the timestamp of its `up` sample, in milliseconds, which
        // Prometheus may move by up to 2 ms to align it with the interval: with a margin.
        // (`timestamp` gives a sample's own time only when its argument is a plain selector;
        // of anything else, such as `up == 1`, it gives the query's time.)
        const SCRAPED: &str = r#"timestamp(up{job="app"}) and on (instance) (up{job="app"} == 1)"#;
        let since = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64()
            + 0.005;
        let deadline = Instant::now() + limit;
        loop {
            let scraped = self.query(SCRAPED).await;
            let fresh = scraped.as_ref().map(|series| {
                series
                    .iter()
                    .filter(|s| sample_value(s).is_some_and(|at| at > since))
                    .count()
            });
            if fresh.as_ref().is_ok_and(|&n| n >= self.targets.len()) {
                return;
            }
            if Instant::now() >= deadline {
                panic!(
                    "Prometheus did not scrape every target again within {} s ({} of {} \
                     scraped since); {}\n{}",
                    limit.as_secs_f64(),
                    fresh.map_or_else(|e| e.to_string(), |n| n.to_string()),
                    self.targets.len(),
                    self.describe(&self.targets().await),
                    self.log_tail()
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The targets as `/api/v1/targets` shows them (`data.activeTargets`): each with its
    /// `scrapeUrl`, `health` (`up`, `down`, `unknown`), `lastError` and `lastScrape`. Empty
    /// until Prometheus has discovered them, about 5 s after the start.
    pub async fn targets(&self) -> Vec<Value> {
        self.try_targets()
            .await
            .unwrap_or_else(|e| panic!("{e}\n{}", self.log_tail()))
    }

    /// An instant query (`/api/v1/query`): the `data.result` array, or Prometheus's error
    /// message (a PromQL syntax error, say). A vector's elements are `{"metric": {labels},
    /// "value": [time, "value"]}`; a scalar's result is the `[time, "value"]` pair itself.
    /// Panics when the server does not answer.
    pub async fn query(&self, promql: &str) -> Result<Vec<Value>, String> {
        let mut url = Url::parse(&format!("{}/api/v1/query", self.url)).expect("a valid URL");
        url.query_pairs_mut().append_pair("query", promql);
        let answer = self
            .get_json(url)
            .await
            .unwrap_or_else(|e| panic!("query {promql:?}: {e}\n{}", self.log_tail()));
        match answer["status"].as_str() {
            Some("success") => match &answer["data"]["result"] {
                Value::Array(result) => Ok(result.clone()),
                other => panic!("query {promql:?}: a result that is no array: {other}"),
            },
            Some("error") => Err(answer["error"]
                .as_str()
                .map_or_else(|| answer.to_string(), str::to_string)),
            _ => panic!("query {promql:?}: Prometheus answered {answer}"),
        }
    }

    /// What the server printed so far.
    pub fn log(&self) -> String {
        self.server.log()
    }

    async fn try_targets(&self) -> Result<Vec<Value>, String> {
        let url =
            Url::parse(&format!("{}/api/v1/targets?state=active", self.url)).expect("a valid URL");
        let answer = self.get_json(url).await?;
        match &answer["data"]["activeTargets"] {
            Value::Array(targets) => Ok(targets.clone()),
            _ => Err(format!("Prometheus's targets: {answer}")),
        }
    }

    async fn get_json(&self, url: Url) -> Result<Value, String> {
        let response = self
            .http
            .get(url.clone())
            .send()
            .await
            .map_err(|e| format!("Prometheus does not answer at {url}: {e}"))?;
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|e| format!("Prometheus's answer from {url}: {e}"))?;
        // An error is JSON too, with a 400 or 422 status: its body says what went wrong.
        serde_json::from_str(&body)
            .map_err(|e| format!("Prometheus answered {status} at {url}, not JSON ({e}): {body}"))
    }

    /// What a failure says of the targets: each one's URL, health and last error.
    fn describe(&self, targets: &[Value]) -> String {
        if targets.is_empty() {
            return format!(
                "none of its {} targets is discovered yet (Prometheus discovers them about \
                 5 s after it starts)",
                self.targets.len()
            );
        }
        let mut out = String::from("its targets:");
        for target in targets {
            let text = |key: &str| target[key].as_str().unwrap_or("?").to_string();
            let _ = write!(out, "\n  {}: {}", text("scrapeUrl"), text("health"));
            match text("lastError") {
                error if error.is_empty() || error == "?" => {}
                error => {
                    let _ = write!(out, ", {error}");
                }
            }
            if !is_scraped(target) {
                out.push_str(", never scraped yet");
            }
        }
        out
    }

    fn log_tail(&self) -> String {
        let log = self.log();
        let lines: Vec<&str> = log.lines().collect();
        let shown = &lines[lines.len().saturating_sub(LOG_LINES)..];
        let mut out = format!("Prometheus's log ({}):", self.server.dir().display());
        for line in shown {
            let _ = write!(out, "\n  | {line}");
        }
        if shown.is_empty() {
            out.push_str(" (empty)");
        }
        out
    }

    /// Waits until the server answers `/-/ready`.
    async fn wait_ready(&self) -> Ready {
        let deadline = Instant::now() + READY_LIMIT;
        let ready = format!("{}/-/ready", self.url);
        loop {
            if let Ok(response) = self.http.get(&ready).send().await
                && response.status().is_success()
            {
                return Ready::Yes;
            }
            let log = self.log();
            if log.contains("address already in use") {
                return Ready::PortTaken;
            }
            if self.server.has_exited() || Instant::now() >= deadline {
                return Ready::No(format!(
                    "Prometheus did not start (not ready within {} s); {}",
                    READY_LIMIT.as_secs(),
                    self.log_tail()
                ));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

enum Ready {
    Yes,
    PortTaken,
    No(String),
}

async fn start(targets: &[SocketAddr]) -> Result<Prometheus, String> {
    let program = program()?;
    let mut distinct: Vec<SocketAddr> = Vec::new();
    for target in targets {
        if !distinct.contains(target) {
            distinct.push(*target);
        }
    }
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(REQUEST_LIMIT)
        .build()
        .map_err(|e| format!("cannot build an HTTP client for Prometheus: {e}"))?;
    let mut attempt = 1;
    loop {
        let port = free_port("Prometheus")?;
        let scratch = Scratch::new("prometheus")?;
        let config = scratch.path().join("prometheus.yml");
        std::fs::write(&config, config_text(&distinct))
            .map_err(|e| format!("cannot write {}: {e}", config.display()))?;
        let args = [
            flag("--config.file=", config.as_os_str()),
            flag(
                "--storage.tsdb.path=",
                scratch.path().join("data").as_os_str(),
            ),
            format!("--web.listen-address=127.0.0.1:{port}").into(),
        ];
        let server = Watched::start(scratch, "prometheus", &program, args)?;
        let prometheus = Prometheus {
            url: format!("http://127.0.0.1:{port}"),
            http: http.clone(),
            targets: distinct.clone(),
            server,
        };
        match prometheus.wait_ready().await {
            Ready::Yes => return Ok(prometheus),
            Ready::PortTaken if attempt < ATTEMPTS => attempt += 1,
            Ready::PortTaken => {
                return Err(format!(
                    "Prometheus found no free port in {ATTEMPTS} attempts; {}",
                    prometheus.log_tail()
                ));
            }
            Ready::No(message) => return Err(message),
        }
    }
}

/// The configuration: one job, `app`, scraping `/metrics` of every target each second.
fn config_text(targets: &[SocketAddr]) -> String {
    let targets: Vec<String> = targets.iter().map(|t| format!("\"{t}\"")).collect();
    format!(
        "# Written by testkit::prometheus for one test.
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: app
    metrics_path: /metrics
    static_configs:
      - targets: [{}]
",
        targets.join(", ")
    )
}

fn flag(name: &str, value: &std::ffi::OsStr) -> OsString {
    let mut flag = OsString::from(name);
    flag.push(value);
    flag
}

fn program() -> Result<PathBuf, String> {
    services::find_program("prometheus").ok_or_else(missing_message)
}

fn missing_message() -> String {
    format!(
        "needs Prometheus: no prometheus on PATH; {}. `cargo xtask doctor` checks every service",
        Service::Prometheus.how_to_start()
    )
}

fn is_up(target: &Value) -> bool {
    target["health"] == "up" && is_scraped(target)
}

/// Whether the target has been scraped: Prometheus shows Go's zero time until then.
fn is_scraped(target: &Value) -> bool {
    target["lastScrape"]
        .as_str()
        .is_some_and(|at| !at.is_empty() && !at.starts_with("0001-"))
}

/// The number in a vector's sample, `{"value": [time, "42"]}`.
fn sample_value(sample: &Value) -> Option<f64> {
    sample["value"][1].as_str()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use crate::program::{group_members, wait_until_gone};

    const UP_LIMIT: Duration = Duration::from_secs(15);

    /// A target: answers every request with an exposition of `testkit_answer <answer>` and
    /// `testkit_scrapes_total`, the requests it has answered, this one included; the address
    /// and that count.
    async fn target(answer: u32) -> (SocketAddr, Arc<AtomicU64>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let scrapes = Arc::new(AtomicU64::new(0));
        let counted = scrapes.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let counted = counted.clone();
                tokio::spawn(async move {
                    let mut received = Vec::new();
                    let mut chunk = [0; 1024];
                    while !received.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => received.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let n = counted.fetch_add(1, Ordering::SeqCst) + 1;
                    let body = format!(
                        "# HELP testkit_answer The answer.\n# TYPE testkit_answer gauge\n\
                         testkit_answer {answer}\n\
                         # HELP testkit_scrapes_total Requests answered.\n\
                         # TYPE testkit_scrapes_total counter\ntestkit_scrapes_total {n}\n"
                    );
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n\
                         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(answer.as_bytes()).await;
                });
            }
        });
        (addr, scrapes)
    }

    /// The query's series as (instance label, value), sorted.
    async fn series(prometheus: &Prometheus, promql: &str) -> Vec<(String, f64)> {
        let result = prometheus.query(promql).await.unwrap();
        let mut series: Vec<(String, f64)> = result
            .iter()
            .map(|s| {
                let instance = s["metric"]["instance"].as_str().unwrap_or("").to_string();
                (instance, sample_value(s).unwrap())
            })
            .collect();
        series.sort_by(|a, b| a.0.cmp(&b.0));
        series
    }

    #[tokio::test]
    async fn a_target_is_scraped_and_its_metrics_are_queried_back() {
        let (addr, scrapes) = target(42).await;
        // The same target twice is scraped once.
        let prometheus = prometheus(&[addr, addr]).await;
        prometheus.wait_until_up(UP_LIMIT).await;
        assert!(prometheus.url().starts_with("http://127.0.0.1:"));

        let up = prometheus.query("up").await.unwrap();
        assert_eq!(up.len(), 1, "{up:?}");
        assert_eq!(
            up[0]["metric"],
            serde_json::json!({ "__name__": "up", "instance": addr.to_string(), "job": "app" })
        );
        assert_eq!(up[0]["value"][1], "1");
        assert_eq!(
            series(&prometheus, "testkit_answer").await,
            [(addr.to_string(), 42.0)]
        );
        let targets = prometheus.targets().await;
        assert_eq!(targets.len(), 1);
        assert_eq!(targets[0]["scrapeUrl"], format!("http://{addr}/metrics"));

        // Everything answered before the call is in what a query sees after it.
        let answered = scrapes.load(Ordering::SeqCst);
        prometheus
            .wait_for_next_scrape(Duration::from_secs(5))
            .await;
        let seen = series(&prometheus, "testkit_scrapes_total").await;
        assert_eq!(seen.len(), 1);
        assert!(seen[0].1 > answered as f64, "{seen:?} after {answered}");
    }

    #[tokio::test]
    async fn a_bad_query_is_an_error_with_prometheuss_message() {
        let prometheus = prometheus(&[]).await;
        assert_eq!(
            prometheus.query("sum(").await,
            Err("invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis".into())
        );
        assert_eq!(prometheus.query("absent_metric").await, Ok(vec![]));
        let two = prometheus.query("1 + 1").await.unwrap();
        assert_eq!(two[1], "2", "{two:?}");
    }

    #[tokio::test]
    async fn a_target_that_is_down_fails_the_wait_with_its_error_and_the_log() {
        // A port of the test's own that nothing listens on: connections to it are refused.
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let nothing = socket.local_addr().unwrap();
        let prometheus = prometheus(&[nothing]).await;
        let deadline = Instant::now() + UP_LIMIT;
        while !prometheus.targets().await.iter().any(is_scraped) {
            assert!(Instant::now() < deadline, "never scraped");
            tokio::time::sleep(POLL).await;
        }
        let failed = tokio::spawn(async move {
            prometheus.wait_until_up(Duration::from_millis(200)).await;
        })
        .await
        .unwrap_err();
        let message = failed.into_panic();
        let message = message.downcast_ref::<String>().unwrap();
        let first = message.lines().take(2).collect::<Vec<_>>().join("\n");
        assert_eq!(
            first,
            format!(
                "Prometheus did not scrape every target successfully within 0.2 s; its targets:\n  \
                 http://{nothing}/metrics: down, Get \"http://{nothing}/metrics\": dial tcp \
                 {nothing}: connect: connection refused"
            )
        );
        assert!(message.contains("\nPrometheus's log ("), "{message}");
        assert!(
            message.contains("Server is ready to receive web requests."),
            "{message}"
        );
    }

    #[tokio::test]
    async fn two_servers_at_once_scrape_only_their_own_targets() {
        let (first, _) = target(1).await;
        let (second, _) = target(2).await;
        let (firsts, seconds) = ([first], [second]);
        let (one, two) = tokio::join!(prometheus(&firsts), prometheus(&seconds));
        assert_ne!(one.url(), two.url());
        tokio::join!(one.wait_until_up(UP_LIMIT), two.wait_until_up(UP_LIMIT));
        assert_eq!(
            series(&one, "testkit_answer").await,
            [(first.to_string(), 1.0)]
        );
        assert_eq!(
            series(&two, "testkit_answer").await,
            [(second.to_string(), 2.0)]
        );
    }

    #[tokio::test]
    async fn dropping_it_stops_prometheus_and_removes_its_directory() {
        let prometheus = prometheus(&[]).await;
        let group = prometheus.server.group();
        let dir = prometheus.server.dir().to_path_buf();
        let port: u16 = prometheus
            .url()
            .rsplit(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(dir.join("prometheus.yml").is_file());
        assert!(dir.join("data").is_dir());
        assert!(
            group_members(group).iter().any(|name| name == "prometheus"),
            "{:?}",
            group_members(group)
        );

        drop(prometheus);
        assert!(!dir.exists(), "{} is left", dir.display());
        assert_eq!(wait_until_gone(group).await, Vec::<String>::new());
        assert!(
            tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_err(),
            "Prometheus still listens on {port}"
        );
    }

    #[test]
    fn the_configuration_scrapes_each_target_every_second() {
        let targets = [
            SocketAddr::from(([127, 0, 0, 1], 8080)),
            SocketAddr::from(([127, 0, 0, 1], 8081)),
        ];
        assert_eq!(
            config_text(&targets),
            "# Written by testkit::prometheus for one test.
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: app
    metrics_path: /metrics
    static_configs:
      - targets: [\"127.0.0.1:8080\", \"127.0.0.1:8081\"]
"
        );
    }

    #[test]
    fn a_missing_program_is_reported_with_how_to_install_it() {
        assert_eq!(
            missing_message(),
            "needs Prometheus: no prometheus on PATH; install Prometheus (`apt install \
             prometheus`, `brew install prometheus`): the tests run the binary themselves. \
             `cargo xtask doctor` checks every service"
        );
    }
}
