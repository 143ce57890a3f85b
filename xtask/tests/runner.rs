//! End-to-end tests of the runner: each test writes a tiny course (one std-only stage with an
//! exercise that passes, one that fails, a todo!(), a syntax error and a test that hangs) to a
//! temporary folder, points the real `xtask` binary at it with `BACKENDLINGS_ROOT`, and reads
//! what a learner would see.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Course {
    root: PathBuf,
}

impl Drop for Course {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

const MANIFEST: &str = r#"
steps = ["Fundamentals"]

[[stage]]
id = "stage1"
dir = "stage1-demo"
title = "Demo"
step = 1
summary = "a course for testing the runner"

[[exercise]]
id = "pass"
stage = "stage1"
file = "01_pass"
title = "Passes"
roadmap = "HTTP"
hints = ["first hint", "second hint"]

[[exercise]]
id = "fail"
stage = "stage1"
file = "02_fail"
title = "Fails one of two"
roadmap = "HTTP"
hints = ["a", "b"]

[[exercise]]
id = "todo"
stage = "stage1"
file = "03_todo"
title = "Still a todo"
roadmap = "HTTP"
hints = ["a", "b"]

[[exercise]]
id = "broken"
stage = "stage1"
file = "04_broken"
title = "Does not compile"
roadmap = "HTTP"
hints = ["a", "b"]

[[exercise]]
id = "hang"
stage = "stage1"
file = "05_hang"
title = "Never ends"
roadmap = "HTTP"
timeout = 2
hints = ["a", "b"]
"#;

const EXERCISES: [(&str, &str, &str); 5] = [
    (
        "01_pass",
        "pub fn add(a: u32, b: u32) -> u32 {\n    a + b\n}\n",
        "assert_eq!(add(1, 2), 3);",
    ),
    (
        "02_fail",
        "pub fn add(a: u32, b: u32) -> u32 {\n    a + b + 1\n}\n",
        "assert_eq!(add(0, 0), 0);",
    ),
    (
        "03_todo",
        "pub fn add(a: u32, b: u32) -> u32 {\n    todo!(\"add the numbers\")\n}\n",
        "assert_eq!(add(1, 2), 3);",
    ),
    (
        "04_broken",
        "pub fn add(a: u32, b: u32) -> u32 {\n    a +\n}\n",
        "assert_eq!(add(1, 2), 3);",
    ),
    (
        "05_hang",
        "pub fn add(a: u32, b: u32) -> u32 {\n    loop {\n        std::thread::sleep(std::time::Duration::from_millis(50));\n    }\n}\n",
        "assert_eq!(add(1, 2), 3);",
    ),
];

fn test_file(stem: &str, assertion: &str) -> String {
    let extra = if stem == "02_fail" {
        "\n#[test]\nfn always_true() {\n    assert!(true);\n}\n"
    } else {
        ""
    };
    format!(
        "#[cfg(not(feature = \"solution\"))]\n#[allow(unused_variables)]\n#[path = \"../exercises/{stem}.rs\"]\nmod exercise;\n\
         #[cfg(feature = \"solution\")]\n#[path = \"../../solutions/stage1-demo/{stem}.rs\"]\nmod exercise;\n\
         use exercise::*;\n\n#[test]\nfn adds_two_numbers() {{\n    {assertion}\n}}\n{extra}"
    )
}

fn course(name: &str) -> Course {
    let root =
        std::env::temp_dir().join(format!("backendlings-runner-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "Cargo.toml",
        "[workspace]\nresolver = \"3\"\nmembers = [\"stage1-demo\"]\n",
    );
    write(
        "stage1-demo/Cargo.toml",
        "[package]\nname = \"stage1-demo\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[features]\nsolution = []\n",
    );
    write("stage1-demo/src/lib.rs", "//! Support code.\n");
    write("xtask/curriculum.toml", MANIFEST);
    for (stem, body, assertion) in EXERCISES {
        write(&format!("stage1-demo/exercises/{stem}.rs"), body);
        write(
            &format!("stage1-demo/tests/{stem}.rs"),
            &test_file(stem, assertion),
        );
        write(
            &format!("solutions/stage1-demo/{stem}.rs"),
            "pub fn add(a: u32, b: u32) -> u32 {\n    a + b\n}\n",
        );
    }
    let course = Course { root };
    let bless = course.xtask(&["bless"]);
    assert!(bless.status.success(), "bless failed: {}", stderr(&bless));
    course
}

impl Course {
    fn xtask_in(&self, cwd: &Path, args: &[&str]) -> Output {
        runner(&self.root, args).current_dir(cwd).output().unwrap()
    }

    fn xtask(&self, args: &[&str]) -> Output {
        self.xtask_in(&self.root, args)
    }

    /// Runs the runner with services pointed at a closed port, and no Docker engine.
    fn xtask_without_services(&self, args: &[&str]) -> Output {
        without_services(runner(&self.root, args)).output().unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.root.join(rel), text).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }
}

/// The real runner, pointed at the course in `root`, with its own target dir.
fn runner(root: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.args(args)
        .current_dir(root)
        .env("BACKENDLINGS_ROOT", root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env_remove("NO_COLOR");
    cmd
}

/// No Docker engine to fall back on, and no `REDIS_URL` overriding the course's `.env`.
fn without_services(mut cmd: Command) -> Command {
    cmd.env("DOCKER_HOST", format!("tcp://127.0.0.1:{}", closed_port()))
        .env_remove("REDIS_URL");
    cmd
}

/// A port nothing listens on: bound, then released.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The report line of one exercise, with its spacing folded.
fn line_of(report: &str, stem: &str) -> String {
    report
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some(stem))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| panic!("no line for {stem} in:\n{report}"))
}

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
    // The first exercise that did not pass is shown in full, with the next step.
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
    assert!(stderr(&out).starts_with("error: unknown command `chek`"));
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
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(&course.root)
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "course"]);
    let starter = course.read("stage1-demo/exercises/03_todo.rs");
    let mine = "pub fn add(a: u32, b: u32) -> u32 {\n    a * b // my attempt\n}\n";
    course.write("stage1-demo/exercises/03_todo.rs", mine);
    // Even a learner's commit on top does not hide the starter.
    git(&["commit", "-qam", "my work"]);

    let out = course.xtask(&["reset", "03_todo"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(course.read("stage1-demo/exercises/03_todo.rs"), starter);
    let backups: Vec<PathBuf> = std::fs::read_dir(course.root.join(".backups/stage1-demo"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(std::fs::read_to_string(&backups[0]).unwrap(), mine);

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
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    use std::sync::mpsc;
    use std::time::Duration;

    let course = course("watch");
    let mut child = runner(&course.root, &["watch", "02_fail"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                return;
            }
        }
    });
    let wait_for = |needle: &str| {
        let mut seen = String::new();
        loop {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(line) if line.contains(needle) => return,
                Ok(line) => seen.push_str(&format!("{line}\n")),
                Err(_) => panic!("watch never printed {needle:?}; it printed:\n{seen}"),
            }
        }
    };

    wait_for("02_fail  failing: 1/2 tests pass");
    wait_for("watching:");
    course.write(
        "stage1-demo/exercises/02_fail.rs",
        "pub fn add(a: u32, b: u32) -> u32 {\n    a + b\n}\n",
    );
    wait_for("02_fail  passed (2 tests)");
    wait_for("watching:");
    child.stdin.as_mut().unwrap().write_all(b"q\n").unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
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
