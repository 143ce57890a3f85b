//! Unified diffs (`diff -u`), read and applied by hand: the course keeps each plausible
//! wrong solution as the change it makes to the reference, not as a copy of it, so a mistake
//! reads as what it gets wrong and follows the reference when the rest of it changes.
//!
//! A hunk is found where its old lines (context and removed) stand in the file, at the line
//! it names or the nearest place after the previous hunk; a patch whose old lines are gone
//! no longer applies and says so.

/// A patch: its description (the text before the first `---`), and the files it changes.
#[derive(Debug, PartialEq, Eq)]
pub struct Patch {
    pub description: String,
    pub files: Vec<FilePatch>,
}

/// The changes to one file, named as in `+++ b/<path>`.
#[derive(Debug, PartialEq, Eq)]
pub struct FilePatch {
    pub path: String,
    hunks: Vec<Hunk>,
}

#[derive(Debug, PartialEq, Eq)]
struct Hunk {
    /// 1-based line of the first old line, as the header says.
    old_start: usize,
    old: Vec<String>,
    new: Vec<String>,
}

pub fn parse(text: &str) -> Result<Patch, String> {
    let mut description = Vec::new();
    let mut files: Vec<FilePatch> = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(old) = line.strip_prefix("--- ") {
            let new = lines
                .next()
                .and_then(|l| l.strip_prefix("+++ "))
                .ok_or_else(|| format!("`--- {old}` is not followed by a `+++` line"))?;
            let path = new.split('\t').next().unwrap_or(new).trim();
            let path = path.strip_prefix("b/").unwrap_or(path).to_string();
            files.push(FilePatch {
                path,
                hunks: Vec::new(),
            });
            continue;
        }
        if let Some(header) = line.strip_prefix("@@ ") {
            let file = files
                .last_mut()
                .ok_or("a hunk (`@@`) comes before any `---`/`+++` file header")?;
            let old_start = header
                .strip_prefix('-')
                .and_then(|h| h.split([',', ' ']).next())
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| format!("cannot read the hunk header `@@ {header}`"))?;
            let mut hunk = Hunk {
                old_start,
                old: Vec::new(),
                new: Vec::new(),
            };
            while let Some(body) = lines.peek() {
                if body.starts_with("@@ ") || body.starts_with("--- ") {
                    break;
                }
                let body = lines.next().expect("peeked");
                match body.chars().next() {
                    Some(' ') => {
                        hunk.old.push(body[1..].to_string());
                        hunk.new.push(body[1..].to_string());
                    }
                    // Some tools drop the space of an empty context line.
                    None => {
                        hunk.old.push(String::new());
                        hunk.new.push(String::new());
                    }
                    Some('-') => hunk.old.push(body[1..].to_string()),
                    Some('+') => hunk.new.push(body[1..].to_string()),
                    Some('\\') => {} // "\ No newline at end of file"
                    Some(_) => return Err(format!("cannot read the hunk line `{body}`")),
                }
            }
            file.hunks.push(hunk);
            continue;
        }
        if files.is_empty() {
            description.push(line);
        }
    }
    if files.is_empty() {
        return Err("no file header (`--- a/…`, `+++ b/…`): is it a unified diff?".into());
    }
    Ok(Patch {
        description: description.join("\n").trim().to_string(),
        files,
    })
}

impl FilePatch {
    /// The file with the changes made; the file keeps its final newline, or lack of one.
    pub fn apply(&self, original: &str) -> Result<String, String> {
        let lines: Vec<&str> = original.lines().collect();
        let mut out: Vec<&str> = Vec::new();
        let mut cursor = 0;
        for hunk in &self.hunks {
            let at = find(&lines, cursor, hunk).ok_or_else(|| {
                format!(
                    "its change at line {} no longer applies to {}: the reference changed there; \
                     cut the mistake again from the current reference (`diff -u`)",
                    hunk.old_start, self.path
                )
            })?;
            out.extend(&lines[cursor..at]);
            out.extend(hunk.new.iter().map(String::as_str));
            cursor = at + hunk.old.len();
        }
        out.extend(&lines[cursor..]);
        let mut text = out.join("\n");
        if original.ends_with('\n') {
            text.push('\n');
        }
        Ok(text)
    }
}

/// Where the hunk's old lines stand, at or after `from`: the place nearest the line its
/// header names.
fn find(lines: &[&str], from: usize, hunk: &Hunk) -> Option<usize> {
    let len = hunk.old.len();
    if len > lines.len() {
        return None;
    }
    let matches_at = |at: usize| {
        lines[at..at + len]
            .iter()
            .zip(&hunk.old)
            .all(|(a, b)| *a == b)
    };
    let wanted = hunk.old_start.saturating_sub(1).max(from);
    (from..=lines.len() - len)
        .filter(|at| matches_at(*at))
        .min_by_key(|at| at.abs_diff(wanted))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFERENCE: &str =
        "fn a() {}\n\npub fn rank(i: usize) -> usize {\n    i + 1\n}\n\nfn b() {}\n";

    const PATCH: &str = "mistake: rank counts from zero\n\n\
--- a/11_x.rs\n+++ b/11_x.rs\n@@ -3,3 +3,3 @@\n pub fn rank(i: usize) -> usize {\n-    i + 1\n+    i\n }\n";

    #[test]
    fn reads_the_description_and_the_changes() {
        let patch = parse(PATCH).unwrap();
        assert_eq!(patch.description, "mistake: rank counts from zero");
        assert_eq!(patch.files.len(), 1);
        assert_eq!(patch.files[0].path, "11_x.rs");
        assert_eq!(
            patch.files[0].apply(REFERENCE).unwrap(),
            "fn a() {}\n\npub fn rank(i: usize) -> usize {\n    i\n}\n\nfn b() {}\n"
        );
    }

    #[test]
    fn a_hunk_follows_its_lines_when_the_reference_grows_above_them() {
        let grown = format!("// a new first line\n// and another\n{REFERENCE}");
        let patched = parse(PATCH).unwrap().files[0].apply(&grown).unwrap();
        assert!(patched.contains("usize {\n    i\n}"), "{patched}");
        assert!(patched.starts_with("// a new first line\n"));
    }

    #[test]
    fn a_hunk_whose_lines_are_gone_says_so() {
        let changed = REFERENCE.replace("i + 1", "i.saturating_add(1)");
        assert_eq!(
            parse(PATCH).unwrap().files[0].apply(&changed).unwrap_err(),
            "its change at line 3 no longer applies to 11_x.rs: the reference changed there; \
             cut the mistake again from the current reference (`diff -u`)"
        );
    }

    #[test]
    fn text_without_a_file_header_is_not_a_patch() {
        assert!(parse("mistake: nothing\n").is_err());
    }
}
