//! Milestone 1, bisect: the first commit at which a check fails, found by `git bisect run`.
//!
//! What it needs (the lesson in `mod.rs` has the contract): resolve `good` and `bad` to shas
//! (`git rev-parse --verify <rev>^{commit}`), refuse a range that is not one
//! ([`Error::BadRange`]), `git bisect start <bad> <good>`, check `good` once yourself, `git bisect
//! run <check>`, find the line `<sha> is the first bad commit` in its stdout, and
//! `git bisect reset` whatever happened. [`git_output`] runs a command whose exit status you
//! read yourself (`merge-base --is-ancestor`, `bisect run`); a [`Command`] runs the check.

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
    // TODO: refuse a range that is not one, start the bisect, search, and reset whatever the
    // search returned (a `?` before the reset would skip it).
    todo!(
        "find the first bad commit between {good} and {bad} with `git bisect run`, then \
         `git bisect reset` (milestone 1, bisect)"
    )
}
