//! `cargo xtask check [stage | exercise]`: build, run, report, remember.
//!
//! [`check`] takes every exercise through the same phases, one record each: its services are
//! probed, its stage's test targets are built in one cargo call, the built binaries run in
//! parallel, and what they printed becomes its outcome (and its milestones').

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::compile::{self, BuildRequest, TargetBuild};
use crate::files::ExerciseFiles;
use crate::libtest;
use crate::manifest::{Exercise, Service};
use crate::outcome::{ExerciseResult, MilestoneResult, Outcome};
use crate::report;
use crate::state::{Hasher, Standing};
use crate::{CmdResult, Ctx, Error};

pub struct Options {
    /// Run against the reference solutions (for `verify`).
    pub solution: bool,
    /// Show cargo's progress while building.
    pub show_progress: bool,
}

/// What `check` and `watch` work on: the named stage or exercise, else the next exercise.
/// `None` when no target was named and every exercise has passed.
pub fn selection<'a>(
    ctx: &'a Ctx,
    standing: &Standing<'a>,
    target: Option<&str>,
) -> Result<Option<Vec<&'a Exercise>>, Error> {
    let exercises = match target {
        Some(name) => ctx.resolve(name)?.exercises(&ctx.manifest),
        None => match standing.next() {
            Some(ex) => vec![ex],
            None => return Ok(None),
        },
    };
    if exercises.is_empty() {
        return Err(Error::Usage(report::planned_stage_message(
            ctx,
            target.unwrap_or_default(),
        )));
    }
    Ok(Some(exercises))
}

pub const ALL_PASSED: &str =
    "Every exercise has passed. `cargo xtask progress` shows the whole course.";

/// `cargo xtask check`: returns the exit code.
pub fn run(ctx: &Ctx, target: Option<&str>, json: bool) -> CmdResult {
    let mut standing = Standing::load(&ctx.root, &ctx.manifest);
    let Some(exercises) = selection(ctx, &standing, target)? else {
        println!("{ALL_PASSED}");
        return Ok(0);
    };
    let results = check(
        ctx,
        &exercises,
        &Options {
            solution: false,
            show_progress: !json,
        },
    )?;
    remember(ctx, &mut standing, &results)?;
    if json {
        println!("{}", report::json(ctx, &exercises, &results));
    } else {
        print!(
            "{}",
            report::check_report(ctx, &standing, &exercises, &results)
        );
    }
    Ok(if results.iter().all(ExerciseResult::is_passed) {
        0
    } else {
        1
    })
}

/// Stores results in the learner's state, for `progress` and the first screen, and in
/// `standing`, so that what is next is computed from them.
pub fn remember(
    ctx: &Ctx,
    standing: &mut Standing,
    results: &[ExerciseResult],
) -> Result<(), String> {
    for result in results {
        standing.record(result);
    }
    standing.state.save(&ctx.root)
}

/// One exercise on its way through the phases.
struct Item<'a> {
    ex: &'a Exercise,
    files: ExerciseFiles,
    services: Vec<Service>,
    /// The built test binary, until it has run.
    exe: Option<PathBuf>,
    outcome: Option<Outcome>,
    milestones: Vec<MilestoneResult>,
    test_ms: u64,
}

/// Checks exercises (of any stages), in the given order.
pub fn check(
    ctx: &Ctx,
    exercises: &[&Exercise],
    opts: &Options,
) -> Result<Vec<ExerciseResult>, String> {
    let mut items: Vec<Item> = exercises
        .iter()
        .map(|ex| Item {
            ex,
            files: ctx.manifest.files(ex),
            services: ctx.manifest.services_of(ex),
            exe: None,
            outcome: None,
            milestones: Vec::new(),
            test_ms: 0,
        })
        .collect();
    let probes = Probes::of(ctx, &items);
    build(ctx, &mut items, &probes, opts)?;
    // Hash after building: the build may write Cargo.lock, which the hash covers.
    let hasher = Hasher::new(&ctx.root);
    let hashes: Vec<String> = items
        .iter()
        .map(|item| hasher.exercise(&ctx.manifest, item.ex))
        .collect();
    run_tests(ctx, &mut items);
    probes.recheck(ctx, &mut items);
    Ok(items
        .into_iter()
        .zip(hashes)
        .map(|(item, hash)| ExerciseResult {
            id: item.ex.id.clone(),
            tampered: ctx.checksums.tampered(&ctx.root, &item.files.test),
            outcome: item.outcome.expect("every exercise got an outcome"),
            hash,
            test_ms: item.test_ms,
            milestones: item.milestones,
        })
        .collect())
}

/// Which services answer: each one probed once. An unreachable one marks its exercises
/// "needs …" instead of failing them.
struct Probes {
    up: BTreeMap<Service, bool>,
    /// A missing service will come from a container, where a Docker engine answers: testkit
    /// then starts one (its `containers` feature, built only when needed).
    containers: bool,
}

impl Probes {
    fn of(ctx: &Ctx, items: &[Item]) -> Probes {
        let mut up: BTreeMap<Service, bool> = BTreeMap::new();
        for service in items.iter().flat_map(|i| &i.services) {
            up.entry(*service)
                .or_insert_with(|| services::probe(&ctx.root, *service).reachable);
        }
        // Containers stand in only for the servers testkit can start (PostgreSQL, Redis,
        // RabbitMQ); a missing program such as nginx stays missing.
        let containers = up.iter().any(|(s, up)| !up && s.container_fallback())
            && services::docker_engine_answers();
        if containers {
            for (service, up) in up.iter_mut() {
                *up |= service.container_fallback();
            }
        }
        Probes { up, containers }
    }

    fn missing(&self, services: &[Service]) -> Vec<Service> {
        services
            .iter()
            .filter(|s| !self.up.get(s).copied().unwrap_or(false))
            .copied()
            .collect()
    }

    /// A service that went away during the run (a database stopped mid-run) fails tests
    /// for reasons that are not the learner's: say what is missing instead.
    fn recheck(&self, ctx: &Ctx, items: &mut [Item]) {
        if self.containers {
            return;
        }
        let mut gone: BTreeMap<Service, bool> = BTreeMap::new();
        for item in items {
            let ran_and_failed = matches!(
                item.outcome,
                Some(Outcome::Failing { .. } | Outcome::TimedOut { .. } | Outcome::Crashed { .. })
            );
            if !ran_and_failed {
                continue;
            }
            let missing: Vec<Service> = item
                .services
                .iter()
                .copied()
                .filter(|s| {
                    *gone
                        .entry(*s)
                        .or_insert_with(|| !services::probe(&ctx.root, *s).reachable)
                })
                .collect();
            if !missing.is_empty() {
                item.outcome = Some(Outcome::NeedsService { services: missing });
                item.milestones.clear();
            }
        }
    }
}

/// Builds each stage's selected test targets in one cargo call; an exercise that does not
/// compile, or whose services are missing, gets its outcome here.
fn build(ctx: &Ctx, items: &mut [Item], probes: &Probes, opts: &Options) -> Result<(), String> {
    let mut features: Vec<&str> = Vec::new();
    if opts.solution {
        features.push("solution");
    }
    if probes.containers {
        features.push("testkit/containers");
    }
    let mut stages: Vec<&str> = items.iter().map(|i| i.ex.stage.as_str()).collect();
    stages.dedup();
    for stage_id in stages {
        let stage = ctx
            .manifest
            .stage(stage_id)
            .expect("exercise of a known stage");
        let report = compile::build_tests(&BuildRequest {
            root: &ctx.root,
            package: &stage.dir,
            targets: items
                .iter()
                .filter(|i| i.ex.stage == stage.id)
                .map(|i| i.files.target.as_str())
                .collect(),
            features: features.clone(),
            color: ctx.style.color,
            show_progress: opts.show_progress,
        })?;
        for item in items.iter_mut().filter(|i| i.ex.stage == stage.id) {
            match report.targets.get(&item.files.target) {
                Some(TargetBuild::Failed(diagnostics)) => {
                    item.outcome = Some(Outcome::CompileError {
                        diagnostics: diagnostics.clone(),
                    });
                }
                Some(TargetBuild::Built(exe)) => {
                    let missing = probes.missing(&item.services);
                    if missing.is_empty() {
                        item.exe = Some(exe.clone());
                    } else {
                        item.outcome = Some(Outcome::NeedsService { services: missing });
                    }
                }
                None => {
                    item.outcome = Some(Outcome::BuildFailed {
                        message: build_failure_message(&report, &stage.dir),
                    });
                }
            }
        }
    }
    Ok(())
}

/// Runs the built test binaries, as many at once as there are cores, and reads each one's
/// outcome, and its milestones'.
fn run_tests(ctx: &Ctx, items: &mut [Item]) {
    let jobs: Vec<(usize, PathBuf, PathBuf, Duration)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let exe = item.exe.clone()?;
            let cwd = ctx.root.join(&ctx.manifest.stage_of(item.ex).dir);
            Some((i, exe, cwd, Duration::from_secs(item.ex.timeout)))
        })
        .collect();
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    let Some((i, exe, cwd, timeout)) = jobs.get(n) else {
                        break;
                    };
                    let run = libtest::run(exe, cwd, &ctx.root, *timeout);
                    done.lock()
                        .expect("no worker panics holding the lock")
                        .push((*i, run));
                }
            });
        }
    });
    for (i, run) in done.into_inner().expect("workers finished") {
        let item = &mut items[i];
        let mut outcome = run.outcome("");
        // The test files are read only when there are failures to put in order.
        if matches!(outcome, Outcome::Failing { .. } | Outcome::TimedOut { .. }) {
            TestSources::read(ctx, item).sort(&mut outcome);
        }
        item.milestones = item
            .ex
            .milestones
            .iter()
            .map(|m| {
                let (passed, total) = run.outcome(&format!("{}::", m.module())).counts();
                MilestoneResult {
                    title: m.title.clone(),
                    passed,
                    total,
                }
            })
            .collect();
        item.test_ms = run.elapsed.as_millis() as u64;
        item.exe = None;
        item.outcome = Some(outcome);
    }
}

/// The exercise's test sources, in the order a learner meets them: the milestones in order,
/// each file top to bottom.
struct TestSources {
    /// The module prefix (`users::`, or `""` for a single test file) and its source.
    parts: Vec<(String, String)>,
}

impl TestSources {
    fn read(ctx: &Ctx, item: &Item) -> TestSources {
        let read = |rel: PathBuf| std::fs::read_to_string(ctx.root.join(rel)).unwrap_or_default();
        let parts = if item.ex.milestones.is_empty() {
            vec![(String::new(), read(item.files.test_entry.clone()))]
        } else {
            item.ex
                .milestones
                .iter()
                .map(|m| {
                    (
                        format!("{}::", m.module()),
                        read(item.files.milestone_file(m)),
                    )
                })
                .collect()
        };
        TestSources { parts }
    }

    /// libtest reports failures by name; tests are written easiest first, so show them in
    /// the order of the sources: the first failure shown is the one to fix first.
    fn sort(&self, outcome: &mut Outcome) {
        let (Outcome::Failing { failures, .. } | Outcome::TimedOut { failures, .. }) = outcome
        else {
            return;
        };
        failures.sort_by_key(|f| {
            let name = f.test.rsplit("::").next().unwrap_or(&f.test);
            self.parts
                .iter()
                .enumerate()
                .filter(|(_, (prefix, _))| f.test.starts_with(prefix.as_str()))
                .find_map(|(i, (_, source))| Some((i, source.find(&format!("fn {name}("))?)))
                .unwrap_or((usize::MAX, usize::MAX))
        });
    }
}

fn build_failure_message(report: &compile::BuildReport, stage_dir: &str) -> String {
    if !report.library_errors.is_empty() {
        let rendered: Vec<&str> = report
            .library_errors
            .iter()
            .take(3)
            .map(|d| d.rendered.as_str())
            .collect();
        return format!(
            "the stage's support code ({stage_dir}/src) does not compile, so no exercise of the stage can:\n{}",
            rendered.join("\n")
        );
    }
    if !report.cargo_errors.is_empty() {
        return report.cargo_errors.clone();
    }
    "cargo built no test binary for this exercise and said nothing about why; \
     run `cargo test -p <stage> --no-run` to see cargo's own output"
        .replace("<stage>", stage_dir)
}
