//! Milestone 1, bisect: `first_bad_commit(repo, good, bad, check)` names the first commit at
//! which `check` fails, with `git bisect run`.
//!
//! Each test builds a history of 48 commits after a good one; each commit writes `status.txt`:
//! `ok` before the first bad commit, `broken` from it on, and `untestable` on a few commits
//! that "do not build". The check is a shell script in the scratch directory that exits 0 for
//! `ok`, 1 for `broken` and 125 for `untestable` (git's "skip this one"), and appends the
//! number of the commit it checked to a log, so the tests can count the checks: a binary
//! search needs about log2(48) ≈ 6 of them, a walk through the commits dozens.

use std::path::PathBuf;

use crate::common::{Repo, bounded};
use crate::exercise::{Error, first_bad_commit};

/// Commits after the good one.
const COMMITS: usize = 48;

/// A bisect's repository: commit 0 is good, commits `first_bad..=COMMITS` are broken, and those
/// in `untestable` cannot be checked. `shas[i]` is commit i's sha; HEAD is on `main`, at 48.
struct Bisect {
    repo: Repo,
    shas: Vec<String>,
    check: PathBuf,
}

impl Bisect {
    fn new(first_bad: usize, untestable: &[usize]) -> Bisect {
        let repo = Repo::new();
        let mut shas = Vec::new();
        for i in 0..=COMMITS {
            let status = if untestable.contains(&i) {
                "untestable"
            } else if i >= first_bad {
                "broken"
            } else {
                "ok"
            };
            let step = format!("{i}\n");
            let status = format!("{status}\n");
            let files = [("step.txt", step.as_str()), ("status.txt", status.as_str())];
            shas.push(repo.commit(&format!("step {i}"), &files));
        }
        let log = repo.scratch.join("checks.log");
        let check = repo.scratch.join("check.sh");
        std::fs::write(
            &check,
            format!(
                "#!/bin/sh\n\
                 cat step.txt >> '{}'\n\
                 case \"$(cat status.txt)\" in\n\
                 ok) exit 0 ;;\n\
                 untestable) exit 125 ;;\n\
                 *) exit 1 ;;\n\
                 esac\n",
                log.display()
            ),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&check, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        Bisect { repo, shas, check }
    }

    /// `first_bad_commit(repo, good, bad, check)`, bounded.
    fn run(&self, good: &str, bad: &str) -> Result<String, Error> {
        let (path, good, bad, check) = (
            self.repo.path.clone(),
            good.to_string(),
            bad.to_string(),
            self.check.clone(),
        );
        bounded("first_bad_commit", move || {
            first_bad_commit(&path, &good, &bad, &check)
        })
    }

    /// The commits the check ran on, in order.
    fn checks(&self) -> Vec<usize> {
        let log = std::fs::read_to_string(self.repo.scratch.join("checks.log")).unwrap_or_default();
        log.lines().map(|l| l.parse().unwrap()).collect()
    }

    /// Panics unless the repository is as the test left it: on `main` at commit 48, a clean
    /// working tree, no bisect in progress.
    fn assert_left_as_found(&self) {
        let repo = &self.repo;
        assert_eq!(
            repo.read(&["symbolic-ref", "--quiet", "HEAD"]),
            "refs/heads/main",
            "HEAD must be back on the branch it was on: run `git bisect reset` at the end, \
             also when something failed"
        );
        assert_eq!(repo.read(&["rev-parse", "HEAD"]), self.shas[COMMITS]);
        assert_eq!(repo.read(&["status", "--porcelain"]), "");
        assert!(
            !repo.in_progress("BISECT_START"),
            "a bisect is still in progress: `git bisect reset` ends it"
        );
    }
}

#[test]
fn names_the_first_bad_commit_in_the_middle_of_the_range() {
    let bisect = Bisect::new(29, &[]);
    let found = bisect.run(&bisect.shas[0], "main").unwrap();
    assert_eq!(found, bisect.shas[29], "the first bad commit is step 29");
}

#[test]
fn names_the_first_commit_after_good_when_it_is_the_bad_one() {
    let bisect = Bisect::new(1, &[]);
    let found = bisect.run(&bisect.shas[0], &bisect.shas[COMMITS]).unwrap();
    assert_eq!(found, bisect.shas[1], "the first bad commit is step 1");
}

#[test]
fn names_the_last_commit_when_only_it_is_bad() {
    let bisect = Bisect::new(COMMITS, &[]);
    let found = bisect.run(&bisect.shas[0], "main").unwrap();
    assert_eq!(
        found, bisect.shas[COMMITS],
        "the first bad commit is step 48"
    );
}

#[test]
fn accepts_any_revision_names_for_good_and_bad() {
    let bisect = Bisect::new(17, &[]);
    bisect.repo.git(&["tag", "v1.0.0", &bisect.shas[3]]);
    let found = bisect.run("v1.0.0", "main~4").unwrap();
    assert_eq!(found, bisect.shas[17], "the first bad commit is step 17");
}

#[test]
fn runs_the_check_about_log2_n_times_not_once_per_commit() {
    // ceil(log2(48)) = 6 checks find the commit; a few more are fine (checking `good` first,
    // a skipped commit), a walk through the commits is not, from either end.
    for first_bad in [6, 41] {
        let bisect = Bisect::new(first_bad, &[]);
        let found = bisect.run(&bisect.shas[0], "main").unwrap();
        assert_eq!(found, bisect.shas[first_bad]);
        let checks = bisect.checks();
        assert!(
            checks.len() <= 9,
            "a binary search over {COMMITS} commits checks about 6 of them, at most 9; the \
             check ran {} times, on steps {checks:?} (with the first bad commit at step \
             {first_bad}): let `git bisect run` choose the commits",
            checks.len()
        );
    }
}

#[test]
fn skips_commits_the_check_cannot_test() {
    // Steps 19 to 21 and 24 do not build (exit 125); step 23 is the first bad one. A skipped
    // commit is neither good nor bad: git tries a neighbour instead.
    let bisect = Bisect::new(23, &[19, 20, 21, 24]);
    let found = bisect.run(&bisect.shas[0], "main").unwrap();
    assert_eq!(
        found, bisect.shas[23],
        "the first bad commit is step 23; steps 19-21 and 24 could not be tested (exit 125)"
    );
    let checks = bisect.checks();
    assert!(
        [19, 20, 21, 24]
            .iter()
            .any(|skipped| checks.contains(skipped)),
        "the search is meant to meet an untestable commit: the check ran on {checks:?}"
    );
}

#[test]
fn leaves_the_repository_on_its_branch_with_no_bisect_in_progress() {
    let bisect = Bisect::new(35, &[]);
    let found = bisect.run(&bisect.shas[0], "main").unwrap();
    assert_eq!(found, bisect.shas[35]);
    bisect.assert_left_as_found();
}

#[test]
fn refuses_a_good_commit_that_is_not_an_ancestor_of_bad() {
    let bisect = Bisect::new(30, &[]);
    // Swapped: the "good" commit is newer than the "bad" one.
    let swapped = bisect.run("main", &bisect.shas[10]);
    assert!(
        matches!(swapped, Err(Error::BadRange(_))),
        "good = step 48 and bad = step 10 is no range to search: expected \
         Err(Error::BadRange(..)), got {swapped:?}"
    );
    // On another branch: it forked from step 5 and never met main again.
    bisect
        .repo
        .git(&["switch", "--quiet", "--create", "side", &bisect.shas[5]]);
    let side = bisect.repo.commit("side work", &[("side.txt", "side\n")]);
    bisect.repo.git(&["switch", "--quiet", "main"]);
    let forked = bisect.run(&side, "main");
    assert!(
        matches!(forked, Err(Error::BadRange(_))),
        "a good commit on a branch that main does not contain is no range to search: \
         expected Err(Error::BadRange(..)), got {forked:?}"
    );
    bisect.assert_left_as_found();
}

#[test]
fn refuses_a_range_where_the_check_already_fails_at_good() {
    // Step 12 is broken already: git would blame step 13 (the first commit it checks after
    // the "good" one), which is not true.
    let bisect = Bisect::new(8, &[]);
    let result = bisect.run(&bisect.shas[12], "main");
    assert!(
        matches!(result, Err(Error::BadRange(_))),
        "the check fails at the good commit (step 12): expected Err(Error::BadRange(..)), \
         got {result:?}"
    );
    bisect.assert_left_as_found();
}
