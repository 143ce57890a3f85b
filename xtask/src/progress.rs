//! The first screen (`cargo xtask`) and `cargo xtask progress`: read from the cache, never
//! a build, so they answer at once.

use std::fmt::Write;

use crate::Ctx;
use crate::manifest::{Exercise, Stage};
use crate::report;
use crate::state::{self, Known, State};
use crate::term::{Style, bar};

/// What is known about every exercise, in course order.
fn known_all<'a>(ctx: &'a Ctx, state: &'a State) -> Vec<(&'a Exercise, Known<'a>)> {
    ctx.manifest
        .exercises
        .iter()
        .map(|ex| {
            let hash = state::exercise_hash(&ctx.root, ctx.manifest.stage_of(ex), ex);
            (ex, state.known(&ex.id, &hash))
        })
        .collect()
}

fn is_done(known: &Known) -> bool {
    matches!(known, Known::Fresh(r) if r.is_passed())
}

/// The first exercise, in course order, that has not passed as it stands now.
pub fn next_exercise<'a>(ctx: &'a Ctx, state: &State) -> Option<&'a Exercise> {
    ctx.manifest.exercises.iter().find(|ex| {
        let hash = state::exercise_hash(&ctx.root, ctx.manifest.stage_of(ex), ex);
        !is_done(&state.known(&ex.id, &hash))
    })
}

/// `cargo xtask` with no command.
pub fn home(ctx: &Ctx) -> String {
    let s = ctx.style;
    let state = State::load(&ctx.root);
    let known = known_all(ctx, &state);
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

    let name_width = ctx
        .manifest
        .steps
        .iter()
        .map(|t| t.chars().count())
        .max()
        .unwrap_or(0);
    for (i, title) in ctx.manifest.steps.iter().enumerate() {
        let step = i + 1;
        let in_step: Vec<&(&Exercise, Known)> = known
            .iter()
            .filter(|(ex, _)| ctx.manifest.step_of(ex) == step)
            .collect();
        let stages: Vec<&Stage> = ctx
            .manifest
            .stages
            .iter()
            .filter(|st| st.step == step || in_step.iter().any(|(ex, _)| ex.stage == st.id))
            .collect();
        let stage_ids: Vec<&str> = stages.iter().map(|st| st.id.as_str()).collect();
        let pad = name_width - title.chars().count();
        if in_step.is_empty() {
            let _ = writeln!(
                out,
                "  {step} {title}{}  {}  {}",
                " ".repeat(pad),
                s.dim("coming soon         "),
                s.dim(&stage_ids.join(", "))
            );
            continue;
        }
        let done = in_step.iter().filter(|(_, k)| is_done(k)).count();
        let total = in_step.len();
        let counts = format!("{done:>2}/{total:<2}");
        let bar = bar(done, total, 12);
        let bar = if done == total { s.green(&bar) } else { bar };
        let _ = writeln!(
            out,
            "  {step} {title}{}  {bar} {counts}  {}",
            " ".repeat(pad),
            s.dim(&stage_ids.join(", "))
        );
    }
    out.push('\n');

    let nothing_checked = known.iter().all(|(_, k)| matches!(k, Known::NotChecked));
    match next_exercise(ctx, &state) {
        Some(ex) => {
            let paths = ex.paths(ctx.manifest.stage_of(ex));
            let _ = writeln!(
                out,
                "{} {} — {}",
                s.cyan("Next:"),
                s.bold(&ex.file),
                ex.title
            );
            if let Some((_, Known::Fresh(r) | Known::Stale(r))) =
                known.iter().find(|(e, _)| e.id == ex.id)
            {
                let _ = writeln!(out, "  last check  {}", report::label(s, r));
            }
            let _ = writeln!(out, "  open        {}", paths.exercise.display());
            let _ = writeln!(out, "  check       cargo xtask check {}", ex.file);
            let _ = writeln!(out, "  stuck?      cargo xtask hint {}", ex.file);
        }
        None => {
            let _ = writeln!(
                out,
                "{} every exercise has passed. Well done!",
                s.green("Done:")
            );
        }
    }
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

/// `cargo xtask progress`.
pub fn progress(ctx: &Ctx, json: bool) -> String {
    let state = State::load(&ctx.root);
    let known = known_all(ctx, &state);
    if json {
        return progress_json(ctx, &known);
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
        let needs = if stage.services.is_empty() {
            "no services".to_string()
        } else {
            let names: Vec<&str> = stage.services.iter().map(|x| x.name()).collect();
            format!("needs {}", names.join(", "))
        };
        let in_stage: Vec<&(&Exercise, Known)> = known
            .iter()
            .filter(|(ex, _)| ex.stage == stage.id)
            .collect();
        if stage.planned || in_stage.is_empty() {
            let _ = writeln!(
                out,
                "{} {}",
                s.bold(&format!("{} · {}", stage.id, stage.title)),
                s.dim(&format!("— coming soon ({needs})"))
            );
            continue;
        }
        let done = in_stage.iter().filter(|(_, k)| is_done(k)).count();
        let _ = writeln!(
            out,
            "{}  {} {done}/{}  {}",
            s.bold(&format!("{} · {}", stage.id, stage.title)),
            bar(done, in_stage.len(), 12),
            in_stage.len(),
            s.dim(&format!("({needs})"))
        );
        for (ex, k) in in_stage {
            let line = match k {
                Known::NotChecked => format!(
                    "  {} {:width$}  {}",
                    s.dim("·"),
                    ex.file,
                    s.dim("not checked yet")
                ),
                Known::Fresh(r) => format!(
                    "  {} {:width$}  {}",
                    report::mark(s, r),
                    ex.file,
                    report::label(s, r)
                ),
                Known::Stale(r) => format!(
                    "  {} {:width$}  {}",
                    s.yellow("~"),
                    ex.file,
                    s.yellow(&format!(
                        "changed since the last check (was: {})",
                        r.outcome.label()
                    ))
                ),
            };
            let _ = writeln!(out, "{line}");
        }
    }
    out.push_str(&legend(s));
    out
}

fn legend(s: Style) -> String {
    format!(
        "\n{}\n",
        s.dim("✓ passed  ✗ failing  ~ changed, re-check  · not checked  - needs a service  ? test file changed\n`cargo xtask check <stage|exercise>` runs the tests; this screen only shows their last results.")
    )
}

fn progress_json(ctx: &Ctx, known: &[(&Exercise, Known)]) -> String {
    let stages: Vec<serde_json::Value> = ctx
        .manifest
        .stages
        .iter()
        .map(|stage| {
            let exercises: Vec<serde_json::Value> = known
                .iter()
                .filter(|(ex, _)| ex.stage == stage.id)
                .map(|(ex, k)| match k {
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
    serde_json::to_string_pretty(&serde_json::json!({ "stages": stages })).expect("json serializes")
}
