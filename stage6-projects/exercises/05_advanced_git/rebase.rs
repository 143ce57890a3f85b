//! Milestone 3, rebase: a branch replayed on top of another, its conflicts resolved by a rule.
//!
//! What it needs (the lesson in `mod.rs` has the contract and the rule): `git rebase <onto>
//! <branch>` through [`git_output`] (exit 1 when it stops on a conflict); then, as long as it
//! stops: the conflicted files (`git diff --name-only --diff-filter=U`), each resolved by the
//! rule and `git add`ed, then `git rebase --continue`. On an error, `git rebase --abort`.

use std::path::Path;

use super::git::{Error, Result, failed, git, git_output};

/// Rebases `branch` onto `onto` (`git rebase onto branch`), resolving each conflict as the
/// lesson's rule says: in each conflicting hunk, `onto`'s lines, then the branch commit's
/// lines. Every commit of the branch is kept, with its message and author; at the end the
/// branch is checked out, with no rebase in progress and a clean working tree. On an error the
/// rebase is aborted, so the repository is as it was.
pub fn rebase_and_resolve(repo: &Path, branch: &str, onto: &str) -> Result<()> {
    // TODO: start the rebase, then resolve, add and continue until it is done.
    todo!("rebase {branch} onto {onto}, resolving each conflict by the rule (milestone 3, rebase)")
}
