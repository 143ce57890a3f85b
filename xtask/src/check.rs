//! `cargo xtask check [stage | exercise]`: build, run, report, remember.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::compile::{self, BuildRequest, TargetBuild};
use crate::libtest;
use crate::manifest::{Exercise, Service};
use crate::outcome::{ExerciseResult, Outcome};
use crate::report;
use crate::state::{self, State};
use crate::{CmdResult, Ctx, Error};

pub struct Options {
    /// Run against the reference solutions (for `verify`).
    pub solution: bool,
    /// Show cargo's progress while building.
    pub show_progress: bool,
}

/// `cargo xtask check`: returns the exit code.
/// What `check` and `watch` work on: the named stage or exercise, else the next exercise.
/// `None` when no target was named and every exercise has passed.
pub fn selection<'a>(
    ctx: &'a Ctx,
    target: Option<&str>,
) -> Result<Option<Vec<&'a Exercise>>, Error> {
    let exercises = match target {
        Some(name) => ctx.resolve(name)?.exercises(&ctx.manifest),
        None => match crate::progress::next_exercise(ctx, &State::load(&ctx.root)) {
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

pub fn run(ctx: &Ctx, target: Option<&str>, json: bool) -> CmdResult {
    let Some(exercises) = selection(ctx, target)? else {
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
    remember(ctx, &results)?;
    if json {
        println!("{}", report::json(ctx, &exercises, &results));
    } else {
        print!("{}", report::check_report(ctx, &exercises, &results));
    }
    Ok(if results.iter().all(ExerciseResult::is_passed) {
        0
    } else {
        1
    })
}

/// Stores results in the learner's state, for `progress` and the first screen.
pub fn remember(ctx: &Ctx, results: &[ExerciseResult]) -> Result<(), String> {
    let mut state = State::load(&ctx.root);
    for result in results {
        state.results.insert(result.id.clone(), result.clone());
    }
    state.save(&ctx.root)
}

/// Checks exercises (of any stages), in the given order.
pub fn check(
    ctx: &Ctx,
    exercises: &[&Exercise],
    opts: &Options,
) -> Result<Vec<ExerciseResult>, String> {
    // Probe each service once; an unreachable one marks its exercises instead of failing them.
    let mut probes: BTreeMap<Service, bool> = BTreeMap::new();
    for ex in exercises {
        for service in ctx.manifest.services_of(ex) {
            probes
                .entry(service)
                .or_insert_with(|| services::probe(&ctx.root, service).reachable);
        }
    }

    // A missing service can still come from a container, where a Docker engine answers:
    // testkit then starts one (its `containers` feature, built only when needed).
    let containers = probes.values().any(|up| !up) && services::docker_engine_answers();
    if containers {
        probes.values_mut().for_each(|up| *up = true);
    }
    let mut features: Vec<&str> = Vec::new();
    if opts.solution {
        features.push("solution");
    }
    if containers {
        features.push("testkit/containers");
    }

    let mut outcomes: Vec<Option<Outcome>> = vec![None; exercises.len()];
    let mut jobs: Vec<Job> = Vec::new();

    let mut stages: Vec<&str> = exercises.iter().map(|e| e.stage.as_str()).collect();
    stages.dedup();
    for stage_id in stages {
        let stage = ctx
            .manifest
            .stage(stage_id)
            .expect("exercise of a known stage");
        let indices: Vec<usize> = (0..exercises.len())
            .filter(|i| exercises[*i].stage == stage.id)
            .collect();
        let report = compile::build_tests(&BuildRequest {
            root: &ctx.root,
            package: &stage.dir,
            targets: indices
                .iter()
                .map(|i| exercises[*i].file.as_str())
                .collect(),
            features: features.clone(),
            color: ctx.style.color,
            show_progress: opts.show_progress,
        })?;
        for i in indices {
            let ex = exercises[i];
            outcomes[i] = match report.targets.get(&ex.file) {
                Some(TargetBuild::Failed(diagnostics)) => Some(Outcome::CompileError {
                    diagnostics: diagnostics.clone(),
                }),
                Some(TargetBuild::Built(exe)) => {
                    let missing: Vec<Service> = ctx
                        .manifest
                        .services_of(ex)
                        .into_iter()
                        .filter(|s| !probes[s])
                        .collect();
                    if missing.is_empty() {
                        jobs.push(Job {
                            index: i,
                            exe: exe.clone(),
                            cwd: ctx.root.join(&stage.dir),
                            timeout: Duration::from_secs(ex.timeout),
                        });
                        None
                    } else {
                        Some(Outcome::NeedsService { services: missing })
                    }
                }
                None => Some(Outcome::BuildFailed {
                    message: build_failure_message(&report, &stage.dir),
                }),
            };
        }
    }

    // Hash after building: the build may write Cargo.lock, which the hash covers.
    let hashes: Vec<String> = exercises
        .iter()
        .map(|ex| state::exercise_hash(&ctx.root, ctx.manifest.stage_of(ex), ex))
        .collect();

    let mut test_ms = vec![0u64; exercises.len()];
    for (index, mut run) in run_all(ctx, jobs) {
        test_ms[index] = run.elapsed.as_millis() as u64;
        let ex = exercises[index];
        sort_by_source_order(
            &mut run.outcome,
            &ctx.root.join(ex.paths(ctx.manifest.stage_of(ex)).test),
        );
        outcomes[index] = Some(run.outcome);
    }

    // A service that went away during the run (a database stopped mid-run) fails tests for
    // reasons that are not the learner's: say what is missing instead.
    let mut gone: BTreeMap<Service, bool> = BTreeMap::new();
    for (i, outcome) in outcomes.iter_mut().enumerate() {
        let ran_and_failed = matches!(
            outcome,
            Some(Outcome::Failing { .. } | Outcome::TimedOut { .. } | Outcome::Crashed { .. })
        );
        if containers || !ran_and_failed {
            continue;
        }
        let missing: Vec<Service> = ctx
            .manifest
            .services_of(exercises[i])
            .into_iter()
            .filter(|s| {
                *gone
                    .entry(*s)
                    .or_insert_with(|| !services::probe(&ctx.root, *s).reachable)
            })
            .collect();
        if !missing.is_empty() {
            *outcome = Some(Outcome::NeedsService { services: missing });
        }
    }

    Ok(exercises
        .iter()
        .zip(outcomes)
        .zip(hashes)
        .enumerate()
        .map(|(i, ((ex, outcome), hash))| ExerciseResult {
            id: ex.id.clone(),
            outcome: outcome.expect("every exercise got an outcome"),
            tampered: !ctx
                .checksums
                .matches(&ctx.root, &ex.paths(ctx.manifest.stage_of(ex)).test),
            hash,
            test_ms: test_ms[i],
        })
        .collect())
}

/// libtest reports failures by name; tests are written easiest first, so show them in the
/// order of the test file: the first failure shown is the one to fix first.
fn sort_by_source_order(outcome: &mut Outcome, test_file: &std::path::Path) {
    let (Outcome::Failing { failures, .. } | Outcome::TimedOut { failures, .. }) = outcome else {
        return;
    };
    let Ok(source) = std::fs::read_to_string(test_file) else {
        return;
    };
    failures.sort_by_key(|f| {
        let name = f.test.rsplit("::").next().unwrap_or(&f.test);
        source.find(&format!("fn {name}(")).unwrap_or(usize::MAX)
    });
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

struct Job {
    index: usize,
    exe: PathBuf,
    cwd: PathBuf,
    timeout: Duration,
}

/// Runs the test binaries, as many at once as there are cores.
fn run_all(ctx: &Ctx, jobs: Vec<Job>) -> Vec<(usize, libtest::Run)> {
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(job) = jobs.get(i) else { break };
                    let run = libtest::run(&job.exe, &job.cwd, &ctx.root, job.timeout);
                    done.lock()
                        .expect("no worker panics holding the lock")
                        .push((job.index, run));
                }
            });
        }
    });
    done.into_inner().expect("workers finished")
}
