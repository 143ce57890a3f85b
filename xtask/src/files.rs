//! Which files an exercise is made of: the learner's, its tests, its solution.
//!
//! An exercise is one file (`exercises/01_http_request.rs`) or a directory
//! (`exercises/01_blog/`, root module `mod.rs`, with submodules, migrations, fixtures beside
//! it). Its test is one file (`tests/01_http_request.rs`) or, for an exercise in milestones, a
//! directory (`tests/01_blog/main.rs` and one module a milestone). Every command that touches
//! an exercise's files asks this type which they are: check, the cache hash, watch, reset,
//! solution, bless and verify.

use std::path::{Path, PathBuf};

use crate::manifest::{Exercise, Milestone, Stage};

/// Where an exercise's files live, relative to the workspace root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseFiles {
    /// The learner's file, or directory.
    pub exercise: PathBuf,
    /// The file the test includes as the exercise's root module: the exercise file itself,
    /// or `mod.rs` in the exercise's directory.
    pub entry: PathBuf,
    /// The spec: the test file, or the test directory.
    pub test: PathBuf,
    /// The test crate's root: the test file itself, or `main.rs` in the test directory.
    pub test_entry: PathBuf,
    /// The reference solution, mirroring the exercise (a file or a directory).
    pub solution: PathBuf,
    /// The cargo test target that runs the tests (`cargo test --test <name>`).
    pub target: String,
}

impl ExerciseFiles {
    pub fn new(stage: &Stage, ex: &Exercise) -> ExerciseFiles {
        let stage_dir = Path::new(&stage.dir);
        let (exercise, entry, solution) = if ex.directory {
            let dir = stage_dir.join("exercises").join(&ex.file);
            (
                dir.clone(),
                dir.join("mod.rs"),
                Path::new("solutions").join(&stage.dir).join(&ex.file),
            )
        } else {
            let file = stage_dir.join("exercises").join(format!("{}.rs", ex.file));
            (
                file.clone(),
                file,
                Path::new("solutions")
                    .join(&stage.dir)
                    .join(format!("{}.rs", ex.file)),
            )
        };
        let (test, test_entry) = if ex.milestones.is_empty() {
            let file = stage_dir.join("tests").join(format!("{}.rs", ex.file));
            (file.clone(), file)
        } else {
            let dir = stage_dir.join("tests").join(&ex.file);
            (dir.clone(), dir.join("main.rs"))
        };
        ExerciseFiles {
            exercise,
            entry,
            test,
            test_entry,
            solution,
            target: ex.file.clone(),
        }
    }

    /// The test file of one milestone.
    pub fn milestone_file(&self, milestone: &Milestone) -> PathBuf {
        self.test.join(format!("{}.rs", milestone.file))
    }

    /// Every file of the learner's, relative to the root, sorted: a directory's files at
    /// any depth, including the ones the learner added.
    pub fn exercise_files(&self, root: &Path) -> Vec<PathBuf> {
        files_below(root, &self.exercise)
    }

    /// Every test file, relative to the root, sorted.
    pub fn test_files(&self, root: &Path) -> Vec<PathBuf> {
        files_below(root, &self.test)
    }

    /// Every file of the reference solution, relative to the root, sorted.
    pub fn solution_files(&self, root: &Path) -> Vec<PathBuf> {
        files_below(root, &self.solution)
    }

    /// Whether `rel` (relative to the root) is one of the learner's files, or would be.
    pub fn owns(&self, rel: &Path) -> bool {
        rel == self.exercise || rel.starts_with(&self.exercise)
    }
}

/// `rel` itself when it is a file, else the files below it at any depth; relative to the
/// root, sorted. A path that does not exist gives itself, so that its absence is hashed and
/// reported. Editors' swap files, locks and backups (`.x.swp`, `.#x`, `x~`) are not the
/// learner's work, nor is what cargo builds in a `target` folder; other hidden files are (a
/// Dockerfile's `.dockerignore`).
pub fn files_below(root: &Path, rel: &Path) -> Vec<PathBuf> {
    let abs = root.join(rel);
    if !abs.is_dir() {
        return vec![rel.to_path_buf()];
    }
    let mut out = Vec::new();
    walk(&abs, rel, &mut out);
    out.sort();
    out
}

fn walk(abs: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(abs) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let text = name.to_string_lossy();
        if is_editor_litter(&text) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            // What cargo builds inside an exercise (10_dockerfile's app) is not the learner's.
            if text == "target" {
                continue;
            }
            walk(&path, &rel.join(&name), out);
        } else {
            out.push(rel.join(&name));
        }
    }
}

/// Files that editors and file managers leave beside the learner's: vim's swap files, emacs's
/// locks and backups, macOS's folder settings, version control.
fn is_editor_litter(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with(".#")
        || [".DS_Store", ".git", ".idea", ".vscode"].contains(&name)
        || (name.starts_with('.')
            && [".swp", ".swo", ".swx"]
                .iter()
                .any(|ext| name.ends_with(ext)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Manifest;

    const COURSE: &str = r#"
steps = ["one"]
[[stage]]
id = "stage6"
dir = "stage6-x"
title = "X"
step = 1
summary = "x"
[[exercise]]
id = "single"
stage = "stage6"
file = "01_single"
title = "A"
roadmap = "HTTP"
hints = ["h"]
[[exercise]]
id = "blog"
stage = "stage6"
file = "02_blog"
title = "B"
roadmap = "HTTP"
hints = ["h"]
directory = true
[[exercise.milestone]]
file = "01_users"
title = "users"
"#;

    #[test]
    fn a_single_file_exercise_is_three_files_with_one_stem() {
        let m = Manifest::parse(COURSE).unwrap();
        let files = m.files(&m.exercises[0]);
        assert_eq!(
            files,
            ExerciseFiles {
                exercise: "stage6-x/exercises/01_single.rs".into(),
                entry: "stage6-x/exercises/01_single.rs".into(),
                test: "stage6-x/tests/01_single.rs".into(),
                test_entry: "stage6-x/tests/01_single.rs".into(),
                solution: "solutions/stage6-x/01_single.rs".into(),
                target: "01_single".into(),
            }
        );
    }

    #[test]
    fn a_directory_exercise_with_milestones_is_three_directories() {
        let m = Manifest::parse(COURSE).unwrap();
        let ex = &m.exercises[1];
        let files = m.files(ex);
        assert_eq!(
            files,
            ExerciseFiles {
                exercise: "stage6-x/exercises/02_blog".into(),
                entry: "stage6-x/exercises/02_blog/mod.rs".into(),
                test: "stage6-x/tests/02_blog".into(),
                test_entry: "stage6-x/tests/02_blog/main.rs".into(),
                solution: "solutions/stage6-x/02_blog".into(),
                target: "02_blog".into(),
            }
        );
        assert_eq!(
            files.milestone_file(&ex.milestones[0]),
            PathBuf::from("stage6-x/tests/02_blog/01_users.rs")
        );
        assert_eq!(ex.milestones[0].module(), "users");
        assert!(files.owns(Path::new("stage6-x/exercises/02_blog/routes/users.rs")));
        assert!(!files.owns(Path::new("stage6-x/exercises/03_shop/mod.rs")));
    }

    #[test]
    fn files_below_a_directory_are_every_file_at_any_depth_but_editor_litter() {
        let root = std::env::temp_dir().join(format!("xtask-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for rel in [
            "ex/mod.rs",
            "ex/routes/users.rs",
            "ex/migrations/0001_init.sql",
            "ex/.mod.rs.swp",
            "ex/mod.rs~",
            "ex/.#mod.rs",
            "ex/.DS_Store",
            "ex/.dockerignore",
            "ex/app/target/debug/app",
            "ex/app/src/main.rs",
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        assert_eq!(
            files_below(&root, Path::new("ex")),
            vec![
                PathBuf::from("ex/.dockerignore"),
                PathBuf::from("ex/app/src/main.rs"),
                PathBuf::from("ex/migrations/0001_init.sql"),
                PathBuf::from("ex/mod.rs"),
                PathBuf::from("ex/routes/users.rs"),
            ]
        );
        assert_eq!(
            files_below(&root, Path::new("missing.rs")),
            vec![PathBuf::from("missing.rs")]
        );
        let _ = std::fs::remove_dir_all(&root);
    }
}
