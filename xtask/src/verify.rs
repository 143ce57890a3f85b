//! `cargo xtask verify`: proves the course works. `cargo xtask bless`: records the course's
//! version of each test and starter file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::check::{self, Options};
use crate::compile::cargo;
use crate::hash::{self, Checksums};
use crate::manifest::{Exercise, Manifest};
use crate::names::Target;
use crate::outcome::Outcome;
use crate::{CmdResult, Ctx, Error};

/// Tallies checks and prints one line each.
struct Tally {
    passed: usize,
    failed: usize,
    ctx_color: crate::term::Style,
}

impl Tally {
    fn record(&mut self, what: &str, problem: Option<String>) {
        let s = self.ctx_color;
        match problem {
            None => {
                self.passed += 1;
                println!("  {} {what}", s.green("ok  "));
            }
            Some(problem) => {
                self.failed += 1;
                println!(
                    "  {} {what}: {}",
                    s.red("FAIL"),
                    indent_after_first(&problem)
                );
            }
        }
    }
}

fn indent_after_first(text: &str) -> String {
    text.trim_end()
        .lines()
        .collect::<Vec<_>>()
        .join("\n         ")
}

pub fn run(ctx: &Ctx, stage: Option<&str>) -> CmdResult {
    let stages: Vec<&crate::manifest::Stage> = match stage {
        None => ctx.manifest.written_stages().collect(),
        Some(name) => match ctx.resolve(name)? {
            Target::Stage(s) if !s.planned => vec![s],
            Target::Stage(s) => {
                return Err(Error::Usage(format!(
                    "{} is planned, not written: nothing to verify",
                    s.id
                )));
            }
            Target::Exercise(_) => {
                return Err(Error::Usage(format!(
                    "`{name}` is an exercise; verify takes a stage"
                )));
            }
        },
    };
    let exercises: Vec<&Exercise> = stages
        .iter()
        .flat_map(|s| ctx.manifest.exercises_of(s))
        .collect();
    let mut tally = Tally {
        passed: 0,
        failed: 0,
        ctx_color: ctx.style,
    };
    let s = ctx.style;

    println!("{}", s.bold("The manifest and the files agree"));
    for stage in &stages {
        tally.record(
            &format!("{}: files match the manifest", stage.id),
            files_problem(ctx, stage),
        );
    }
    for ex in &exercises {
        tally.record(
            &format!("{}: title, roadmap item, 2-3 hints", ex.file),
            metadata_problem(ex),
        );
    }
    tally.record(
        "test and starter files match xtask/checksums.txt",
        checksum_problem(ctx, &exercises),
    );

    println!("\n{}", s.bold("Every starter compiles and fails its tests"));
    let starters = check::check(
        ctx,
        &exercises,
        &Options {
            solution: false,
            show_progress: true,
        },
    )?;
    for (ex, result) in exercises.iter().zip(&starters) {
        let problem = match &result.outcome {
            Outcome::Failing {
                passed: 0, total, ..
            } if *total > 0 => None,
            Outcome::Failing { passed, total, .. } => Some(format!(
                "{passed} of {total} tests pass on the starter; a test that passes before the learner writes anything proves nothing"
            )),
            other => Some(describe(other)),
        };
        tally.record(
            &format!("{} starter: {}", ex.file, result.outcome.label()),
            problem,
        );
    }

    println!("\n{}", s.bold("Every solution passes its tests"));
    let solutions = check::check(
        ctx,
        &exercises,
        &Options {
            solution: true,
            show_progress: true,
        },
    )?;
    for (ex, result) in exercises.iter().zip(&solutions) {
        let problem = if result.outcome.is_passed() {
            None
        } else {
            Some(describe(&result.outcome))
        };
        tally.record(
            &format!("{} solution: {}", ex.file, result.outcome.label()),
            problem,
        );
    }

    println!("\n{}", s.bold("Clippy and rustfmt"));
    tally.record(
        "clippy -D warnings: the workspace (runner and starters)",
        cargo_problem(
            ctx,
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--quiet",
                "--",
                "-D",
                "warnings",
            ],
        ),
    );
    tally.record(
        "clippy -D warnings: testkit with all its features",
        cargo_problem(
            ctx,
            &[
                "clippy",
                "-p",
                "testkit",
                "--all-features",
                "--all-targets",
                "--quiet",
                "--",
                "-D",
                "warnings",
            ],
        ),
    );
    for stage in &stages {
        tally.record(
            &format!("clippy -D warnings: {} solutions", stage.id),
            cargo_problem(
                ctx,
                &[
                    "clippy",
                    "-p",
                    &stage.dir,
                    "--all-targets",
                    "--features",
                    "solution",
                    "--quiet",
                    "--",
                    "-D",
                    "warnings",
                ],
            ),
        );
    }
    tally.record(
        "rustfmt --check: the workspace",
        cargo_problem(ctx, &["fmt", "--all", "--check", "--", "--color", "never"]),
    );

    println!("\nverify: {} passed, {} failed", tally.passed, tally.failed);
    Ok(if tally.failed == 0 { 0 } else { 1 })
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Failing { failures, .. } => failures
            .iter()
            .take(3)
            .map(|f| {
                format!(
                    "{}: {}",
                    f.test,
                    f.message.lines().next().unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Outcome::CompileError { diagnostics } => diagnostics
            .first()
            .map(|d| d.rendered.clone())
            .unwrap_or_default(),
        Outcome::TimedOut { hung, .. } => {
            format!("still running when stopped: {}", hung.join(", "))
        }
        Outcome::Crashed { message, .. } | Outcome::BuildFailed { message } => message.clone(),
        Outcome::NeedsService { services } => services
            .iter()
            .map(|s| s.how_to_start())
            .collect::<Vec<_>>()
            .join("\n"),
        Outcome::Passed { .. } => String::new(),
    }
}

/// The stage's exercises, tests and solutions on disk are exactly the manifest's.
fn files_problem(ctx: &Ctx, stage: &crate::manifest::Stage) -> Option<String> {
    let expected: BTreeSet<String> = ctx
        .manifest
        .exercises_of(stage)
        .map(|e| e.file.clone())
        .collect();
    let mut problems = Vec::new();
    let members = std::fs::read_to_string(ctx.root.join("Cargo.toml")).unwrap_or_default();
    if !members.contains(&format!("\"{}\"", stage.dir)) {
        problems.push(format!(
            "{} is not a member of the workspace (Cargo.toml)",
            stage.dir
        ));
    }
    let folders = [
        Path::new(&stage.dir).join("exercises"),
        Path::new(&stage.dir).join("tests"),
        Path::new("solutions").join(&stage.dir),
    ];
    for folder in folders {
        let on_disk = rust_stems(&ctx.root.join(&folder));
        for missing in expected.difference(&on_disk) {
            problems.push(format!("{}/{missing}.rs is missing", folder.display()));
        }
        for extra in on_disk.difference(&expected) {
            problems.push(format!(
                "{}/{extra}.rs is not in xtask/curriculum.toml",
                folder.display()
            ));
        }
    }
    if expected.is_empty() {
        problems.push("the stage has no exercises in xtask/curriculum.toml".into());
    }
    (!problems.is_empty()).then(|| problems.join("\n"))
}

fn rust_stems(dir: &Path) -> BTreeSet<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeSet::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_string))
        .collect()
}

fn metadata_problem(ex: &Exercise) -> Option<String> {
    let mut problems = Vec::new();
    if ex.title.trim().is_empty() {
        problems.push("no title".to_string());
    }
    if ex.roadmap.trim().is_empty() {
        problems.push("no roadmap item".to_string());
    }
    if !(2..=3).contains(&ex.hints.len()) || ex.hints.iter().any(|h| h.trim().is_empty()) {
        problems.push(format!(
            "{} hints, need 2 or 3 non-empty ones",
            ex.hints.len()
        ));
    }
    if ex.timeout == 0 {
        problems.push("a timeout of 0 seconds".to_string());
    }
    (!problems.is_empty()).then(|| problems.join("; "))
}

fn recorded_files(manifest: &Manifest, exercises: &[&Exercise]) -> Vec<PathBuf> {
    exercises
        .iter()
        .flat_map(|ex| {
            let paths = ex.paths(manifest.stage_of(ex));
            [paths.test, paths.exercise]
        })
        .collect()
}

fn checksum_problem(ctx: &Ctx, exercises: &[&Exercise]) -> Option<String> {
    let problems: Vec<String> = recorded_files(&ctx.manifest, exercises)
        .into_iter()
        .filter(|rel| !ctx.checksums.matches(&ctx.root, rel))
        .map(|rel| {
            format!(
                "{} differs from its record (after a deliberate change: `cargo xtask bless`)",
                rel.display()
            )
        })
        .collect();
    (!problems.is_empty()).then(|| problems.join("\n"))
}

fn cargo_problem(ctx: &Ctx, args: &[&str]) -> Option<String> {
    let out = Command::new(cargo())
        .current_dir(&ctx.root)
        .args(args)
        .output();
    match out {
        Ok(out) if out.status.success() => None,
        Ok(out) => {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let lines: Vec<&str> = text.lines().take(30).collect();
            Some(lines.join("\n"))
        }
        Err(e) => Some(format!("cannot run cargo: {e}")),
    }
}

/// `cargo xtask bless`: records the current tests and starters as the course's version.
pub fn bless(ctx: &Ctx) -> CmdResult {
    let exercises: Vec<&Exercise> = ctx.manifest.exercises.iter().collect();
    let mut sums = Checksums {
        entries: Default::default(),
    };
    for rel in recorded_files(&ctx.manifest, &exercises) {
        let abs = ctx.root.join(&rel);
        if !abs.exists() {
            return Err(Error::Failed(format!(
                "{} does not exist; nothing was recorded",
                rel.display()
            )));
        }
        sums.entries.insert(rel, hash::of_file(&abs));
    }
    let changed = sums
        .entries
        .iter()
        .filter(|(rel, h)| ctx.checksums.entries.get(*rel) != Some(*h))
        .count();
    std::fs::write(Checksums::path(&ctx.root), sums.render())
        .map_err(|e| format!("cannot write xtask/checksums.txt: {e}"))?;
    println!(
        "recorded {} files in xtask/checksums.txt ({changed} changed)",
        sums.entries.len()
    );
    Ok(0)
}
