//! The course manifest (`xtask/curriculum.toml`): stages, exercises, hints, services.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The whole course, in order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The roadmap's steps, drawn on the first screen.
    pub steps: Vec<String>,
    #[serde(rename = "stage")]
    pub stages: Vec<Stage>,
    #[serde(rename = "exercise", default)]
    pub exercises: Vec<Exercise>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// `stage1`: what learners type.
    pub id: String,
    /// `stage1-fundamentals`: the crate and its folder.
    pub dir: String,
    pub title: String,
    /// The roadmap step (1-based) the stage belongs to.
    pub step: usize,
    pub summary: String,
    /// Every service the stage's exercises use, and the default for an exercise that
    /// names none.
    #[serde(default, deserialize_with = "service_ids::deserialize")]
    pub services: Vec<Service>,
    /// A stage that is announced but not written yet.
    #[serde(default)]
    pub planned: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Stable id: progress and hints are kept by it.
    pub id: String,
    /// The stage id this exercise belongs to.
    pub stage: String,
    /// The file stem: `01_http_request`.
    pub file: String,
    pub title: String,
    /// The roadmap item it covers.
    pub roadmap: String,
    /// Overrides the stage's roadmap step, where an exercise teaches another step.
    pub step: Option<usize>,
    /// The services this exercise's tests use, where they are fewer than the stage's;
    /// `services = []` for an exercise that needs none, absent for all of the stage's.
    #[serde(default, deserialize_with = "service_ids::deserialize_some")]
    pub services: Option<Vec<Service>>,
    /// Seconds the test binary may run before it is killed.
    #[serde(default = "default_timeout")]
    pub timeout: u64,
    pub hints: Vec<String>,
    /// The exercise is a directory, `exercises/<file>/`, whose root module is `mod.rs`
    /// (submodules and any other files live beside it), rather than `exercises/<file>.rs`.
    #[serde(default)]
    pub directory: bool,
    /// The test is a directory, `tests/<file>/main.rs`, with one module a milestone, in
    /// order. Empty: one test file, `tests/<file>.rs`.
    #[serde(default, rename = "milestone")]
    pub milestones: Vec<Milestone>,
    /// A binary of the stage crate that runs this exercise as an app
    /// (`cargo run -p <stage> --bin <bin>`).
    pub bin: Option<String>,
}

/// One step of a larger exercise: a test module of its own, with a title.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// The test file in the exercise's test directory, without `.rs`: `01_users`.
    pub file: String,
    pub title: String,
}

impl Milestone {
    /// The module that `main.rs` declares for the file (`01_users` → `users`), which is
    /// also the prefix of its tests' names (`users::registers_a_user`): a module name cannot
    /// start with a digit.
    pub fn module(&self) -> &str {
        self.file
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start_matches('_')
    }
}

fn default_timeout() -> u64 {
    10
}

/// The services are the shared crate's, so that the runner and testkit agree on each one.
pub use services::Service;

/// Services by the words the manifest, the cache and `--json` use for them (`"postgres"`):
/// the shared crate has no serde, so these functions translate.
pub mod service_ids {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Service;

    pub fn serialize<S: Serializer>(services: &[Service], to: S) -> Result<S::Ok, S::Error> {
        to.collect_seq(services.iter().map(|s| s.id()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Vec<Service>, D::Error> {
        Vec::<String>::deserialize(from)?
            .iter()
            .map(|id| Service::from_id(id).ok_or_else(|| D::Error::custom(unknown(id))))
            .collect()
    }

    /// For an optional list: present (even empty) is `Some`.
    pub fn deserialize_some<'de, D: Deserializer<'de>>(
        from: D,
    ) -> Result<Option<Vec<Service>>, D::Error> {
        deserialize(from).map(Some)
    }

    fn unknown(id: &str) -> String {
        let known: Vec<&str> = Service::ALL.iter().map(|s| s.id()).collect();
        format!("unknown service `{id}`; use one of {}", known.join(", "))
    }
}

impl Manifest {
    pub fn path(root: &Path) -> PathBuf {
        root.join("xtask").join("curriculum.toml")
    }

    pub fn load(root: &Path) -> Result<Manifest, String> {
        let path = Self::path(root);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Manifest, String> {
        let manifest: Manifest = toml::from_str(text).map_err(|e| e.to_string())?;
        manifest.check_references()?;
        Ok(manifest)
    }

    /// Checks what the type system cannot: unique ids and known stages.
    fn check_references(&self) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for stage in &self.stages {
            if !seen.insert(stage.id.as_str()) {
                return Err(format!("stage id `{}` appears twice", stage.id));
            }
            if stage.step == 0 || stage.step > self.steps.len() {
                return Err(format!(
                    "stage `{}` names step {}, which does not exist",
                    stage.id, stage.step
                ));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for ex in &self.exercises {
            if !seen.insert(ex.id.as_str()) {
                return Err(format!("exercise id `{}` appears twice", ex.id));
            }
            if self.stage(&ex.stage).is_none() {
                return Err(format!(
                    "exercise `{}` names unknown stage `{}`",
                    ex.id, ex.stage
                ));
            }
            if let Some(step) = ex.step
                && (step == 0 || step > self.steps.len())
            {
                return Err(format!(
                    "exercise `{}` names step {step}, which does not exist",
                    ex.id
                ));
            }
            let mut modules = std::collections::HashSet::new();
            for milestone in &ex.milestones {
                if milestone.module().is_empty() || !modules.insert(milestone.module()) {
                    return Err(format!(
                        "exercise `{}` has milestone file `{}`, whose module name is empty or taken: \
                         name milestone files `NN_topic` with a topic of their own",
                        ex.id, milestone.file
                    ));
                }
            }
        }
        Ok(())
    }

    /// The stages that have exercises, as opposed to those announced as planned.
    pub fn written_stages(&self) -> impl Iterator<Item = &Stage> {
        self.stages.iter().filter(|s| !s.planned)
    }

    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    pub fn exercises_of<'a>(&'a self, stage: &'a Stage) -> impl Iterator<Item = &'a Exercise> + 'a {
        self.exercises.iter().filter(move |e| e.stage == stage.id)
    }

    pub fn stage_of(&self, ex: &Exercise) -> &Stage {
        self.stage(&ex.stage)
            .expect("checked when the manifest was loaded")
    }

    /// The roadmap step an exercise counts towards.
    pub fn step_of(&self, ex: &Exercise) -> usize {
        ex.step.unwrap_or(self.stage_of(ex).step)
    }

    /// Which files the exercise is made of.
    pub fn files(&self, ex: &Exercise) -> crate::files::ExerciseFiles {
        crate::files::ExerciseFiles::new(self.stage_of(ex), ex)
    }

    /// Services an exercise needs: its own list where it has one (maybe empty), else its
    /// stage's.
    pub fn services_of(&self, ex: &Exercise) -> Vec<Service> {
        match &ex.services {
            Some(own) => own.clone(),
            None => self.stage_of(ex).services.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
steps = ["one", "two"]
[[stage]]
id = "stage1"
dir = "stage1-x"
title = "X"
step = 1
summary = "x"
[[exercise]]
id = "a"
stage = "stage1"
file = "01_a"
title = "A"
roadmap = "HTTP"
step = 2
hints = ["h"]
"#;

    #[test]
    fn parses_a_small_manifest_with_defaults() {
        let m = Manifest::parse(SMALL).unwrap();
        assert_eq!(m.exercises[0].timeout, 10);
        assert_eq!(m.step_of(&m.exercises[0]), 2);
        assert_eq!(m.services_of(&m.exercises[0]), vec![]);
    }

    #[test]
    fn rejects_an_exercise_of_an_unknown_stage() {
        let text = SMALL.replace("stage = \"stage1\"", "stage = \"stage9\"");
        assert_eq!(
            Manifest::parse(&text).unwrap_err(),
            "exercise `a` names unknown stage `stage9`"
        );
    }

    #[test]
    fn rejects_unknown_keys() {
        let text = SMALL.replace("hints = [\"h\"]", "hints = [\"h\"]\nhint = 1");
        assert!(
            Manifest::parse(&text)
                .unwrap_err()
                .contains("unknown field `hint`")
        );
    }

    #[test]
    fn an_exercise_without_a_list_needs_its_stages_services_and_an_empty_list_needs_none() {
        let with_stage_services = SMALL.replace(
            "summary = \"x\"",
            "summary = \"x\"\nservices = [\"postgres\", \"redis\"]",
        );
        let m = Manifest::parse(&with_stage_services).unwrap();
        assert_eq!(
            m.services_of(&m.exercises[0]),
            vec![Service::Postgres, Service::Redis]
        );
        let m = Manifest::parse(
            &with_stage_services.replace("hints = [\"h\"]", "hints = [\"h\"]\nservices = []"),
        )
        .unwrap();
        assert_eq!(m.services_of(&m.exercises[0]), vec![]);
    }

    #[test]
    fn services_are_named_by_their_ids() {
        let text = SMALL.replace(
            "summary = \"x\"",
            "summary = \"x\"\nservices = [\"postgres\", \"kafka\"]",
        );
        let m = Manifest::parse(&text).unwrap();
        assert_eq!(
            m.services_of(&m.exercises[0]),
            vec![Service::Postgres, Service::Kafka]
        );
    }

    #[test]
    fn an_unknown_service_is_an_error_naming_the_known_ones() {
        let text = SMALL.replace(
            "hints = [\"h\"]",
            "hints = [\"h\"]\nservices = [\"redis\", \"mysql\"]",
        );
        let err = Manifest::parse(&text).unwrap_err();
        assert!(
            err.contains(
                "unknown service `mysql`; use one of postgres, redis, rabbitmq, kafka, nginx, \
                 chromium, prometheus, hadolint"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_missing_service_is_kept_by_its_id() {
        // The cache (`state.json`) and `--json` keep the manifest's words, not Rust's names.
        let outcome = crate::outcome::Outcome::NeedsService {
            services: vec![Service::Redis, Service::Chromium],
        };
        let json = serde_json::to_string(&outcome).unwrap();
        assert_eq!(
            json,
            r#"{"status":"needs_service","services":["redis","chromium"]}"#
        );
        assert_eq!(
            serde_json::from_str::<crate::outcome::Outcome>(&json).unwrap(),
            outcome
        );
        assert!(
            serde_json::from_str::<crate::outcome::Outcome>(
                r#"{"status":"needs_service","services":["mysql"]}"#
            )
            .is_err()
        );
    }

    #[test]
    fn the_real_manifest_parses() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let m = Manifest::load(root).unwrap();
        assert!(!m.stages.is_empty());
    }
}
