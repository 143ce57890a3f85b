//! Renders check results for people (`check`) and for programs (`--json`).

use std::fmt::Write;

use crate::Ctx;
use crate::manifest::Exercise;
use crate::outcome::{Diagnostic, ExerciseResult, Failure, Outcome};
use crate::state::Standing;
use crate::term::Style;

/// The mark before an exercise's name.
pub fn mark(style: Style, result: &ExerciseResult) -> String {
    if result.tampered {
        return style.yellow("?");
    }
    match &result.outcome {
        Outcome::Passed { .. } => style.green("✓"),
        Outcome::NeedsService { .. } => style.yellow("-"),
        _ => style.red("✗"),
    }
}

pub fn label(style: Style, result: &ExerciseResult) -> String {
    let mut label = result.outcome.label();
    if let (false, Some((n, m))) = (result.is_passed(), result.current_milestone()) {
        let (passed, total) = result.outcome.counts();
        label = match result.outcome {
            Outcome::Failing { .. } => format!(
                "milestone {n}/{} {}: {}/{} tests pass ({passed}/{total} in all)",
                result.milestones.len(),
                m.title,
                m.passed,
                m.total
            ),
            _ => format!(
                "milestone {n}/{} {}: {label}",
                result.milestones.len(),
                m.title
            ),
        };
    }
    if result.tampered {
        label = format!("{label}; test file changed, not counted");
    }
    match &result.outcome {
        _ if result.tampered => style.yellow(&label),
        Outcome::Passed { .. } => style.green(&label),
        Outcome::NeedsService { .. } => style.yellow(&label),
        _ => style.red(&label),
    }
}

/// The report of `cargo xtask check`: a line per exercise, then the one to work on in full
/// and the next step.
pub fn check_report(
    ctx: &Ctx,
    standing: &Standing,
    exercises: &[&Exercise],
    results: &[ExerciseResult],
) -> String {
    let mut out = summary_lines(ctx, exercises, results);
    match focus(exercises, results) {
        Some((ex, result)) => {
            out.push('\n');
            out.push_str(&details(ctx, ex, result, exercises.len() == 1));
            out.push('\n');
            out.push_str(&next_step(ctx, ex, result));
        }
        None => {
            out.push('\n');
            out.push_str(&all_passed_step(ctx, standing, exercises));
        }
    }
    out
}

fn summary_lines(ctx: &Ctx, exercises: &[&Exercise], results: &[ExerciseResult]) -> String {
    let s = ctx.style;
    let mut out = String::new();
    let width = exercises.iter().map(|e| e.file.len()).max().unwrap_or(0);
    let mut current_stage = "";
    for (ex, result) in exercises.iter().zip(results) {
        if ex.stage != current_stage {
            current_stage = &ex.stage;
            let stage = ctx.manifest.stage_of(ex);
            let _ = writeln!(
                out,
                "{}",
                s.bold(&format!("{} · {}", stage.id, stage.title))
            );
        }
        let _ = writeln!(
            out,
            "  {} {:width$}  {}",
            mark(s, result),
            ex.file,
            label(s, result)
        );
    }
    if exercises.len() > 1 {
        let passed = results.iter().filter(|r| r.is_passed()).count();
        let _ = writeln!(out, "\n{passed} of {} exercises passed", results.len());
    }
    out
}

/// The exercise to show in full: one thing to fix at a time. A compile error comes first:
/// it is what the learner just typed, while the other exercises may not be started yet.
fn focus<'a>(
    exercises: &[&'a Exercise],
    results: &'a [ExerciseResult],
) -> Option<(&'a Exercise, &'a ExerciseResult)> {
    let mut not_passed = exercises
        .iter()
        .copied()
        .zip(results)
        .filter(|(_, r)| !r.is_passed());
    let first = not_passed.clone().next();
    not_passed
        .find(|(_, r)| matches!(r.outcome, Outcome::CompileError { .. }))
        .or(first)
}

/// What went wrong with one exercise, in full.
fn details(ctx: &Ctx, ex: &Exercise, result: &ExerciseResult, single: bool) -> String {
    let s = ctx.style;
    let files = ctx.manifest.files(ex);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}",
        s.bold(&format!("{} — {}", ex.file, ex.title)),
        s.dim(&format!("({})", files.exercise.display()))
    );
    if result.tampered {
        let _ = writeln!(
            out,
            "  {}",
            s.yellow(&format!(
                "{} differs from the course's version, so this exercise cannot count as passed",
                files.test.display()
            ))
        );
    }
    out.push_str(&milestones(s, result));
    let body = match &result.outcome {
        Outcome::Passed { .. } => String::new(),
        Outcome::Failing {
            passed,
            total,
            failures,
        } => failing(s, (*passed, *total), failures, single),
        Outcome::CompileError { diagnostics } => compile_errors(ctx, ex, diagnostics),
        Outcome::TimedOut {
            seconds,
            passed,
            total,
            hung,
            failures,
        } => timed_out(s, *seconds, (*passed, *total), hung, failures),
        Outcome::Crashed {
            passed,
            total,
            message,
        } => indented(
            &format!("the test process died after {passed} of {total} tests passed:\n{message}"),
            "  ",
        ),
        Outcome::NeedsService { services } => services
            .iter()
            .map(|service| {
                format!(
                    "  {} is not reachable: {}\n",
                    service.name(),
                    service.how_to_start()
                )
            })
            .collect(),
        Outcome::BuildFailed { message } => indented(message, "  "),
    };
    out.push_str(&body);
    out
}

fn indented(text: &str, prefix: &str) -> String {
    text.lines().map(|l| format!("{prefix}{l}\n")).collect()
}

/// Each milestone with how far it got; the first unfinished one is the one to work on.
fn milestones(s: Style, result: &ExerciseResult) -> String {
    let current = result.current_milestone().map(|(n, _)| n);
    let width = result
        .milestones
        .iter()
        .map(|m| m.title.chars().count())
        .max()
        .unwrap_or(0);
    let count = result.milestones.len();
    let mut out = String::new();
    for (i, m) in result.milestones.iter().enumerate() {
        let n = i + 1;
        let (mark, note) = if m.is_passed() {
            (s.green("✓"), String::new())
        } else if current == Some(n) {
            (s.red("✗"), s.cyan("  ← the one to work on"))
        } else {
            (s.dim("·"), String::new())
        };
        let _ = writeln!(
            out,
            "  {mark} milestone {n}/{count} {:width$}  {}/{} tests{note}",
            m.title, m.passed, m.total
        );
    }
    out
}

fn failing(
    s: Style,
    (passed, total): (usize, usize),
    failures: &[Failure],
    single: bool,
) -> String {
    let mut out = String::new();
    if single {
        let _ = writeln!(out, "  {passed} of {total} tests pass");
    }
    let Some(first) = failures.first() else {
        return out;
    };
    out.push_str(&failure(s, first));
    if failures.len() > 1 {
        let others: Vec<&str> = failures[1..]
            .iter()
            .take(4)
            .map(|f| f.test.as_str())
            .collect();
        let more = failures.len() - 1 - others.len();
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  {}",
            s.dim(&format!("also failing: {}{more}", others.join(", ")))
        );
    }
    out
}

/// The first three of rustc's errors in full: fixing the first often fixes the rest.
fn compile_errors(ctx: &Ctx, ex: &Exercise, diagnostics: &[Diagnostic]) -> String {
    const SHOWN: usize = 3;
    let mut out = String::new();
    let _ = writeln!(out, "  {} error(s):", diagnostics.len());
    for d in diagnostics.iter().take(SHOWN) {
        out.push_str(&indented(d.rendered.trim_end(), "  "));
    }
    if diagnostics.len() > SHOWN {
        let stage = ctx.manifest.stage_of(ex);
        let files = ctx.manifest.files(ex);
        let _ = writeln!(
            out,
            "  {}",
            ctx.style.dim(&format!(
                "and {} more: `cargo test -p {} --test {} --no-run` shows them all",
                diagnostics.len() - SHOWN,
                stage.dir,
                files.target
            ))
        );
    }
    out
}

fn timed_out(
    s: Style,
    seconds: u64,
    (passed, total): (usize, usize),
    hung: &[String],
    failures: &[Failure],
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  the tests were stopped after {seconds} s; {passed} of {total} had passed"
    );
    if !hung.is_empty() {
        let _ = writeln!(out, "  still running when stopped: {}", hung.join(", "));
    }
    if let Some(f) = failures.first() {
        out.push_str(&failure(s, f));
    }
    out
}

fn failure(s: Style, f: &Failure) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "  {} {}", s.red("failed:"), s.bold(&f.test));
    if let Some(loc) = &f.location {
        let _ = writeln!(out, "  {}", s.dim(&format!("at {loc}")));
    }
    // Long enough for an HTTP transcript with a 2 KB body; a runaway message is cut.
    const SHOWN: usize = 150;
    for line in f.message.lines().take(SHOWN) {
        let _ = writeln!(out, "    {line}");
    }
    let lines = f.message.lines().count();
    if lines > SHOWN {
        let _ = writeln!(
            out,
            "    {}",
            s.dim(&format!(
                "… {} more lines; `--json` has the whole message",
                lines - SHOWN
            ))
        );
    }
    if let Some(said) = postgres_said(&f.message) {
        let _ = writeln!(out, "  {} {said}", s.yellow("PostgreSQL said:"));
    }
    out
}

/// sqlx prints a database error in its Debug form; pull out what PostgreSQL said, so that a
/// learner's SQL mistake reads as one line: `syntax error at or near "FORM" (SQLSTATE 42601)`.
fn postgres_said(message: &str) -> Option<String> {
    let error = &message[message.find("PgDatabaseError {")?..];
    let field = |name: &str| -> Option<String> {
        let start = error.find(&format!("{name}: \""))? + name.len() + 3;
        let mut value = String::new();
        let mut chars = error[start..].chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => value.push(chars.next()?),
                '"' => return Some(value),
                c => value.push(c),
            }
        }
        None
    };
    let text = field("message")?;
    Some(match field("code") {
        Some(code) => format!("{text} (SQLSTATE {code})"),
        None => text,
    })
}

/// The one next thing to do.
fn next_step(ctx: &Ctx, ex: &Exercise, result: &ExerciseResult) -> String {
    let s = ctx.style;
    let files = ctx.manifest.files(ex);
    let check = format!("cargo xtask check {}", ex.file);
    let hint = format!("cargo xtask hint {}", ex.file);
    let step = if result.tampered {
        format!(
            "restore the test with `git checkout -- {}` (your exercise is not touched), then `{check}`",
            files.test.display()
        )
    } else {
        match &result.outcome {
            Outcome::CompileError { diagnostics } => {
                let at = diagnostics.first().and_then(|d| d.location.clone());
                format!(
                    "fix the compile error{}, then `{check}`",
                    at.map(|a| format!(" at {a}")).unwrap_or_default()
                )
            }
            Outcome::Failing { failures, .. } | Outcome::TimedOut { failures, .. }
                if failures
                    .first()
                    .is_some_and(|f| f.message.starts_with("not yet implemented")) =>
            {
                let at = failures[0]
                    .location
                    .clone()
                    .unwrap_or_else(|| files.entry.display().to_string());
                format!(
                    "replace the todo!() at {at} (read the lesson at the top of the file first), then `{check}`; stuck? `{hint}`"
                )
            }
            Outcome::TimedOut { .. } => format!(
                "look for a loop or an .await that never ends in {} (a missing timeout, a channel never closed), then `{check}`",
                files.exercise.display()
            ),
            Outcome::NeedsService { .. } => {
                format!(
                    "start the service as above; `cargo xtask doctor` checks them all; then `{check}`"
                )
            }
            Outcome::BuildFailed { .. } => format!(
                "this is not your exercise's fault: fix the problem above (see README's \"When something goes wrong\"), then `{check}`"
            ),
            _ => {
                let test = match result.current_milestone() {
                    Some((n, _)) => files.milestone_file(&ex.milestones[n - 1]),
                    None => files.test.clone(),
                };
                format!(
                    "the failing test is in {}; read it, change {}, then `{check}`; stuck? `{hint}`",
                    test.display(),
                    files.exercise.display()
                )
            }
        }
    };
    format!("{} {step}\n", s.cyan("Next:"))
}

fn all_passed_step(ctx: &Ctx, standing: &Standing, exercises: &[&Exercise]) -> String {
    let s = ctx.style;
    let step = match exercises {
        [one] => match standing.next_after(one) {
            Some(next) => format!(
                "{} passed. Next exercise: {} — `cargo xtask check {}`; compare with the reference: `cargo xtask solution {}`",
                one.file,
                ctx.manifest.files(next).exercise.display(),
                next.file,
                one.file
            ),
            None => "every exercise of the course has passed. Well done!".to_string(),
        },
        _ => "every exercise checked here passed. `cargo xtask` shows what is next.".to_string(),
    };
    format!("{} {step}\n", s.green("Done:"))
}

/// The message for a stage that is announced but not written yet.
pub fn planned_stage_message(ctx: &Ctx, name: &str) -> String {
    let written: Vec<&str> = ctx
        .manifest
        .written_stages()
        .map(|s| s.id.as_str())
        .collect();
    format!(
        "`{name}` has no exercises yet: this version of the course has {}; `cargo xtask progress` shows them",
        written.join(", ")
    )
}

/// `--json`: one object per exercise, with the manifest's facts beside the result.
pub fn json(ctx: &Ctx, exercises: &[&Exercise], results: &[ExerciseResult]) -> String {
    let items: Vec<serde_json::Value> = exercises
        .iter()
        .zip(results)
        .map(|(ex, r)| exercise_json(ctx, ex, Some(r), true))
        .collect();
    let passed = results.iter().filter(|r| r.is_passed()).count();
    serde_json::to_string_pretty(&serde_json::json!({
        "exercises": items,
        "passed": passed,
        "total": results.len(),
    }))
    .expect("json serializes")
}

pub fn exercise_json(
    ctx: &Ctx,
    ex: &Exercise,
    result: Option<&ExerciseResult>,
    fresh: bool,
) -> serde_json::Value {
    let files = ctx.manifest.files(ex);
    let mut value = serde_json::json!({
        "id": ex.id,
        "name": ex.file,
        "stage": ex.stage,
        "title": ex.title,
        "roadmap": ex.roadmap,
        "file": files.exercise,
        "test": files.test,
        "checked": result.is_some(),
        "fresh": result.is_some() && fresh,
        "passed": result.is_some_and(|r| r.is_passed() && fresh),
    });
    if let Some(r) = result {
        value["tampered"] = r.tampered.into();
        value["result"] = serde_json::to_value(&r.outcome).expect("outcome serializes");
        compact_failures(&mut value["result"]);
        if !r.milestones.is_empty() {
            value["milestones"] =
                serde_json::to_value(&r.milestones).expect("milestones serialize");
        }
    }
    value
}

/// Tests that fail the same way (every test of an untouched exercise hits the same
/// `todo!()`) are one failure with the other tests' names in `also`, not one copy each.
fn compact_failures(result: &mut serde_json::Value) {
    let Some(failures) = result.get_mut("failures").and_then(|f| f.as_array_mut()) else {
        return;
    };
    let mut compact: Vec<serde_json::Value> = Vec::new();
    for failure in failures.drain(..) {
        let same = compact
            .iter_mut()
            .find(|c| c["message"] == failure["message"] && c["location"] == failure["location"]);
        match same {
            Some(first) => {
                let also = first
                    .as_object_mut()
                    .expect("a failure is an object")
                    .entry("also")
                    .or_insert_with(|| serde_json::json!([]));
                if let Some(list) = also.as_array_mut() {
                    list.push(failure["test"].clone());
                }
            }
            None => compact.push(failure),
        }
    }
    *failures = compact;
}

#[cfg(test)]
mod tests {
    use super::{compact_failures, postgres_said};

    #[test]
    fn identical_failures_are_kept_once_with_the_other_names() {
        let mut result = serde_json::json!({"status": "failing", "failures": [
            {"test": "a", "message": "not yet implemented", "location": "x.rs:1:1"},
            {"test": "b", "message": "assertion failed", "location": "t.rs:9:5"},
            {"test": "c", "message": "not yet implemented", "location": "x.rs:1:1"},
        ]});
        compact_failures(&mut result);
        assert_eq!(
            result,
            serde_json::json!({"status": "failing", "failures": [
                {"test": "a", "message": "not yet implemented", "location": "x.rs:1:1", "also": ["c"]},
                {"test": "b", "message": "assertion failed", "location": "t.rs:9:5"},
            ]})
        );
    }

    #[test]
    fn postgres_errors_read_as_one_line() {
        let message = r#"get_user: Database(PgDatabaseError { severity: Error, code: "42601", message: "syntax error at or near \"users\"", detail: None, position: Some(Original(41)) })"#;
        assert_eq!(
            postgres_said(message).as_deref(),
            Some(r#"syntax error at or near "users" (SQLSTATE 42601)"#)
        );
        assert_eq!(postgres_said("assertion `left == right` failed"), None);
    }
}
