//! End-to-end tests of the runner on the fixture course (`common`): what a learner sees when
//! exercises pass, fail, do not compile, hang, need a service, or are tampered with.

mod common;

use std::path::PathBuf;

use common::*;

#[test]
fn check_reports_every_exercise_even_when_one_does_not_compile() {
    let course = course("stage");
    let out = course.xtask(&["check", "stage1"]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert_eq!(line_of(&report, "01_pass"), "✓ 01_pass passed (1 tests)");
    assert_eq!(
        line_of(&report, "02_fail"),
        "✗ 02_fail failing: 1/2 tests pass"
    );
    assert_eq!(
        line_of(&report, "03_todo"),
        "✗ 03_todo failing: 0/1 tests pass"
    );
    assert_eq!(line_of(&report, "04_broken"), "✗ 04_broken compile error");
    assert_eq!(line_of(&report, "05_hang"), "✗ 05_hang timed out after 2 s");
    assert!(report.contains("1 of 5 exercises passed"), "{report}");
    // The compile error the learner just made is shown first, in full, whatever its place.
    assert!(report.contains("04_broken — Does not compile"), "{report}");
    assert!(
        report.contains("Next: fix the compile error at stage1-demo/exercises/04_broken.rs:3:1"),
        "{report}"
    );
}

#[test]
fn a_failing_test_is_shown_in_full_with_the_next_step() {
    let course = course("failing");
    let out = course.xtask(&["check", "02_fail"]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("1 of 2 tests pass"), "{report}");
    assert!(report.contains("failed: adds_two_numbers"), "{report}");
    assert!(report.contains("left: 1"), "{report}");
    assert!(
        report.contains("Next: the failing test is in stage1-demo/tests/02_fail.rs"),
        "{report}"
    );
}

#[test]
fn one_exercise_shows_its_compile_error_with_file_and_line() {
    let course = course("compile");
    let out = course.xtask(&["check", "04_broken"]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        report.contains("stage1-demo/exercises/04_broken.rs:3:1"),
        "{report}"
    );
    assert!(
        report.contains("Next: fix the compile error at stage1-demo/exercises/04_broken.rs:3:1"),
        "{report}"
    );
}

#[test]
fn a_todo_points_at_the_line_to_edit() {
    let course = course("todo");
    let report = stdout(&course.xtask(&["check", "todo"]));
    assert!(
        report.contains("not yet implemented: add the numbers"),
        "{report}"
    );
    assert!(
        report.contains("Next: replace the todo!() at stage1-demo/exercises/03_todo.rs:2:5"),
        "{report}"
    );
}

#[test]
fn a_hanging_test_is_stopped_and_named() {
    let course = course("hang");
    let started = std::time::Instant::now();
    let out = course.xtask(&["check", "stage1/05"]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        report.contains("the tests were stopped after 2 s; 0 of 1 had passed"),
        "{report}"
    );
    assert!(
        report.contains("still running when stopped: adds_two_numbers"),
        "{report}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}

#[test]
fn a_changed_test_file_is_reported_and_never_counts_as_passed() {
    let course = course("tamper");
    let test = course.read("stage1-demo/tests/01_pass.rs");
    course.write(
        "stage1-demo/tests/01_pass.rs",
        &format!("{test}\n// made easier\n"),
    );
    let out = course.xtask(&["check", "01_pass"]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert_eq!(
        line_of(&report, "01_pass"),
        "? 01_pass passed (1 tests); test file changed, not counted"
    );
    assert!(
        report.contains("git checkout -- stage1-demo/tests/01_pass.rs"),
        "{report}"
    );
}

#[test]
fn a_panicking_build_script_is_reported_for_every_exercise() {
    let course = course("buildrs");
    course.write(
        "stage1-demo/build.rs",
        "fn main() {\n    panic!(\"boom from the build script\");\n}\n",
    );
    let out = course.xtask(&["check", "stage1"]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    for (stem, _, _) in EXERCISES {
        assert_eq!(line_of(&report, stem), format!("✗ {stem} build failed"));
    }
    assert!(report.contains("boom from the build script"), "{report}");
}

#[test]
fn unknown_names_are_usage_errors_with_suggestions() {
    let course = course("names");
    let out = course.xtask(&["check", "pas"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: no stage or exercise is called `pas`; did you mean `01_pass`?\n"
    );
    let out = course.xtask(&["chek"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: unknown command `chek`; did you mean `check`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn works_from_a_sub_folder_and_prints_plain_text_when_piped() {
    let course = course("subdir");
    let out = course.xtask_in(
        &course.root.join("stage1-demo/exercises"),
        &["check", "01_pass"],
    );
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(
        !report.contains('\x1b'),
        "piped output must not carry colour codes: {report:?}"
    );
}

#[test]
fn progress_and_the_first_screen_come_from_the_last_check() {
    let course = course("progress");
    let first = stdout(&course.xtask(&[]));
    assert!(first.contains("Nothing checked yet"), "{first}");
    assert!(first.contains("Next: 01_pass"), "{first}");

    course.xtask(&["check", "stage1"]);
    let first = stdout(&course.xtask(&[]));
    assert!(first.contains("1/5"), "{first}");
    assert!(first.contains("Next: 02_fail"), "{first}");
    assert!(
        first.contains("open        stage1-demo/exercises/02_fail.rs"),
        "{first}"
    );

    let json: serde_json::Value =
        serde_json::from_slice(&course.xtask(&["progress", "--json"]).stdout).unwrap();
    let pass = &json["stages"][0]["exercises"][0];
    assert_eq!(
        (pass["name"].as_str(), pass["passed"].as_bool()),
        (Some("01_pass"), Some(true))
    );

    // An edit makes the cached result stale: it no longer counts until checked again.
    let body = course.read("stage1-demo/exercises/01_pass.rs");
    course.write(
        "stage1-demo/exercises/01_pass.rs",
        &format!("{body}// edited\n"),
    );
    let progress = stdout(&course.xtask(&["progress"]));
    assert!(progress.contains("~ 01_pass"), "{progress}");
    assert!(
        progress.contains("changed since the last check (was: passed (1 tests))"),
        "{progress}"
    );
}

#[test]
fn hints_come_one_at_a_time_then_all() {
    let course = course("hints");
    assert!(
        stdout(&course.xtask(&["hint", "pass"]))
            .contains("Hint 1 of 2 for 01_pass:\n   first hint")
    );
    assert!(
        stdout(&course.xtask(&["hint", "pass"]))
            .contains("Hint 2 of 2 for 01_pass:\n   second hint")
    );
    let all = stdout(&course.xtask(&["hint", "pass"]));
    assert!(
        all.contains("All 2 hints for 01_pass:\n1. first hint\n2. second hint"),
        "{all}"
    );
}

#[test]
fn the_solution_waits_until_the_exercise_passes() {
    let course = course("solution");
    let out = course.xtask(&["solution", "01_pass"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("01_pass has not passed yet"));
    course.xtask(&["check", "01_pass"]);
    let out = course.xtask(&["solution", "01_pass"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("pub fn add(a: u32, b: u32) -> u32"));
    assert_eq!(
        course
            .xtask(&["solution", "02_fail", "--force"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn reset_keeps_a_backup_and_restores_the_starter_from_git() {
    let course = course("reset");
    course.commit_all("course");
    let starter = course.read("stage1-demo/exercises/03_todo.rs");
    let mine = "pub fn add(a: u32, b: u32) -> u32 {\n    a * b // my attempt\n}\n";
    course.write("stage1-demo/exercises/03_todo.rs", mine);
    // Even a learner's commit on top does not hide the starter.
    course.commit_all("my work");

    let out = course.xtask(&["reset", "03_todo"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(course.read("stage1-demo/exercises/03_todo.rs"), starter);
    let backups: Vec<PathBuf> = std::fs::read_dir(course.root.join(".backups/stage1-demo"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(std::fs::read_to_string(&backups[0]).unwrap(), mine);
    let saved = backups[0].strip_prefix(&course.root).unwrap().display();
    assert!(
        stdout(&out).contains(&format!(
            "To bring it back: `cp {saved} stage1-demo/exercises/03_todo.rs`"
        )),
        "{}",
        stdout(&out)
    );

    let again = stdout(&course.xtask(&["reset", "03_todo"]));
    assert!(again.contains("already the starter"), "{again}");
}

#[test]
fn verify_fails_when_a_starter_passes_or_a_solution_fails() {
    let course = course("verify");
    let out = course.xtask(&["verify"]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains("FAIL 01_pass starter: passed (1 tests)"),
        "{report}"
    );
    assert!(
        report.contains("ok   03_todo starter: failing: 0/1 tests pass"),
        "{report}"
    );
    assert!(
        report.contains("FAIL 05_hang starter: timed out after 2 s"),
        "{report}"
    );
    assert!(
        report.contains("ok   01_pass solution: passed (1 tests)"),
        "{report}"
    );
    let last = report.lines().last().unwrap();
    assert!(
        last.starts_with("verify: ") && last.ends_with(" failed"),
        "{last}"
    );
}

#[test]
fn watch_checks_again_when_the_exercise_is_saved_and_quits_on_q() {
    let course = course("watch");
    let watch = Watch::start(&course, "02_fail");

    watch.wait_for("02_fail  failing: 1/2 tests pass");
    watch.wait_for("watching:");
    course.write(
        "stage1-demo/exercises/02_fail.rs",
        "pub fn add(a: u32, b: u32) -> u32 {\n    a + b\n}\n",
    );
    watch.wait_for("02_fail  passed (2 tests)");
    watch.wait_for("watching:");
    assert_eq!(watch.quit(), Some(0));
}

#[test]
fn an_exercise_whose_service_is_missing_says_what_to_start() {
    let course = course("service");
    let manifest = course.read("xtask/curriculum.toml").replace(
        "file = \"01_pass\"",
        "file = \"01_pass\"\nservices = [\"redis\"]",
    );
    course.write("xtask/curriculum.toml", &manifest);
    course.write(
        ".env",
        &format!("REDIS_URL=redis://127.0.0.1:{}\n", closed_port()),
    );

    let out = course.xtask_without_services(&["check", "01_pass"]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert_eq!(line_of(&report, "01_pass"), "- 01_pass needs Redis");
    assert!(
        report.contains("Redis is not reachable: start Redis"),
        "{report}"
    );
    assert!(
        report.contains("Next: start the service as above; `cargo xtask doctor` checks them all"),
        "{report}"
    );

    let doctor = stdout(&course.xtask_without_services(&["doctor"]));
    assert!(
        doctor.contains("✗ Redis not reachable at 127.0.0.1:"),
        "{doctor}"
    );
    assert!(doctor.contains("(REDIS_URL in .env)"), "{doctor}");
}

#[test]
fn a_service_that_goes_away_during_the_run_is_reported_as_needed() {
    let course = course("gone");
    let manifest = course.read("xtask/curriculum.toml").replace(
        "file = \"02_fail\"",
        "file = \"02_fail\"\nservices = [\"redis\"]",
    );
    course.write("xtask/curriculum.toml", &manifest);
    // The exercise's test waits until the service is gone, then fails, as a test does whose
    // database stopped answering.
    let marker = course.root.join("service-gone");
    course.write(
        "stage1-demo/tests/02_fail.rs",
        &format!(
            "#[test]\nfn talks_to_the_service() {{\n    let marker = std::path::Path::new({marker:?});\n    \
             for _ in 0..200 {{\n        if marker.exists() {{ panic!(\"connection refused\"); }}\n        \
             std::thread::sleep(std::time::Duration::from_millis(50));\n    }}\n}}\n"
        ),
    );
    assert!(course.xtask(&["bless"]).status.success());

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    course.write(".env", &format!("REDIS_URL=redis://127.0.0.1:{port}\n"));
    let root = course.root.clone();
    let check = std::thread::spawn(move || {
        without_services(runner(&root, &["check", "02_fail"]))
            .output()
            .unwrap()
    });
    // The runner's probe before the run is the one connection: then the service goes away.
    let _probe = listener.accept().unwrap();
    drop(listener);
    std::fs::write(&marker, "").unwrap();

    let out = check.join().unwrap();
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert_eq!(line_of(&report, "02_fail"), "- 02_fail needs Redis");
}

#[test]
fn a_long_build_shows_how_far_it_got_even_when_piped() {
    let course = course("slow-build");
    // A build script that takes a while stands in for a first build's dependencies.
    course.write(
        "stage1-demo/build.rs",
        "fn main() {\n    std::thread::sleep(std::time::Duration::from_secs(4));\n}\n",
    );
    let out = course.xtask(&["check", "01_pass"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let progress = stderr(&out);
    assert!(
        progress.contains("  building stage1-demo: "),
        "no progress in: {progress:?}"
    );
    assert!(progress.contains("crates compiled ("), "{progress:?}");
    // Piped output is plain lines, never a line rewritten in place.
    assert!(!progress.contains('\r'), "{progress:?}");
    // The report itself stays on stdout, free of progress.
    assert!(!stdout(&out).contains("building stage1-demo"));
}

#[test]
fn after_a_pass_next_is_the_following_exercise_not_the_first_unfinished_one() {
    let course = course("next-after");
    course.xtask(&["check", "stage1"]);
    course.write(
        "stage1-demo/exercises/03_todo.rs",
        "pub fn add(a: u32, b: u32) -> u32 {\n    a + b\n}\n",
    );
    let report = stdout(&course.xtask(&["check", "03_todo"]));
    assert!(
        report.contains(
            "Done: 03_todo passed. Next exercise: stage1-demo/exercises/04_broken.rs — `cargo xtask check 04_broken`"
        ),
        "{report}"
    );
}

#[test]
fn progress_json_gives_the_summary_first_and_each_failure_once() {
    let course = course("json");
    course.write(
        "stage1-demo/tests/03_todo.rs",
        &format!(
            "{}\n#[test]\nfn adds_again() {{\n    assert_eq!(add(2, 2), 4);\n}}\n",
            course.read("stage1-demo/tests/03_todo.rs")
        ),
    );
    assert!(course.xtask(&["bless"]).status.success());
    course.xtask(&["check", "stage1"]);
    let text = stdout(&course.xtask(&["progress", "--json"]));
    assert!(text.starts_with("{\n  \"course\": {"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        json["course"],
        serde_json::json!({"passed": 1, "total": 5, "next": "02_fail"})
    );
    // Both tests of 03_todo hit the same todo!(): one failure, the other test named in it.
    let todo = &json["stages"][0]["exercises"][2];
    assert_eq!(todo["name"], "03_todo");
    let failures = todo["result"]["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0]["also"], serde_json::json!(["adds_again"]));
}

/// What `testkit::http` prints when a check fails (copied from a real run, port and date
/// fixed): the runner must show all of it, request and response, under the failing test.
const TRANSCRIPT: &str = r#"expected status 201 Created, got 422 Unprocessable Entity

> POST http://127.0.0.1:33205/users
> content-type: application/json
>
> {
>   "name": "Ada Lovelace, Countess of Lovelace, mathematician",
>   "role": "admin"
> }

< HTTP/1.1 422 Unprocessable Entity
< content-type: application/json
< content-length: 101
<
< {
<   "error": "validation failed",
<   "fields": {
<     "name": "must be at most 40 characters",
<     "email": "is required"
<   }
< }"#;

#[test]
fn a_failing_http_check_shows_the_whole_exchange() {
    let course = course("transcript");
    // A long body, as a real API sends: the transcript is still shown whole.
    let padding: String = (0..60)
        .map(|i| format!("<   \"line {i}\": {i},\n"))
        .collect();
    let transcript = TRANSCRIPT.replace(
        "<   \"fields\": {\n",
        &format!("{padding}<   \"fields\": {{\n"),
    );
    course.write(
        "stage1-demo/tests/02_fail.rs",
        &format!(
            "#[test]\nfn creating_a_user_answers_201() {{\n    panic!(\"{{}}\", {transcript:?});\n}}\n"
        ),
    );
    assert!(course.xtask(&["bless"]).status.success());
    let report = stdout(&course.xtask(&["check", "02_fail"]));
    let shown: String = report
        .lines()
        .skip_while(|l| !l.contains("expected status 201 Created"))
        .take(transcript.lines().count())
        .map(|l| format!("{}\n", l.strip_prefix("    ").unwrap_or(l)))
        .collect();
    assert_eq!(shown.trim_end(), transcript, "in:\n{report}");
    assert!(
        report
            .contains("failed: creating_a_user_answers_201\n  at stage1-demo/tests/02_fail.rs:3:5"),
        "{report}"
    );
}

#[test]
fn kept_mistakes_must_fail_and_the_reference_is_put_back() {
    let course = course("mistakes");
    let reference = course.read("solutions/stage1-demo/03_todo.rs");
    // Each mistake is the change it makes to the reference, as `diff -u` writes it.
    let patch = |what: &str, line: &str| {
        format!(
            "mistake: {what}\n\n--- a/03_todo.rs\n+++ b/03_todo.rs\n@@ -1,3 +1,3 @@\n \
             pub fn add(a: u32, b: u32) -> u32 {{\n-    a + b\n+    {line}\n }}\n"
        )
    };
    course.write(
        "solutions/stage1-demo/mistakes/03_todo/multiplies.patch",
        &patch("multiplies instead of adding", "a * b"),
    );
    course.write(
        "solutions/stage1-demo/mistakes/03_todo/wrapping.patch",
        &patch(
            "adds with wrapping, which these tests cannot tell apart",
            "a.wrapping_add(b)",
        ),
    );
    course.write(
        "solutions/stage1-demo/mistakes/03_todo/stale.patch",
        &patch("cut from a reference that has changed since", "a - b")
            .replace("-    a + b", "-    b + a"),
    );
    let out = course.xtask(&["mistakes", "03_todo"]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains(
            "ok   03_todo / multiplies (multiplies instead of adding): caught by adds_two_numbers"
        ),
        "{report}"
    );
    assert!(
        report.contains("FAIL 03_todo / wrapping (adds with wrapping, which these tests cannot tell apart): passes all 1 tests: add the test that catches it"),
        "{report}"
    );
    assert!(
        report.contains("FAIL 03_todo / stale (cut from a reference that has changed since): its change at line 1 no longer applies to 03_todo.rs"),
        "{report}"
    );
    assert!(report.contains("mistakes: 1 caught, 2 not"), "{report}");
    assert_eq!(course.read("solutions/stage1-demo/03_todo.rs"), reference);

    // A run killed while a mistake stood in leaves the reference saved: the next run puts
    // it back before anything else.
    // (A process id no process has: the run that saved it is over.)
    let saved = "target/backendlings/mistake-swap/4000000000/solutions/stage1-demo/03_todo.rs";
    course.write(saved, &reference);
    course.write(
        "solutions/stage1-demo/03_todo.rs",
        "pub fn add(a: u32, b: u32) -> u32 {\n    a * b\n}\n",
    );
    course.xtask(&["mistakes", "03_todo"]);
    assert_eq!(course.read("solutions/stage1-demo/03_todo.rs"), reference);
    assert!(!course.root.join(saved).exists());
}
