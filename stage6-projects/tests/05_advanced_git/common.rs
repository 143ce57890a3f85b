//! What the milestones share: a scratch repository built with the real `git`, and a bound on
//! each call to the project. No tests here.

use std::cell::Cell;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// 2026-01-01T00:00:00Z: the first commit's date; each commit is a minute later.
const EPOCH: i64 = 1_767_225_600;

/// The name and email that commit when a test names nobody else.
pub const OWNER: (&str, &str) = ("Repo Owner", "owner@example.com");

/// A repository in a scratch directory of its own, on branch `main`, removed when dropped.
pub struct Repo {
    /// The scratch directory: the repository is its `repo/`; tests keep other files here
    /// (the check script, its log) so that they are not in the repository.
    pub scratch: PathBuf,
    /// The repository's working tree.
    pub path: PathBuf,
    clock: Cell<i64>,
}

impl Repo {
    /// An empty repository on `main`, its committer named in `.git/config` (so that the
    /// project's own commits, a rebase's, have one without any global configuration).
    pub fn new() -> Repo {
        static MADE: AtomicUsize = AtomicUsize::new(0);
        let n = MADE.fetch_add(1, Ordering::Relaxed);
        let scratch =
            std::env::temp_dir().join(format!("backendlings-git-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&scratch);
        let path = scratch.join("repo");
        std::fs::create_dir_all(&path).expect("cannot make a scratch directory");
        let repo = Repo {
            scratch,
            path,
            clock: Cell::new(EPOCH),
        };
        repo.git(&["-c", "init.defaultBranch=main", "init", "--quiet"]);
        repo.git(&["config", "user.name", OWNER.0]);
        repo.git(&["config", "user.email", OWNER.1]);
        repo
    }

    /// `git <args>` here; panics with what git said when it fails.
    pub fn git(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "the test's own `git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// `git <args>` here, whatever its exit status.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(OWNER, args)
            .output()
            .expect("cannot run git: is it installed?")
    }

    fn command(&self, author: (&str, &str), args: &[&str]) -> Command {
        let date = format!("{} +0000", self.clock.get());
        let mut command = Command::new("git");
        command
            .args(args)
            .current_dir(&self.path)
            .stdin(Stdio::null())
            .env("LC_ALL", "C")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_EDITOR", "true")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env("GIT_AUTHOR_NAME", author.0)
            .env("GIT_AUTHOR_EMAIL", author.1)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_NAME", OWNER.0)
            .env("GIT_COMMITTER_EMAIL", OWNER.1)
            .env("GIT_COMMITTER_DATE", &date);
        command
    }

    /// The trimmed output of `git <args>`: a sha, a branch name.
    pub fn read(&self, args: &[&str]) -> String {
        self.git(args).trim().to_string()
    }

    /// Writes `files` (path, content) and commits them with `message` by [`OWNER`]; the sha.
    pub fn commit(&self, message: &str, files: &[(&str, &str)]) -> String {
        self.commit_by(OWNER, message, files)
    }

    /// [`Repo::commit`] by another author.
    pub fn commit_by(&self, author: (&str, &str), message: &str, files: &[(&str, &str)]) -> String {
        for (path, content) in files {
            let file = self.path.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, content).unwrap();
        }
        self.git(&["add", "--all"]);
        self.clock.set(self.clock.get() + 60);
        let output = self
            .command(
                author,
                &["commit", "--quiet", "--allow-empty", "--message", message],
            )
            .output()
            .expect("cannot run git");
        assert!(
            output.status.success(),
            "the test's own commit failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        self.read(&["rev-parse", "HEAD"])
    }

    /// The content of `path` in the working tree.
    pub fn file(&self, path: &str) -> String {
        std::fs::read_to_string(self.path.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Whether git has an operation in progress: `rebase-merge`, `rebase-apply`,
    /// `BISECT_LOG`, `MERGE_HEAD`... (a path under `.git`, asked to git).
    pub fn in_progress(&self, what: &str) -> bool {
        let path = self.read(&["rev-parse", "--git-path", what]);
        self.path.join(path).exists()
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

/// Runs `work` (a call to the project) on a thread of its own and waits at most 60 s for it:
/// a git command that waits for an editor or a prompt fails the test, it does not hang it.
pub fn bounded<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = mpsc::channel();
    // Named as the test, so that a panic in the project names the test that called it.
    let name = std::thread::current().name().map(str::to_string);
    let mut builder = std::thread::Builder::new();
    if let Some(name) = name {
        builder = builder.name(name);
    }
    let worker = builder
        .spawn(move || {
            let _ = done.send(work());
        })
        .expect("cannot start a thread");
    match result.recv_timeout(Duration::from_secs(60)) {
        Ok(value) => value,
        // The work panicked (a `todo!`): show its panic as the test's.
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the work ended without a result"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "{what} did not return within 60 s: is a git command waiting for an editor or an \
             answer? (run git through `git::command`, which closes stdin and sets GIT_EDITOR)"
        ),
    }
}
