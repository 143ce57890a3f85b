//! Milestone 2, changelog: `changelog(repo)` is the Markdown changelog of HEAD's history, from
//! its Conventional Commits (<https://www.conventionalcommits.org/en/v1.0.0/>), grouped by
//! release tag. Each test makes a history, tags it, and compares the whole text with the one
//! the lesson's contract gives: the order of releases, sections and entries, and the blank
//! lines, are part of it.

use crate::common::{Repo, bounded};
use crate::exercise::changelog;

/// `changelog(repo)`, bounded; panics on an error.
fn changelog_of(repo: &Repo) -> String {
    let path = repo.path.clone();
    bounded("changelog", move || changelog(&path)).unwrap_or_else(|e| panic!("changelog: {e}"))
}

/// One commit per message, each changing a file, oldest first.
fn commits(repo: &Repo, messages: &[&str]) {
    for (i, message) in messages.iter().enumerate() {
        let line = format!("{i}: {message}\n");
        repo.commit(message, &[("notes.txt", line.as_str())]);
    }
}

#[test]
fn lists_the_features_and_fixes_of_an_untagged_history_as_unreleased() {
    let repo = Repo::new();
    commits(
        &repo,
        &[
            "Initial commit",
            "feat: parse the config file",
            "chore: set up ci",
            "fix: handle an empty config",
            "docs: explain the flags",
            "feat: read the config from stdin",
            "update the readme",
        ],
    );
    assert_eq!(
        changelog_of(&repo),
        "# Changelog\n\
         \n\
         ## Unreleased\n\
         \n\
         ### Features\n\
         \n\
         - read the config from stdin\n\
         - parse the config file\n\
         \n\
         ### Bug Fixes\n\
         \n\
         - handle an empty config\n",
        "no tag yet: everything is Unreleased; features and fixes newest first; chore, docs and \
         subjects that are not conventional are left out"
    );
}

#[test]
fn shows_the_scope_in_bold_before_the_description() {
    let repo = Repo::new();
    commits(
        &repo,
        &[
            "feat(cli): add a --verbose flag",
            "fix(parser): accept a trailing comma",
            "feat: colour the output",
        ],
    );
    assert_eq!(
        changelog_of(&repo),
        "# Changelog\n\
         \n\
         ## Unreleased\n\
         \n\
         ### Features\n\
         \n\
         - colour the output\n\
         - **cli:** add a --verbose flag\n\
         \n\
         ### Bug Fixes\n\
         \n\
         - **parser:** accept a trailing comma\n"
    );
}

#[test]
fn reads_the_type_in_any_case() {
    let repo = Repo::new();
    commits(
        &repo,
        &[
            "Feat: export to CSV",
            "FIX(api): return 404 for a missing user",
            "Docs: typo",
        ],
    );
    assert_eq!(
        changelog_of(&repo),
        "# Changelog\n\
         \n\
         ## Unreleased\n\
         \n\
         ### Features\n\
         \n\
         - export to CSV\n\
         \n\
         ### Bug Fixes\n\
         \n\
         - **api:** return 404 for a missing user\n",
        "the spec: types are not case-sensitive (`Feat` is `feat`)"
    );
}

#[test]
fn groups_commits_by_the_release_tag_that_first_contains_them_newest_first() {
    let repo = Repo::new();
    commits(&repo, &["feat: first feature", "fix: first fix"]);
    repo.git(&[
        "tag",
        "--annotate",
        "--message",
        "the first release",
        "v0.1.0",
    ]);
    commits(&repo, &["feat: second feature", "chore: release 0.2.0"]);
    repo.git(&["tag", "v0.2.0"]);
    commits(&repo, &["fix: after the release"]);
    assert_eq!(
        changelog_of(&repo),
        "# Changelog\n\
         \n\
         ## Unreleased\n\
         \n\
         ### Bug Fixes\n\
         \n\
         - after the release\n\
         \n\
         ## v0.2.0\n\
         \n\
         ### Features\n\
         \n\
         - second feature\n\
         \n\
         ## v0.1.0\n\
         \n\
         ### Features\n\
         \n\
         - first feature\n\
         \n\
         ### Bug Fixes\n\
         \n\
         - first fix\n",
        "v0.1.0 (annotated) holds the commits up to it, the first one included; v0.2.0 \
         (lightweight) those after v0.1.0; Unreleased those after v0.2.0"
    );
}

#[test]
fn orders_releases_by_version_so_v0_10_comes_after_v0_9() {
    let repo = Repo::new();
    for (version, feature) in [
        ("v0.8.0", "eight"),
        ("v0.9.0", "nine"),
        ("v1.0", "not a release: no patch number"),
        ("v0.10.0", "ten"),
        ("v0.11.0", "eleven"),
    ] {
        commits(&repo, &[&format!("feat: {feature}")]);
        repo.git(&["tag", version]);
    }
    repo.git(&["tag", "nightly"]);
    assert_eq!(
        changelog_of(&repo),
        "# Changelog\n\
         \n\
         ## v0.11.0\n\
         \n\
         ### Features\n\
         \n\
         - eleven\n\
         \n\
         ## v0.10.0\n\
         \n\
         ### Features\n\
         \n\
         - ten\n\
         - not a release: no patch number\n\
         \n\
         ## v0.9.0\n\
         \n\
         ### Features\n\
         \n\
         - nine\n\
         \n\
         ## v0.8.0\n\
         \n\
         ### Features\n\
         \n\
         - eight\n",
        "releases are ordered by version (as text, \"v0.10.0\" < \"v0.8.0\"); `v1.0` and \
         `nightly` are not vMAJOR.MINOR.PATCH, so they are no releases"
    );
}

#[test]
fn lists_a_commit_marked_with_a_bang_as_breaking_and_under_its_type() {
    let repo = Repo::new();
    commits(&repo, &["feat: the first api"]);
    repo.git(&["tag", "v1.0.0"]);
    commits(
        &repo,
        &[
            "feat(api)!: serve v2 only",
            "refactor!: drop the old config format",
            "fix: tidy the logs",
        ],
    );
    repo.git(&["tag", "v2.0.0"]);
    assert_eq!(
        changelog_of(&repo),
        "# Changelog\n\
         \n\
         ## v2.0.0\n\
         \n\
         ### ⚠ BREAKING CHANGES\n\
         \n\
         - drop the old config format\n\
         - **api:** serve v2 only\n\
         \n\
         ### Features\n\
         \n\
         - **api:** serve v2 only\n\
         \n\
         ### Bug Fixes\n\
         \n\
         - tidy the logs\n\
         \n\
         ## v1.0.0\n\
         \n\
         ### Features\n\
         \n\
         - the first api\n",
        "a `!` marks a breaking change, of any type; a breaking feat is also a feature"
    );
}

#[test]
fn takes_a_breaking_change_from_the_footer_of_the_body() {
    let repo = Repo::new();
    commits(
        &repo,
        &[
            "feat(api): serve v2\n\nThe routes move under /v2.\n\nBREAKING CHANGE: the v1 routes are gone",
            "feat: explain the upgrade\n\nRead UPGRADING.md: it is not a BREAKING CHANGE: in itself.",
            "fix: count from zero\n\nBREAKING-CHANGE: indexes start at 0",
            "chore: raise the minimum Rust\n\nBREAKING CHANGE: needs Rust 1.85",
        ],
    );
    assert_eq!(
        changelog_of(&repo),
        "# Changelog\n\
         \n\
         ## Unreleased\n\
         \n\
         ### ⚠ BREAKING CHANGES\n\
         \n\
         - needs Rust 1.85\n\
         - indexes start at 0\n\
         - **api:** the v1 routes are gone\n\
         \n\
         ### Features\n\
         \n\
         - explain the upgrade\n\
         - **api:** serve v2\n\
         \n\
         ### Bug Fixes\n\
         \n\
         - count from zero\n",
        "a body line starting with `BREAKING CHANGE: ` or `BREAKING-CHANGE: ` is a breaking \
         change, its text the rest of the line; the words in the middle of a line are not"
    );
}

#[test]
fn leaves_out_merges_and_groups_a_late_merged_branch_by_tag_not_by_date() {
    let repo = Repo::new();
    commits(&repo, &["feat: one"]);
    repo.git(&["tag", "v1.0.0"]);
    // A branch made before v1.1.0, its commit dated before v1.1.0's, merged after it: it is
    // part of v1.2.0, the first release whose tag contains it.
    repo.git(&["switch", "--quiet", "--create", "search"]);
    repo.commit(
        "feat(search): index the titles",
        &[("search.txt", "titles\n")],
    );
    repo.git(&["switch", "--quiet", "main"]);
    commits(&repo, &["fix: two"]);
    repo.git(&["tag", "v1.1.0"]);
    repo.git(&[
        "merge",
        "--quiet",
        "--no-ff",
        "--message",
        "feat(search): merge the search branch (#12)",
        "search",
    ]);
    commits(&repo, &["fix: three"]);
    repo.git(&["tag", "v1.2.0"]);
    assert_eq!(
        changelog_of(&repo),
        "# Changelog\n\
         \n\
         ## v1.2.0\n\
         \n\
         ### Features\n\
         \n\
         - **search:** index the titles\n\
         \n\
         ### Bug Fixes\n\
         \n\
         - three\n\
         \n\
         ## v1.1.0\n\
         \n\
         ### Bug Fixes\n\
         \n\
         - two\n\
         \n\
         ## v1.0.0\n\
         \n\
         ### Features\n\
         \n\
         - one\n",
        "the merge commit is left out, and the branch's commit belongs to v1.2.0 (v1.1.0's \
         tag does not contain it), though it was made before v1.1.0"
    );
}

#[test]
fn keeps_the_heading_of_a_release_with_nothing_to_list() {
    let repo = Repo::new();
    commits(&repo, &["feat: one"]);
    repo.git(&["tag", "v1.0.0"]);
    commits(&repo, &["chore: bump the dependencies", "docs: fix a typo"]);
    repo.git(&["tag", "v1.0.1"]);
    commits(&repo, &["ci: cache the build"]);
    assert_eq!(
        changelog_of(&repo),
        "# Changelog\n\
         \n\
         ## v1.0.1\n\
         \n\
         ## v1.0.0\n\
         \n\
         ### Features\n\
         \n\
         - one\n",
        "a release is listed even with nothing to say; Unreleased only when it has an entry"
    );

    let plain = Repo::new();
    commits(&plain, &["first", "second"]);
    assert_eq!(
        changelog_of(&plain),
        "# Changelog\n",
        "no release and nothing to list"
    );
}
