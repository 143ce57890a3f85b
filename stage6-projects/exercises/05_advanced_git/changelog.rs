//! Milestone 2, changelog: Markdown release notes from Conventional Commits, grouped by tag.
//!
//! What it needs (the lesson in `mod.rs` has the contract, the tests the exact text): the
//! release tags that HEAD contains (`git tag --merged HEAD`), kept when named
//! `vMAJOR.MINOR.PATCH` and ordered by version; for each release, and for Unreleased, its
//! commits' subjects and bodies (`git log --no-merges --format=... <from>..<to>`: pick
//! separators no message contains, `%x1e` and `%x1f` print the bytes 0x1e and 0x1f); a parser
//! of `type(scope)!: description` and of the `BREAKING CHANGE:` footer; then the Markdown.

use std::path::Path;

use super::git::{Result, git};

/// The changelog of the history of `HEAD`, as the lesson's contract says: `# Changelog`, then
/// `## Unreleased` (the commits after the newest release tag, when one of them is listed), then
/// each release tag `vMAJOR.MINOR.PATCH`, newest version first, each with its sections
/// `### ⚠ BREAKING CHANGES`, `### Features` and `### Bug Fixes`.
pub fn changelog(repo: &Path) -> Result<String> {
    // TODO: the releases and their ranges, each range's entries, then the text.
    todo!(
        "write the changelog of HEAD's history from its Conventional Commits (milestone 2, changelog)"
    )
}
