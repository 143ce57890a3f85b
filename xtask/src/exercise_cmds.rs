//! Commands about one exercise: `hint`, `solution`, `reset`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::files::ExerciseFiles;
use crate::state::{Standing, State};
use crate::{CmdResult, Ctx, Error};

/// `cargo xtask hint EXERCISE`: one more hint each time, then all of them.
pub fn hint(ctx: &Ctx, name: &str) -> CmdResult {
    let ex = ctx.resolve_exercise(name)?;
    let s = ctx.style;
    let mut state = State::load(&ctx.root);
    let seen = state.hints_seen.get(&ex.id).copied().unwrap_or(0);
    let total = ex.hints.len();
    if total == 0 {
        println!(
            "{} has no hints yet; its lesson and its tests are the guide.",
            ex.file
        );
        return Ok(0);
    }
    if seen < total {
        println!(
            "{}",
            s.bold(&format!("Hint {} of {total} for {}:", seen + 1, ex.file))
        );
        println!("{}", indent(&ex.hints[seen]));
        if seen + 1 < total {
            println!(
                "\n{}",
                s.dim(&format!(
                    "`cargo xtask hint {}` again gives the next one.",
                    ex.file
                ))
            );
        } else {
            println!("\n{}", s.dim(&format!(
                "That was the last hint. Once the exercise passes, `cargo xtask solution {}` shows the reference.",
                ex.file
            )));
        }
        state.hints_seen.insert(ex.id.clone(), seen + 1);
        state.save(&ctx.root)?;
    } else {
        println!("{}", s.bold(&format!("All {total} hints for {}:", ex.file)));
        for (i, hint) in ex.hints.iter().enumerate() {
            println!("{}. {}", i + 1, indent(hint).trim_start());
        }
    }
    Ok(0)
}

fn indent(text: &str) -> String {
    text.trim()
        .lines()
        .map(|l| format!("   {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `cargo xtask solution EXERCISE [--force]`: the reference's files, in full when they are
/// short enough to read in a terminal, else their paths and sizes.
pub fn solution(ctx: &Ctx, name: &str, force: bool) -> CmdResult {
    let ex = ctx.resolve_exercise(name)?;
    let standing = Standing::load(&ctx.root, &ctx.manifest);
    if !standing.passed(ex) && !force {
        return Err(Error::Failed(format!(
            "{} has not passed yet (as it stands now): the solution waits until it does. \
             `cargo xtask check {}` checks it, `cargo xtask hint {}` helps; `--force` shows it anyway",
            ex.file, ex.file, ex.file
        )));
    }
    let files = ctx.manifest.files(ex);
    let mut texts = Vec::new();
    for rel in files.solution_files(&ctx.root) {
        let text = std::fs::read_to_string(ctx.root.join(&rel))
            .map_err(|e| format!("cannot read {}: {e}", rel.display()))?;
        texts.push((rel, text));
    }
    print!("{}", render_solution(ctx.style, &files.solution, &texts));
    Ok(0)
}

/// More lines than this are listed, not printed: an app is read in an editor.
const PRINTED_LINES: usize = 400;

fn render_solution(s: crate::term::Style, root: &Path, texts: &[(PathBuf, String)]) -> String {
    let lines: usize = texts.iter().map(|(_, t)| t.lines().count()).sum();
    let mut out = String::new();
    if lines > PRINTED_LINES {
        out.push_str(&format!(
            "{}\n",
            s.bold(&format!(
                "The reference solution is {} files, {lines} lines; open them in your editor:",
                texts.len()
            ))
        ));
        for (rel, text) in texts {
            out.push_str(&format!(
                "  {}  ({} lines)\n",
                rel.display(),
                text.lines().count()
            ));
        }
        return out;
    }
    for (rel, text) in texts {
        let title = if rel == root {
            format!("// The reference solution: {}", rel.display())
        } else {
            format!("// The reference solution, {}", rel.display())
        };
        out.push_str(&format!("{}\n{text}", s.bold(&title)));
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// `cargo xtask reset EXERCISE`: back up the learner's files, then restore the starter. A
/// directory exercise is restored whole: files the learner added go (into the backup too).
pub fn reset(ctx: &Ctx, name: &str) -> CmdResult {
    let ex = ctx.resolve_exercise(name)?;
    let files = ctx.manifest.files(ex);
    let shown = files.exercise.display();
    let starters: Vec<(&PathBuf, &String)> = ctx
        .checksums
        .entries
        .iter()
        .filter(|(rel, _)| files.owns(rel))
        .collect();
    if starters.is_empty() {
        return Err(Error::Failed(format!(
            "the course has no record of the starter of {shown} (xtask/checksums.txt); nothing was changed"
        )));
    }
    let current: Vec<PathBuf> = files
        .exercise_files(&ctx.root)
        .into_iter()
        .filter(|rel| ctx.root.join(rel).is_file())
        .collect();
    let is_starter = current.len() == starters.len()
        && starters
            .iter()
            .all(|(rel, want)| crate::hash::of_file(&ctx.root.join(rel)) == **want);
    if is_starter {
        println!("{shown} is already the starter; nothing to do.");
        return Ok(0);
    }
    let mut restored = Vec::new();
    for (rel, want) in &starters {
        let bytes = starter_from_git(&ctx.root, rel, want).ok_or_else(|| {
            format!(
                "cannot find the course's starter for {} in git's history; nothing was changed. \
                 If you downloaded the course without git, download it again and copy {shown} over",
                rel.display()
            )
        })?;
        restored.push((*rel, bytes));
    }
    if !current.is_empty() {
        let backup = backup(&ctx.root, &files, &current)?;
        let saved = backup.strip_prefix(&ctx.root).unwrap_or(&backup);
        println!("Your version is saved as {}", saved.display());
        let bring_back = if ex.directory {
            format!("cp -r {}/. {shown}/", saved.display())
        } else {
            format!("cp {} {shown}", saved.display())
        };
        println!("To bring it back: `{bring_back}`");
    }
    for rel in &current {
        if !starters.iter().any(|(r, _)| *r == rel) {
            std::fs::remove_file(ctx.root.join(rel))
                .map_err(|e| format!("cannot remove {}: {e}", rel.display()))?;
        }
    }
    for (rel, bytes) in restored {
        let path = ctx.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("has a parent"))
            .and_then(|()| std::fs::write(&path, bytes))
            .map_err(|e| format!("cannot write {}: {e}", rel.display()))?;
    }
    println!(
        "{shown} is the starter again. `cargo xtask check {}` to begin.",
        ex.file
    );
    Ok(0)
}

/// Copies the learner's files to `.backups/<stage>/`: `<file>.<unix seconds>.rs` for a file,
/// a directory `<file>.<unix seconds>/` for a directory exercise. Outside the crates, ignored
/// by git, never overwritten.
fn backup(root: &Path, files: &ExerciseFiles, current: &[PathBuf]) -> Result<PathBuf, String> {
    let target = backup_path(root, &files.exercise);
    for rel in current {
        let to = match rel.strip_prefix(&files.exercise) {
            Ok(inner) if !inner.as_os_str().is_empty() => target.join(inner),
            _ => target.clone(),
        };
        std::fs::create_dir_all(to.parent().expect("has a parent"))
            .and_then(|()| std::fs::copy(root.join(rel), &to).map(|_| ()))
            .map_err(|e| {
                format!(
                    "cannot back up {} ({e}); nothing was changed",
                    rel.display()
                )
            })?;
    }
    Ok(target)
}

/// `.backups/<stage>/<name>.<unix seconds>[-n][.rs]`, a path that does not exist yet.
fn backup_path(root: &Path, rel: &Path) -> PathBuf {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let stem = rel
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("exercise");
    let extension = rel
        .extension()
        .and_then(|s| s.to_str())
        .map(|e| format!(".{e}"))
        .unwrap_or_default();
    let stage = rel
        .iter()
        .next()
        .and_then(|s| s.to_str())
        .unwrap_or("stage");
    let dir = root.join(".backups").join(stage);
    let mut path = dir.join(format!("{stem}.{secs}{extension}"));
    let mut n = 1;
    while path.exists() {
        path = dir.join(format!("{stem}.{secs}-{n}{extension}"));
        n += 1;
    }
    path
}

/// Walks the file's history, newest first, for the version whose hash the course recorded.
/// This works even when the learner has committed their own work on top.
fn starter_from_git(root: &Path, rel: &Path, want: &str) -> Option<Vec<u8>> {
    let rel = rel.to_str()?.replace('\\', "/");
    let out = Command::new("git")
        .current_dir(root)
        .args(["rev-list", "--all", "--", &rel])
        .output()
        .ok()?;
    for commit in String::from_utf8_lossy(&out.stdout).lines() {
        let show = Command::new("git")
            .current_dir(root)
            .args(["show", &format!("{commit}:{rel}")])
            .output()
            .ok()?;
        if show.status.success() && normalized_hash(&show.stdout) == want {
            return Some(show.stdout);
        }
    }
    None
}

fn normalized_hash(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    crate::hash::of_bytes(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backups_never_overwrite_each_other() {
        let root = std::env::temp_dir().join(format!("xtask-backup-{}", std::process::id()));
        let rel = Path::new("stage1-x/exercises/01_a.rs");
        let first = backup_path(&root, rel);
        std::fs::create_dir_all(first.parent().unwrap()).unwrap();
        std::fs::write(&first, "mine").unwrap();
        let second = backup_path(&root, rel);
        assert_ne!(first, second);
        assert!(first.starts_with(root.join(".backups/stage1-x")));
        let _ = std::fs::remove_dir_all(&root);
    }
}
