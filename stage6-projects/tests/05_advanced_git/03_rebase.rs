//! Milestone 3, rebase: `rebase_and_resolve(repo, branch, onto)` replays `branch` on top of
//! `onto`, resolving each conflict by the rule (each conflicting hunk: `onto`'s lines, then the
//! commit's), until the rebase is done.
//!
//! The history: `main` and `feature` fork from one commit. Both add lines at the end of
//! `CHANGES.md` and `AUTHORS`, so the feature's first and third commits conflict when they are
//! replayed; its second only adds `lexer.txt`. Each feature commit has its own author. HEAD is
//! on `main` when the project is called: checking the branch out is the project's job.

use crate::common::{Repo, bounded};
use crate::exercise::rebase_and_resolve;

const ALICE: (&str, &str) = ("Alice Liddell", "alice@example.com");
const BOB: (&str, &str) = ("Bob Dylan", "bob@example.com");

/// `rebase_and_resolve(repo, branch, onto)`, bounded; panics on an error.
fn rebase(repo: &Repo, branch: &str, onto: &str) {
    let (path, branch, onto) = (repo.path.clone(), branch.to_string(), onto.to_string());
    bounded("rebase_and_resolve", move || {
        rebase_and_resolve(&path, &branch, &onto)
    })
    .unwrap_or_else(|e| panic!("rebase_and_resolve: {e}"));
}

/// The fork: the common commit, with the two lists and a readme.
fn fork() -> Repo {
    let repo = Repo::new();
    repo.commit(
        "chore: start",
        &[
            ("CHANGES.md", "# Changes\n\n- start\n"),
            ("AUTHORS", "Ann\n"),
            ("README.md", "a parser\n"),
        ],
    );
    repo.git(&["branch", "feature"]);
    repo
}

/// `main`'s side: two lines added to CHANGES.md, one to AUTHORS, in three commits.
fn main_moves_on(repo: &Repo) {
    repo.commit(
        "docs: note the cache",
        &[("CHANGES.md", "# Changes\n\n- start\n- cache\n")],
    );
    repo.commit(
        "docs: note the metrics",
        &[("CHANGES.md", "# Changes\n\n- start\n- cache\n- metrics\n")],
    );
    repo.commit("docs: welcome Cy", &[("AUTHORS", "Ann\nCy\n")]);
}

/// `feature`'s side: a line to CHANGES.md (Alice), a new file (Bob), a line to AUTHORS (Alice).
fn feature_commits(repo: &Repo) {
    repo.git(&["switch", "--quiet", "feature"]);
    repo.commit_by(
        ALICE,
        "feat: add the parser",
        &[("CHANGES.md", "# Changes\n\n- start\n- parser\n")],
    );
    repo.commit_by(BOB, "feat: add a lexer", &[("lexer.txt", "tokens\n")]);
    repo.commit_by(ALICE, "docs: welcome Dee", &[("AUTHORS", "Ann\nDee\n")]);
    repo.git(&["switch", "--quiet", "main"]);
}

/// The whole scenario: both sides' commits, HEAD on main; main's tip sha.
fn conflicting() -> (Repo, String) {
    let repo = fork();
    main_moves_on(&repo);
    feature_commits(&repo);
    let main = repo.read(&["rev-parse", "main"]);
    (repo, main)
}

/// `feature`'s commits on top of main, oldest first, as "author <email> | subject".
fn replayed(repo: &Repo) -> Vec<String> {
    repo.read(&[
        "log",
        "--reverse",
        "--format=%an <%ae> | %s",
        "main..feature",
    ])
    .lines()
    .map(str::to_string)
    .collect()
}

#[test]
fn rebases_a_branch_that_does_not_conflict_onto_main() {
    let repo = fork();
    main_moves_on(&repo);
    repo.git(&["switch", "--quiet", "feature"]);
    repo.commit_by(BOB, "feat: add a lexer", &[("lexer.txt", "tokens\n")]);
    repo.git(&["switch", "--quiet", "main"]);
    let main = repo.read(&["rev-parse", "main"]);

    rebase(&repo, "feature", "main");

    assert_eq!(
        repo.read(&["rev-parse", "feature~1"]),
        main,
        "the feature's commit now sits on main's tip"
    );
    assert_eq!(
        replayed(&repo),
        ["Bob Dylan <bob@example.com> | feat: add a lexer"]
    );
    assert_eq!(repo.read(&["show", "feature:lexer.txt"]), "tokens");
    assert_eq!(
        repo.read(&["show", "feature:CHANGES.md"]),
        "# Changes\n\n- start\n- cache\n- metrics"
    );
}

#[test]
fn keeps_both_sides_lines_main_first_when_a_commit_conflicts() {
    let repo = fork();
    main_moves_on(&repo);
    repo.git(&["switch", "--quiet", "feature"]);
    repo.commit_by(
        ALICE,
        "feat: add the parser",
        &[("CHANGES.md", "# Changes\n\n- start\n- parser\n")],
    );
    repo.git(&["switch", "--quiet", "main"]);

    rebase(&repo, "feature", "main");

    assert_eq!(
        repo.read(&["show", "feature:CHANGES.md"]),
        "# Changes\n\n- start\n- cache\n- metrics\n- parser",
        "the conflict resolves to main's lines, then the commit's, without markers"
    );
    assert_eq!(
        replayed(&repo),
        ["Alice Liddell <alice@example.com> | feat: add the parser"]
    );
}

#[test]
fn resolves_every_conflicting_commit_not_only_the_first() {
    let (repo, _) = conflicting();

    rebase(&repo, "feature", "main");

    // Each commit's own tree is resolved: the first's CHANGES.md, the third's AUTHORS.
    assert_eq!(
        repo.read(&["show", "feature~2:CHANGES.md"]),
        "# Changes\n\n- start\n- cache\n- metrics\n- parser",
        "the feature's first commit, replayed, has both sides' CHANGES.md lines"
    );
    assert_eq!(repo.read(&["show", "feature~2:AUTHORS"]), "Ann\nCy");
    assert_eq!(
        repo.read(&["show", "feature:AUTHORS"]),
        "Ann\nCy\nDee",
        "the feature's third commit conflicts too: main's Cy, then its Dee"
    );
    assert_eq!(
        repo.file("CHANGES.md"),
        "# Changes\n\n- start\n- cache\n- metrics\n- parser\n"
    );
    assert_eq!(repo.file("AUTHORS"), "Ann\nCy\nDee\n");
    assert_eq!(repo.file("lexer.txt"), "tokens\n");
}

#[test]
fn keeps_each_commit_with_its_message_and_author_in_a_linear_history() {
    let (repo, main) = conflicting();

    rebase(&repo, "feature", "main");

    assert_eq!(
        replayed(&repo),
        [
            "Alice Liddell <alice@example.com> | feat: add the parser",
            "Bob Dylan <bob@example.com> | feat: add a lexer",
            "Alice Liddell <alice@example.com> | docs: welcome Dee",
        ],
        "every commit of the branch, in order, with its author and message"
    );
    assert_eq!(
        repo.read(&["rev-list", "--merges", "main..feature"]),
        "",
        "a rebase makes no merge commit"
    );
    assert_eq!(
        repo.read(&["rev-parse", "feature~3"]),
        main,
        "the first replayed commit's parent is main's tip"
    );
}

#[test]
fn finishes_on_the_branch_with_a_clean_tree_and_main_untouched() {
    let (repo, main) = conflicting();

    rebase(&repo, "feature", "main");

    assert!(
        !repo.in_progress("rebase-merge") && !repo.in_progress("rebase-apply"),
        "a rebase is still in progress: continue until git says it is done"
    );
    assert_eq!(
        repo.read(&["symbolic-ref", "--quiet", "HEAD"]),
        "refs/heads/feature"
    );
    assert_eq!(
        repo.read(&["status", "--porcelain", "--untracked-files=all"]),
        "",
        "the working tree is clean"
    );
    assert_eq!(
        repo.read(&["rev-parse", "main"]),
        main,
        "main does not move"
    );
    let markers = repo.run(&[
        "grep",
        "--quiet",
        "-E",
        "^(<<<<<<<|=======|>>>>>>>)",
        "feature",
        "--",
    ]);
    assert!(!markers.status.success(), "conflict markers were committed");
}
