//! The changelog of a real repository, from its Conventional Commits (milestone 2 of project
//! 05): `cargo run -p stage6-projects --bin changelog` prints the changelog of the repository
//! in the current directory, `cargo run -p stage6-projects --bin changelog -- ../some/repo`
//! that of another one; with `--features solution`, the reference's. Your code is in
//! `exercises/05_advanced_git/changelog.rs`.
//!
//! Try it on a project you know that writes Conventional Commits (and tags `vX.Y.Z`), e.g.
//! `git clone https://github.com/googleapis/release-please`, and compare with its
//! `CHANGELOG.md`. Until milestone 2 is written, it says so and exits with status 2.

use std::path::PathBuf;
use std::process::ExitCode;

#[cfg(not(feature = "solution"))]
#[allow(unused_variables, unused_imports, dead_code)]
#[path = "../../exercises/05_advanced_git/mod.rs"]
mod exercise;
// Only the changelog is used here, not the bisect or the rebase.
#[cfg(feature = "solution")]
#[allow(dead_code, unused_imports)]
#[path = "../../../solutions/stage6-projects/05_advanced_git/mod.rs"]
mod exercise;

fn main() -> ExitCode {
    let repo = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    // The starter's `todo!` is a panic: report it as what is left to write, not as a crash.
    std::panic::set_hook(Box::new(|_| {}));
    match std::panic::catch_unwind(|| exercise::changelog(&repo)) {
        Ok(Ok(text)) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Ok(Err(e)) => {
            eprintln!("changelog: {e}");
            ExitCode::FAILURE
        }
        Err(panic) => {
            let said = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("a panic");
            eprintln!(
                "changelog: {said}\n(write `changelog` in \
                 stage6-projects/exercises/05_advanced_git/changelog.rs, milestone 2; \
                 `cargo xtask check 05_advanced_git` runs its tests)"
            );
            ExitCode::from(2)
        }
    }
}
