//! The fixture course of the runner's end-to-end tests: each test writes a tiny course (one
//! std-only stage with an exercise that passes, one that fails, a todo!(), a syntax error and a
//! test that hangs; optionally a directory exercise in three milestones with a runnable app) to
//! a temporary folder, points the real `xtask` binary at it with `BACKENDLINGS_ROOT`, and reads
//! what a learner would see.

#![allow(dead_code)] // Each test binary uses a part of it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Course {
    pub root: PathBuf,
}

impl Drop for Course {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

pub const MANIFEST: &str = r#"
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

pub const EXERCISES: [(&str, &str, &str); 5] = [
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

pub fn test_file(stem: &str, assertion: &str) -> String {
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

pub fn course(name: &str) -> Course {
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
    write(
        "stage1-demo/.cargo/config.toml",
        "[alias]\nxtask = \"run -q --manifest-path ../xtask/Cargo.toml --\"\n",
    );
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
    pub fn xtask_in(&self, cwd: &Path, args: &[&str]) -> Output {
        runner(&self.root, args).current_dir(cwd).output().unwrap()
    }

    pub fn xtask(&self, args: &[&str]) -> Output {
        self.xtask_in(&self.root, args)
    }

    /// Runs the runner with services pointed at a closed port, and no Docker engine.
    pub fn xtask_without_services(&self, args: &[&str]) -> Output {
        without_services(runner(&self.root, args)).output().unwrap()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Runs git in the course, as a learner's clone would have it.
    pub fn git(&self, args: &[&str]) {
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
            .current_dir(&self.root)
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    }

    /// The course under git, as a clone: reset finds starters in the history.
    pub fn commit_all(&self, message: &str) {
        if !self.root.join(".git").exists() {
            self.git(&["init", "-q"]);
        }
        self.git(&["add", "-A"]);
        self.git(&["commit", "-qm", message]);
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }
}

/// The real runner, pointed at the course in `root`, with its own target dir.
pub fn runner(root: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.args(args)
        .current_dir(root)
        .env("BACKENDLINGS_ROOT", root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env_remove("NO_COLOR");
    cmd
}

/// No Docker engine to fall back on, and no `REDIS_URL` overriding the course's `.env`.
pub fn without_services(mut cmd: Command) -> Command {
    cmd.env("DOCKER_HOST", format!("tcp://127.0.0.1:{}", closed_port()))
        .env_remove("REDIS_URL");
    cmd
}

/// A port nothing listens on: bound, then released.
pub fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The report line of one exercise, with its spacing folded.
pub fn line_of(report: &str, stem: &str) -> String {
    report
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some(stem))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| panic!("no line for {stem} in:\n{report}"))
}

/// The directory exercise: `06_app`, an app of two modules in three milestones, with a
/// runnable binary. The starter has a `todo!()` in each milestone's function.
pub const APP_MANIFEST: &str = r#"
[[exercise]]
id = "app"
stage = "stage1"
file = "06_app"
title = "A small app"
roadmap = "HTTP"
hints = ["a", "b"]
directory = true
bin = "app"

[[exercise.milestone]]
file = "01_add"
title = "adding"

[[exercise.milestone]]
file = "02_mul"
title = "multiplying"

[[exercise.milestone]]
file = "03_greet"
title = "greeting"
"#;

pub const APP_MOD: &str = "//! The app's root module.\npub mod math;\n\npub const NAME: &str = \"demo app\";\n\npub fn greet(name: &str) -> String {\n    todo!(\"greet {name}\")\n}\n";
pub const APP_MATH: &str = "pub fn add(a: u32, b: u32) -> u32 {\n    todo!(\"add the numbers\")\n}\n\npub fn mul(a: u32, b: u32) -> u32 {\n    todo!(\"multiply the numbers\")\n}\n";
pub const APP_MATH_SOLVED: &str = "pub fn add(a: u32, b: u32) -> u32 {\n    a + b\n}\n\npub fn mul(a: u32, b: u32) -> u32 {\n    a * b\n}\n";
pub const APP_MATH_ADD_ONLY: &str = "pub fn add(a: u32, b: u32) -> u32 {\n    a + b\n}\n\npub fn mul(a: u32, b: u32) -> u32 {\n    todo!(\"multiply the numbers\")\n}\n";

/// The base course plus the directory exercise `06_app`.
pub fn course_with_app(name: &str) -> Course {
    let course = course(name);
    let manifest = course.read("xtask/curriculum.toml");
    course.write(
        "xtask/curriculum.toml",
        &format!("{manifest}{APP_MANIFEST}"),
    );
    course.write(
        "stage1-demo/Cargo.toml",
        "[package]\nname = \"stage1-demo\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
         [features]\ndefault = [\"apps\"]\napps = []\nsolution = []\n\n\
         [[bin]]\nname = \"app\"\npath = \"src/bin/app.rs\"\nrequired-features = [\"apps\"]\n",
    );
    course.write(
        "stage1-demo/src/bin/app.rs",
        "#[cfg(not(feature = \"solution\"))]\n#[allow(dead_code)]\n#[path = \"../../exercises/06_app/mod.rs\"]\nmod app;\n\
         #[cfg(feature = \"solution\")]\n#[allow(dead_code)]\n#[path = \"../../../solutions/stage1-demo/06_app/mod.rs\"]\nmod app;\n\n\
         fn main() {\n    println!(\"{} is running\", app::NAME);\n}\n",
    );
    course.write("stage1-demo/exercises/06_app/mod.rs", APP_MOD);
    course.write("stage1-demo/exercises/06_app/math.rs", APP_MATH);
    course.write(
        "solutions/stage1-demo/06_app/mod.rs",
        &APP_MOD.replace("todo!(\"greet {name}\")", "format!(\"hello, {name}\")"),
    );
    course.write("solutions/stage1-demo/06_app/math.rs", APP_MATH_SOLVED);
    course.write(
        "stage1-demo/tests/06_app/main.rs",
        "#[cfg(not(feature = \"solution\"))]\n#[allow(unused_variables, dead_code)]\n#[path = \"../../exercises/06_app/mod.rs\"]\nmod exercise;\n\
         #[cfg(feature = \"solution\")]\n#[path = \"../../../solutions/stage1-demo/06_app/mod.rs\"]\nmod exercise;\n\n\
         #[path = \"01_add.rs\"]\nmod add;\n#[path = \"02_mul.rs\"]\nmod mul;\n#[path = \"03_greet.rs\"]\nmod greet;\n",
    );
    course.write(
        "stage1-demo/tests/06_app/01_add.rs",
        "use crate::exercise::math::add;\n\n#[test]\nfn adds_two_numbers() {\n    assert_eq!(add(1, 2), 3);\n}\n\n\
         #[test]\nfn adds_zero() {\n    assert_eq!(add(5, 0), 5);\n}\n",
    );
    course.write(
        "stage1-demo/tests/06_app/02_mul.rs",
        "use crate::exercise::math::mul;\n\n#[test]\nfn multiplies_two_numbers() {\n    assert_eq!(mul(2, 3), 6);\n}\n",
    );
    course.write(
        "stage1-demo/tests/06_app/03_greet.rs",
        "use crate::exercise::greet;\n\n#[test]\nfn greets_by_name() {\n    assert_eq!(greet(\"ada\"), \"hello, ada\");\n}\n",
    );
    let bless = course.xtask(&["bless"]);
    assert!(bless.status.success(), "bless failed: {}", stderr(&bless));
    course
}

/// `cargo xtask watch` running on the course, read line by line.
pub struct Watch {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Watch {
    pub fn start(course: &Course, target: &str) -> Watch {
        use std::io::{BufRead, BufReader};
        use std::process::Stdio;

        let mut child = runner(&course.root, &["watch", target])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                if tx.send(line.unwrap()).is_err() {
                    return;
                }
            }
        });
        Watch { child, lines }
    }

    /// Reads until a line contains `needle`; a minute at most (a cold build under load).
    pub fn wait_for(&self, needle: &str) {
        let mut seen = String::new();
        loop {
            match self.lines.recv_timeout(std::time::Duration::from_secs(60)) {
                Ok(line) if line.contains(needle) => return,
                Ok(line) => seen.push_str(&format!("{line}\n")),
                Err(_) => panic!("watch never printed {needle:?}; it printed:\n{seen}"),
            }
        }
    }

    /// Types `q` Enter, and returns the exit code.
    pub fn quit(mut self) -> Option<i32> {
        use std::io::Write;
        self.child
            .stdin
            .as_mut()
            .unwrap()
            .write_all(b"q\n")
            .unwrap();
        self.child.wait().unwrap().code()
    }
}
