//! The spec for project 05: advanced Git, milestone by milestone, on real repositories that
//! each test builds with the `git` command in a scratch directory of its own (removed at the
//! end). `cargo xtask check 05_advanced_git` runs it.
//! Do not edit these files: the runner checks that they are the course's version.
//!
//! The tests call the project's public functions, then read the result with git: the sha
//! that bisect names, the changelog's whole text, the rebased branch's log, files and status.
//! Their git commands ignore the machine's configuration (`GIT_CONFIG_GLOBAL=/dev/null`,
//! `GIT_CONFIG_NOSYSTEM=1`, `LC_ALL=C`) and give every commit a name, an email and a date of
//! its own, so a run gives the same repositories, to the sha, on any machine. Each call to
//! the project is bounded: a git command that waits for an editor or a prompt fails the test
//! after 60 s instead of hanging.

#[cfg(not(feature = "solution"))]
#[allow(unused_variables, unused_imports, dead_code)]
#[path = "../../exercises/05_advanced_git/mod.rs"]
mod exercise;
#[cfg(feature = "solution")]
#[path = "../../../solutions/stage6-projects/05_advanced_git/mod.rs"]
mod exercise;

/// What the milestones share; no tests.
mod common;

#[path = "01_bisect.rs"]
mod bisect;
#[path = "02_changelog.rs"]
mod changelog;
#[path = "03_rebase.rs"]
mod rebase;
