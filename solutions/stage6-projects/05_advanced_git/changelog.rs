//! Milestone 2, changelog: Markdown release notes from Conventional Commits, grouped by tag.

use std::path::Path;

use super::git::{Result, git};

/// The changelog of the history of `HEAD`, as the lesson's contract says: `# Changelog`, then
/// `## Unreleased` (the commits after the newest release tag, when one of them is listed), then
/// each release tag `vMAJOR.MINOR.PATCH`, newest version first, each with its sections
/// `### ⚠ BREAKING CHANGES`, `### Features` and `### Bug Fixes`.
pub fn changelog(repo: &Path) -> Result<String> {
    let mut tags: Vec<((u64, u64, u64), String)> = git(repo, ["tag", "--merged", "HEAD"])?
        .lines()
        .filter_map(|name| version(name).map(|v| (v, name.to_string())))
        .collect();
    // By version, not by name: as text, "v1.10.0" sorts before "v1.9.0".
    tags.sort();

    // Each release is the range from the previous release's tag to its own; the first one
    // is everything its tag reaches.
    let mut releases = Vec::new();
    let mut previous: Option<&str> = None;
    for (_, tag) in &tags {
        let range = match previous {
            Some(before) => format!("{before}..{tag}"),
            None => tag.clone(),
        };
        releases.push((tag.clone(), entries(repo, &range)?));
        previous = Some(tag);
    }
    let unreleased = match previous {
        Some(last) => entries(repo, &format!("{last}..HEAD"))?,
        None => entries(repo, "HEAD")?,
    };

    let mut blocks = vec!["# Changelog".to_string()];
    if !unreleased.is_empty() {
        render(&mut blocks, "Unreleased", &unreleased);
    }
    for (tag, entries) in releases.iter().rev() {
        render(&mut blocks, tag, entries);
    }
    Ok(blocks.join("\n\n") + "\n")
}

/// One conventional commit that the changelog lists.
struct Entry {
    /// `feat`, `fix` or another type, in lowercase.
    kind: String,
    scope: Option<String>,
    description: String,
    /// What breaks: the `BREAKING CHANGE:` footer's text, or the description after a `!`.
    breaking: Option<String>,
}

impl Entry {
    fn line(&self, text: &str) -> String {
        match &self.scope {
            Some(scope) => format!("- **{scope}:** {text}"),
            None => format!("- {text}"),
        }
    }
}

/// The listed entries of the commits in `range`, newest first, merges left out.
fn entries(repo: &Path, range: &str) -> Result<Vec<Entry>> {
    // Each commit as `\x1e<subject>\x1f<body>`: separators that no message contains.
    let log = git(
        repo,
        ["log", "--no-merges", "--format=%x1e%s%x1f%b", range, "--"],
    )?;
    Ok(log
        .split('\x1e')
        .filter_map(|commit| {
            let (subject, body) = commit.split_once('\x1f')?;
            parse(subject, body)
        })
        .filter(|entry| entry.breaking.is_some() || entry.kind == "feat" || entry.kind == "fix")
        .collect())
}

/// `type(scope)!: description` and its body's `BREAKING CHANGE:` footer; `None` when the subject
/// is not a conventional commit.
fn parse(subject: &str, body: &str) -> Option<Entry> {
    let (head, description) = subject.split_once(": ")?;
    let description = description.trim();
    let (head, bang) = match head.strip_suffix('!') {
        Some(head) => (head, true),
        None => (head, false),
    };
    let (kind, scope) = match head.split_once('(') {
        Some((kind, rest)) => {
            let scope = rest.strip_suffix(')')?;
            if scope.is_empty() || scope.contains(['(', ')']) {
                return None;
            }
            (kind, Some(scope.to_string()))
        }
        None => (head, None),
    };
    if kind.is_empty() || !kind.chars().all(|c| c.is_ascii_alphabetic()) || description.is_empty() {
        return None;
    }
    // The spec: types are not case-sensitive, but the footer token must be uppercase.
    let footer = body.lines().find_map(|line| {
        line.strip_prefix("BREAKING CHANGE: ")
            .or_else(|| line.strip_prefix("BREAKING-CHANGE: "))
            .map(|text| text.trim().to_string())
    });
    Some(Entry {
        kind: kind.to_ascii_lowercase(),
        scope,
        description: description.to_string(),
        breaking: footer.or_else(|| bang.then(|| description.to_string())),
    })
}

/// Adds a release's heading and its non-empty sections to `blocks`.
fn render(blocks: &mut Vec<String>, title: &str, entries: &[Entry]) {
    blocks.push(format!("## {title}"));
    let breaking: Vec<String> = entries
        .iter()
        .filter_map(|e| e.breaking.as_deref().map(|text| e.line(text)))
        .collect();
    let of_kind = |kind: &str| -> Vec<String> {
        entries
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.line(&e.description))
            .collect()
    };
    for (heading, lines) in [
        ("⚠ BREAKING CHANGES", breaking),
        ("Features", of_kind("feat")),
        ("Bug Fixes", of_kind("fix")),
    ] {
        if !lines.is_empty() {
            blocks.push(format!("### {heading}"));
            blocks.push(lines.join("\n"));
        }
    }
}

/// `(major, minor, patch)` of a tag named `vMAJOR.MINOR.PATCH`.
fn version(tag: &str) -> Option<(u64, u64, u64)> {
    let mut parts = tag.strip_prefix('v')?.split('.');
    let mut number = || -> Option<u64> {
        let part = parts.next()?;
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let version = (number()?, number()?, number()?);
    parts.next().is_none().then_some(version)
}
