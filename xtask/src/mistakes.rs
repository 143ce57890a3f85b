//! `cargo xtask mistakes [stage | exercise]`: every plausible wrong solution kept beside the
//! reference fails its exercise's tests.
//!
//! A mistake is what a learner really writes: a swallowed error, a missing lock, an
//! off-by-one. Each is kept as the change it makes to the reference solution, a unified diff
//! (`diff -u`) in `solutions/<stage>/mistakes/<exercise>/<slug>.patch` whose first line says
//! what it gets wrong: `mistake: the error is swallowed as None` (see `patch`). To try one,
//! the runner puts the changed reference in place of the reference, checks the exercise with
//! the `solution` feature, and puts the reference back. The learner's files are never
//! touched; a run killed half-way is repaired by the next one (the reference is saved first).
//! A mistake that passes every test is a hole in the tests; one that does not compile proves
//! nothing.

use std::path::{Path, PathBuf};

use crate::check::{self, Options};
use crate::files::{ExerciseFiles, files_below};
use crate::manifest::Exercise;
use crate::outcome::{ExerciseResult, Outcome};
use crate::verify::Tally;
use crate::{CmdResult, Ctx};

/// One wrong solution of one exercise.
pub struct Mistake<'a> {
    pub exercise: &'a Exercise,
    /// `solutions/<stage>/mistakes/<exercise>/<slug>.patch`.
    pub path: PathBuf,
    /// What it gets wrong, from its first line.
    pub what: String,
}

impl Mistake<'_> {
    pub fn slug(&self) -> String {
        self.path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
    }

    /// One line of `verify` or `mistakes`: `03_todo / multiplies (what): caught by …`.
    pub fn record(&self, tally: &mut Tally, verdict: Verdict) {
        let name = format!("{} / {} ({})", self.exercise.file, self.slug(), self.what);
        match verdict {
            Ok(caught_by) => tally.record(&format!("{name}: caught by {caught_by}"), None),
            Err(problem) => tally.record(&name, Some(problem)),
        }
    }
}

/// Where an exercise's mistakes are kept.
pub fn folder(files: &ExerciseFiles) -> PathBuf {
    let name = files
        .solution
        .file_stem()
        .map(|s| s.to_os_string())
        .unwrap_or_default();
    files
        .solution
        .parent()
        .expect("a solution is in a stage's folder")
        .join("mistakes")
        .join(name)
}

/// The mistakes kept for these exercises, in course order then by name.
pub fn find<'a>(ctx: &Ctx, exercises: &[&'a Exercise]) -> Vec<Mistake<'a>> {
    let mut found = Vec::new();
    for ex in exercises {
        let dir = folder(&ctx.manifest.files(ex));
        let Ok(entries) = std::fs::read_dir(ctx.root.join(&dir)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "patch"))
            .map(|e| dir.join(e.file_name()))
            .collect();
        paths.sort();
        for path in paths {
            let what = std::fs::read_to_string(ctx.root.join(&path))
                .ok()
                .and_then(|text| {
                    let line = text.lines().next()?.trim().to_string();
                    line.strip_prefix("mistake:").map(|w| w.trim().to_string())
                })
                .unwrap_or_default();
            found.push(Mistake {
                exercise: ex,
                path,
                what,
            });
        }
    }
    found
}

/// `cargo xtask mistakes [stage | exercise]`.
pub fn run(ctx: &Ctx, target: Option<&str>) -> CmdResult {
    let exercises: Vec<&Exercise> = match target {
        Some(name) => ctx.resolve(name)?.exercises(&ctx.manifest),
        None => ctx
            .manifest
            .written_stages()
            .flat_map(|s| ctx.manifest.exercises_of(s))
            .collect(),
    };
    let mistakes = find(ctx, &exercises);
    if mistakes.is_empty() {
        println!("no mistakes are kept for these exercises (see CONTRIBUTING.md, \"Mistakes\")");
        return Ok(0);
    }
    let mut tally = Tally::new(ctx.style);
    for (mistake, verdict, _) in try_all(ctx, &mistakes)? {
        mistake.record(&mut tally, verdict);
    }
    println!("\nmistakes: {} caught, {} not", tally.passed, tally.failed);
    Ok(if tally.failed == 0 { 0 } else { 1 })
}

/// `Ok(the tests that caught a mistake)`, or `Err(why it proves nothing)`.
pub type Verdict = Result<String, String>;

/// Tries every mistake: each one's verdict and how long its tests ran, in milliseconds.
/// Mistakes of different exercises are tried together, one build a round.
pub fn try_all<'m, 'a>(
    ctx: &Ctx,
    mistakes: &'m [Mistake<'a>],
) -> Result<Vec<(&'m Mistake<'a>, Verdict, u64)>, String> {
    // Two runs at once would each save the other's mistake as "the reference" and put it back
    // at the end: one run at a time, and the second one says why it stopped.
    let _lock = Lock::take(&ctx.root)?;
    restore_interrupted(&ctx.root)?;
    let mut results = Vec::new();
    let mut round = 0;
    loop {
        // The round-th mistake of each exercise.
        let mut batch: Vec<&Mistake> = Vec::new();
        for ex_mistakes in mistakes.chunk_by(|a, b| a.exercise.id == b.exercise.id) {
            if let Some(m) = ex_mistakes.get(round) {
                batch.push(m);
            }
        }
        if batch.is_empty() {
            break;
        }
        // A mistake that cannot be put in place (a patch that no longer applies) is a
        // verdict of its own; the others are tried.
        let mut swaps: Vec<Swap> = Vec::new();
        let mut tried: Vec<&Mistake> = Vec::new();
        for mistake in batch {
            match Swap::put(ctx, mistake) {
                Ok(swap) => {
                    swaps.push(swap);
                    tried.push(mistake);
                }
                Err(problem) => results.push((mistake, Err(problem), 0)),
            }
        }
        let batch = tried;
        let exercises: Vec<&Exercise> = batch.iter().map(|m| m.exercise).collect();
        if exercises.is_empty() {
            round += 1;
            continue;
        }
        let checked = check::check(
            ctx,
            &exercises,
            &Options {
                solution: true,
                show_progress: true,
            },
        );
        for swap in swaps {
            swap.undo()?;
        }
        // Every reference is back: what was saved for a killed run is no longer needed.
        let _ = std::fs::remove_dir_all(saved_dir(&ctx.root));
        for (mistake, result) in batch.into_iter().zip(checked?) {
            let verdict = if mistake.what.is_empty() {
                Err("its first line must say what it gets wrong: `mistake: …`".to_string())
            } else {
                verdict(&result)
            };
            results.push((mistake, verdict, result.test_ms));
        }
        round += 1;
    }
    Ok(results)
}

/// Whether the tests caught the mistake, and with which tests.
fn verdict(result: &ExerciseResult) -> Verdict {
    match &result.outcome {
        Outcome::Failing { failures, .. } | Outcome::TimedOut { failures, .. }
            if !failures.is_empty() =>
        {
            let names: Vec<&str> = failures.iter().take(3).map(|f| f.test.as_str()).collect();
            let more = failures.len().saturating_sub(3);
            Ok(if more > 0 {
                format!("{} and {more} more", names.join(", "))
            } else {
                names.join(", ")
            })
        }
        Outcome::TimedOut { hung, .. } => Ok(format!("a timeout ({})", hung.join(", "))),
        Outcome::Crashed { .. } => Ok("a crash of the test process".into()),
        Outcome::Passed { tests } => Err(format!(
            "passes all {tests} tests: add the test that catches it"
        )),
        Outcome::CompileError { diagnostics } => Err(format!(
            "does not compile, so it proves nothing: {}",
            diagnostics
                .first()
                .and_then(|d| d.location.clone())
                .unwrap_or_default()
        )),
        other => Err(format!("could not be tried: {}", other.label())),
    }
}

/// Where the reference's files are saved while a mistake stands in for them: a folder per
/// run (its process id), so that two runs at once never put back each other's files.
fn swaps_dir(root: &Path) -> PathBuf {
    crate::state::target_dir(root)
        .join("backendlings")
        .join("mistake-swap")
}

fn saved_dir(root: &Path) -> PathBuf {
    swaps_dir(root).join(std::process::id().to_string())
}

/// Whether the run that saved files under `pid` is still going. Where the system cannot say
/// (no `/proc`), a folder untouched for ten minutes belongs to a run that is over.
fn still_running(pid: &str, folder: &Path) -> bool {
    let proc = Path::new("/proc");
    if proc.is_dir() {
        return proc.join(pid).exists();
    }
    std::fs::metadata(folder)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t.elapsed().is_ok_and(|e| e.as_secs() < 600))
}

/// The right to swap the course's reference solutions, held by one run at a time: the file
/// `mistake-swap/lock`, which names the run's process. A lock whose process is gone (a run
/// that was killed) is taken over.
struct Lock {
    path: PathBuf,
}

impl Lock {
    fn take(root: &Path) -> Result<Lock, String> {
        let dir = swaps_dir(root);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let path = dir.join("lock");
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    use std::io::Write as _;
                    let _ = write!(file, "{}", std::process::id());
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    let holder = holder.trim();
                    if !holder.is_empty() && still_running(holder, &path) {
                        return Err(format!(
                            "another `cargo xtask mistakes` or `verify` (process {holder}) is trying mistakes in this course; \
                             wait for it to finish, since two at once would mix up the reference solutions"
                        ));
                    }
                    // Its run was killed: the lock is stale.
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => return Err(format!("cannot create {}: {e}", path.display())),
            }
        }
        Err(format!(
            "cannot take {}; remove it if no `cargo xtask mistakes` or `verify` is running",
            path.display()
        ))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A mistake put in place of the reference solution, until `undo`.
struct Swap {
    root: PathBuf,
    /// Each replaced file of the solution, and the reference's bytes.
    replaced: Vec<(PathBuf, Vec<u8>)>,
}

impl Swap {
    fn put(ctx: &Ctx, mistake: &Mistake) -> Result<Swap, String> {
        let files = ctx.manifest.files(mistake.exercise);
        let text = std::fs::read_to_string(ctx.root.join(&mistake.path))
            .map_err(|e| format!("cannot read it: {e}"))?;
        let patch = crate::patch::parse(&text)?;
        // Every change is worked out before any file is touched.
        let mut changes = Vec::new();
        for file in &patch.files {
            let to = if mistake.exercise.directory {
                files.solution.join(&file.path)
            } else {
                files.solution.clone()
            };
            let reference = std::fs::read_to_string(ctx.root.join(&to))
                .map_err(|e| format!("cannot read {}: {e}", to.display()))?;
            changes.push((to, file.apply(&reference)?, reference));
        }
        let mut replaced = Vec::new();
        for (to, changed, reference) in changes {
            // Saved outside the course first, so that a run killed now loses nothing.
            let saved = saved_dir(&ctx.root).join(&to);
            std::fs::create_dir_all(saved.parent().expect("has a parent"))
                .and_then(|()| std::fs::write(&saved, &reference))
                .map_err(|e| format!("cannot save {}: {e}", to.display()))?;
            std::fs::write(ctx.root.join(&to), changed)
                .map_err(|e| format!("cannot write {}: {e}", to.display()))?;
            replaced.push((to, reference.into_bytes()));
        }
        Ok(Swap {
            root: ctx.root.clone(),
            replaced,
        })
    }

    fn undo(self) -> Result<(), String> {
        for (rel, reference) in &self.replaced {
            std::fs::write(self.root.join(rel), reference).map_err(|e| {
                format!(
                    "cannot put the reference back in {} ({e}); `git checkout -- {}` does",
                    rel.display(),
                    rel.display()
                )
            })?;
        }
        Ok(())
    }
}

/// Puts back the reference files that runs killed half-way left replaced by a mistake.
fn restore_interrupted(root: &Path) -> Result<(), String> {
    let Ok(runs) = std::fs::read_dir(swaps_dir(root)) else {
        return Ok(());
    };
    for run in runs.flatten() {
        let pid = run.file_name().to_string_lossy().into_owned();
        let saved = run.path();
        // The lock file lies beside the runs' folders.
        if !saved.is_dir() || pid == std::process::id().to_string() || still_running(&pid, &saved) {
            continue;
        }
        for rel in files_below(&saved, Path::new("")) {
            if let Ok(bytes) = std::fs::read(saved.join(&rel)) {
                let _ = std::fs::write(root.join(&rel), bytes);
                eprintln!(
                    "put back {} after an interrupted `cargo xtask mistakes`",
                    rel.display()
                );
            }
        }
        std::fs::remove_dir_all(&saved)
            .map_err(|e| format!("cannot clean {}: {e}", saved.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> PathBuf {
        let root = std::env::temp_dir().join(format!(
            "backendlings-lock-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        root
    }

    #[test]
    fn a_second_run_at_once_is_refused_and_the_lock_goes_with_the_first() {
        let root = course();
        let first = Lock::take(&root).expect("the first run takes the lock");
        let second = Lock::take(&root).err().expect("a second run is refused");
        assert!(
            second.contains(&format!("process {}", std::process::id())),
            "{second}"
        );
        drop(first);
        Lock::take(&root).expect("free again once the first run is over");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn the_lock_of_a_killed_run_is_taken_over() {
        let root = course();
        let dir = swaps_dir(&root);
        std::fs::create_dir_all(&dir).unwrap();
        // No process has this id (Linux's limit is 2^22).
        std::fs::write(dir.join("lock"), "999999999").unwrap();
        Lock::take(&root).expect("a stale lock is taken over");
        restore_interrupted(&root).expect("the lock file is not a run's folder");
        let _ = std::fs::remove_dir_all(&root);
    }
}
