//! A real nginx of the test's own, serving a site configuration that the learner wrote.
//!
//! A reverse proxy's configuration is only proven by the proxy: a directive may read well and
//! be refused, or be accepted and do something else than its author thinks. So [`site`] takes
//! the learner's site file (the `upstream` and `server` blocks that go in `conf.d/`), fills
//! its placeholders, wraps it in a main configuration of testkit's own and starts the real
//! `nginx` program on a free loopback port:
//!
//! ```no_run
//! # async fn example(app_1: std::net::SocketAddr, app_2: std::net::SocketAddr) {
//! # let learners_file = "";
//! let nginx = testkit::nginx::site("nginx.conf", learners_file)
//!     .var("APP_1", app_1)                       // ${APP_1} becomes 127.0.0.1:41517
//!     .var("APP_2", app_2)
//!     .file("public/app.css", "body {}")         // written into nginx's own directory
//!     .path_var("STATIC_ROOT", "public")         // ${STATIC_ROOT}: that directory's path
//!     .start()
//!     .await;                                    // ${LISTEN} is the port nginx listens on
//! let page = nginx.url("/static/app.css");       // http://127.0.0.1:<port>/static/app.css
//! println!("{}", nginx.logs());                  // both logs' last lines, for a failure
//! # }
//! ```
//!
//! **Placeholders** work as the official nginx image's templates do (envsubst over
//! `/etc/nginx/templates/*.template`): `${NAME}`, in capitals, digits and `_`, is replaced by
//! the test's value; `${LISTEN}` is always the `127.0.0.1:<port>` nginx must listen on, and
//! the site must use it. A placeholder the test does not fill is an error naming it and its
//! line. nginx's own variables (`$remote_addr`, `${host}`) are lowercase and left alone.
//! Values never hold a line break, so nginx's line numbers are the learner's.
//!
//! **The main configuration** is testkit's: `daemon off`, `master_process off` (one process
//! that runs as the test's user, so it never switches to `nobody` and reads every file the
//! test can; as root too), its pid file, error log (level `warn`), access log (with the
//! upstream each request went to) and temporary directories in a scratch directory
//! `testkit-nginx-<pid>-<n>`, the MIME types of the installed nginx (or a few common ones),
//! and `include` of the site. The site is checked with `nginx -t` first: a configuration that
//! nginx refuses fails the start with nginx's own message, the path mapped back to the
//! learner's file name (`unknown directive "proxy_pas" in nginx.conf:7`).
//!
//! Dropping the [`Nginx`] kills the server and removes the directory; when the test binary
//! dies instead, the server dies with it (testkit's `sh` watchdog kills it when the test's end
//! of a pipe closes) and the next run removes the directory. The program is found on `PATH`,
//! in `/usr/sbin`, `/usr/local/sbin` or `/opt/homebrew/bin` (`services::find_program`); when it is missing, the start
//! fails at once, saying how to install it. Unix only.
//!
//! nginx's documentation: <https://nginx.org/en/docs/dirindex.html>; the image's templates:
//! <https://hub.docker.com/_/nginx> ("Using environment variables in nginx configuration").

use std::fmt::{Display, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::Service;
use crate::program::{Scratch, Watched, free_port};

/// How long nginx may take to accept connections once started (measured: a few ms).
const READY_LIMIT: Duration = Duration::from_secs(5);

/// How long `nginx -t` may take (a few ms, unless an `upstream` names a host that must be
/// resolved and the resolver does not answer).
const CHECK_LIMIT: Duration = Duration::from_secs(10);

/// How many ports a start tries: the port it picks is free when it looks, but another process
/// may take it before nginx binds it.
const ATTEMPTS: usize = 5;

/// How many of a log's last lines [`Nginx::logs`] shows.
const LOG_LINES: usize = 30;

/// The placeholder that is always filled: the address nginx listens on.
pub const LISTEN: &str = "LISTEN";

/// The site file's name in nginx's directory; messages call it by the learner's name.
const SITE_FILE: &str = "site.conf";

/// Where [`Site::file`] writes, inside nginx's directory.
const FILES_DIR: &str = "files";

/// A site configuration to serve, its placeholders' values and the files it serves; started
/// by [`Site::start`].
#[derive(Debug, Clone)]
#[must_use = "nginx starts only with `.start().await`"]
pub struct Site {
    name: String,
    text: String,
    vars: Vec<(String, String)>,
    paths: Vec<(String, String)>,
    files: Vec<(String, Vec<u8>)>,
}

/// The site configuration `text`, called `name` in messages (the learner's file name, such as
/// `nginx.conf`): `upstream`, `server` and other blocks of nginx's `http` context.
pub fn site(name: &str, text: &str) -> Site {
    Site {
        name: name.to_string(),
        text: text.to_string(),
        vars: Vec::new(),
        paths: Vec::new(),
        files: Vec::new(),
    }
}

impl Site {
    /// Fills the placeholder `${name}` with `value` (an address, a number, a word).
    #[track_caller]
    pub fn var(mut self, name: &str, value: impl Display) -> Site {
        let value = value.to_string();
        check_var(name, &value);
        self.vars.push((name.to_string(), value));
        self
    }

    /// Fills the placeholder `${name}` with the absolute path of `path` in nginx's own
    /// directory (where [`Site::file`] writes), without a final `/`.
    #[track_caller]
    pub fn path_var(mut self, name: &str, path: &str) -> Site {
        check_var(name, path);
        check_relative(path);
        self.paths.push((name.to_string(), path.to_string()));
        self
    }

    /// Writes `contents` at `path` (relative, `/`-separated) in nginx's own directory before
    /// it starts; its directories are made as needed.
    #[track_caller]
    pub fn file(mut self, path: &str, contents: impl Into<Vec<u8>>) -> Site {
        check_relative(path);
        self.files.push((path.to_string(), contents.into()));
        self
    }

    /// Starts nginx; panics with nginx's message when it refuses the configuration, and with
    /// how to install it when the program is missing.
    pub async fn start(self) -> Nginx {
        match self.try_start().await {
            Ok(nginx) => nginx,
            Err(message) => panic!("{message}"),
        }
    }

    /// Starts nginx, or says why it did not start: the program is missing, a placeholder is
    /// unknown, nginx refuses the configuration (its message, in the learner's file name), or
    /// it did not accept connections in time (its log).
    pub async fn try_start(self) -> Result<Nginx, String> {
        let program = program()?;
        if !has_placeholder(&self.text, LISTEN) {
            return Err(format!(
                "{} never uses ${{{LISTEN}}}: nginx must `listen ${{{LISTEN}}};`, the address \
                 the test gives it",
                self.name
            ));
        }
        let mut attempt = 1;
        loop {
            let scratch = Scratch::new("nginx")?;
            let addr = SocketAddr::from(([127, 0, 0, 1], free_port("nginx")?));
            let main = self.write(scratch.path(), addr)?;
            self.check(&program, scratch.path(), &main).await?;
            let server = Watched::start(scratch, "nginx", &program, args(&main))?;
            let nginx = Nginx {
                addr,
                name: self.name.clone(),
                server,
            };
            match nginx.wait_ready().await {
                Ready::Yes => return Ok(nginx),
                Ready::PortTaken if attempt < ATTEMPTS => attempt += 1,
                Ready::PortTaken => {
                    return Err(format!(
                        "nginx found no free port in {ATTEMPTS} attempts\n{}",
                        nginx.logs()
                    ));
                }
                Ready::No(message) => return Err(message),
            }
        }
    }

    /// Writes the files, the site with its placeholders filled and the main configuration
    /// into `dir`; the main configuration's path.
    fn write(&self, dir: &Path, listen: SocketAddr) -> Result<PathBuf, String> {
        // nginx makes its temporary directories, but not their parent.
        let temp = dir.join("temp");
        std::fs::create_dir_all(&temp)
            .map_err(|e| format!("cannot make {}: {e}", temp.display()))?;
        let files = dir.join(FILES_DIR);
        for (path, contents) in &self.files {
            let file = files.join(path);
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot make {}: {e}", parent.display()))?;
            }
            std::fs::write(&file, contents)
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        }
        let mut values = vec![(LISTEN.to_string(), listen.to_string())];
        values.extend(self.vars.iter().cloned());
        for (name, path) in &self.paths {
            let path = files.join(path);
            std::fs::create_dir_all(&path)
                .map_err(|e| format!("cannot make {}: {e}", path.display()))?;
            values.push((name.clone(), path.display().to_string()));
        }
        let text = substitute(&self.text, &values).map_err(|e| format!("{}{e}", self.name))?;
        let site = dir.join(SITE_FILE);
        std::fs::write(&site, text).map_err(|e| format!("cannot write {}: {e}", site.display()))?;
        let main = dir.join("nginx.conf");
        std::fs::write(&main, main_config(dir, mime_types().as_deref()))
            .map_err(|e| format!("cannot write {}: {e}", main.display()))?;
        Ok(main)
    }

    /// Runs `nginx -t`: nginx's complaint, in the learner's file name, if it refuses the
    /// configuration.
    async fn check(&self, program: &Path, dir: &Path, main: &Path) -> Result<(), String> {
        let mut command = tokio::process::Command::new(program);
        command
            .arg("-t")
            .arg("-q")
            .args(args(main))
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let output = tokio::time::timeout(CHECK_LIMIT, command.output())
            .await
            .map_err(|_| {
                format!(
                    "`nginx -t` did not finish within {} s: does an `upstream` name a host that \
                     cannot be resolved? Use the addresses the test gives",
                    CHECK_LIMIT.as_secs()
                )
            })?
            .map_err(|e| format!("cannot run {} -t: {e}", program.display()))?;
        if output.status.success() {
            return Ok(());
        }
        let said = String::from_utf8_lossy(&output.stderr).to_string()
            + &String::from_utf8_lossy(&output.stdout);
        let site = dir.join(SITE_FILE).display().to_string();
        let lines: Vec<String> = said
            .lines()
            .filter(|line| !line.contains("test failed") && !line.trim().is_empty())
            .map(|line| {
                line.trim_start_matches("nginx: ")
                    .replace(&site, &self.name)
            })
            .collect();
        Err(format!(
            "nginx refuses {}:\n  {}",
            self.name,
            if lines.is_empty() {
                format!(
                    "(`nginx -t` failed with {} and said nothing)",
                    output.status
                )
            } else {
                lines.join("\n  ")
            }
        ))
    }
}

/// A running nginx; stopped on drop.
pub struct Nginx {
    addr: SocketAddr,
    name: String,
    server: Watched,
}

impl std::fmt::Debug for Nginx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Nginx")
            .field("addr", &self.addr)
            .field("site", &self.name)
            .field("dir", &self.server.dir())
            .finish()
    }
}

impl Nginx {
    /// The address nginx listens on, `${LISTEN}`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The path of `path` in nginx's directory, where [`Site::file`] wrote.
    pub fn file_path(&self, path: &str) -> PathBuf {
        self.server.dir().join(FILES_DIR).join(path)
    }

    /// nginx's error log so far (level `warn` and above: a refused upstream, a body too
    /// large, a file not found).
    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.server.dir().join("error.log")).unwrap_or_default()
    }

    /// nginx's access log so far, a line a request: `<client> "<request>" <status> <bytes>
    /// upstream=<addresses tried> upstream_status=<their statuses> <seconds>`.
    pub fn access_log(&self) -> String {
        std::fs::read_to_string(self.server.dir().join("access.log")).unwrap_or_default()
    }

    /// The last lines of both logs (and of what nginx printed), to add to a failure message.
    pub fn logs(&self) -> String {
        let mut out = String::new();
        for (what, text) in [
            ("error log", self.error_log()),
            ("access log", self.access_log()),
            ("output", self.server.log()),
        ] {
            if what == "output" && text.is_empty() {
                continue;
            }
            let _ = write!(out, "nginx's {what}:");
            let lines: Vec<&str> = text.lines().collect();
            let shown = &lines[lines.len().saturating_sub(LOG_LINES)..];
            if shown.is_empty() {
                out.push_str(" (empty)");
            }
            for line in shown {
                let _ = write!(out, "\n  | {line}");
            }
            out.push('\n');
        }
        out.trim_end().to_string()
    }

    async fn wait_ready(&self) -> Ready {
        let deadline = Instant::now() + READY_LIMIT;
        loop {
            if tokio::net::TcpStream::connect(self.addr).await.is_ok() {
                return Ready::Yes;
            }
            let said = self.error_log() + &self.server.log();
            if said.contains("Address already in use") {
                return Ready::PortTaken;
            }
            if self.server.has_exited() {
                return Ready::No(format!("nginx stopped at once\n{}", self.logs()));
            }
            if Instant::now() >= deadline {
                return Ready::No(format!(
                    "nginx did not accept connections on {} within {} s: does {} \
                     `listen ${{{LISTEN}}};`?\n{}",
                    self.addr,
                    READY_LIMIT.as_secs(),
                    self.name,
                    self.logs()
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

/// The arguments that start nginx on `main`: its prefix (the scratch directory), its main
/// configuration and, where nginx knows `-e` (1.19.5 on), the error log for what it says
/// before it has read the configuration.
fn args(main: &Path) -> Vec<std::ffi::OsString> {
    let dir = main.parent().unwrap_or(Path::new("."));
    let mut args = vec![
        "-p".into(),
        dir.as_os_str().to_owned(),
        "-c".into(),
        main.as_os_str().to_owned(),
    ];
    if knows_error_log_flag() {
        args.push("-e".into());
        args.push(dir.join("error.log").into_os_string());
    }
    args
}

/// The main configuration around the site, everything nginx writes kept in `dir`.
fn main_config(dir: &Path, mime_types: Option<&Path>) -> String {
    let at = |name: &str| quoted(&dir.join(name));
    let types = match mime_types {
        Some(path) => format!("include {};", quoted(path)),
        // A few common types when the installed nginx has no mime.types to include.
        None => "types {\n        text/html html;\n        text/css css;\n        \
                 text/plain txt;\n        application/javascript js;\n        \
                 application/json json;\n        image/png png;\n        \
                 image/svg+xml svg;\n    }"
            .to_string(),
    };
    format!(
        "# Written by testkit::nginx for one test.
daemon off;
master_process off;
pid {pid};
error_log {error_log} warn;
events {{
    worker_connections 256;
}}
http {{
    {types}
    default_type application/octet-stream;
    log_format testkit '$remote_addr \"$request\" $status $body_bytes_sent '
                       'upstream=$upstream_addr upstream_status=$upstream_status $request_time';
    access_log {access_log} testkit;
    client_body_temp_path {body};
    proxy_temp_path {proxy};
    fastcgi_temp_path {fastcgi};
    uwsgi_temp_path {uwsgi};
    scgi_temp_path {scgi};
    include {site};
}}
",
        pid = at("nginx.pid"),
        error_log = at("error.log"),
        access_log = at("access.log"),
        body = at("temp/body"),
        proxy = at("temp/proxy"),
        fastcgi = at("temp/fastcgi"),
        uwsgi = at("temp/uwsgi"),
        scgi = at("temp/scgi"),
        site = at(SITE_FILE),
    )
}

/// A path as an nginx string: in double quotes, so that a space does not split it.
fn quoted(path: &Path) -> String {
    let text = path.display().to_string();
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Replaces each `${NAME}` (capitals, digits, `_`) of `text` with its value; an error, `:<line>:
/// ...`, names the first placeholder that has no value outside a comment. Anything else,
/// nginx's `$host` and `${host}` included, is left as it is.
fn substitute(text: &str, values: &[(String, String)]) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let comment = comment_start(line);
        let mut rest = line;
        let mut at = 0;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let name = after.find('}').map(|end| &after[..end]);
            match name.filter(|name| is_placeholder(name)) {
                Some(name) => {
                    match values.iter().find(|(known, _)| known == name) {
                        Some((_, value)) => out.push_str(value),
                        None if comment.is_some_and(|c| at + start > c) => {
                            out.push_str(&rest[start..start + name.len() + 3]);
                        }
                        None => {
                            let known: Vec<String> =
                                values.iter().map(|(n, _)| format!("${{{n}}}")).collect();
                            return Err(format!(
                                ":{}: unknown placeholder ${{{name}}}; the test fills {}",
                                number + 1,
                                known.join(", ")
                            ));
                        }
                    }
                    let used = start + name.len() + 3;
                    at += used;
                    rest = &rest[used..];
                }
                None => {
                    out.push_str("${");
                    at += start + 2;
                    rest = &rest[start + 2..];
                }
            }
        }
        out.push_str(rest);
    }
    Ok(out)
}

/// Where a line's comment starts: its first `#` outside quotes.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            _ if escaped => escaped = false,
            (_, '\\') => escaped = true,
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') => return Some(i),
            _ => {}
        }
    }
    None
}

fn is_placeholder(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_uppercase() || c == '_')
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Whether `text` uses `${name}` outside a comment.
fn has_placeholder(text: &str, name: &str) -> bool {
    let placeholder = format!("${{{name}}}");
    text.lines().any(|line| {
        let code = &line[..comment_start(line).unwrap_or(line.len())];
        code.contains(&placeholder)
    })
}

#[track_caller]
fn check_var(name: &str, value: &str) {
    assert!(
        is_placeholder(name),
        "`{name}` is not a placeholder name: use capitals, digits and `_`; fix the test"
    );
    assert!(
        name != LISTEN,
        "${{{LISTEN}}} is the address testkit gives nginx; fix the test"
    );
    assert!(
        !value.contains(['\n', '\r']),
        "the value of ${{{name}}} holds a line break, which would move nginx's line numbers; \
         fix the test"
    );
}

#[track_caller]
fn check_relative(path: &str) {
    assert!(
        !path.is_empty()
            && !path.starts_with('/')
            && path.split('/').all(|part| part != ".." && !part.is_empty()),
        "`{path}` is not a relative path inside nginx's directory; fix the test"
    );
}

fn program() -> Result<PathBuf, String> {
    services::find_program("nginx").ok_or_else(missing_message)
}

fn missing_message() -> String {
    format!(
        "needs nginx: no nginx on PATH nor in /usr/sbin; {}. `cargo xtask doctor` checks every \
         service",
        Service::Nginx.how_to_start()
    )
}

/// The installed nginx's MIME types, where a package puts them.
fn mime_types() -> Option<PathBuf> {
    [
        "/etc/nginx/mime.types",
        "/usr/local/etc/nginx/mime.types",
        "/opt/homebrew/etc/nginx/mime.types",
        "/usr/local/nginx/conf/mime.types",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|path| path.is_file())
}

/// Whether the installed nginx takes `-e` (1.19.5 and later), asked once (`nginx -v`).
fn knows_error_log_flag() -> bool {
    static KNOWS: OnceLock<bool> = OnceLock::new();
    *KNOWS.get_or_init(|| {
        let Ok(program) = program() else {
            return false;
        };
        let Ok(output) = std::process::Command::new(program)
            .arg("-v")
            .stdin(Stdio::null())
            .output()
        else {
            return false;
        };
        // "nginx version: nginx/1.22.1", on standard error.
        let said = String::from_utf8_lossy(&output.stderr);
        version(&said).is_some_and(|v| v >= (1, 19, 5))
    })
}

fn version(said: &str) -> Option<(u32, u32, u32)> {
    let text = said.split("nginx/").nth(1)?;
    let mut parts = text
        .split(|c: char| !c.is_ascii_digit())
        .map(|part| part.parse::<u32>().ok());
    Some((parts.next()??, parts.next()??, parts.next()??))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::program::{group_members, wait_until_gone};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A `GET` over HTTP/1.0 (the connection closes after the answer): its status and body.
    async fn get(addr: SocketAddr, path: &str) -> (u16, String) {
        let exchange = async {
            let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            let request = format!("GET {path} HTTP/1.0\r\nHost: test.example\r\n\r\n");
            stream.write_all(request.as_bytes()).await.unwrap();
            let mut answer = String::new();
            stream.read_to_string(&mut answer).await.unwrap();
            answer
        };
        let answer = tokio::time::timeout(Duration::from_secs(5), exchange)
            .await
            .expect("nginx answers within 5 s");
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, body.to_string())
    }

    const HELLO: &str = "server {
    listen ${LISTEN};
    location / {
        return 200 \"hi from ${WHO}, $request_uri\";
    }
}
";

    #[tokio::test]
    async fn a_site_is_served_with_its_placeholders_filled() {
        let nginx = site("hello.conf", HELLO)
            .var("WHO", "testkit")
            .start()
            .await;
        assert_eq!(
            get(nginx.addr(), "/x?y=1").await,
            (200, "hi from testkit, /x?y=1".to_string())
        );
        assert_eq!(nginx.url("/a"), format!("http://{}/a", nginx.addr()));
        let access = nginx.access_log();
        assert!(
            access.starts_with("127.0.0.1 \"GET /x?y=1 HTTP/1.0\" 200 "),
            "{access}"
        );
    }

    #[tokio::test]
    async fn files_are_served_from_nginx_s_directory() {
        let text = "server {
    listen ${LISTEN};
    location /static/ {
        alias ${ROOT}/;
    }
}
";
        let nginx = site("files.conf", text)
            .file("www/app.css", "body {}")
            .path_var("ROOT", "www")
            .start()
            .await;
        assert_eq!(
            get(nginx.addr(), "/static/app.css").await,
            (200, "body {}".to_string())
        );
        assert_eq!(get(nginx.addr(), "/static/gone.css").await.0, 404);
        assert!(nginx.file_path("www/app.css").is_file());
        assert!(
            nginx
                .error_log()
                .contains("gone.css\" failed (2: No such file"),
            "{}",
            nginx.logs()
        );
    }

    #[tokio::test]
    async fn a_bad_directive_is_refused_with_nginx_s_message_in_the_learner_s_file() {
        let text = "server {\n    listen ${LISTEN};\n    location / {\n        proxy_pas http://127.0.0.1:1;\n    }\n}\n";
        let error = site("nginx.conf", text).try_start().await.unwrap_err();
        assert_eq!(
            error,
            "nginx refuses nginx.conf:\n  [emerg] unknown directive \"proxy_pas\" in nginx.conf:4"
        );
    }

    #[tokio::test]
    async fn an_unknown_placeholder_or_no_listen_is_an_error_naming_it() {
        let text = "server {\n    listen ${LISTEN};\n    # ${LATER} in a comment is fine\n    return 200 \"${APP}\";\n}\n";
        let error = site("nginx.conf", text)
            .var("APP_1", "127.0.0.1:1")
            .try_start()
            .await
            .unwrap_err();
        assert_eq!(
            error,
            "nginx.conf:4: unknown placeholder ${APP}; the test fills ${LISTEN}, ${APP_1}"
        );
        let error = site(
            "nginx.conf",
            "server {\n    listen 8080; # not ${LISTEN}\n}\n",
        )
        .try_start()
        .await
        .unwrap_err();
        assert_eq!(
            error,
            "nginx.conf never uses ${LISTEN}: nginx must `listen ${LISTEN};`, the address the \
             test gives it"
        );
    }

    #[test]
    fn placeholders_are_capitals_and_nginx_variables_are_left_alone() {
        let values = [
            ("LISTEN".to_string(), "127.0.0.1:8080".to_string()),
            ("APP_1".to_string(), "127.0.0.1:9001".to_string()),
        ];
        let text = "listen ${LISTEN};\nserver ${APP_1}; # ${APP_1} ${OTHER}\n\
                    proxy_set_header X-Forwarded-For $remote_addr;\nset $x \"${host}$uri\";\n\
                    return 200 \"#${APP_1}\";\n$ {LISTEN} ${";
        assert_eq!(
            substitute(text, &values).unwrap(),
            "listen 127.0.0.1:8080;\nserver 127.0.0.1:9001; # 127.0.0.1:9001 ${OTHER}\n\
             proxy_set_header X-Forwarded-For $remote_addr;\nset $x \"${host}$uri\";\n\
             return 200 \"#127.0.0.1:9001\";\n$ {LISTEN} ${"
        );
        assert_eq!(
            substitute("a\nb \"#\" ${B_2}", &values).unwrap_err(),
            ":2: unknown placeholder ${B_2}; the test fills ${LISTEN}, ${APP_1}"
        );
    }

    #[test]
    fn the_version_is_read_from_nginx_v() {
        assert_eq!(version("nginx version: nginx/1.22.1\n"), Some((1, 22, 1)));
        assert_eq!(
            version("nginx version: openresty/1.25.3.1\n"),
            None,
            "another build's name is not nginx's version"
        );
        assert!(Some((1, 18, 0)) < Some((1, 19, 5)));
    }

    #[tokio::test]
    async fn dropping_it_stops_nginx_and_removes_its_directory() {
        let nginx = site("hello.conf", HELLO).var("WHO", "x").start().await;
        let group = nginx.server.group();
        let dir = nginx.server.dir().to_path_buf();
        let addr = nginx.addr();
        assert!(dir.join("nginx.conf").is_file());
        assert!(
            group_members(group).iter().any(|name| name == "nginx"),
            "{:?}",
            group_members(group)
        );

        drop(nginx);
        assert!(!dir.exists(), "{} is left", dir.display());
        assert_eq!(wait_until_gone(group).await, Vec::<String>::new());
        assert!(
            tokio::net::TcpStream::connect(addr).await.is_err(),
            "nginx still listens on {addr}"
        );
    }

    #[tokio::test]
    async fn two_at_once_listen_on_ports_of_their_own() {
        let (one, two) = tokio::join!(
            site("a.conf", HELLO).var("WHO", "one").start(),
            site("b.conf", HELLO).var("WHO", "two").start()
        );
        assert_ne!(one.addr(), two.addr());
        assert_eq!(get(one.addr(), "/").await.1, "hi from one, /");
        assert_eq!(get(two.addr(), "/").await.1, "hi from two, /");
    }

    #[test]
    fn the_main_configuration_keeps_everything_in_its_directory() {
        let text = main_config(Path::new("/tmp/t k"), None);
        assert!(text.contains("pid \"/tmp/t k/nginx.pid\";"), "{text}");
        assert!(
            text.contains("client_body_temp_path \"/tmp/t k/temp/body\";"),
            "{text}"
        );
        assert!(text.contains("include \"/tmp/t k/site.conf\";"), "{text}");
        assert!(text.contains("text/css css;"), "{text}");
        assert!(
            main_config(Path::new("/d"), Some(Path::new("/etc/nginx/mime.types")))
                .contains("include \"/etc/nginx/mime.types\";")
        );
    }

    #[test]
    fn a_missing_program_is_reported_with_how_to_install_it() {
        assert_eq!(
            missing_message(),
            "needs nginx: no nginx on PATH nor in /usr/sbin; install nginx (`apt install nginx`, \
             `brew install nginx`): the tests run the binary themselves. `cargo xtask doctor` \
             checks every service"
        );
    }
}
