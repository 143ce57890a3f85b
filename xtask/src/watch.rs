//! `cargo xtask watch [TARGET]`: check again whenever a watched file is saved.
//!
//! Files are polled (size and modification time, ten times a second) rather than watched
//! through OS events: polling a dozen files costs nothing and also works where events never
//! arrive (network drives, some container and WSL mounts). Enter checks at once, for any
//! case polling misses.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, SystemTime};

use crate::check::{self, Options};
use crate::files::files_below;
use crate::manifest::Exercise;
use crate::state::Standing;
use crate::{CmdResult, Ctx, report};

enum Key {
    CheckNow,
    Hint,
    Quit,
}

pub fn run(ctx: &Ctx, target: Option<&str>) -> CmdResult {
    let keys = read_keys();
    let s = ctx.style;
    loop {
        let mut standing = Standing::load(&ctx.root, &ctx.manifest);
        let Some(exercises) = check::selection(ctx, &standing, target)? else {
            println!("{}", check::ALL_PASSED);
            return Ok(0);
        };
        if s.color {
            // Clear the screen so the newest verdict is the only one in view.
            print!("\x1b[2J\x1b[H");
        }
        // Taken before the check: a save during the check (or just after its report) is
        // a change, never lost in between.
        let before = snapshot(ctx, &exercises);
        let results = check::check(
            ctx,
            &exercises,
            &Options {
                solution: false,
                show_progress: true,
            },
        )?;
        check::remember(ctx, &mut standing, &results)?;
        print!(
            "{}",
            report::check_report(ctx, &standing, &exercises, &results)
        );
        let all_passed = results.iter().all(|r| r.is_passed());
        if all_passed && target.is_none() {
            // On to the next exercise at once.
            continue;
        }
        println!(
            "\n{}",
            s.dim("watching: save a file to check again · Enter: check now · h Enter: hint · q Enter: quit")
        );

        loop {
            match keys.recv_timeout(Duration::from_millis(100)) {
                Ok(Key::Quit) => return Ok(if all_passed { 0 } else { 1 }),
                Ok(Key::CheckNow) => break,
                Ok(Key::Hint) => {
                    crate::exercise_cmds::hint(ctx, &exercises[0].file)?;
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
            }
            if snapshot(ctx, &exercises) != before {
                // Editors save in several steps; let the last write land.
                std::thread::sleep(Duration::from_millis(50));
                break;
            }
        }
    }
}

/// Lines typed on stdin. When stdin closes (not a terminal), polling goes on alone.
fn read_keys() -> Receiver<Key> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        loop {
            line.clear();
            match std::io::stdin().read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {
                    let key = match line.trim() {
                        "q" | "quit" | "exit" => Key::Quit,
                        "h" | "hint" => Key::Hint,
                        _ => Key::CheckNow,
                    };
                    if tx.send(key).is_err() {
                        return;
                    }
                }
            }
        }
    });
    rx
}

/// The size and modification time of every watched file: the exercises' files (a new file
/// in a directory exercise counts as a change), their tests and the stage's support code.
fn snapshot(ctx: &Ctx, exercises: &[&Exercise]) -> Vec<(PathBuf, Option<(u64, SystemTime)>)> {
    let mut files = Vec::new();
    for ex in exercises {
        let stage = ctx.manifest.stage_of(ex);
        let ex_files = ctx.manifest.files(ex);
        files.extend(ex_files.exercise_files(&ctx.root));
        files.extend(ex_files.test_files(&ctx.root));
        files.extend(files_below(&ctx.root, &Path::new(&stage.dir).join("src")));
    }
    files.sort();
    files.dedup();
    files
        .into_iter()
        .map(|rel| {
            let meta = std::fs::metadata(ctx.root.join(&rel))
                .ok()
                .and_then(|m| Some((m.len(), m.modified().ok()?)));
            (rel, meta)
        })
        .collect()
}
