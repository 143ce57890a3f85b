//! The first screen (`cargo xtask`) and `cargo xtask progress`: read from the cache, never
//! a build, so they answer at once. Each screen is worked out first (rows of facts), then
//! drawn.

use std::fmt::Write;

use crate::Ctx;
use crate::manifest::{Exercise, Stage};
use crate::report;
use crate::state::{Known, Standing};
use crate::term::{Style, bar};

/// One roadmap step on the first screen.
struct StepRow<'a> {
    number: usize,
    title: &'a str,
    /// The stages that teach it.
    stages: Vec<&'a str>,
    done: usize,
    total: usize,
}

fn step_rows<'a>(ctx: &'a Ctx, standing: &Standing) -> Vec<StepRow<'a>> {
    ctx.manifest
        .steps
        .iter()
        .enumerate()
        .map(|(i, title)| {
            let number = i + 1;
            let in_step: Vec<&Exercise> = ctx
                .manifest
                .exercises
                .iter()
                .filter(|ex| ctx.manifest.step_of(ex) == number)
                .collect();
            let stages = ctx
                .manifest
                .stages
                .iter()
                .filter(|st| st.step == number || in_step.iter().any(|ex| ex.stage == st.id))
                .map(|st| st.id.as_str())
                .collect();
            StepRow {
                number,
                title,
                stages,
                done: in_step.iter().filter(|ex| standing.passed(ex)).count(),
                total: in_step.len(),
            }
        })
        .collect()
}

/// `cargo xtask` with no command.
pub fn home(ctx: &Ctx) -> String {
    let standing = Standing::load(&ctx.root, &ctx.manifest);
    let s = ctx.style;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        s.bold("backendlings — the Backend Engineer Roadmap, in Rust")
    );
    let _ = writeln!(
        out,
        "{}\n",
        s.dim(
            "Read a lesson, replace the todo!()s, make the tests pass: real HTTP, real services."
        )
    );
    out.push_str(&draw_steps(s, &step_rows(ctx, &standing)));
    out.push('\n');
    out.push_str(&draw_next(ctx, &standing));

    let nothing_checked = ctx
        .manifest
        .exercises
        .iter()
        .all(|ex| matches!(standing.known(ex), Known::NotChecked));
    if nothing_checked {
        let _ = writeln!(
            out,
            "\n{}",
            s.dim("Nothing checked yet. `cargo xtask check stage1` shows where you stand; the first build compiles the dependencies (a minute or so).")
        );
    }
    let _ = writeln!(
        out,
        "\n{}",
        s.dim("More: progress · check [stage|exercise] · watch · hint · solution · reset · doctor — `cargo xtask help`")
    );
    out
}

fn draw_steps(s: Style, rows: &[StepRow]) -> String {
    let width = rows
        .iter()
        .map(|r| r.title.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for row in rows {
        let pad = " ".repeat(width - row.title.chars().count());
        let stages = s.dim(&row.stages.join(", "));
        let (number, title) = (row.number, row.title);
        if row.total == 0 {
            let soon = s.dim("coming soon         ");
            let _ = writeln!(out, "  {number} {title}{pad}  {soon}  {stages}");
            continue;
        }
        let counts = format!("{:>2}/{:<2}", row.done, row.total);
        let bar = bar(row.done, row.total, 12);
        let bar = if row.done == row.total {
            s.green(&bar)
        } else {
            bar
        };
        let _ = writeln!(out, "  {number} {title}{pad}  {bar} {counts}  {stages}");
    }
    out
}

/// The next exercise: what it is, how it went last time, where to open it, how to check it.
fn draw_next(ctx: &Ctx, standing: &Standing) -> String {
    let s = ctx.style;
    let Some(ex) = standing.next() else {
        return format!(
            "{} every exercise has passed. Well done!\n",
            s.green("Done:")
        );
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} — {}",
        s.cyan("Next:"),
        s.bold(&ex.file),
        ex.title
    );
    if let Known::Fresh(r) | Known::Stale(r) = standing.known(ex) {
        let _ = writeln!(out, "  last check  {}", report::label(s, r));
    }
    let files = ctx.manifest.files(ex);
    let _ = writeln!(out, "  open        {}", files.entry.display());
    let _ = writeln!(out, "  check       cargo xtask check {}", ex.file);
    let _ = writeln!(out, "  stuck?      cargo xtask hint {}", ex.file);
    out
}

/// `cargo xtask progress [--json]`.
pub fn run(ctx: &Ctx, json: bool) -> crate::CmdResult {
    println!("{}", progress(ctx, json).trim_end_matches('\n'));
    Ok(0)
}

fn progress(ctx: &Ctx, json: bool) -> String {
    let standing = Standing::load(&ctx.root, &ctx.manifest);
    if json {
        return progress_json(ctx, &standing);
    }
    let s = ctx.style;
    let mut out = String::new();
    let width = ctx
        .manifest
        .exercises
        .iter()
        .map(|e| e.file.len())
        .max()
        .unwrap_or(0);
    for stage in &ctx.manifest.stages {
        let in_stage: Vec<&Exercise> = ctx.manifest.exercises_of(stage).collect();
        out.push_str(&stage_heading(s, stage, &in_stage, &standing));
        if stage.planned {
            continue;
        }
        for ex in in_stage {
            let _ = writeln!(out, "{}", exercise_line(s, ex, &standing, width));
        }
    }
    out.push_str(&legend(s));
    out
}

fn stage_heading(s: Style, stage: &Stage, exercises: &[&Exercise], standing: &Standing) -> String {
    let needs = if stage.services.is_empty() {
        "no services".to_string()
    } else {
        let names: Vec<&str> = stage.services.iter().map(|x| x.name()).collect();
        format!("needs {}", names.join(", "))
    };
    let title = s.bold(&format!("{} · {}", stage.id, stage.title));
    if stage.planned || exercises.is_empty() {
        return format!("{title} {}\n", s.dim(&format!("— coming soon ({needs})")));
    }
    let done = exercises.iter().filter(|ex| standing.passed(ex)).count();
    format!(
        "{title}  {} {done}/{}  {}\n",
        bar(done, exercises.len(), 12),
        exercises.len(),
        s.dim(&format!("({needs})"))
    )
}

fn exercise_line(s: Style, ex: &Exercise, standing: &Standing, width: usize) -> String {
    let (mark, label) = match standing.known(ex) {
        Known::NotChecked => (s.dim("·"), s.dim("not checked yet")),
        Known::Fresh(r) => (report::mark(s, r), report::label(s, r)),
        Known::Stale(r) => (
            s.yellow("~"),
            s.yellow(&format!(
                "changed since the last check (was: {})",
                r.outcome.label()
            )),
        ),
    };
    format!("  {mark} {:width$}  {label}", ex.file)
}

fn legend(s: Style) -> String {
    format!(
        "\n{}\n",
        s.dim("✓ passed  ✗ failing  ~ changed, re-check  · not checked  - needs a service  ? test file changed\n`cargo xtask check <stage|exercise>` runs the tests; this screen only shows their last results.")
    )
}

fn progress_json(ctx: &Ctx, standing: &Standing) -> String {
    let stages: Vec<serde_json::Value> = ctx
        .manifest
        .stages
        .iter()
        .map(|stage| {
            let exercises: Vec<serde_json::Value> = ctx
                .manifest
                .exercises_of(stage)
                .map(|ex| match standing.known(ex) {
                    Known::NotChecked => report::exercise_json(ctx, ex, None, false),
                    Known::Fresh(r) => report::exercise_json(ctx, ex, Some(r), true),
                    Known::Stale(r) => report::exercise_json(ctx, ex, Some(r), false),
                })
                .collect();
            let passed = exercises.iter().filter(|e| e["passed"] == true).count();
            serde_json::json!({
                "id": stage.id,
                "dir": stage.dir,
                "title": stage.title,
                "planned": stage.planned,
                "services": stage.services.iter().map(|s| s.id()).collect::<Vec<_>>(),
                "passed": passed,
                "total": exercises.len(),
                "exercises": exercises,
            })
        })
        .collect();
    // `course` sorts before `stages` (serde_json keeps keys sorted): the summary comes first.
    let written: Vec<&Exercise> = ctx
        .manifest
        .written_stages()
        .flat_map(|st| ctx.manifest.exercises_of(st))
        .collect();
    let course = serde_json::json!({
        "passed": written.iter().filter(|ex| standing.passed(ex)).count(),
        "total": written.len(),
        "next": standing.next().map(|ex| ex.file.as_str()),
    });
    serde_json::to_string_pretty(&serde_json::json!({ "course": course, "stages": stages }))
        .expect("json serializes")
}
