//! Given: running `git` in a repository, and the project's error type. Use these; you do not
//! need to change this file.
//!
//! Every git command of the project goes through [`command`], which runs git the way the tests
//! expect, whatever machine it is on:
//!
//! - in the repository's directory, with `stdin` closed, so a command that would ask a question
//!   fails instead of waiting for an answer nobody types;
//! - with `LC_ALL=C`, so its messages are the English ones you parse (`... is the first bad
//!   commit`), not a translation;
//! - without the machine's and the user's configuration (`GIT_CONFIG_NOSYSTEM=1`,
//!   `GIT_CONFIG_GLOBAL=/dev/null`): a `merge.conflictStyle`, `rebase.autoSquash` or
//!   `pull.rebase` in someone's `~/.gitconfig` would change what your code sees. The
//!   repository's own `.git/config` still applies (the tests put the committer's name there);
//! - with `GIT_EDITOR=true`, so `git rebase --continue`, `git commit` without `-m` or
//!   `git merge` keep the message they propose instead of opening an editor and waiting
//!   forever (`true` is the program that does nothing and succeeds).

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// What can go wrong in this project.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// git (or the check script) could not be started at all.
    #[error(
        "cannot run {program}: {source} (is it installed and executable, and does the directory exist?)"
    )]
    Spawn {
        program: String,
        source: std::io::Error,
    },
    /// A git command exited with an error: what it was, its exit status and what it said.
    #[error("`git {args}` failed ({status}): {stderr}")]
    Git {
        args: String,
        status: String,
        stderr: String,
    },
    /// `first_bad_commit` was given a range it cannot search: the message says why.
    #[error("cannot bisect: {0}")]
    BadRange(String),
    /// Anything else, said in words (git's output was not what was expected, a conflict that
    /// the rule cannot resolve, ...).
    #[error("{0}")]
    Other(String),
}

/// The project's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// A `git` command for `repo`, set up as the module's doc says; add arguments and run it
/// (`command(repo).args(["log", "--oneline"]).output()`). [`git`] and [`git_output`] do that
/// for you.
pub fn command(repo: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .current_dir(repo)
        .stdin(Stdio::null())
        .env("LC_ALL", "C")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_EDITOR", "true")
        .env("GIT_TERMINAL_PROMPT", "0")
        // A repository named by the environment (inside a git hook, say) would win over
        // `current_dir`: forget it.
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    command
}

/// Runs `git <args>` in `repo` and returns what it printed on stdout; an exit status other
/// than 0 is an [`Error::Git`] with what it printed on stderr.
///
/// ```ignore
/// let head = git(repo, ["rev-parse", "HEAD"])?; // "4f1c…\n": trim it
/// ```
pub fn git<I, S>(repo: &Path, args: I) -> Result<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let (args, output) = run(repo, args)?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(failed(&args, &output))
    }
}

/// Runs `git <args>` in `repo` and returns its whole [`Output`] whatever its exit status, for
/// the commands whose failure is an answer: `git merge-base --is-ancestor` (exit 1: "no"),
/// `git rebase` that stops on a conflict (exit 1), `git bisect run`. Turn an unexpected
/// status into an error with [`failed`].
pub fn git_output<I, S>(repo: &Path, args: I) -> Result<Output>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run(repo, args).map(|(_, output)| output)
}

/// The [`Error::Git`] for a command `git <args>` that ended with `output`.
pub fn failed(args: &str, output: &Output) -> Error {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Some commands (rebase, bisect run) say why they stopped on stdout.
    let said = [stderr.trim(), stdout.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    Error::Git {
        args: args.to_string(),
        status: output.status.to_string(),
        stderr: said,
    }
}

fn run<I, S>(repo: &Path, args: I) -> Result<(String, Output)>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut command = command(repo);
    let mut shown = Vec::new();
    for arg in args {
        shown.push(arg.as_ref().to_string_lossy().into_owned());
        command.arg(arg);
    }
    let output = command.output().map_err(|source| Error::Spawn {
        program: format!("git in {}", repo.display()),
        source,
    })?;
    Ok((shown.join(" "), output))
}
