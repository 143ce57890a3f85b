//! End-to-end tests of directory exercises on the fixture course (`common`): `06_app` is an
//! app of two modules in three milestones, with a binary a learner can run.

mod common;

use std::path::PathBuf;

use common::*;

#[test]
fn check_shows_each_milestone_and_the_first_unfinished_one_in_full() {
    let course = course_with_app("milestones");
    course.write("stage1-demo/exercises/06_app/math.rs", APP_MATH_ADD_ONLY);
    let out = course.xtask(&["check", "06_app"]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert_eq!(
        line_of(&report, "06_app"),
        "✗ 06_app milestone 2/3 multiplying: 0/1 tests pass (2/4 in all)"
    );
    assert!(
        report.contains(
            "  ✓ milestone 1/3 adding       2/2 tests\n  ✗ milestone 2/3 multiplying  0/1 tests  ← the one to work on\n  · milestone 3/3 greeting     0/1 tests\n"
        ),
        "{report}"
    );
    // The failure shown is the first of the unfinished milestone, not the greeting's.
    assert!(
        report.contains("failed: mul::multiplies_two_numbers"),
        "{report}"
    );
    assert!(
        report.contains("Next: replace the todo!() at stage1-demo/exercises/06_app/math.rs:6:5"),
        "{report}"
    );

    let json: serde_json::Value =
        serde_json::from_slice(&course.xtask(&["check", "06_app", "--json"]).stdout).unwrap();
    assert_eq!(
        json["exercises"][0]["milestones"],
        serde_json::json!([
            { "title": "adding", "passed": 2, "total": 2 },
            { "title": "multiplying", "passed": 0, "total": 1 },
            { "title": "greeting", "passed": 0, "total": 1 },
        ])
    );
    assert_eq!(json["exercises"][0]["file"], "stage1-demo/exercises/06_app");
}

#[test]
fn a_compile_error_in_a_submodule_is_reported_at_its_own_file_and_line() {
    let course = course_with_app("submodule-error");
    course.write(
        "stage1-demo/exercises/06_app/math.rs",
        "pub fn add(a: u32, b: u32) -> u32 {\n    a +\n}\n\npub fn mul(a: u32, b: u32) -> u32 {\n    a * b\n}\n",
    );
    let out = course.xtask(&["check", "06_app"]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert_eq!(line_of(&report, "06_app"), "✗ 06_app compile error");
    assert!(
        report.contains("--> stage1-demo/exercises/06_app/math.rs:3:1"),
        "{report}"
    );
    assert!(
        report.contains("Next: fix the compile error at stage1-demo/exercises/06_app/math.rs:3:1"),
        "{report}"
    );
}

#[test]
fn a_file_the_learner_adds_counts_and_reset_restores_the_whole_directory() {
    let course = course_with_app("added-file");
    course.commit_all("course");
    let starter_mod = course.read("stage1-demo/exercises/06_app/mod.rs");

    // The learner solves the app with a module of their own.
    let my_mod = APP_MOD
        .replace("pub mod math;", "pub mod math;\nmod words;")
        .replace("todo!(\"greet {name}\")", "words::hello(name)");
    course.write("stage1-demo/exercises/06_app/mod.rs", &my_mod);
    course.write(
        "stage1-demo/exercises/06_app/words.rs",
        "pub fn hello(name: &str) -> String {\n    format!(\"hello, {name}\")\n}\n",
    );
    course.write("stage1-demo/exercises/06_app/math.rs", APP_MATH_SOLVED);
    let report = stdout(&course.xtask(&["check", "06_app"]));
    assert_eq!(line_of(&report, "06_app"), "✓ 06_app passed (4 tests)");

    // Changing only the added file makes the result stale: it is part of the exercise.
    course.write(
        "stage1-demo/exercises/06_app/words.rs",
        "pub fn hello(name: &str) -> String {\n    format!(\"hi, {name}\")\n}\n",
    );
    let progress = stdout(&course.xtask(&["progress"]));
    assert!(progress.contains("~ 06_app"), "{progress}");

    let out = course.xtask(&["reset", "06_app"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        course.read("stage1-demo/exercises/06_app/mod.rs"),
        starter_mod
    );
    assert_eq!(
        course.read("stage1-demo/exercises/06_app/math.rs"),
        APP_MATH
    );
    assert!(
        !course
            .root
            .join("stage1-demo/exercises/06_app/words.rs")
            .exists()
    );

    // The backup holds the learner's whole directory, the added file included.
    let backups: Vec<PathBuf> = std::fs::read_dir(course.root.join(".backups/stage1-demo"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    let backup = &backups[0];
    assert_eq!(
        std::fs::read_to_string(backup.join("mod.rs")).unwrap(),
        my_mod
    );
    assert_eq!(
        std::fs::read_to_string(backup.join("math.rs")).unwrap(),
        APP_MATH_SOLVED
    );
    assert!(
        std::fs::read_to_string(backup.join("words.rs"))
            .unwrap()
            .contains("hi, {name}")
    );
    let saved = backup.strip_prefix(&course.root).unwrap().display();
    assert!(
        stdout(&out).contains(&format!(
            "To bring it back: `cp -r {saved}/. stage1-demo/exercises/06_app/`"
        )),
        "{}",
        stdout(&out)
    );

    let again = stdout(&course.xtask(&["reset", "06_app"]));
    assert!(again.contains("already the starter"), "{again}");
}

#[test]
fn a_changed_milestone_file_is_reported_and_never_counts() {
    let course = course_with_app("tamper-milestone");
    course.write("stage1-demo/exercises/06_app/math.rs", APP_MATH_SOLVED);
    course.write(
        "stage1-demo/tests/06_app/02_mul.rs",
        "#[test]\nfn multiplies_two_numbers() {}\n",
    );
    let out = course.xtask(&["check", "06_app"]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        line_of(&report, "06_app").ends_with("test file changed, not counted"),
        "{report}"
    );
    assert!(
        report.contains("git checkout -- stage1-demo/tests/06_app"),
        "{report}"
    );
}

#[test]
fn the_app_runs_with_cargo_run_and_checks_never_build_it() {
    let course = course_with_app("bin");
    course.xtask(&["check", "06_app"]);
    assert!(
        !course.root.join("target/debug/app").exists(),
        "a check built the app binary"
    );
    let out = std::process::Command::new(env!("CARGO"))
        .args(["run", "-q", "-p", "stage1-demo", "--bin", "app"])
        .current_dir(&course.root)
        .env("CARGO_TARGET_DIR", course.root.join("target"))
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "demo app is running\n", "{}", stderr(&out));
}

#[test]
fn the_solution_of_a_directory_exercise_prints_each_file() {
    let course = course_with_app("solution-dir");
    let out = course.xtask(&["solution", "06_app", "--force"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        text.contains(
            "// The reference solution, solutions/stage1-demo/06_app/math.rs\npub fn add"
        ),
        "{text}"
    );
    assert!(
        text.contains("// The reference solution, solutions/stage1-demo/06_app/mod.rs\n"),
        "{text}"
    );
}

#[test]
fn verify_checks_the_milestones_and_builds_the_app_both_ways() {
    let course = course_with_app("verify-dir");
    let report = stdout(&course.xtask(&["verify"]));
    for line in [
        "ok   stage1: files match the manifest",
        "ok   06_app: 3 milestones declared",
        "ok   06_app: its app is declared as `--bin app`",
        "ok   06_app starter: failing: 0/4 tests pass",
        "ok   06_app solution: passed (4 tests)",
        "ok   06_app: `--bin app` builds (starter)",
        "ok   06_app: `--bin app` builds (solution)",
    ] {
        assert!(report.contains(line), "no {line:?} in:\n{report}");
    }

    // A milestone main.rs forgets to declare is caught.
    let main = course.read("stage1-demo/tests/06_app/main.rs");
    course.write(
        "stage1-demo/tests/06_app/main.rs",
        &main.replace("#[path = \"03_greet.rs\"]\nmod greet;\n", ""),
    );
    let report = stdout(&course.xtask(&["verify", "stage1"]));
    assert!(
        report.contains(
            "FAIL 06_app: 3 milestones declared: stage1-demo/tests/06_app/main.rs does not declare the milestone `greeting`"
        ),
        "{report}"
    );
}

#[test]
fn watch_notices_a_new_file_in_the_directory() {
    let course = course_with_app("watch-dir");
    let watch = Watch::start(&course, "06_app");
    watch.wait_for("06_app  milestone 1/3 adding");
    watch.wait_for("watching:");
    // A new file alone, not yet used by any module, is a change worth a new check.
    course.write("stage1-demo/exercises/06_app/notes.rs", "// my notes\n");
    watch.wait_for("06_app  milestone 1/3 adding");
    watch.wait_for("watching:");
    assert_eq!(watch.quit(), Some(1));
}
