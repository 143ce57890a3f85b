//! `cargo xtask verify`: proves the course works. `cargo xtask bless`: records the course's
//! version of each test and starter file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::check::{self, Options};
use crate::compile::cargo;
use crate::hash::{self, Checksums};
use crate::manifest::{Exercise, Stage};
use crate::names::Target;
use crate::outcome::{ExerciseResult, Outcome};
use crate::{CmdResult, Ctx, Error};

/// Tallies checks and prints one line each (`verify`, `mistakes`).
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    style: crate::term::Style,
    /// Each section's title and when it started; a section ends where the next one starts.
    sections: Vec<(String, Instant)>,
}

impl Tally {
    pub fn new(style: crate::term::Style) -> Tally {
        Tally {
            passed: 0,
            failed: 0,
            style,
            sections: Vec::new(),
        }
    }

    fn section(&mut self, title: &str) {
        self.sections.push((title.to_string(), Instant::now()));
        let gap = if self.passed + self.failed == 0 {
            ""
        } else {
            "\n"
        };
        println!("{gap}{}", self.style.bold(title));
    }

    /// Each section's time, to see where verify's (and CI's) minutes go.
    fn sections_took(&self) -> Vec<(String, Duration)> {
        let now = Instant::now();
        let ends = self.sections.iter().skip(1).map(|(_, start)| *start);
        self.sections
            .iter()
            .zip(ends.chain([now]))
            .map(|((title, start), end)| (title.clone(), end - *start))
            .collect()
    }

    pub fn record(&mut self, what: &str, problem: Option<String>) {
        let s = self.style;
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
    let stages = stages_to_verify(ctx, stage)?;
    let exercises: Vec<&Exercise> = stages
        .iter()
        .flat_map(|s| ctx.manifest.exercises_of(s))
        .collect();
    let mut tally = Tally::new(ctx.style);

    tally.section("The manifest and the files agree");
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
        if !ex.milestones.is_empty() {
            tally.record(
                &format!("{}: {} milestones declared", ex.file, ex.milestones.len()),
                milestones_problem(ctx, ex),
            );
        }
        if let Some(bin) = &ex.bin {
            tally.record(
                &format!("{}: its app is declared as `--bin {bin}`", ex.file),
                bin_declared_problem(ctx, ctx.manifest.stage_of(ex), bin),
            );
        }
    }
    tally.record(
        "test and starter files match xtask/checksums.txt",
        checksum_problem(ctx, &exercises),
    );

    tally.section("Every starter compiles and fails its tests");
    // How long each stage's tests ran, starters, solutions and mistakes together (the builds
    // are shared by the stages, so they are not split).
    let mut tests_ms: BTreeMap<&str, u64> = BTreeMap::new();
    let mut count = |ex: &Exercise, ms: u64| {
        *tests_ms
            .entry(ctx.manifest.stage_of(ex).id.as_str())
            .or_default() += ms;
    };
    let starters = check::check(ctx, &exercises, &options(false))?;
    for (ex, result) in exercises.iter().zip(&starters) {
        count(ex, result.test_ms);
        tally.record(
            &format!("{} starter: {}", ex.file, result.outcome.label()),
            starter_problem(&result.outcome),
        );
    }

    tally.section("Every solution passes its tests");
    let solutions = check::check(ctx, &exercises, &options(true))?;
    for (ex, result) in exercises.iter().zip(&solutions) {
        count(ex, result.test_ms);
        let problem = if result.outcome.is_passed() {
            tests_outside_milestones(ex, result)
        } else {
            Some(describe(&result.outcome))
        };
        tally.record(
            &format!("{} solution: {}", ex.file, result.outcome.label()),
            problem,
        );
    }

    let mistakes = crate::mistakes::find(ctx, &exercises);
    if !mistakes.is_empty() {
        tally.section("Every kept mistake fails its tests");
        for (mistake, verdict, ms) in crate::mistakes::try_all(ctx, &mistakes)? {
            count(mistake.exercise, ms);
            mistake.record(&mut tally, verdict);
        }
    }

    let apps: Vec<(&Exercise, &str)> = exercises
        .iter()
        .filter_map(|ex| Some((*ex, ex.bin.as_deref()?)))
        .collect();
    if !apps.is_empty() {
        tally.section("Every app builds, as the starter and as the solution");
        for (ex, bin) in apps {
            let package = &ctx.manifest.stage_of(ex).dir;
            for (what, features) in [("starter", None), ("solution", Some("solution"))] {
                let mut args = vec!["build", "--quiet", "-p", package, "--bin", bin];
                args.extend(features.map(|f| ["--features", f]).into_iter().flatten());
                tally.record(
                    &format!("{}: `--bin {bin}` builds ({what})", ex.file),
                    cargo_problem(ctx, &args),
                );
            }
        }
    }

    tally.section("Clippy and rustfmt");
    for (what, args) in lint_commands(&stages) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        tally.record(&what, cargo_problem(ctx, &args));
    }

    let sections = tally.sections_took();
    print!("\n{}", render_times(&sections, &tests_ms));
    println!("\nverify: {} passed, {} failed", tally.passed, tally.failed);
    Ok(if tally.failed == 0 { 0 } else { 1 })
}

/// Where the time went: each section, then each stage's tests.
fn render_times(sections: &[(String, Duration)], tests_ms: &BTreeMap<&str, u64>) -> String {
    let mut out = String::from("Time\n");
    let total: Duration = sections.iter().map(|(_, took)| *took).sum();
    for (title, took) in sections {
        out.push_str(&format!("  {:>9}  {title}\n", minutes(*took)));
    }
    out.push_str(&format!("  {:>9}  in all\n", minutes(total)));
    if !tests_ms.is_empty() {
        let parts: Vec<String> = tests_ms
            .iter()
            .map(|(stage, ms)| format!("{stage} {}", minutes(Duration::from_millis(*ms))))
            .collect();
        out.push_str(&format!(
            "  tests' own run time by stage (starters, solutions, mistakes; builds not split): {}\n",
            parts.join(", ")
        ));
    }
    out
}

/// `4 min 05 s`, or `12 s` under a minute.
fn minutes(took: Duration) -> String {
    let secs = took.as_secs();
    if secs < 60 {
        format!("{secs} s")
    } else {
        format!("{} min {:02} s", secs / 60, secs % 60)
    }
}

fn options(solution: bool) -> Options {
    Options {
        solution,
        show_progress: true,
    }
}

/// The stages `verify` covers: the one named, else every written one.
fn stages_to_verify<'a>(ctx: &'a Ctx, name: Option<&str>) -> Result<Vec<&'a Stage>, Error> {
    let Some(name) = name else {
        return Ok(ctx.manifest.written_stages().collect());
    };
    match ctx.resolve(name)? {
        Target::Stage(s) if !s.planned => Ok(vec![s]),
        Target::Stage(s) => Err(Error::Usage(format!(
            "{} is planned, not written: nothing to verify",
            s.id
        ))),
        Target::Exercise(_) => Err(Error::Usage(format!(
            "`{name}` is an exercise; verify takes a stage"
        ))),
    }
}

/// A starter must compile and fail every one of its tests.
fn starter_problem(outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Failing {
            passed: 0, total, ..
        } if *total > 0 => None,
        Outcome::Failing { passed, total, .. } => Some(format!(
            "{passed} of {total} tests pass on the starter; a test that passes before the learner writes anything proves nothing"
        )),
        other => Some(describe(other)),
    }
}

/// Clippy on the runner, the starters, testkit with all its features and each stage's
/// solutions; rustfmt on everything.
fn lint_commands(stages: &[&Stage]) -> Vec<(String, Vec<String>)> {
    let words = |line: &str| line.split_whitespace().map(str::to_string).collect();
    let mut commands = vec![
        (
            "clippy -D warnings: the workspace (starters, testkit, services)".to_string(),
            words("clippy --workspace --all-targets --quiet -- -D warnings"),
        ),
        (
            "clippy -D warnings: testkit with all its features".to_string(),
            words("clippy -p testkit --all-features --all-targets --quiet -- -D warnings"),
        ),
    ];
    for stage in stages {
        commands.push((
            format!("clippy -D warnings: {} solutions", stage.id),
            words(&format!(
                "clippy -p {} --all-targets --features solution --quiet -- -D warnings",
                stage.dir
            )),
        ));
    }
    commands.push((
        "clippy -D warnings: the runner".to_string(),
        words("clippy --manifest-path xtask/Cargo.toml --all-targets --quiet -- -D warnings"),
    ));
    commands.push((
        "rustfmt --check: the workspace".to_string(),
        words("fmt --all --check -- --color never"),
    ));
    commands.push((
        "rustfmt --check: the runner".to_string(),
        words("fmt --manifest-path xtask/Cargo.toml --all --check -- --color never"),
    ));
    commands
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

/// The stage's exercises, tests and solutions on disk are exactly the manifest's, each in
/// its shape (a file, or a directory with its root module).
fn files_problem(ctx: &Ctx, stage: &Stage) -> Option<String> {
    let exercises: Vec<&Exercise> = ctx.manifest.exercises_of(stage).collect();
    let mut problems = Vec::new();
    let members = std::fs::read_to_string(ctx.root.join("Cargo.toml")).unwrap_or_default();
    if !members.contains(&format!("\"{}\"", stage.dir)) {
        problems.push(format!(
            "{} is not a member of the workspace (Cargo.toml)",
            stage.dir
        ));
    }
    if exercises.is_empty() {
        problems.push("the stage has no exercises in xtask/curriculum.toml".into());
    }
    let alias = Path::new(&stage.dir).join(".cargo").join("config.toml");
    let text = std::fs::read_to_string(ctx.root.join(&alias)).unwrap_or_default();
    if !text.contains(r#"xtask = "run -q --manifest-path ../xtask/Cargo.toml --""#) {
        problems.push(format!(
            "{} does not give `cargo xtask` from the stage's folder: copy stage1-fundamentals/.cargo/config.toml",
            alias.display()
        ));
    }
    for ex in &exercises {
        let files = ctx.manifest.files(ex);
        for (what, path) in [
            ("its root module", &files.entry),
            ("its test", &files.test_entry),
        ] {
            if !ctx.root.join(path).is_file() {
                problems.push(format!("{} ({what}) is missing", path.display()));
            }
        }
        let solution_entry = if ex.directory {
            files.solution.join("mod.rs")
        } else {
            files.solution.clone()
        };
        if !ctx.root.join(&solution_entry).is_file() {
            problems.push(format!(
                "{} (its solution) is missing",
                solution_entry.display()
            ));
        }
    }
    // Whatever else lies in the folders is an exercise the manifest does not know.
    let folders = [
        (Path::new(&stage.dir).join("exercises"), "exercise"),
        (Path::new(&stage.dir).join("tests"), "test"),
        (Path::new("solutions").join(&stage.dir), "solution"),
    ];
    for (folder, what) in folders {
        let known: BTreeSet<PathBuf> = exercises
            .iter()
            .map(|ex| {
                let files = ctx.manifest.files(ex);
                match what {
                    "exercise" => files.exercise,
                    "test" => files.test,
                    _ => files.solution,
                }
            })
            .collect();
        for entry in entries(&ctx.root, &folder) {
            // Wrong solutions kept to prove the tests catch them (`cargo xtask mistakes`).
            if what == "solution" && entry.ends_with("mistakes") {
                continue;
            }
            if !known.contains(&entry) {
                problems.push(format!(
                    "{} is not in xtask/curriculum.toml (or not as a {})",
                    entry.display(),
                    if entry.extension().is_some() {
                        format!("single-file {what}")
                    } else {
                        format!("directory {what}")
                    }
                ));
            }
        }
    }
    (!problems.is_empty()).then(|| problems.join("\n"))
}

/// The files and directories directly in `folder`, relative to the root.
fn entries(root: &Path, folder: &Path) -> BTreeSet<PathBuf> {
    let Ok(read) = std::fs::read_dir(root.join(folder)) else {
        return BTreeSet::new();
    };
    read.flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| folder.join(e.file_name()))
        .collect()
}

/// Each milestone's file exists and the test's `main.rs` declares its module, so that its
/// tests are named `<module>::…`.
fn milestones_problem(ctx: &Ctx, ex: &Exercise) -> Option<String> {
    let files = ctx.manifest.files(ex);
    let main = std::fs::read_to_string(ctx.root.join(&files.test_entry)).unwrap_or_default();
    let mut problems = Vec::new();
    for m in &ex.milestones {
        let file = files.milestone_file(m);
        if !ctx.root.join(&file).is_file() {
            problems.push(format!("{} is missing", file.display()));
        }
        let declaration = format!("#[path = \"{}.rs\"]\nmod {};", m.file, m.module());
        if !main.contains(&declaration) {
            problems.push(format!(
                "{} does not declare the milestone `{}` as:\n{declaration}",
                files.test_entry.display(),
                m.title
            ));
        }
    }
    (!problems.is_empty()).then(|| problems.join("\n"))
}

/// Every test of an exercise in milestones belongs to one: a test outside them would count
/// in no milestone's progress.
fn tests_outside_milestones(ex: &Exercise, result: &ExerciseResult) -> Option<String> {
    if ex.milestones.is_empty() {
        return None;
    }
    let (_, total) = result.outcome.counts();
    let in_milestones: usize = result.milestones.iter().map(|m| m.total).sum();
    (in_milestones != total).then(|| {
        format!(
            "{} of its {total} tests are in no milestone module",
            total - in_milestones
        )
    })
}

/// A runnable app's binary is declared so that tests never build it (required-features)
/// and `cargo run --bin` does (the feature is a default one).
fn bin_declared_problem(ctx: &Ctx, stage: &Stage, bin: &str) -> Option<String> {
    let cargo_toml = ctx.root.join(&stage.dir).join("Cargo.toml");
    let text = std::fs::read_to_string(&cargo_toml).unwrap_or_default();
    let parsed: toml::Table = match toml::from_str(&text) {
        Ok(t) => t,
        Err(e) => return Some(format!("{}: {e}", cargo_toml.display())),
    };
    let declared = parsed
        .get("bin")
        .and_then(|b| b.as_array())
        .into_iter()
        .flatten()
        .find(|b| b.get("name").and_then(|n| n.as_str()) == Some(bin));
    let Some(declared) = declared else {
        return Some(format!(
            "{} declares no [[bin]] named `{bin}`",
            cargo_toml.display()
        ));
    };
    let required: Vec<&str> = declared
        .get("required-features")
        .and_then(|r| r.as_array())
        .into_iter()
        .flatten()
        .filter_map(|f| f.as_str())
        .collect();
    let defaults: Vec<&str> = parsed
        .get("features")
        .and_then(|f| f.get("default"))
        .and_then(|d| d.as_array())
        .into_iter()
        .flatten()
        .filter_map(|f| f.as_str())
        .collect();
    if required.is_empty() || !required.iter().all(|f| defaults.contains(f)) {
        return Some(format!(
            "the [[bin]] `{bin}` needs `required-features` that are default features \
             (e.g. `apps`), so checks never build it and `cargo run --bin {bin}` does"
        ));
    }
    None
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

/// The files the course records: every test file and every starter file.
fn recorded_files(ctx: &Ctx, exercises: &[&Exercise]) -> Vec<PathBuf> {
    exercises
        .iter()
        .flat_map(|ex| {
            let files = ctx.manifest.files(ex);
            let mut all = files.test_files(&ctx.root);
            all.extend(files.exercise_files(&ctx.root));
            all
        })
        .collect()
}

fn checksum_problem(ctx: &Ctx, exercises: &[&Exercise]) -> Option<String> {
    let problems: Vec<String> = recorded_files(ctx, exercises)
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
    for rel in recorded_files(ctx, &exercises) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_show_each_section_the_total_and_each_stage_s_tests() {
        let sections = vec![
            (
                "Every starter compiles and fails its tests".to_string(),
                Duration::from_secs(245),
            ),
            (
                "Clippy and rustfmt".to_string(),
                Duration::from_millis(9_400),
            ),
        ];
        let tests_ms = BTreeMap::from([("stage1", 1_500), ("stage2", 61_000)]);
        assert_eq!(
            render_times(&sections, &tests_ms),
            "Time\n\
             \x20 4 min 05 s  Every starter compiles and fails its tests\n\
             \x20       9 s  Clippy and rustfmt\n\
             \x20 4 min 14 s  in all\n\
             \x20 tests' own run time by stage (starters, solutions, mistakes; builds not split): stage1 1 s, stage2 1 min 01 s\n"
        );
    }
}
