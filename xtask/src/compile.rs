//! Builds a stage's test targets in one cargo call and sorts what cargo says by target.
//! `cargo build --test NAME` builds exactly what `cargo test` runs (the same binaries), and,
//! unlike `cargo test --no-run`, it takes `--keep-going`.
//!
//! `--keep-going` lets every exercise that compiles be built even when another does not,
//! and `--message-format=json` tells us which target each error belongs to.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::outcome::Diagnostic;

/// What happened to one test target.
#[derive(Debug, Clone, PartialEq)]
pub enum TargetBuild {
    Built(PathBuf),
    Failed(Vec<Diagnostic>),
}

#[derive(Debug, Default)]
pub struct BuildReport {
    /// By test target name (the exercise's file stem).
    pub targets: BTreeMap<String, TargetBuild>,
    /// Errors in the stage's own library (`src/lib.rs`), which block every exercise.
    pub library_errors: Vec<Diagnostic>,
    /// Cargo's own error lines (a failed build script, a dependency that could not be fetched).
    pub cargo_errors: String,
}

/// The options of one build.
pub struct BuildRequest<'a> {
    pub root: &'a Path,
    pub package: &'a str,
    pub targets: Vec<&'a str>,
    /// Cargo features: `solution` builds against the reference solutions,
    /// `testkit/containers` lets the tests start services in containers.
    pub features: Vec<&'a str>,
    /// Keep ANSI colours in the compiler's rendered messages.
    pub color: bool,
    /// Show how far a long build got, on stderr.
    pub show_progress: bool,
}

pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

pub fn build_tests(req: &BuildRequest) -> Result<BuildReport, String> {
    let format = if req.color {
        "json-diagnostic-rendered-ansi"
    } else {
        "json"
    };
    let mut cmd = Command::new(cargo());
    cmd.current_dir(req.root)
        .args(["build", "--keep-going", "-p", req.package])
        // A stage's default features turn on its runnable apps (`cargo run --bin blog`);
        // tests never need those binaries, and a half-written app must not cost a check the
        // time to build it.
        .arg("--no-default-features")
        .arg(format!("--message-format={format}"));
    if !req.features.is_empty() {
        cmd.args(["--features", &req.features.join(",")]);
    }
    for target in &req.targets {
        cmd.args(["--test", target]);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| {
        format!("cannot run cargo ({e}); is the Rust toolchain installed? see https://rustup.rs")
    })?;

    // Cargo's stderr carries its own errors; read it on another thread so that neither pipe
    // fills up while we read the other.
    let stderr = child.stderr.take().expect("piped");
    let stderr_reader = std::thread::spawn(move || {
        let mut all = String::new();
        let _ = BufReader::new(stderr).read_to_string(&mut all);
        all
    });

    let progress = Progress::default();
    let mut report = BuildReport::default();
    std::thread::scope(|scope| {
        let shower = req
            .show_progress
            .then(|| scope.spawn(|| progress.show(req)));
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        for line in stdout.lines() {
            let Ok(line) = line else { break };
            if line.starts_with(r#"{"reason":"compiler-artifact""#) {
                progress.done.fetch_add(1, Ordering::Relaxed);
            }
            apply_message(&mut report, &line, req.root);
        }
        progress.finished.store(true, Ordering::Relaxed);
        // Wake it now: the scope waits for it, and a check must not wait out its nap.
        if let Some(shower) = shower {
            shower.thread().unpark();
        }
    });
    let status = child
        .wait()
        .map_err(|e| format!("cargo did not finish: {e}"))?;
    let stderr = stderr_reader.join().unwrap_or_default();
    if !status.success() {
        report.cargo_errors = cargo_error_lines(&stderr);
    }
    Ok(report)
}

/// A build that takes long shows how far it got, so a first build (minutes on two cores) is
/// never silence: on a terminal one line rewritten in place, when piped a line now and then.
#[derive(Default)]
struct Progress {
    /// Units cargo has finished (compiled, or found fresh).
    done: AtomicUsize,
    finished: AtomicBool,
}

impl Progress {
    /// Quiet for the first seconds: a warm check never prints a thing.
    const QUIET: Duration = Duration::from_secs(2);
    const PIPED_EVERY: Duration = Duration::from_secs(15);

    fn show(&self, req: &BuildRequest) {
        let started = Instant::now();
        let terminal = std::io::stderr().is_terminal();
        let mut total: Option<usize> = None;
        let mut last_line = started;
        let mut shown = false;
        while !self.finished.load(Ordering::Relaxed) {
            std::thread::park_timeout(Duration::from_millis(250));
            let elapsed = started.elapsed();
            if elapsed < Self::QUIET {
                continue;
            }
            let total = *total.get_or_insert_with(|| estimate_units(req).unwrap_or(0));
            let line = progress_line(
                req.package,
                self.done.load(Ordering::Relaxed),
                total,
                elapsed,
            );
            let mut err = std::io::stderr();
            if terminal {
                let _ = write!(err, "\r\x1b[2K  {line}");
                let _ = err.flush();
                shown = true;
            } else if !shown || last_line.elapsed() >= Self::PIPED_EVERY {
                let _ = writeln!(err, "  {line}");
                last_line = Instant::now();
                shown = true;
            }
        }
        if terminal && shown {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

fn progress_line(package: &str, done: usize, total: usize, elapsed: Duration) -> String {
    let secs = elapsed.as_secs();
    if total > done {
        format!("building {package}: {done}/~{total} crates compiled ({secs} s)")
    } else {
        format!("building {package}: {done} crates compiled ({secs} s)")
    }
}

/// About how many units the build has (`units::estimate`) plus its test targets, from
/// How many units the build will have, for the progress line. `cargo metadata` costs half a
/// second of CPU or more, taken from the build it runs beside, so its answer is kept in
/// `target/backendlings/units.txt`, keyed by the lock file, the package and its features:
/// it is asked again only when one of those changed.
fn estimate_units(req: &BuildRequest) -> Option<usize> {
    let lock = std::fs::read(req.root.join("Cargo.lock")).ok()?;
    let key = units_key(&lock, req.package, &req.features);
    let cache = crate::state::target_dir(req.root)
        .join("backendlings")
        .join("units.txt");
    let cached = std::fs::read_to_string(&cache).unwrap_or_default();
    let units = match cached_units(&cached, &key) {
        Some(units) => units,
        None => {
            let units = units_from_metadata(req)?;
            let _ = std::fs::create_dir_all(cache.parent().expect("has a parent"));
            let _ = std::fs::write(&cache, with_units(&cached, &key, units));
            units
        }
    };
    Some(units + req.targets.len())
}

/// What an estimate depends on, hashed: the lock file's bytes, the package, the features.
fn units_key(lock: &[u8], package: &str, features: &[&str]) -> String {
    let mut hash = crate::hash::Fnv::default();
    hash.write_part(lock);
    hash.write_part(package.as_bytes());
    for feature in features {
        hash.write_part(feature.as_bytes());
    }
    hash.hex()
}

/// The cache's answer for `key`: its lines are `<key> <units>`.
fn cached_units(cache: &str, key: &str) -> Option<usize> {
    cache.lines().find_map(|line| {
        let (k, units) = line.split_once(' ')?;
        if k == key { units.parse().ok() } else { None }
    })
}

/// The cache with `key`'s line replaced, or added last; the sixteen newest lines are kept (a
/// course has a dozen keys: stages, with and without the solution).
fn with_units(cache: &str, key: &str, units: usize) -> String {
    let mut lines: Vec<&str> = cache
        .lines()
        .filter(|line| line.split_once(' ').is_some_and(|(k, _)| k != key))
        .collect();
    let skip = lines.len().saturating_sub(15);
    lines.drain(..skip);
    let mut out: String = lines.iter().map(|line| format!("{line}\n")).collect();
    out.push_str(&format!("{key} {units}\n"));
    out
}

/// `cargo metadata`, which answers from the lock file without building anything.
fn units_from_metadata(req: &BuildRequest) -> Option<usize> {
    // Only the packages built for this machine: without the filter, every platform's
    // dependencies (Windows', WASM's) would count.
    let rustc = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .arg("-vV")
        .output()
        .ok()?;
    let rustc = String::from_utf8_lossy(&rustc.stdout).into_owned();
    let host = rustc.lines().find_map(|l| l.strip_prefix("host: "))?;
    let out = Command::new(cargo())
        .current_dir(req.root)
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", host])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    crate::units::estimate(&meta, req.package, &req.features)
}

/// Cargo's `error:` paragraphs, without its progress lines.
pub fn cargo_error_lines(stderr: &str) -> String {
    let mut out = Vec::new();
    let mut in_error = false;
    for line in stderr.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("error") {
            in_error = true;
        } else if trimmed.starts_with("Compiling")
            || trimmed.starts_with("Finished")
            || trimmed.starts_with("Downloaded")
            || trimmed.starts_with("Downloading")
            || trimmed.starts_with("warning: build failed, waiting")
        {
            in_error = false;
            continue;
        }
        if in_error {
            out.push(line);
        }
    }
    out.join("\n").trim().to_string()
}

#[derive(Deserialize)]
struct Message {
    reason: String,
    target: Option<CargoTarget>,
    message: Option<CompilerMessage>,
    executable: Option<PathBuf>,
}

/// The target a cargo message is about (a test, a lib, a bin), as cargo names it.
#[derive(Deserialize)]
struct CargoTarget {
    name: String,
    kind: Vec<String>,
}

#[derive(Deserialize)]
struct CompilerMessage {
    message: String,
    level: String,
    rendered: Option<String>,
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: usize,
    column_start: usize,
    is_primary: bool,
}

fn apply_message(report: &mut BuildReport, line: &str, root: &Path) {
    let Ok(msg) = serde_json::from_str::<Message>(line) else {
        return;
    };
    let Some(target) = msg.target else { return };
    let is_test = target.kind.iter().any(|k| k == "test");
    match msg.reason.as_str() {
        "compiler-artifact" if is_test => {
            if let Some(exe) = msg.executable {
                report.targets.insert(target.name, TargetBuild::Built(exe));
            }
        }
        "compiler-message" => {
            let Some(m) = msg.message else { return };
            if m.level != "error" {
                return;
            }
            let diagnostic = Diagnostic {
                location: m.spans.iter().find(|s| s.is_primary).map(|s| {
                    format!(
                        "{}:{}:{}",
                        display_path(&s.file_name, root),
                        s.line_start,
                        s.column_start
                    )
                }),
                rendered: fold_module_paths(&m.rendered.unwrap_or_else(|| m.message.clone())),
                message: m.message,
            };
            if is_test {
                match report
                    .targets
                    .entry(target.name)
                    .or_insert_with(|| TargetBuild::Failed(Vec::new()))
                {
                    TargetBuild::Failed(list) => list.push(diagnostic),
                    built => *built = TargetBuild::Failed(vec![diagnostic]),
                }
            } else {
                report.library_errors.push(diagnostic);
            }
        }
        _ => {}
    }
}

/// The test crate reaches the learner's files through `#[path]`, as
/// `tests/../exercises/a.rs` or `tests/02_blog/../../exercises/02_blog/users.rs`: fold each
/// `name/../` away so that the compiler's message shows the path the learner opens.
fn fold_module_paths(rendered: &str) -> String {
    let mut text = rendered.to_string();
    let mut from = 0;
    while let Some(found) = text[from..].find("/../") {
        let at = from + found;
        let start = text[..at]
            .rfind(|c: char| c == '/' || c.is_whitespace() || c == '(' || c == '`')
            .map_or(0, |i| i + 1);
        let component = &text[start..at];
        if component.is_empty() || component == ".." || component == "." {
            from = at + 1;
            continue;
        }
        text.replace_range(start..at + 4, "");
        from = start.saturating_sub(1);
    }
    text
}

/// Paths as a learner can open them: relative to the workspace, `tests/../` folded away.
pub fn display_path(file: &str, root: &Path) -> String {
    let path = Path::new(file);
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut folded = PathBuf::new();
    for part in rel.components() {
        match part {
            std::path::Component::ParentDir
                if matches!(
                    folded.components().next_back(),
                    Some(std::path::Component::Normal(_))
                ) =>
            {
                folded.pop();
            }
            std::path::Component::CurDir => {}
            other => folded.push(other.as_os_str()),
        }
    }
    folded.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_estimate_is_cached_by_lock_file_package_and_features() {
        let key = units_key(b"lock v1", "stage2-databases", &["solution"]);
        assert_eq!(
            key,
            units_key(b"lock v1", "stage2-databases", &["solution"])
        );
        assert_ne!(
            key,
            units_key(b"lock v2", "stage2-databases", &["solution"])
        );
        assert_ne!(key, units_key(b"lock v1", "stage3-apis", &["solution"]));
        assert_ne!(key, units_key(b"lock v1", "stage2-databases", &[]));

        let cache = with_units("", &key, 212);
        assert_eq!(cached_units(&cache, &key), Some(212));
        assert_eq!(cached_units(&cache, "other"), None);
        // A new answer for the same key replaces the old line; other keys stay.
        let cache = with_units(&format!("other 9\n{cache}"), &key, 215);
        assert_eq!(cache, format!("other 9\n{key} 215\n"));
    }

    #[test]
    fn the_unit_cache_keeps_its_sixteen_newest_lines() {
        let mut cache = String::new();
        for n in 0..40 {
            cache = with_units(&cache, &format!("k{n}"), n);
        }
        assert_eq!(cache.lines().count(), 16);
        assert_eq!(cached_units(&cache, "k39"), Some(39));
        assert_eq!(cached_units(&cache, "k24"), Some(24));
        assert_eq!(cached_units(&cache, "k23"), None);
    }

    #[test]
    fn sorts_errors_and_artifacts_by_test_target() {
        let root = Path::new("/ws");
        let mut report = BuildReport::default();
        let lines = [
            r#"{"reason":"compiler-artifact","target":{"name":"02_ok","kind":["test"]},"executable":"/ws/target/debug/deps/02_ok-1"}"#,
            r#"{"reason":"compiler-message","target":{"name":"01_bad","kind":["test"]},"message":{"message":"expected `;`","level":"error","rendered":"error: expected `;`\n","spans":[{"file_name":"stage1-x/tests/../exercises/01_bad.rs","line_start":7,"column_start":9,"is_primary":true}]}}"#,
            r#"{"reason":"compiler-message","target":{"name":"01_bad","kind":["test"]},"message":{"message":"unused variable","level":"warning","rendered":"warning","spans":[]}}"#,
            r#"{"reason":"compiler-message","target":{"name":"stage1_x","kind":["lib"]},"message":{"message":"oops","level":"error","rendered":"error: oops","spans":[]}}"#,
            r#"{"reason":"build-finished","success":false}"#,
            "not json at all",
        ];
        for line in lines {
            apply_message(&mut report, line, root);
        }
        assert_eq!(
            report.targets.get("02_ok"),
            Some(&TargetBuild::Built(PathBuf::from(
                "/ws/target/debug/deps/02_ok-1"
            )))
        );
        assert_eq!(
            report.targets.get("01_bad"),
            Some(&TargetBuild::Failed(vec![Diagnostic {
                message: "expected `;`".into(),
                location: Some("stage1-x/exercises/01_bad.rs:7:9".into()),
                rendered: "error: expected `;`\n".into(),
            }]))
        );
        assert_eq!(report.library_errors.len(), 1);
    }

    #[test]
    fn module_paths_in_rendered_errors_are_folded() {
        assert_eq!(
            fold_module_paths(" --> stage1-x/tests/../exercises/01_a.rs:3:1\n"),
            " --> stage1-x/exercises/01_a.rs:3:1\n"
        );
        assert_eq!(
            fold_module_paths(
                " --> stage6-x/tests/02_blog/../../exercises/02_blog/users.rs:7:5 and ../../up"
            ),
            " --> stage6-x/exercises/02_blog/users.rs:7:5 and ../../up"
        );
    }

    #[test]
    fn display_paths_are_relative_and_folded() {
        let root = Path::new("/ws");
        assert_eq!(
            display_path("/ws/stage1-x/tests/../exercises/a.rs", root),
            "stage1-x/exercises/a.rs"
        );
        assert_eq!(
            display_path("stage1-x/tests/a.rs", root),
            "stage1-x/tests/a.rs"
        );
        assert_eq!(
            display_path("/home/me/.cargo/registry/x.rs", root),
            "/home/me/.cargo/registry/x.rs"
        );
    }

    #[test]
    fn progress_says_how_many_crates_of_about_how_many() {
        assert_eq!(
            progress_line("stage2-databases", 45, 160, Duration::from_secs(12)),
            "building stage2-databases: 45/~160 crates compiled (12 s)"
        );
        assert_eq!(
            progress_line("stage2-databases", 170, 160, Duration::from_secs(70)),
            "building stage2-databases: 170 crates compiled (70 s)"
        );
    }

    #[test]
    fn keeps_cargo_errors_and_drops_progress() {
        let stderr = "   Compiling foo v0.1.0\nerror: failed to run custom build command for `stage1-x v0.1.0`\n\nCaused by:\n  process didn't exit successfully\n  --- stderr\n  thread 'main' panicked at build.rs:1:1\n   Compiling bar v1.0.0\n";
        assert_eq!(
            cargo_error_lines(stderr),
            "error: failed to run custom build command for `stage1-x v0.1.0`\n\nCaused by:\n  process didn't exit successfully\n  --- stderr\n  thread 'main' panicked at build.rs:1:1"
        );
    }
}
