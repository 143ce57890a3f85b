//! The learner's state: cached results and hint counters, in `target/backendlings/state.json`.
//!
//! A result is kept with the hash of everything it depends on, so `progress` can tell at
//! once whether it still holds. Losing this file (`cargo clean`) loses nothing that a
//! `cargo xtask check` cannot rebuild, except which hints were already shown.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::hash::Fnv;
use crate::manifest::{Exercise, Stage};
use crate::outcome::ExerciseResult;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    #[serde(default)]
    pub results: BTreeMap<String, ExerciseResult>,
    #[serde(default)]
    pub hints_seen: BTreeMap<String, usize>,
}

/// What is known about an exercise without running anything.
#[derive(Debug, Clone, Copy)]
pub enum Known<'a> {
    NotChecked,
    /// Checked, and nothing changed since.
    Fresh(&'a ExerciseResult),
    /// Checked, but a file it depends on changed since.
    Stale(&'a ExerciseResult),
}

impl State {
    pub fn path(root: &Path) -> PathBuf {
        target_dir(root).join("backendlings").join("state.json")
    }

    /// Loads the state; a missing or unreadable file is an empty state, never an error.
    pub fn load(root: &Path) -> State {
        Self::load_from(&Self::path(root))
    }

    pub fn load_from(path: &Path) -> State {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Writes through a temporary file, so an interrupted write leaves the old state.
    pub fn save(&self, root: &Path) -> Result<(), String> {
        self.save_to(&Self::path(root))
    }

    pub fn save_to(&self, path: &Path) -> Result<(), String> {
        let dir = path.parent().expect("has a parent");
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let tmp = path.with_extension(format!("json.{}", std::process::id()));
        let text = serde_json::to_string_pretty(self).expect("state serializes");
        std::fs::write(&tmp, text).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
        std::fs::rename(&tmp, path).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    pub fn known(&self, id: &str, current_hash: &str) -> Known<'_> {
        match self.results.get(id) {
            None => Known::NotChecked,
            Some(r) if r.hash == current_hash => Known::Fresh(r),
            Some(r) => Known::Stale(r),
        }
    }
}

/// Cargo's target directory: `CARGO_TARGET_DIR` if set, else `target/` in the workspace.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

/// The hash of everything an exercise's result depends on: the learner's file, its test,
/// the stage's manifest and support code (testkit and the `services` crate it is built on
/// included), and the workspace's dependency versions.
pub fn exercise_hash(root: &Path, stage: &Stage, ex: &Exercise) -> String {
    let paths = ex.paths(stage);
    let mut files = vec![
        paths.exercise,
        paths.test,
        Path::new(&stage.dir).join("Cargo.toml"),
        PathBuf::from("Cargo.toml"),
        PathBuf::from("Cargo.lock"),
    ];
    for support in [
        Path::new(&stage.dir).join("src"),
        PathBuf::from("testkit/src"),
        PathBuf::from("services/src"),
    ] {
        rust_files(&root.join(&support), &support, &mut files);
    }
    let mut h = Fnv::default();
    for file in files {
        h.write_part(file.to_string_lossy().as_bytes());
        h.write_part(crate::hash::of_file(&root.join(&file)).as_bytes());
    }
    h.hex()
}

/// `.rs` files below `dir`, sorted, as paths relative to the root (`rel` is `dir`'s).
fn rust_files(dir: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let rel = rel.join(entry.file_name());
        if path.is_dir() {
            rust_files(&path, &rel, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(rel);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::Outcome;

    fn result(hash: &str) -> ExerciseResult {
        ExerciseResult {
            id: "a".into(),
            outcome: Outcome::Passed { tests: 3 },
            tampered: false,
            hash: hash.into(),
            test_ms: 12,
        }
    }

    #[test]
    fn a_result_is_fresh_only_for_the_same_hash() {
        let mut state = State::default();
        assert!(matches!(state.known("a", "h1"), Known::NotChecked));
        state.results.insert("a".into(), result("h1"));
        assert!(matches!(state.known("a", "h1"), Known::Fresh(_)));
        assert!(matches!(state.known("a", "h2"), Known::Stale(_)));
    }

    #[test]
    fn the_state_round_trips_through_json() {
        let mut state = State::default();
        state.results.insert("a".into(), result("h1"));
        state.hints_seen.insert("a".into(), 2);
        let text = serde_json::to_string(&state).unwrap();
        let back: State = serde_json::from_str(&text).unwrap();
        assert_eq!(back.results, state.results);
        assert_eq!(back.hints_seen, state.hints_seen);
    }

    #[test]
    fn saving_then_loading_gives_the_same_state() {
        let dir = std::env::temp_dir().join(format!("xtask-state-{}", std::process::id()));
        let path = dir.join("nested").join("state.json");
        let mut state = State::default();
        state.hints_seen.insert("a".into(), 1);
        state.save_to(&path).unwrap();
        assert_eq!(State::load_from(&path).hints_seen, state.hints_seen);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_corrupt_state_file_loads_as_empty() {
        let dir = std::env::temp_dir().join(format!("xtask-state-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        std::fs::write(&path, "{ not json").unwrap();
        assert!(State::load_from(&path).results.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
