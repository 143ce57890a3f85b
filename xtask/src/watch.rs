//! `cargo xtask watch [TARGET]`: check again whenever a watched file is saved.
//!
//! Files are polled (size and modification time, four times a second) rather than watched
//! through OS events: polling a dozen files costs nothing and also works where events never
//! arrive (network drives, some container and WSL mounts). Enter checks at once, for any
//! case polling misses.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, SystemTime};

use crate::check::{self, Options};
use crate::manifest::Exercise;
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
        let Some(exercises) = check::selection(ctx, target)? else {
            println!("{}", check::ALL_PASSED);
            return Ok(0);
        };
        if s.color {
            // Clear the screen so the newest verdict is the only one in view.
            print!("\x1b[2J\x1b[H");
        }
        let results = check::check(
            ctx,
            &exercises,
            &Options {
                solution: false,
                show_progress: true,
            },
        )?;
        check::remember(ctx, &results)?;
        print!("{}", report::check_report(ctx, &exercises, &results));
        let all_passed = results.iter().all(|r| r.is_passed());
        if all_passed && target.is_none() {
            // On to the next exercise at once.
            continue;
        }
        println!(
            "\n{}",
            s.dim("watching: save a file to check again · Enter: check now · h Enter: hint · q Enter: quit")
        );

        let files = watched_files(ctx, &exercises);
        let before = snapshot(&files);
        loop {
            match keys.recv_timeout(Duration::from_millis(250)) {
                Ok(Key::Quit) => return Ok(if all_passed { 0 } else { 1 }),
                Ok(Key::CheckNow) => break,
                Ok(Key::Hint) => {
                    crate::exercise_cmds::hint(ctx, &exercises[0].file)?;
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
            }
            if snapshot(&files) != before {
                // Editors save in several steps; let the last write land.
                std::thread::sleep(Duration::from_millis(100));
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

fn watched_files(ctx: &Ctx, exercises: &[&Exercise]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for ex in exercises {
        let stage = ctx.manifest.stage_of(ex);
        let paths = ex.paths(stage);
        files.push(ctx.root.join(paths.exercise));
        files.push(ctx.root.join(paths.test));
        files.push(ctx.root.join(&stage.dir).join("src").join("lib.rs"));
    }
    files.sort();
    files.dedup();
    files
}

fn snapshot(files: &[PathBuf]) -> Vec<Option<(u64, SystemTime)>> {
    files
        .iter()
        .map(|f| {
            std::fs::metadata(f)
                .ok()
                .and_then(|m| Some((m.len(), m.modified().ok()?)))
        })
        .collect()
}
