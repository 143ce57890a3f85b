//! `cargo xtask bench [--cold]`: times what a learner waits for, through `cargo xtask`
//! itself, and prints the figures beside the budgets (README, "Speed").
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

/// The exercises whose edit → verdict loop is timed, with their budgets (DESIGN.md).
const EDITS: [(&str, &str, &str); 3] = [
    (
        "status-codes",
        "std only",
        "≤ 0.9 s (1.5 × rustlings' 0.6 s)",
    ),
    ("tcp-server", "tokio + reqwest", "≤ 2 s"),
    ("crud", "sqlx + PostgreSQL", "≤ 3 s"),
];

pub fn run(ctx: &Ctx, cold: bool) -> CmdResult {
    let edits: Vec<(&Exercise, &str, &str)> = EDITS
        .iter()
        .map(|(id, what, budget)| Ok((find(ctx, id)?, *what, *budget)))
        .collect::<Result<_, Error>>()?;
    let stages: Vec<&str> = ctx
        .manifest
        .written_stages()
        .map(|s| s.id.as_str())
        .collect();
    println!("backendlings bench: {RUNS} runs each, median (min–max); budgets from DESIGN.md");
    println!(
        "machine: {} cores\n",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );

    // Warm everything first: the figures below are for a learner's second and later checks.
    for stage in &stages {
        xtask(ctx, &["check", stage], None)?;
    }

    let progress = repeat(|| xtask(ctx, &["progress"], None))?;
    report(
        "cargo xtask progress, nothing changed",
        &progress,
        "≤ 0.5 s",
    );

    for (ex, what, budget) in edits {
        let times = edit_and_check(ctx, ex)?;
        report(
            &format!("edit {} → verdict ({what})", ex.file),
            &times,
            budget,
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

fn find<'a>(ctx: &'a Ctx, id: &str) -> Result<&'a Exercise, Error> {
    ctx.manifest
        .exercises
        .iter()
        .find(|e| e.id == id)
        .ok_or_else(|| {
            Error::Failed(format!(
                "the bench needs exercise `{id}`, which the manifest lacks"
            ))
        })
}

/// Runs `cargo xtask ARGS` as a learner would, and returns how long it took.
/// Its exit code is not a failure here: a failing exercise is a fine thing to time.
fn xtask(ctx: &Ctx, args: &[&str], target_dir: Option<&Path>) -> Result<Duration, Error> {
    let mut cmd = Command::new(cargo());
    cmd.current_dir(&ctx.root).args(["xtask"]).args(args);
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

/// Appends a comment to the exercise (a real edit: cargo must rebuild), checks it, restores it.
fn edit_and_check(ctx: &Ctx, ex: &Exercise) -> Result<Vec<Duration>, Error> {
    let path: PathBuf = ctx.root.join(ex.paths(ctx.manifest.stage_of(ex)).exercise);
    let original =
        std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let restore = Restore {
        path: &path,
        bytes: &original,
    };
    let mut times = Vec::new();
    for i in 0..RUNS {
        let mut edited = original.clone();
        edited.extend_from_slice(format!("// bench edit {i}\n").as_bytes());
        std::fs::write(&path, edited)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        times.push(xtask(ctx, &["check", &ex.file], None)?);
    }
    drop(restore);
    Ok(times)
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
