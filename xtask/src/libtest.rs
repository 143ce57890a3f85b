//! Runs one built test binary with a timeout and reads libtest's plain output.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::outcome::{Failure, Outcome};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestStatus {
    Ok,
    Failed,
    Ignored,
}

/// What libtest printed, read back.
#[derive(Debug, Default, PartialEq)]
pub struct Parsed {
    pub results: Vec<(String, TestStatus)>,
    pub failures: Vec<Failure>,
    /// The summary line `test result: …` was printed: the run finished.
    pub finished: bool,
}

/// One run of a test binary, as it happened: what it printed and how it ended.
pub struct Run {
    pub parsed: Parsed,
    /// Killed after the timeout.
    pub timed_out: Option<Duration>,
    /// The names the binary lists, read only when the run did not finish (to name the tests
    /// that never reported).
    pub listed: Vec<String>,
    /// How the process ended and the end of its stderr, when it did not finish.
    pub crash: Option<String>,
    pub elapsed: Duration,
}

/// Runs `exe` in `cwd`, killing it after `timeout`.
pub fn run(exe: &Path, cwd: &Path, root: &Path, timeout: Duration) -> Run {
    let started = Instant::now();
    let child = Command::new(exe)
        .args(["--color", "never"])
        .current_dir(cwd)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            return Run {
                parsed: Parsed::default(),
                timed_out: None,
                listed: Vec::new(),
                crash: Some(format!("cannot start {}: {e}", exe.display())),
                elapsed: started.elapsed(),
            };
        }
    };
    let stdout = read_in_background(child.stdout.take().expect("piped"));
    let stderr = read_in_background(child.stderr.take().expect("piped"));

    let mut timed_out = None;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= timeout => {
                timed_out = Some(timeout);
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    let elapsed = started.elapsed();
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    let parsed = parse(&stdout, root);
    let unfinished = timed_out.is_some() || !parsed.finished;
    Run {
        listed: if unfinished {
            list(exe, cwd)
        } else {
            Vec::new()
        },
        crash: (unfinished && timed_out.is_none()).then(|| {
            let code = status.map_or_else(|| "no exit status".into(), |s| s.to_string());
            format!("{code}\n{}", tail(&stderr, 15))
        }),
        parsed,
        timed_out,
        elapsed,
    }
}

impl Run {
    /// The outcome of the tests whose names start with `prefix` (`""`: all of them).
    pub fn outcome(&self, prefix: &str) -> Outcome {
        let mine = |name: &str| name.starts_with(prefix);
        let results: Vec<&(String, TestStatus)> = self
            .parsed
            .results
            .iter()
            .filter(|(name, _)| mine(name))
            .collect();
        let failures: Vec<Failure> = self
            .parsed
            .failures
            .iter()
            .filter(|f| mine(&f.test))
            .cloned()
            .collect();
        let passed = results.iter().filter(|(_, s)| *s == TestStatus::Ok).count();
        if self.timed_out.is_some() || self.crash.is_some() {
            let listed: Vec<&String> = self.listed.iter().filter(|n| mine(n)).collect();
            let total = listed.len().max(results.len());
            let hung: Vec<String> = listed
                .into_iter()
                .filter(|name| !results.iter().any(|(n, _)| n == *name))
                .cloned()
                .collect();
            return match (self.timed_out, &self.crash) {
                (Some(timeout), _) => Outcome::TimedOut {
                    seconds: timeout.as_secs(),
                    passed,
                    total,
                    hung,
                    failures,
                },
                (None, crash) => Outcome::Crashed {
                    passed,
                    total,
                    message: crash.clone().unwrap_or_default(),
                },
            };
        }
        if results.is_empty() {
            return Outcome::Failing {
                passed: 0,
                total: 0,
                failures: vec![Failure {
                    test: "(none)".into(),
                    message: "the test file defines no tests".into(),
                    location: None,
                }],
            };
        }
        if passed == results.len() {
            return Outcome::Passed { tests: passed };
        }
        let mut failures = failures;
        for (name, status) in &results {
            if *status == TestStatus::Ignored {
                failures.push(Failure {
                    test: name.clone(),
                    message: "this test is #[ignore]d: a skipped test does not count as passed"
                        .into(),
                    location: None,
                });
            }
        }
        Outcome::Failing {
            passed,
            total: results.len(),
            failures,
        }
    }
}

fn read_in_background(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// The names of the tests in a binary (`--list --format terse`).
fn list(exe: &Path, cwd: &Path) -> Vec<String> {
    let Ok(out) = Command::new(exe)
        .args(["--list", "--format", "terse"])
        .current_dir(cwd)
        .output()
    else {
        return Vec::new();
    };
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Reads libtest's `pretty` output: `test name ... ok` lines, then the `---- name stdout ----`
/// sections of the failures.
pub fn parse(stdout: &str, root: &Path) -> Parsed {
    let mut parsed = Parsed::default();
    let mut section: Option<(String, Vec<&str>)> = None;
    let mut sections: Vec<(String, Vec<&str>)> = Vec::new();

    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("test ")
            && let Some((name, status)) = rest.rsplit_once(" ... ")
        {
            let status = match status.trim() {
                "ok" => TestStatus::Ok,
                "ignored" => TestStatus::Ignored,
                s if s.starts_with("ignored") => TestStatus::Ignored,
                "FAILED" => TestStatus::Failed,
                _ => continue,
            };
            parsed.results.push((name.to_string(), status));
            continue;
        }
        if line.starts_with("test result: ") {
            parsed.finished = true;
        }
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            if let Some(done) = section.take() {
                sections.push(done);
            }
            section = Some((name.to_string(), Vec::new()));
            continue;
        }
        if let Some((_, lines)) = section.as_mut() {
            // The list of failed names after the sections ends the last one.
            if line == "failures:" || line.starts_with("test result: ") {
                sections.push(section.take().expect("just matched"));
            } else {
                lines.push(line);
            }
        }
    }
    if let Some(done) = section.take() {
        sections.push(done);
    }
    parsed.failures = sections
        .into_iter()
        .map(|(name, lines)| failure_from(name, &lines, root))
        .collect();
    parsed
}

/// Turns a failure section into a message: the panic's text and location, and whatever
/// the test printed before it.
fn failure_from(test: String, lines: &[&str], root: &Path) -> Failure {
    let mut location = None;
    let mut message: Vec<String> = Vec::new();
    for line in lines {
        // `thread 'name' panicked at file:line:col:`, with ` (thread id)` after the name
        // since Rust 1.93.
        if let Some(rest) = line.strip_prefix("thread '")
            && let Some((_, after)) = rest.split_once(" panicked at ")
        {
            let loc = after.trim_end_matches(':');
            if location.is_none() {
                location = Some(shorten_location(loc, root));
            }
            continue;
        }
        if line.starts_with("note: run with `RUST_BACKTRACE=1`") {
            continue;
        }
        message.push(line.to_string());
    }
    while message.last().is_some_and(|l| l.trim().is_empty()) {
        message.pop();
    }
    while message.first().is_some_and(|l| l.trim().is_empty()) {
        message.remove(0);
    }
    Failure {
        test,
        message: message.join("\n"),
        location,
    }
}

fn shorten_location(loc: &str, root: &Path) -> String {
    // `path:line:col`: fold the path and keep the numbers.
    let mut parts = loc.rsplitn(3, ':');
    let (col, line, file) = (parts.next(), parts.next(), parts.next());
    match (file, line, col) {
        (Some(file), Some(line), Some(col)) => {
            format!("{}:{line}:{col}", crate::compile::display_path(file, root))
        }
        _ => loc.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "
running 3 tests
test parses_a_get ... ok
test rejects_bad_length ... FAILED
test counts_headers ... FAILED

failures:

---- rejects_bad_length stdout ----

thread 'rejects_bad_length' panicked at stage1-x/tests/../exercises/01_a.rs:40:5:
not yet implemented: parse the request line
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

---- counts_headers stdout ----
debug line printed by the test
thread 'counts_headers' (4242) panicked at stage1-x/tests/01_a.rs:12:5:
assertion `left == right` failed
  left: 2
 right: 3

failures:
    counts_headers
    rejects_bad_length

test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s
";

    #[test]
    fn reads_results_and_failure_messages() {
        let parsed = parse(OUTPUT, Path::new("/ws"));
        assert_eq!(
            parsed.results,
            vec![
                ("parses_a_get".to_string(), TestStatus::Ok),
                ("rejects_bad_length".to_string(), TestStatus::Failed),
                ("counts_headers".to_string(), TestStatus::Failed),
            ]
        );
        assert!(parsed.finished);
        assert_eq!(
            parsed.failures,
            vec![
                Failure {
                    test: "rejects_bad_length".into(),
                    message: "not yet implemented: parse the request line".into(),
                    location: Some("stage1-x/exercises/01_a.rs:40:5".into()),
                },
                Failure {
                    test: "counts_headers".into(),
                    message: "debug line printed by the test\nassertion `left == right` failed\n  left: 2\n right: 3"
                        .into(),
                    location: Some("stage1-x/tests/01_a.rs:12:5".into()),
                },
            ]
        );
    }

    fn finished(stdout: &str) -> Run {
        Run {
            parsed: parse(stdout, Path::new("/ws")),
            timed_out: None,
            listed: Vec::new(),
            crash: None,
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn the_outcome_of_a_prefix_counts_only_its_tests() {
        let run = finished(
            "test users::registers ... ok\ntest users::logs_in ... FAILED\ntest articles::lists ... ok\n\n\
             failures:\n\n---- users::logs_in stdout ----\nboom\n\nfailures:\n    users::logs_in\n\n\
             test result: FAILED. 2 passed; 1 failed\n",
        );
        assert_eq!(run.outcome("articles::"), Outcome::Passed { tests: 1 });
        assert_eq!(
            run.outcome("users::"),
            Outcome::Failing {
                passed: 1,
                total: 2,
                failures: vec![Failure {
                    test: "users::logs_in".into(),
                    message: "boom".into(),
                    location: None,
                }],
            }
        );
        assert!(matches!(
            run.outcome(""),
            Outcome::Failing {
                passed: 2,
                total: 3,
                ..
            }
        ));
    }

    #[test]
    fn a_timed_out_run_names_the_tests_that_never_reported() {
        let mut run = finished("test users::registers ... ok\n");
        run.timed_out = Some(Duration::from_secs(2));
        run.listed = vec!["users::registers".into(), "articles::hangs".into()];
        assert_eq!(
            run.outcome("articles::"),
            Outcome::TimedOut {
                seconds: 2,
                passed: 0,
                total: 1,
                hung: vec!["articles::hangs".into()],
                failures: vec![],
            }
        );
    }

    #[test]
    fn an_unfinished_run_is_not_finished() {
        let parsed = parse("running 2 tests\ntest a ... ok\n", Path::new("/ws"));
        assert_eq!(parsed.results, vec![("a".to_string(), TestStatus::Ok)]);
        assert!(!parsed.finished);
    }

    #[test]
    fn ignored_tests_are_read_as_ignored() {
        let parsed = parse(
            "test a ... ignored, slow\ntest b ... ignored\n",
            Path::new("/ws"),
        );
        assert_eq!(
            parsed.results,
            vec![
                ("a".to_string(), TestStatus::Ignored),
                ("b".to_string(), TestStatus::Ignored)
            ]
        );
    }
}
