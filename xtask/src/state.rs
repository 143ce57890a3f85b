//! The learner's state: cached results and hint counters, in `target/backendlings/state.json`.
//!
//! A result is kept with the hash of everything it depends on, so `progress` can tell at
//! once whether it still holds. Losing this file (`cargo clean`) loses nothing that a
//! `cargo xtask check` cannot rebuild, except which hints were already shown.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use std::cell::RefCell;

use crate::files::files_below;
use crate::hash::Fnv;
use crate::manifest::{Exercise, Manifest, Stage};
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

/// The learner's state beside what every exercise's files hash to now: the one place that
/// answers "has this exercise passed, as it stands now?".
pub struct Standing<'a> {
    pub state: State,
    manifest: &'a Manifest,
    /// Hashes are worked out when first asked for: `check` of one exercise needs a few,
    /// the first screen all of them.
    hasher: Hasher<'a>,
    hashes: RefCell<BTreeMap<String, String>>,
}

impl<'a> Standing<'a> {
    pub fn load(root: &'a Path, manifest: &'a Manifest) -> Standing<'a> {
        Standing {
            state: State::load(root),
            manifest,
            hasher: Hasher::new(root),
            hashes: RefCell::new(BTreeMap::new()),
        }
    }

    pub fn known(&self, ex: &Exercise) -> Known<'_> {
        let hash = self
            .hashes
            .borrow_mut()
            .entry(ex.id.clone())
            .or_insert_with(|| self.hasher.exercise(self.manifest, ex))
            .clone();
        self.state.known(&ex.id, &hash)
    }

    /// Keeps a fresh result, with the hash it was checked under.
    pub fn record(&mut self, result: &ExerciseResult) {
        self.hashes
            .borrow_mut()
            .insert(result.id.clone(), result.hash.clone());
        self.state.results.insert(result.id.clone(), result.clone());
    }

    /// Passed at its last check, and nothing it depends on changed since.
    pub fn passed(&self, ex: &Exercise) -> bool {
        matches!(self.known(ex), Known::Fresh(r) if r.is_passed())
    }

    /// The first exercise, in course order, that has not passed as it stands now.
    pub fn next(&self) -> Option<&'a Exercise> {
        self.manifest.exercises.iter().find(|ex| !self.passed(ex))
    }

    /// The next exercise to do after `done`: the first unpassed one after it in course
    /// order, so a learner in stage 2 goes on in stage 2; else the first unpassed one.
    pub fn next_after(&self, done: &Exercise) -> Option<&'a Exercise> {
        let exercises = &self.manifest.exercises;
        let at = exercises.iter().position(|e| e.id == done.id).unwrap_or(0);
        exercises[at + 1..]
            .iter()
            .chain(&exercises[..at])
            .find(|ex| !self.passed(ex))
    }
}

/// Hashes what an exercise's result depends on: the learner's files, its tests, the
/// stage's manifest and support code, the shared test kit and the dependency versions. The
/// files every exercise of a stage shares are read once per command, not once per exercise.
pub struct Hasher<'a> {
    root: &'a Path,
    shared: RefCell<BTreeMap<String, String>>,
}

impl<'a> Hasher<'a> {
    pub fn new(root: &'a Path) -> Hasher<'a> {
        Hasher {
            root,
            shared: RefCell::new(BTreeMap::new()),
        }
    }

    pub fn exercise(&self, manifest: &Manifest, ex: &Exercise) -> String {
        let stage = manifest.stage_of(ex);
        let files = manifest.files(ex);
        let mut h = Fnv::default();
        h.write_part(self.shared(stage).as_bytes());
        for file in files
            .exercise_files(self.root)
            .into_iter()
            .chain(files.test_files(self.root))
        {
            h.write_part(file.to_string_lossy().as_bytes());
            h.write_part(crate::hash::of_file(&self.root.join(&file)).as_bytes());
        }
        h.hex()
    }

    /// The hash of the files every exercise of the stage depends on.
    fn shared(&self, stage: &Stage) -> String {
        if let Some(hash) = self.shared.borrow().get(&stage.id) {
            return hash.clone();
        }
        let mut files = vec![
            Path::new(&stage.dir).join("Cargo.toml"),
            PathBuf::from("Cargo.toml"),
            PathBuf::from("Cargo.lock"),
        ];
        for support in [
            Path::new(&stage.dir).join("src"),
            PathBuf::from("testkit/Cargo.toml"),
            PathBuf::from("testkit/src"),
            PathBuf::from("services/Cargo.toml"),
            PathBuf::from("services/src"),
        ] {
            files.extend(files_below(self.root, &support));
        }
        let mut h = Fnv::default();
        for file in files {
            h.write_part(file.to_string_lossy().as_bytes());
            h.write_part(crate::hash::of_file(&self.root.join(&file)).as_bytes());
        }
        let hash = h.hex();
        self.shared
            .borrow_mut()
            .insert(stage.id.clone(), hash.clone());
        hash
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
            milestones: Vec::new(),
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
