//! What checking an exercise found: the value that `check` reports, `progress` shows
//! and the cache keeps.

use serde::{Deserialize, Serialize};

use crate::manifest::Service;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Every test passed.
    Passed { tests: usize },
    /// It compiled and some tests failed.
    Failing {
        passed: usize,
        total: usize,
        failures: Vec<Failure>,
    },
    /// The exercise or its test does not compile.
    CompileError { diagnostics: Vec<Diagnostic> },
    /// The test binary ran past the exercise's timeout and was killed.
    TimedOut {
        seconds: u64,
        passed: usize,
        total: usize,
        hung: Vec<String>,
        failures: Vec<Failure>,
    },
    /// The test process died without finishing (a stack overflow, an abort).
    Crashed {
        passed: usize,
        total: usize,
        message: String,
    },
    /// A service the tests talk to is not reachable; the tests were not run.
    NeedsService {
        #[serde(with = "crate::manifest::service_ids")]
        services: Vec<Service>,
    },
    /// The build failed outside this exercise (the stage's support code, a build script,
    /// a dependency that could not be fetched).
    BuildFailed { message: String },
}

/// A failed test and what it printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub test: String,
    /// The panic message, without the `thread '…' panicked at` line.
    pub message: String,
    /// `file:line:column` of the panic, relative to the workspace root, if known.
    pub location: Option<String>,
}

/// A compiler error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub message: String,
    /// `file:line:column` of the primary span, relative to the workspace root.
    pub location: Option<String>,
    /// The compiler's full, human-readable rendering.
    pub rendered: String,
}

impl Outcome {
    pub fn is_passed(&self) -> bool {
        matches!(self, Outcome::Passed { .. })
    }

    /// How many tests passed, of how many, where the tests ran.
    pub fn counts(&self) -> (usize, usize) {
        match self {
            Outcome::Passed { tests } => (*tests, *tests),
            Outcome::Failing { passed, total, .. }
            | Outcome::TimedOut { passed, total, .. }
            | Outcome::Crashed { passed, total, .. } => (*passed, *total),
            _ => (0, 0),
        }
    }

    /// A short label such as `3/7 tests` or `compile error`.
    pub fn label(&self) -> String {
        match self {
            Outcome::Passed { tests } => format!("passed ({tests} tests)"),
            Outcome::Failing { passed, total, .. } => {
                format!("failing: {passed}/{total} tests pass")
            }
            Outcome::CompileError { .. } => "compile error".to_string(),
            Outcome::TimedOut { seconds, .. } => format!("timed out after {seconds} s"),
            Outcome::Crashed { .. } => "test process crashed".to_string(),
            Outcome::NeedsService { services } => {
                let names: Vec<&str> = services.iter().map(|s| s.name()).collect();
                format!("needs {}", names.join(" and "))
            }
            Outcome::BuildFailed { .. } => "build failed".to_string(),
        }
    }
}

/// The result of checking one exercise, as the cache keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExerciseResult {
    pub id: String,
    pub outcome: Outcome,
    /// The test file differs from the course's version: never counted as passed.
    pub tampered: bool,
    /// The hash of everything the result depends on (see `state::exercise_hash`).
    pub hash: String,
    /// How long the tests ran, in milliseconds.
    pub test_ms: u64,
    /// For an exercise in milestones, how far each one got, in order; empty otherwise, and
    /// when the tests did not run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<MilestoneResult>,
}

/// How far one milestone got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneResult {
    pub title: String,
    pub passed: usize,
    pub total: usize,
}

impl MilestoneResult {
    pub fn is_passed(&self) -> bool {
        self.total > 0 && self.passed == self.total
    }
}

impl ExerciseResult {
    pub fn is_passed(&self) -> bool {
        self.outcome.is_passed() && !self.tampered
    }

    /// The first milestone not passed yet, with its 1-based number.
    pub fn current_milestone(&self) -> Option<(usize, &MilestoneResult)> {
        self.milestones
            .iter()
            .enumerate()
            .find(|(_, m)| !m.is_passed())
            .map(|(i, m)| (i + 1, m))
    }
}
