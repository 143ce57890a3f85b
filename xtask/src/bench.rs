//! `cargo xtask bench [--cold]`: times what a learner waits for, through `cargo xtask`
//! itself, and prints the figures beside the budgets (README, "Speed"). Each edit → verdict
//! figure is measured beside plain `cargo test` on the same exercise in the same run, so the
//! ratio shows what the runner adds.
//!
//! A benchmark, not a test: it fails nothing. The exercise files it edits to make a change
//! are restored byte for byte afterwards, even when a check fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::compile::cargo;
use crate::manifest::Exercise;
use crate::{CmdResult, Ctx, Error};

const RUNS: usize = 5;

/// The exercises whose edit → verdict loop is timed, with their budgets (README, "Speed").
/// The first directory exercise of the course is timed too, with the edit in a submodule.
const EDITS: [(&str, &str, &str); 5] = [
    (
        "status-codes",
        "std only",
        "≤ rustlings' run; plain + 0.1 s",
    ),
    ("tcp-server", "tokio + reqwest", "≤ 1.5 s; plain + 0.1 s"),
    ("crud", "sqlx + PostgreSQL", "≤ 1.5 s; plain + 0.1 s"),
    (
        "rest-resource",
        "axum + testkit's client",
        "≤ 1.5 s; plain + 0.1 s",
    ),
    (
        "resilient-calls",
        "a stage-4 exercise without a broker",
        "≤ 1.5 s; plain + 0.1 s",
    ),
];

pub fn run(ctx: &Ctx, cold: bool) -> CmdResult {
    // Another course (`BACKENDLINGS_ROOT`, e.g. the runner's fixture) may lack some of them.
    let edits: Vec<(&Exercise, &str, &str)> = EDITS
        .iter()
        .filter_map(|(id, what, budget)| Some((find(ctx, id)?, *what, *budget)))
        .collect();
    let stages: Vec<&str> = ctx
        .manifest
        .written_stages()
        .map(|s| s.id.as_str())
        .collect();
    println!(
        "backendlings bench: {RUNS} runs each, median (min–max); budgets from README's \"Speed\""
    );
    println!(
        "machine: {} cores\n",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    if std::env::var_os("BACKENDLINGS_ROOT").is_some() {
        println!(
            "(BACKENDLINGS_ROOT is set: the runner is run directly, without `cargo run`'s startup)\n"
        );
    }

    // Warm everything first: the figures below are for a learner's second and later checks.
    for stage in &stages {
        xtask(ctx, &["check", stage], None)?;
    }

    let progress = repeat(|| xtask(ctx, &["progress"], None))?;
    report(
        "cargo xtask progress, nothing changed",
        &progress,
        "≤ 0.15 s",
    );

    let directory = ctx.manifest.exercises.iter().find(|e| e.directory);
    let edits = edits
        .into_iter()
        .chain(directory.map(|ex| (ex, "a directory exercise", "≤ 1.5 s; plain + 0.1 s")));
    for (ex, what, budget) in edits {
        let (runner, plain) = edit_and_check(ctx, ex)?;
        report(
            &format!("edit {} → verdict ({what})", ex.file),
            &runner,
            budget,
        );
        report("  the same with plain `cargo test --test`", &plain, "—");
        println!(
            "  {:<56} {:>7.2} ×   (runner adds {:+.2} s)",
            "ratio runner / plain cargo",
            median(&runner) / median(&plain),
            median(&runner) - median(&plain)
        );
    }

    for stage in &stages {
        let warm = xtask(ctx, &["check", stage], None)?;
        report(
            &format!("cargo xtask check {stage}, warm, nothing changed"),
            &[warm],
            "—",
        );
        if let Some((ex, ms)) = slowest(ctx, stage) {
            report(
                &format!("  its slowest test binary: {ex}"),
                &[Duration::from_millis(ms)],
                "—",
            );
        }
    }

    if cold {
        let dir = crate::state::target_dir(&ctx.root).join("bench-cold");
        let _ = std::fs::remove_dir_all(&dir);
        let first = xtask(ctx, &[], Some(&dir))?;
        report("cold: cargo xtask (builds the runner)", &[first], "seconds");
        for stage in &stages {
            let time = xtask(ctx, &["check", stage], Some(&dir))?;
            report(
                &format!("cold: then cargo xtask check {stage} (its dependencies)"),
                &[time],
                "as short as the dependencies allow",
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        println!(
            "\n(`cargo xtask bench --cold` also times a first run from an empty target dir, a few minutes)"
        );
    }
    Ok(0)
}

/// The exercise of a stage whose tests ran longest in the last check, from the cache.
fn slowest(ctx: &Ctx, stage: &str) -> Option<(String, u64)> {
    let state = crate::state::State::load(&ctx.root);
    ctx.manifest
        .exercises
        .iter()
        .filter(|e| e.stage == stage)
        .filter_map(|e| {
            state
                .results
                .get(&e.id)
                .map(|r| (e.file.clone(), r.test_ms))
        })
        .max_by_key(|(_, ms)| *ms)
}

fn find<'a>(ctx: &'a Ctx, id: &str) -> Option<&'a Exercise> {
    ctx.manifest.exercises.iter().find(|e| e.id == id)
}

/// Runs `cargo xtask ARGS` as a learner would, and returns how long it took.
/// Its exit code is not a failure here: a failing exercise is a fine thing to time.
fn xtask(ctx: &Ctx, args: &[&str], target_dir: Option<&Path>) -> Result<Duration, Error> {
    // Another course has no `cargo xtask` alias: run this very runner on it, without the
    // `cargo run` that a learner's `cargo xtask` adds (said in the output).
    let mut cmd = match std::env::var_os("BACKENDLINGS_ROOT") {
        Some(_) => Command::new(std::env::current_exe().map_err(|e| e.to_string())?),
        None => {
            let mut cmd = Command::new(cargo());
            cmd.arg("xtask");
            cmd
        }
    };
    cmd.current_dir(&ctx.root).args(args);
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .env("NO_COLOR", "1");
    if let Some(dir) = target_dir {
        cmd.env("CARGO_TARGET_DIR", dir);
    }
    let started = Instant::now();
    cmd.status()
        .map_err(|e| format!("cannot run cargo xtask: {e}"))?;
    Ok(started.elapsed())
}

fn repeat(mut f: impl FnMut() -> Result<Duration, Error>) -> Result<Vec<Duration>, Error> {
    (0..RUNS).map(|_| f()).collect()
}

/// Appends a comment to a file of the exercise (a real edit: cargo must rebuild), checks it
/// with the runner, edits again and runs plain `cargo test` on it; restores the file. For a
/// directory exercise, the edited file is a submodule where there is one.
fn edit_and_check(ctx: &Ctx, ex: &Exercise) -> Result<(Vec<Duration>, Vec<Duration>), Error> {
    let files = ctx.manifest.files(ex);
    let edited = files
        .exercise_files(&ctx.root)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rs"))
        .rfind(|f| *f != files.entry)
        .unwrap_or(files.entry.clone());
    let path: PathBuf = ctx.root.join(&edited);
    let original =
        std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let restore = Restore {
        path: &path,
        bytes: &original,
    };
    let package = &ctx.manifest.stage_of(ex).dir;
    let plain_args = ["test", "-q", "-p", package, "--test", &files.target];
    let (mut runner, mut plain) = (Vec::new(), Vec::new());
    for i in 0..RUNS {
        for (kind, times) in [("runner", &mut runner), ("plain", &mut plain)] {
            let mut bytes = original.clone();
            bytes.extend_from_slice(format!("// bench edit {kind} {i}\n").as_bytes());
            std::fs::write(&path, bytes)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            times.push(if kind == "runner" {
                xtask(ctx, &["check", &ex.file], None)?
            } else {
                timed(ctx, &plain_args)?
            });
        }
    }
    drop(restore);
    Ok((runner, plain))
}

/// Runs `cargo ARGS` and returns how long it took, whatever its exit code.
fn timed(ctx: &Ctx, args: &[&str]) -> Result<Duration, Error> {
    let started = Instant::now();
    Command::new(cargo())
        .current_dir(&ctx.root)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    Ok(started.elapsed())
}

fn median(times: &[Duration]) -> f64 {
    let mut sorted: Vec<f64> = times.iter().map(Duration::as_secs_f64).collect();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

/// Puts a file's bytes back when dropped, on every path out of the function.
struct Restore<'a> {
    path: &'a Path,
    bytes: &'a [u8],
}

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        if let Err(e) = std::fs::write(self.path, self.bytes) {
            eprintln!(
                "error: could not restore {}: {e}; `git diff` shows the bench's comment to remove",
                self.path.display()
            );
        }
    }
}

fn report(what: &str, times: &[Duration], budget: &str) {
    let mut sorted: Vec<f64> = times.iter().map(Duration::as_secs_f64).collect();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    if sorted.len() == 1 {
        println!("{what:<58} {median:>7.2} s   budget {budget}");
    } else {
        println!(
            "{what:<58} {median:>7.2} s   ({:.2}–{:.2})   budget {budget}",
            sorted[0],
            sorted[sorted.len() - 1]
        );
    }
}
