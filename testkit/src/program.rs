//! What the services that testkit starts itself have in common: a scratch directory of their
//! own, and, for a program (chromedriver, Prometheus, nginx), a watchdog that stops it.
//!
//! [`Scratch`] is a directory in the system's temporary directory, `testkit-<kind>-<pid>-<n>`,
//! removed when it is dropped. A test binary that is killed (a runner's timeout) drops
//! nothing, so the first scratch directory of a kind that a run makes removes those of that
//! kind whose process is gone (Linux's `/proc` says which are; without it they stay).
//!
//! [`Watched`] starts a program in a process group of its own, led by a small `sh` watchdog
//! that waits on a pipe from the test. Dropping the [`Watched`] closes the pipe, and the
//! watchdog kills the whole group: the program and every process it started. When the test
//! binary dies without dropping it, the operating system closes the pipe and the same
//! happens. The program's output goes to a log file in its scratch directory, which goes
//! last. Unix only: the watchdog is a POSIX shell.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Every scratch directory is named `<PREFIX><kind>-<pid>-<n>`.
const PREFIX: &str = "testkit-";

/// A directory of one service's own in the system's temporary directory; removed on drop.
#[derive(Debug)]
pub(crate) struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    /// Makes `testkit-<kind>-<pid>-<n>`, the first time for `kind` in this process after
    /// removing the directories of `kind` that dead processes left.
    pub(crate) fn new(kind: &str) -> Result<Scratch, String> {
        static MADE: AtomicUsize = AtomicUsize::new(0);
        static SWEPT: Mutex<Vec<String>> = Mutex::new(Vec::new());
        {
            let mut swept = SWEPT.lock().unwrap_or_else(|e| e.into_inner());
            if !swept.iter().any(|k| k == kind) {
                swept.push(kind.to_string());
                sweep(kind);
            }
        }
        let n = MADE.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("{PREFIX}{kind}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot make the {kind} directory {}: {e}", dir.display()))?;
        Ok(Scratch { dir })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        remove_dir(&self.dir);
    }
}

/// Removes the scratch directories of `kind` whose process is gone.
pub(crate) fn sweep(kind: &str) {
    // Without /proc there is no cheap way to tell a dead process from a live one.
    if !Path::new("/proc").is_dir() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    let prefix = format!("{PREFIX}{kind}-");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|rest| rest.split('-').next())
        else {
            continue;
        };
        let is_pid = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
        if is_pid && !Path::new("/proc").join(pid).exists() {
            remove_dir(&entry.path());
        }
    }
}

fn remove_dir(dir: &Path) {
    // A process killed a moment ago may still be closing its files; try again briefly.
    for _ in 0..10 {
        if std::fs::remove_dir_all(dir).is_ok() || !dir.exists() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(any(feature = "browser", feature = "nginx", feature = "prometheus"))]
pub(crate) use watched::Watched;

/// A port of 127.0.0.1 that nothing listens on now, for a program told where to listen.
#[cfg(any(feature = "nginx", feature = "prometheus"))]
pub(crate) fn free_port(program: &str) -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("cannot find a free port for {program}: {e}"))
}

#[cfg(any(feature = "browser", feature = "nginx", feature = "prometheus"))]
mod watched {
    use std::ffi::OsStr;
    use std::path::{Path, PathBuf};
    use std::process::{Child, ChildStdin, Command, Stdio};

    use super::Scratch;

    /// The watchdog, `sh -c WATCHDOG sh <log> <name> <program> <args>...`: starts the program
    /// in the background, its output and then a line saying how it exited into the log file;
    /// then waits for the test's pipe on stdin to close and kills its whole process group,
    /// itself included. (A background job of a non-interactive shell reads /dev/null, so the
    /// program never takes the pipe's end of file for itself.)
    const WATCHDOG: &str = r#"log=$1 name=$2
shift 2
{ "$@"; echo "$name exited with status $?"; } >"$log" 2>&1 &
read line
kill -KILL 0"#;

    /// A program in a process group of its own, killed with all it started when dropped; then
    /// its scratch directory is removed.
    pub(crate) struct Watched {
        watchdog: Child,
        /// The watchdog's stdin: when it closes, the watchdog kills the group.
        lifeline: Option<ChildStdin>,
        name: String,
        // Dropped after the processes are gone: nothing writes into it any more.
        scratch: Scratch,
    }

    impl Watched {
        /// Starts `program` with `args` under the watchdog, in `scratch` (its working
        /// directory and `TMPDIR`), its output into `<name>.log` there.
        pub(crate) fn start<I, S>(
            scratch: Scratch,
            name: &str,
            program: &Path,
            args: I,
        ) -> Result<Watched, String>
        where
            I: IntoIterator<Item = S>,
            S: AsRef<OsStr>,
        {
            let log = log_file(&scratch, name);
            let mut command = Command::new("sh");
            command
                .args(["-c", WATCHDOG, "sh"])
                .arg(&log)
                .arg(name)
                .arg(program)
                .args(args)
                .env("TMPDIR", scratch.path())
                .current_dir(scratch.path())
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            #[cfg(unix)]
            std::os::unix::process::CommandExt::process_group(&mut command, 0);
            let mut watchdog = command.spawn().map_err(|e| {
                format!(
                    "cannot start {name} through `sh` ({e}); testkit needs a Unix shell to \
                     watch the programs it starts"
                )
            })?;
            let lifeline = watchdog.stdin.take();
            Ok(Watched {
                watchdog,
                lifeline,
                name: name.to_string(),
                scratch,
            })
        }

        /// What the program has printed so far, its standard output and error together,
        /// followed by `<name> exited with status <n>` once it has exited.
        pub(crate) fn log(&self) -> String {
            std::fs::read_to_string(log_file(&self.scratch, &self.name)).unwrap_or_default()
        }

        /// Whether the program has exited (the watchdog wrote so in the log).
        pub(crate) fn has_exited(&self) -> bool {
            let line = format!("{} exited with status ", self.name);
            self.log()
                .lines()
                .next_back()
                .is_some_and(|last| last.starts_with(&line))
        }

        /// The program's scratch directory.
        #[cfg(any(test, feature = "nginx", feature = "prometheus"))]
        pub(crate) fn dir(&self) -> &Path {
            self.scratch.path()
        }

        /// The process group of the watchdog, the program and whatever it started.
        #[cfg(test)]
        pub(crate) fn group(&self) -> u32 {
            self.watchdog.id()
        }
    }

    fn log_file(scratch: &Scratch, name: &str) -> PathBuf {
        scratch.path().join(format!("{name}.log"))
    }

    impl Drop for Watched {
        fn drop(&mut self) {
            // Closing the pipe is the signal: the watchdog kills the program, its children
            // and itself at once. Once it is gone, nothing writes into the directory, which
            // the scratch field removes next.
            drop(self.lifeline.take());
            let _ = self.watchdog.wait();
        }
    }
}

/// The names of the live processes of process group `group` (Linux's /proc).
#[cfg(all(
    test,
    any(feature = "browser", feature = "nginx", feature = "prometheus")
))]
pub(crate) fn group_members(group: u32) -> Vec<String> {
    members(group).into_iter().map(|(name, _)| name).collect()
}

/// Waits up to 10 s until process group `group` has no live process left; what is left then,
/// each process as `name (state)`.
#[cfg(all(
    test,
    any(feature = "browser", feature = "nginx", feature = "prometheus")
))]
pub(crate) async fn wait_until_gone(group: u32) -> Vec<String> {
    // The kill is delivered at once; a process ends when it is next scheduled, or once the
    // disk has answered if it waits for it, which on a busy machine can take a while.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !members(group).is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    members(group)
        .into_iter()
        .map(|(name, state)| format!("{name} ({state})"))
        .collect()
}

/// The live processes of process group `group`, each with its state (`S`, `R`, `D`…).
#[cfg(all(
    test,
    any(feature = "browser", feature = "nginx", feature = "prometheus")
))]
fn members(group: u32) -> Vec<(String, String)> {
    let mut members = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (name) state ppid pgrp …": the name may hold spaces, so split after it.
        let Some((name, rest)) = stat
            .split_once(" (")
            .and_then(|(_, rest)| rest.rsplit_once(") "))
        else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let state = fields.first().copied().unwrap_or("?");
        // A zombie (Z) or dead (X) process has ended; only its entry is left to reap.
        let ended = matches!(state, "Z" | "X");
        if !ended && fields.get(2) == Some(&group.to_string().as_str()) {
            members.push((name.to_string(), state.to_string()));
        }
    }
    members
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    #[test]
    fn a_scratch_directory_is_named_after_its_kind_and_process_and_removed_on_drop() {
        let scratch = Scratch::new("unit").unwrap();
        let dir = scratch.path().to_path_buf();
        let name = dir.file_name().unwrap().to_str().unwrap().to_string();
        assert!(
            name.starts_with(&format!("testkit-unit-{}-", std::process::id())),
            "{name}"
        );
        std::fs::write(dir.join("file"), "x").unwrap();
        drop(scratch);
        assert!(!dir.exists(), "{} is left", dir.display());
    }

    #[test]
    fn a_directory_left_by_a_dead_run_is_removed_and_a_live_one_kept() {
        // A process that has exited, and been waited for: its pid is free.
        let mut gone = Command::new("true").spawn().unwrap();
        let dead = gone.id();
        gone.wait().unwrap();
        let temp = std::env::temp_dir();
        let left = temp.join(format!("{PREFIX}sweep-{dead}-7"));
        let live = temp.join(format!("{PREFIX}sweep-{}-9999", std::process::id()));
        let other_kind = temp.join(format!("{PREFIX}sweeping-{dead}-7"));
        for dir in [&left, &live, &other_kind] {
            std::fs::create_dir_all(dir.join("profile")).unwrap();
        }
        sweep("sweep");
        assert!(!left.exists());
        assert!(live.exists());
        assert!(other_kind.exists(), "another kind's directory is its own");
        std::fs::remove_dir_all(&live).unwrap();
        std::fs::remove_dir_all(&other_kind).unwrap();
    }

    #[cfg(any(feature = "browser", feature = "nginx", feature = "prometheus"))]
    mod watched {
        use super::super::*;

        #[tokio::test]
        async fn a_program_that_exits_leaves_its_output_and_status_in_the_log() {
            let scratch = Scratch::new("unit").unwrap();
            let program = Watched::start(
                scratch,
                "greeter",
                Path::new("sh"),
                ["-c", "echo hi; exit 3"],
            )
            .unwrap();
            let deadline = std::time::Instant::now() + Duration::from_secs(5);
            while !program.has_exited() && std::time::Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            assert_eq!(program.log(), "hi\ngreeter exited with status 3\n");
            assert!(program.has_exited());
        }

        #[tokio::test]
        async fn dropping_a_program_kills_it_and_its_children_and_removes_its_directory() {
            let scratch = Scratch::new("unit").unwrap();
            // A program that starts a child of its own and waits for it.
            let program = Watched::start(
                scratch,
                "sleeper",
                Path::new("sh"),
                ["-c", "sleep 60 & echo started; wait"],
            )
            .unwrap();
            let deadline = std::time::Instant::now() + Duration::from_secs(5);
            while program.log().is_empty() && std::time::Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            assert_eq!(program.log(), "started\n");
            assert!(!program.has_exited());
            let group = program.group();
            let dir = program.dir().to_path_buf();
            assert!(group_members(group).iter().any(|name| name == "sleep"));

            drop(program);
            assert!(!dir.exists(), "{} is left", dir.display());
            assert_eq!(wait_until_gone(group).await, Vec::<String>::new());
        }
    }
}
