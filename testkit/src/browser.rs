//! A real headless Chromium for a test, driven over WebDriver, that cleans up after itself.
//!
//! A front end is only tested for real in a browser: a page's JavaScript runs there, its
//! `fetch` calls are checked against CORS there, and what a user sees is what the browser
//! renders. [`browser`] starts `chromedriver` on a free loopback port, opens a headless
//! Chromium session through it (about half a second) and returns a [`Browser`]: the
//! [fantoccini](https://docs.rs/fantoccini/0.22) [`Client`] (it derefs to one), plus a few
//! checks that wait for the page and fail with what it shows:
//!
//! ```no_run
//! # async fn example(page: &str) {
//! let browser = testkit::browser::browser().await;
//! browser.open(page).await;
//! browser.fill("#name", "milk").await;
//! browser.click("#add").await;
//! browser.wait_for_texts("#items li", &["milk"]).await; // up to 5 s, then fails
//! assert_eq!(browser.texts("#error").await, [""]);
//! let title = browser.title().await.unwrap(); // any fantoccini call, through Deref
//! # }
//! ```
//!
//! A page's work is asynchronous (a click starts a `fetch`; the list changes when the answer
//! comes), so the checks wait: [`Browser::wait_for_text`] and [`Browser::wait_for_texts`] poll
//! the page until it shows what is expected, 5 s at most, and [`Browser::click`] and
//! [`Browser::fill`] wait for their element. A failure names the test's line and shows the
//! page's address, its text, and the browser's console, where Chromium writes what a
//! learner needs most: the uncaught errors of the page's JavaScript and the requests that
//! CORS blocked, with the reason.
//!
//! ```text
//! expected `#items .item` to show ["milk × 2"] within 5 s; it shows [] (at stage3-apis/tests/14_front_end.rs:469)
//!
//! page: http://127.0.0.1:35121/?api=http://127.0.0.1:37941
//! it reads:
//!   | Shopping list
//!   |   Log in
//!   | logged in as ada
//!   | Name
//!   | Quantity
//!   | Add
//! console:
//!   error: http://127.0.0.1:35121/?api=http://127.0.0.1:37941 - Access to fetch at 'http://127.0.0.1:37941/api/items' from origin 'http://127.0.0.1:35121' has been blocked by CORS policy: Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.
//!   error: http://127.0.0.1:37941/api/items - Failed to load resource: net::ERR_FAILED
//!   error: http://127.0.0.1:35121/app.js 72:25 Uncaught TypeError: Failed to fetch
//! ```
//!
//! **Nothing is left behind.** chromedriver and every Chromium process run in a process group
//! of their own, led by a small `sh` watchdog that waits on a pipe from the test: when the
//! [`Browser`] is dropped (at the end of the test, or while a failed test unwinds) the pipe
//! closes and the watchdog kills the whole group; when the test binary dies without dropping
//! it (a runner's timeout kills it), the operating system closes the pipe and the same
//! happens. Their files (profile, caches, the driver's log) live in a directory of the
//! browser's own under the system's temporary directory, removed on drop; one that a killed
//! run left is removed by the next run.
//!
//! Chromium and chromedriver are programs found on `PATH` (the `services` crate's
//! `Service::Chromium`); when one is missing, [`browser`] fails at once, saying how to install
//! both. Unix only: the watchdog is a POSIX shell. Do not use a browser under
//! `#[tokio::test(start_paused = true)]`: waiting for the page needs the real clock.

use std::fmt::{Display, Write as _};
use std::future::Future;
use std::ops::Deref;
use std::panic::Location;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::error::CmdError;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::Service;
use crate::program::{Scratch, Watched};

pub use fantoccini::{self, Locator};

/// How long a check waits for the page to show what it expects, unless
/// [`Browser::waiting_at_most`] says otherwise.
pub const WAIT: Duration = Duration::from_secs(5);

/// How long one WebDriver command may take before the test fails instead of hanging (a page
/// whose script loops forever never answers).
const COMMAND_LIMIT: Duration = Duration::from_secs(10);

/// How long Chromium may take to start: a second usually, more on a first start from a cold
/// disk.
const START_LIMIT: Duration = Duration::from_secs(30);

/// How long chromedriver may take to print its port before its start counts as hung, and how
/// many starts are tried.
const DRIVER_LIMIT: Duration = Duration::from_secs(15);
const DRIVER_ATTEMPTS: usize = 2;

/// How often a check looks at the page again.
const POLL: Duration = Duration::from_millis(25);

/// The part of the page's text a failure shows, in bytes.
const TEXT_SHOWN: usize = 2048;

/// Chromium's flags: no window; no sandbox, which needs privileges a container lacks;
/// shared memory in the temporary directory rather than a `/dev/shm` that containers keep
/// tiny; none of the background traffic to Google a fresh profile starts.
const CHROMIUM_ARGS: [&str; 6] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-search-engine-choice-screen",
];

/// A headless Chromium of the test's own. Panics, saying how to install it, when Chromium or
/// chromedriver is missing, and with chromedriver's output when it cannot start.
pub async fn browser() -> Browser {
    match try_browser().await {
        Ok(browser) => browser,
        Err(message) => panic!("{message}"),
    }
}

/// [`browser`], returning the reason instead of panicking.
pub async fn try_browser() -> Result<Browser, String> {
    let (chromium, chromedriver) = programs()?;
    let driver = Driver::start(&chromedriver).await?;
    let client = driver.session(&chromium).await?;
    let session = match client.session_id().await {
        Ok(Some(id)) => id,
        Ok(None) => return Err("chromedriver opened a session without an id".into()),
        Err(e) => return Err(format!("chromedriver's session: {e}")),
    };
    Ok(Browser {
        client,
        session,
        console: Mutex::new(Vec::new()),
        wait: WAIT,
        driver,
    })
}

/// A headless Chromium session. Derefs to fantoccini's [`Client`] for everything WebDriver
/// does; its own methods are checks that wait for the page and fail with what it shows.
/// Dropping it stops chromedriver and Chromium and removes their files.
pub struct Browser {
    client: Client,
    session: String,
    /// Every console message read so far: chromedriver hands each one out once.
    console: Mutex<Vec<String>>,
    wait: Duration,
    // Dropped last: the session's client goes first, then its processes.
    driver: Driver,
}

impl Deref for Browser {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Browser {
    /// The fantoccini client, for what the checks do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The same browser, whose checks wait `limit` instead of 5 s: longer for a page that is
    /// slow by design, shorter for a test that expects a check to fail.
    pub fn waiting_at_most(mut self, limit: Duration) -> Self {
        self.wait = limit;
        self
    }

    /// Loads `url` and waits until the page has loaded (its `load` event), scripts included.
    #[track_caller]
    pub fn open<'a>(&'a self, url: &'a str) -> impl Future<Output = ()> + 'a {
        let caller = Location::caller();
        async move {
            if let Err(e) = self.command(self.client.goto(url)).await {
                self.fail_at(caller, format!("cannot open {url}: {e}"))
                    .await
            }
        }
    }

    /// Clicks the first element that matches the CSS selector `css`, waiting up to 5 s for it
    /// to be there and clickable.
    #[track_caller]
    pub fn click<'a>(&'a self, css: &'a str) -> impl Future<Output = ()> + 'a {
        let caller = Location::caller();
        async move {
            self.on_element(caller, css, "click", |element| async move {
                element.click().await
            })
            .await
        }
    }

    /// Types `text` into the first field that matches `css`, after emptying it, waiting up to
    /// 5 s for it to be there.
    #[track_caller]
    pub fn fill<'a>(&'a self, css: &'a str, text: &'a str) -> impl Future<Output = ()> + 'a {
        let caller = Location::caller();
        async move {
            self.on_element(
                caller,
                css,
                &format!("type {text:?} into"),
                |element| async move {
                    element.clear().await?;
                    element.send_keys(text).await
                },
            )
            .await
        }
    }

    /// The texts of the elements that match `css` now, in the page's order, each as the
    /// browser renders it (`innerText`), trimmed; empty when none matches.
    #[track_caller]
    pub fn texts<'a>(&'a self, css: &'a str) -> impl Future<Output = Vec<String>> + 'a {
        let caller = Location::caller();
        async move {
            match self.try_texts(css).await {
                Ok(texts) => texts,
                Err(e) => {
                    self.fail_at(caller, format!("cannot read `{css}`: {e}"))
                        .await
                }
            }
        }
    }

    /// Waits up to 5 s until the first element that matches `css` shows exactly `expected`
    /// (its rendered text, trimmed); fails with what the page shows instead.
    #[track_caller]
    pub fn wait_for_text<'a>(
        &'a self,
        css: &'a str,
        expected: &'a str,
    ) -> impl Future<Output = ()> + 'a {
        let caller = Location::caller();
        async move {
            let deadline = Instant::now() + self.wait;
            loop {
                let seen = self.try_texts(css).await;
                if let Ok(texts) = &seen
                    && texts.first().is_some_and(|t| t == expected)
                {
                    return;
                }
                if Instant::now() >= deadline {
                    let shows = match seen {
                        Ok(texts) => match texts.first() {
                            Some(text) => format!("it shows {text:?}"),
                            None => "no element matches it".to_string(),
                        },
                        Err(e) => format!("it cannot be read: {e}"),
                    };
                    self.fail_at(
                        caller,
                        format!(
                            "expected `{css}` to show {expected:?} within {}; {shows}",
                            secs(self.wait)
                        ),
                    )
                    .await
                }
                tokio::time::sleep(POLL).await;
            }
        }
    }

    /// Waits up to 5 s until the elements that match `css` show exactly `expected`, one text
    /// each, in order (`&[]`: until none matches); fails with what the page shows instead.
    #[track_caller]
    pub fn wait_for_texts<'a>(
        &'a self,
        css: &'a str,
        expected: &'a [&'a str],
    ) -> impl Future<Output = ()> + 'a {
        let caller = Location::caller();
        async move {
            let deadline = Instant::now() + self.wait;
            loop {
                let seen = self.try_texts(css).await;
                if let Ok(texts) = &seen
                    && texts
                        .iter()
                        .map(String::as_str)
                        .eq(expected.iter().copied())
                {
                    return;
                }
                if Instant::now() >= deadline {
                    let shows = match seen {
                        Ok(texts) => format!("it shows {texts:?}"),
                        Err(e) => format!("it cannot be read: {e}"),
                    };
                    self.fail_at(
                        caller,
                        format!(
                            "expected `{css}` to show {expected:?} within {}; {shows}",
                            secs(self.wait)
                        ),
                    )
                    .await
                }
                tokio::time::sleep(POLL).await;
            }
        }
    }

    /// Every message of the browser's console since the session started, oldest first, each
    /// as `level: text`: the page's `console.log` and `console.error` calls, its uncaught
    /// errors, and what the browser itself reports (a request that CORS blocked, a failed
    /// load).
    pub async fn console(&self) -> Vec<String> {
        // A console that cannot be read is shown as such rather than failing the test.
        if let Err(e) = self.read_console().await {
            return vec![format!("(the console cannot be read: {e})")];
        }
        self.console.lock().expect("not poisoned").clone()
    }

    /// Fails the test with `message`, then the page's address, its text and the console,
    /// for checks of the test's own.
    #[track_caller]
    pub fn fail<'a>(&'a self, message: impl Display + 'a) -> impl Future<Output = ()> + 'a {
        let caller = Location::caller();
        let message = message.to_string();
        async move { self.fail_at(caller, message).await }
    }

    /// What the browser shows now: its address, its text, its console, as failures print it.
    pub async fn report(&self) -> String {
        let url = match self.command(self.client.current_url()).await {
            Ok(url) => url.to_string(),
            Err(e) => format!("(unknown: {e})"),
        };
        let script = "return document.body ? document.body.innerText : ''";
        let text = match self.command(self.client.execute(script, Vec::new())).await {
            Ok(Value::String(text)) => text,
            Ok(other) => other.to_string(),
            Err(e) => format!("(cannot be read: {e})"),
        };
        let mut out = format!("page: {url}\nit reads:\n");
        let shown = cut(text.trim(), TEXT_SHOWN);
        if shown.is_empty() {
            out.push_str("  (nothing)\n");
        }
        // Block elements put blank lines around themselves; they only take room here.
        for line in shown.lines().filter(|line| !line.trim().is_empty()) {
            let _ = writeln!(out, "  | {line}");
        }
        if shown.len() < text.trim().len() {
            let _ = writeln!(out, "  ({} more bytes)", text.trim().len() - shown.len());
        }
        let console = self.console().await;
        if console.is_empty() {
            out.push_str("console: empty");
        } else {
            out.push_str("console:");
            for line in console {
                let _ = write!(out, "\n  {line}");
            }
        }
        out
    }

    async fn fail_at(&self, caller: &Location<'_>, message: String) -> ! {
        let report = self.report().await;
        panic!(
            "{message} (at {}:{})\n\n{report}",
            caller.file(),
            caller.line()
        )
    }

    /// Runs one WebDriver command, failing it instead of waiting forever.
    async fn command<T>(
        &self,
        work: impl Future<Output = Result<T, CmdError>>,
    ) -> Result<T, String> {
        match tokio::time::timeout(COMMAND_LIMIT, work).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!(
                "the browser did not answer within {} s (is a script of the page looping?)",
                COMMAND_LIMIT.as_secs()
            )),
        }
    }

    /// Waits up to [`WAIT`] for an element matching `css` on which `act` succeeds.
    async fn on_element<F, Fut>(&self, caller: &Location<'_>, css: &str, what: &str, act: F)
    where
        F: Fn(fantoccini::elements::Element) -> Fut,
        Fut: Future<Output = Result<(), CmdError>>,
    {
        let deadline = Instant::now() + self.wait;
        loop {
            let error = match self.command(self.client.find(Locator::Css(css))).await {
                Ok(element) => match self.command(act(element)).await {
                    Ok(()) => return,
                    Err(e) => e,
                },
                Err(e) => e,
            };
            if Instant::now() >= deadline {
                self.fail_at(
                    caller,
                    format!("cannot {what} `{css}` within {}: {error}", secs(self.wait)),
                )
                .await
            }
            tokio::time::sleep(POLL).await;
        }
    }

    async fn try_texts(&self, css: &str) -> Result<Vec<String>, String> {
        let script = "return Array.from(document.querySelectorAll(arguments[0]), \
                      e => e.innerText.trim())";
        let value = self
            .command(self.client.execute(script, vec![json!(css)]))
            .await?;
        serde_json::from_value(value).map_err(|e| format!("not a list of texts: {e}"))
    }

    /// Appends the console's new messages to those read before.
    async fn read_console(&self) -> Result<(), String> {
        let path = format!("/session/{}/se/log", self.session);
        let entries = self
            .driver
            .post(&path, &json!({ "type": "browser" }))
            .await?;
        let entries = entries
            .get("value")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("chromedriver answered {entries}"))?;
        let mut console = self.console.lock().expect("not poisoned");
        for entry in entries {
            let level = match entry.get("level").and_then(Value::as_str) {
                Some("SEVERE") => "error",
                Some("WARNING") => "warning",
                Some("INFO") => "info",
                Some("DEBUG") => "debug",
                Some(other) => other,
                None => "?",
            };
            let text = entry.get("message").and_then(Value::as_str).unwrap_or("");
            console.push(format!("{level}: {text}"));
        }
        Ok(())
    }
}

/// chromedriver, with the Chromium it starts, in a process group led by the watchdog
/// (`program::Watched`), its files in a directory `testkit-browser-<pid>-<n>`.
struct Driver {
    program: Watched,
    port: u16,
}

impl Driver {
    async fn start(chromedriver: &Path) -> Result<Driver, String> {
        // chromedriver prints its port within a second; once in a few hundred starts on a
        // loaded machine (seen in CI, two test binaries and two builds at once) it printed
        // nothing for 30 s and never did. A start that is silent for DRIVER_LIMIT is stopped
        // (its process group killed) and tried once more, so a hung start costs seconds, not
        // the test.
        let mut failures = Vec::new();
        for _ in 0..DRIVER_ATTEMPTS {
            match Driver::start_once(chromedriver).await {
                Ok(driver) => return Ok(driver),
                Err(failure) => failures.push(failure),
            }
        }
        Err(failures.join("\n"))
    }

    async fn start_once(chromedriver: &Path) -> Result<Driver, String> {
        // Chromium and chromedriver put their profile and scratch files in the directory.
        let scratch = Scratch::new("browser")?;
        // chromedriver picks a free port and prints which.
        let program = Watched::start(scratch, "chromedriver", chromedriver, ["--port=0"])?;
        // From here on, dropping `driver` stops whatever has started.
        let mut driver = Driver { program, port: 0 };
        let deadline = Instant::now() + DRIVER_LIMIT;
        loop {
            let printed = driver.log();
            if let Some(port) = started_on(&printed) {
                driver.port = port;
                return Ok(driver);
            }
            if driver.program.has_exited() || Instant::now() >= deadline {
                return Err(format!(
                    "chromedriver ({}) did not start within {} s; it printed:\n{}",
                    chromedriver.display(),
                    DRIVER_LIMIT.as_secs(),
                    indent(&driver.log())
                ));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// A new headless session: chromedriver starts Chromium for it.
    async fn session(&self, chromium: &Path) -> Result<Client, String> {
        let mut capabilities = Capabilities::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": chromium, "args": CHROMIUM_ARGS }),
        );
        // Keeps the console's messages for `Browser::console`.
        capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let url = format!("http://127.0.0.1:{}", self.port);
        let failed = |why: String| {
            format!(
                "chromedriver could not start Chromium ({}): {why}; chromedriver printed:\n{}",
                chromium.display(),
                indent(&self.log())
            )
        };
        match tokio::time::timeout(START_LIMIT, builder.connect(&url)).await {
            Ok(Ok(client)) => Ok(client),
            Ok(Err(e)) => Err(failed(e.to_string())),
            Err(_) => Err(failed(format!(
                "no session within {} s",
                START_LIMIT.as_secs()
            ))),
        }
    }

    fn log(&self) -> String {
        self.program.log()
    }

    /// POSTs `body` to chromedriver at `path`, for the commands fantoccini does not have, and
    /// returns its JSON answer.
    async fn post(&self, path: &str, body: &Value) -> Result<Value, String> {
        let port = self.port;
        let body = body.to_string();
        let exchange = async {
            let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
            let request = format!(
                "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(request.as_bytes()).await?;
            // chromedriver keeps the connection open: the answer ends where its length says.
            let mut received = Vec::new();
            let mut chunk = [0; 8192];
            loop {
                if let Some(body) = complete_body(&received) {
                    return Ok(body.to_vec());
                }
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    return Err(std::io::Error::other("the answer ended early"));
                }
                received.extend_from_slice(&chunk[..n]);
            }
        };
        let body = match tokio::time::timeout(COMMAND_LIMIT, exchange).await {
            Ok(Ok(body)) => body,
            Ok(Err(e)) => return Err(format!("asking chromedriver: {e}")),
            Err(_) => return Err("chromedriver did not answer".into()),
        };
        serde_json::from_slice(&body).map_err(|e| format!("chromedriver's answer: {e}"))
    }
}

/// The port in chromedriver's "ChromeDriver was started successfully on port 41235."
fn started_on(printed: &str) -> Option<u16> {
    let rest = printed.split("started successfully on port ").nth(1)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|&port| port != 0)
}

/// The body of an HTTP response once all of it (as long as its `Content-Length`) is there.
fn complete_body(received: &[u8]) -> Option<&[u8]> {
    let end = received.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&received[..end]);
    let length: usize = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse().ok())?
    })?;
    received.get(end + 4..end + 4 + length)
}

/// Chromium and chromedriver, or what to do when either is missing.
fn programs() -> Result<(PathBuf, PathBuf), String> {
    let probe = services::probe(&crate::resolve::workspace_root(), Service::Chromium);
    if !probe.reachable {
        return Err(missing_message(&probe.address));
    }
    let find =
        |program: &str| services::find_program(program).ok_or_else(|| missing_message(program));
    Ok((find("chromium")?, find("chromedriver")?))
}

fn missing_message(missing: &str) -> String {
    format!(
        "Chromium is missing: no {missing} on PATH; {}. `cargo xtask doctor` checks every service",
        Service::Chromium.how_to_start()
    )
}

/// A duration as failures say it: `5 s`, `0.2 s`.
fn secs(duration: Duration) -> String {
    format!("{} s", duration.as_secs_f64())
}

fn indent(text: &str) -> String {
    if text.trim().is_empty() {
        return "  (nothing)".into();
    }
    text.lines()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` cut to at most `limit` bytes, at a character boundary.
fn cut(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::program::{group_members, wait_until_gone};
    use tokio::net::TcpListener;

    /// A page with a button that counts its clicks, a field it greets, and a warning in the
    /// console on each click.
    const PAGE: &str = r#"<!doctype html>
<html><head><title>clicks</title><link rel="icon" href="data:,"></head>
<body>
<input id="name"> <button id="greet">Greet</button>
<p id="out"></p>
<ul id="log"></ul>
<script>
let clicks = 0;
document.querySelector('#greet').addEventListener('click', () => {
  clicks += 1;
  const name = document.querySelector('#name').value;
  document.querySelector('#out').textContent = `hello ${name} (${clicks})`;
  const li = document.createElement('li');
  li.textContent = `click ${clicks}`;
  document.querySelector('#log').append(li);
  console.warn(`clicked ${clicks}`);
});
</script>
</body></html>"#;

    /// Serves `PAGE` for every request on a free loopback port; the URL to open.
    async fn serve_page() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(async move {
                    // One request a connection, read up to the end of its head.
                    let mut received = Vec::new();
                    let mut chunk = [0; 1024];
                    while !received.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => received.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
                         Content-Length: {}\r\nConnection: close\r\n\r\n{PAGE}",
                        PAGE.len()
                    );
                    let _ = stream.write_all(answer.as_bytes()).await;
                });
            }
        });
        format!("http://{addr}/")
    }

    #[tokio::test]
    async fn a_page_is_filled_clicked_and_read_in_headless_chromium() {
        let page = serve_page().await;
        let browser = browser().await;
        browser.open(&page).await;
        assert_eq!(browser.title().await.unwrap(), "clicks");
        assert_eq!(browser.texts("#out").await, [""]);
        assert_eq!(browser.texts("#log li").await, Vec::<String>::new());

        browser.fill("#name", "ada").await;
        browser.click("#greet").await;
        browser.wait_for_text("#out", "hello ada (1)").await;
        browser.fill("#name", "grace").await;
        browser.click("#greet").await;
        browser.wait_for_text("#out", "hello grace (2)").await;
        browser
            .wait_for_texts("#log li", &["click 1", "click 2"])
            .await;

        let console = browser.console().await;
        let clicks: Vec<&String> = console.iter().filter(|m| m.contains("clicked")).collect();
        assert_eq!(clicks.len(), 2, "{console:?}");
        assert!(clicks[0].starts_with("warning: "), "{console:?}");
        assert!(clicks[1].ends_with(r#""clicked 2""#), "{console:?}");
    }

    #[tokio::test]
    async fn a_wait_that_is_not_met_fails_with_the_line_the_page_and_the_console() {
        let page = serve_page().await;
        let browser = browser().await.waiting_at_most(Duration::from_millis(500));
        browser.open(&page).await;
        browser.click("#greet").await;
        let line = line!() + 2;
        let failed = tokio::spawn(async move {
            browser.wait_for_text("#out", "goodbye").await;
        })
        .await
        .unwrap_err();
        let message = failed.into_panic();
        let message = message
            .downcast_ref::<String>()
            .expect("a panic with a message");
        let first = message.lines().next().unwrap();
        assert_eq!(
            first,
            format!(
                "expected `#out` to show \"goodbye\" within 0.5 s; it shows \"hello (1)\" (at {}:{line})",
                file!()
            )
        );
        assert!(message.contains(&format!("\npage: {page}\n")), "{message}");
        assert!(message.contains("\n  | hello (1)\n"), "{message}");
        assert!(message.contains("\nconsole:\n  warning: "), "{message}");
        assert!(message.contains(r#""clicked 1""#), "{message}");
    }

    #[tokio::test]
    async fn a_missing_element_fails_saying_which_and_what_the_page_shows() {
        let page = serve_page().await;
        let browser = browser().await.waiting_at_most(Duration::from_millis(500));
        browser.open(&page).await;
        let failed = tokio::spawn(async move {
            browser.click("#missing").await;
        })
        .await
        .unwrap_err();
        let message = failed.into_panic();
        let message = message.downcast_ref::<String>().unwrap();
        assert!(
            message.starts_with("cannot click `#missing` within 0.5 s: "),
            "{message}"
        );
        assert!(message.contains("no such element"), "{message}");
        assert!(message.contains("\n  | Greet\n"), "{message}");
    }

    #[tokio::test]
    async fn dropping_the_browser_stops_chromedriver_and_chromium_and_removes_their_files() {
        let browser = browser().await;
        browser.open("about:blank").await;
        let group = browser.driver.program.group();
        let dir = browser.driver.program.dir().to_path_buf();
        let port = browser.driver.port;
        assert!(dir.join("chromedriver.log").is_file());
        let chromium = group_members(group);
        assert!(
            chromium.iter().any(|name| name.starts_with("chrom")),
            "a Chromium process in the group: {chromium:?}"
        );

        drop(browser);
        assert!(!dir.exists(), "{} is left", dir.display());
        assert_eq!(wait_until_gone(group).await, Vec::<String>::new());
        assert!(
            tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_err(),
            "chromedriver still listens on {port}"
        );
    }

    #[test]
    fn a_missing_program_is_reported_with_how_to_install_both() {
        assert_eq!(
            missing_message("chromedriver"),
            "Chromium is missing: no chromedriver on PATH; install Chromium and its driver \
             (`apt install chromium chromium-driver`, `brew install --cask chromium chromedriver`): \
             the tests run both themselves. `cargo xtask doctor` checks every service"
        );
    }

    #[test]
    fn chromedrivers_port_is_read_from_what_it_prints() {
        let printed = "Starting ChromeDriver 156.0.8078.114 on port 0\n\
                       Only local connections are allowed.\n\
                       ChromeDriver was started successfully on port 42187.\n";
        assert_eq!(started_on(printed), Some(42187));
        assert_eq!(started_on("Starting ChromeDriver 156 on port 0\n"), None);
        assert_eq!(
            complete_body(b"HTTP/1.1 200 OK\r\nContent-Length:2\r\n\r\n{}"),
            Some(&b"{}"[..])
        );
        assert_eq!(
            complete_body(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n{}"),
            None
        );
    }
}
