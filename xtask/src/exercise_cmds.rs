//! Commands about one exercise: `hint`, `solution`, `reset`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::state::{self, Known, State};
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

/// `cargo xtask solution EXERCISE [--force]`.
pub fn solution(ctx: &Ctx, name: &str, force: bool) -> CmdResult {
    let ex = ctx.resolve_exercise(name)?;
    let stage = ctx.manifest.stage_of(ex);
    let state = State::load(&ctx.root);
    let hash = state::exercise_hash(&ctx.root, stage, ex);
    let passed = matches!(state.known(&ex.id, &hash), Known::Fresh(r) if r.is_passed());
    if !passed && !force {
        return Err(Error::Failed(format!(
            "{} has not passed yet (as it stands now): the solution waits until it does. \
             `cargo xtask check {}` checks it, `cargo xtask hint {}` helps; `--force` shows it anyway",
            ex.file, ex.file, ex.file
        )));
    }
    let path = ex.paths(stage).solution;
    let text = std::fs::read_to_string(ctx.root.join(&path))
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    println!(
        "{}",
        ctx.style
            .bold(&format!("// The reference solution: {}", path.display()))
    );
    print!("{text}");
    Ok(0)
}

/// `cargo xtask reset EXERCISE`: back up the learner's file, then restore the starter.
pub fn reset(ctx: &Ctx, name: &str) -> CmdResult {
    let ex = ctx.resolve_exercise(name)?;
    let rel = ex.paths(ctx.manifest.stage_of(ex)).exercise;
    let path = ctx.root.join(&rel);
    let Some(want) = ctx.checksums.entries.get(&rel) else {
        return Err(Error::Failed(format!(
            "the course has no record of the starter of {} (xtask/checksums.txt); nothing was changed",
            rel.display()
        )));
    };
    let current = std::fs::read(&path).ok();
    if crate::hash::of_file(&path) == *want {
        println!("{} is already the starter; nothing to do.", rel.display());
        return Ok(0);
    }
    let starter = starter_from_git(&ctx.root, &rel, want).ok_or_else(|| {
        format!(
            "cannot find the course's starter for {} in git's history; nothing was changed. \
             If you downloaded the course without git, download it again and copy that one file over",
            rel.display()
        )
    })?;
    if let Some(current) = current {
        let backup = backup_path(&ctx.root, &rel);
        std::fs::create_dir_all(backup.parent().expect("has a parent"))
            .and_then(|()| std::fs::write(&backup, current))
            .map_err(|e| {
                format!(
                    "cannot back up {} ({e}); nothing was changed",
                    rel.display()
                )
            })?;
        println!(
            "Your version is saved as {}",
            backup.strip_prefix(&ctx.root).unwrap_or(&backup).display()
        );
    }
    std::fs::write(&path, starter).map_err(|e| format!("cannot write {}: {e}", rel.display()))?;
    println!(
        "{} is the starter again. `cargo xtask check {}` to begin.",
        rel.display(),
        ex.file
    );
    Ok(0)
}

/// `.backups/<stage>/<file>.<unix seconds>.rs`: outside the crates, ignored by git.
fn backup_path(root: &Path, rel: &Path) -> PathBuf {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let stem = rel
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("exercise");
    let stage = rel
        .iter()
        .next()
        .and_then(|s| s.to_str())
        .unwrap_or("stage");
    let mut path = root
        .join(".backups")
        .join(stage)
        .join(format!("{stem}.{secs}.rs"));
    let mut n = 1;
    while path.exists() {
        path = root
            .join(".backups")
            .join(stage)
            .join(format!("{stem}.{secs}-{n}.rs"));
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
