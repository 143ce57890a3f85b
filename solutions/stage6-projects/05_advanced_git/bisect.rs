//! Milestone 1, bisect: the first commit at which a check fails, found by `git bisect run`.

use std::path::Path;
use std::process::Command;

use super::git::{Error, Result, failed, git, git_output};

/// The full sha of the first commit between `good` (where `check` passes) and `bad` (where it
/// fails) at which `check` fails, found with `git bisect run check`. Any revision names `good`
/// and `bad` (a sha, a tag, `main~3`); `check` is run in the repository's directory, exit 0
/// meaning good, 125 "cannot test this one", anything else bad. An [`Error::BadRange`] when
/// `good` is not an ancestor of `bad` or `check` does not pass at `good`. Whatever happens,
/// the repository is left as it was found: on its branch, no bisect in progress.
pub fn first_bad_commit(repo: &Path, good: &str, bad: &str, check: &Path) -> Result<String> {
    let good = commit(repo, good)?;
    let bad = commit(repo, bad)?;
    if good == bad {
        return Err(Error::BadRange(format!(
            "good and bad are the same commit {good}"
        )));
    }
    let ancestry = git_output(repo, ["merge-base", "--is-ancestor", &good, &bad])?;
    match ancestry.status.code() {
        Some(0) => {}
        Some(1) => {
            return Err(Error::BadRange(format!(
                "the good commit {good} is not an ancestor of the bad commit {bad}: name a good \
                 commit older than the bad one, on its history"
            )));
        }
        _ => return Err(failed("merge-base --is-ancestor", &ancestry)),
    }
    git(repo, ["bisect", "start", &bad, &good])?;
    // Once a bisect has started, `git bisect reset` must run whatever happens next, so the
    // search lives in its own function and its result is kept until the reset is done.
    let found = search(repo, &good, check);
    let reset = git(repo, ["bisect", "reset"]);
    let sha = found?;
    reset?;
    Ok(sha)
}

/// The bisect's work between `start` and `reset`.
fn search(repo: &Path, good: &str, check: &Path) -> Result<String> {
    // `git bisect run` trusts the good commit: if the check already fails there, it would
    // blame the commit after it. So run the check at `good` once, then go back to bisecting.
    git(repo, ["checkout", "--quiet", "--detach", good])?;
    let status = Command::new(check)
        .current_dir(repo)
        .status()
        .map_err(|source| Error::Spawn {
            program: check.display().to_string(),
            source,
        })?;
    if !status.success() {
        return Err(Error::BadRange(format!(
            "the check does not pass at the good commit {good} ({status}): the bug is older, \
             name an older good commit"
        )));
    }
    git(repo, ["bisect", "next"])?;
    let output = git_output(repo, ["bisect".as_ref(), "run".as_ref(), check.as_os_str()])?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    // git says `<sha> is the first bad commit`, then shows that commit.
    let named = stdout.lines().find_map(|line| {
        line.strip_suffix(" is the first bad commit")
            .map(|sha| sha.trim().to_string())
    });
    match named {
        Some(sha) if output.status.success() => Ok(sha),
        _ => Err(failed("bisect run", &output)),
    }
}

/// The full sha of the commit that `revision` names.
fn commit(repo: &Path, revision: &str) -> Result<String> {
    let sha = git(
        repo,
        [
            "rev-parse",
            "--verify",
            "--end-of-options",
            &format!("{revision}^{{commit}}"),
        ],
    )?;
    Ok(sha.trim().to_string())
}
