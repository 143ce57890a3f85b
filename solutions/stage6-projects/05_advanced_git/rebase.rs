//! Milestone 3, rebase: a branch replayed on top of another, its conflicts resolved by a rule.

use std::path::Path;

use super::git::{Error, Result, failed, git, git_output};

/// Rebases `branch` onto `onto` (`git rebase onto branch`), resolving each conflict as the
/// lesson's rule says: in each conflicting hunk, `onto`'s lines, then the branch commit's
/// lines. Every commit of the branch is kept, with its message and author; at the end the
/// branch is checked out, with no rebase in progress and a clean working tree. On an error the
/// rebase is aborted, so the repository is as it was.
pub fn rebase_and_resolve(repo: &Path, branch: &str, onto: &str) -> Result<()> {
    let started = git_output(repo, ["rebase", onto, branch])?;
    let result = finish(repo, started);
    if result.is_err() && rebasing(repo)? {
        // Leave no half-done rebase behind: the branch goes back to where it was.
        git(repo, ["rebase", "--abort"])?;
    }
    result
}

/// Resolves and continues until git says the rebase is done.
fn finish(repo: &Path, mut step: std::process::Output) -> Result<()> {
    // Each round is one commit that stopped on a conflict; a branch has finitely many.
    loop {
        if step.status.success() {
            return Ok(());
        }
        let conflicted = git(repo, ["diff", "--name-only", "--diff-filter=U", "-z"])?;
        let paths: Vec<&str> = conflicted.split('\0').filter(|p| !p.is_empty()).collect();
        if paths.is_empty() {
            // It stopped for something else than a conflict: say what git said.
            return Err(failed("rebase", &step));
        }
        for path in paths {
            let file = repo.join(path);
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Error::Other(format!("cannot read the conflicted {path}: {e}")))?;
            std::fs::write(&file, resolve(&text)?)
                .map_err(|e| Error::Other(format!("cannot write the resolved {path}: {e}")))?;
            git(repo, ["add", "--", path])?;
        }
        step = git_output(repo, ["rebase", "--continue"])?;
    }
}

/// The text with each conflict replaced by its first side's lines, then its second side's;
/// the base's lines (`|||||||`, in the diff3 style) are dropped.
fn resolve(text: &str) -> Result<String> {
    enum Part {
        Common,
        Ours,
        Base,
        Theirs,
    }
    let mut part = Part::Common;
    let (mut out, mut ours, mut theirs) = (String::new(), String::new(), String::new());
    for line in text.split_inclusive('\n') {
        let marker = |m: &str| line.starts_with(m);
        part = match part {
            Part::Common if marker("<<<<<<<") => Part::Ours,
            Part::Common => {
                out.push_str(line);
                Part::Common
            }
            Part::Ours if marker("|||||||") => Part::Base,
            Part::Ours | Part::Base if marker("=======") => Part::Theirs,
            Part::Ours => {
                ours.push_str(line);
                Part::Ours
            }
            Part::Base => Part::Base,
            Part::Theirs if marker(">>>>>>>") => {
                out.push_str(&ours);
                out.push_str(&theirs);
                ours.clear();
                theirs.clear();
                Part::Common
            }
            Part::Theirs => {
                theirs.push_str(line);
                Part::Theirs
            }
        };
    }
    match part {
        Part::Common => Ok(out),
        _ => Err(Error::Other(
            "a conflict's markers are not closed: cannot resolve it".to_string(),
        )),
    }
}

/// Whether a rebase is in progress (stopped, waiting for `--continue`).
fn rebasing(repo: &Path) -> Result<bool> {
    for dir in ["rebase-merge", "rebase-apply"] {
        let path = git(repo, ["rev-parse", "--git-path", dir])?;
        if repo.join(path.trim()).exists() {
            return Ok(true);
        }
    }
    Ok(false)
}
