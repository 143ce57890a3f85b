//! `cargo xtask`: the backendlings runner. This file only dispatches; each command has
//! its own module, declared once in `cli::COMMANDS`.
//!
//! # Layout
//!
//! `check` (and `watch`, `verify`, which use it) is a pipeline; each step has its module:
//!
//! ```text
//! names      "joins", "stage2/03"          → the exercises meant   (names::resolve)
//! files      each exercise                 → its files: learner's, tests, solution
//! services   the services they need       → which answer          (services::probe)
//! compile    one `cargo build --keep-going` a stage → a binary or the compiler's errors
//! libtest    each binary, in parallel      → what each test printed (libtest::run)
//! outcome    that                          → passed, failing, compile error, timed out, …
//! report     the outcomes                  → a line each, the one to fix in full, what next
//! state      the outcomes + a hash of the files → target/backendlings/state.json
//! ```
//!
//! `progress` and the first screen read the state back (`state::Standing`) and never build.
//! `manifest` reads `xtask/curriculum.toml`; `hash` keeps the course's record of its files
//! (`xtask/checksums.txt`); `term` decides on colour. The other commands (`hint`,
//! `solution`, `reset`, `doctor`, `bless`, `bench`, `mistakes`) each take what they need of these.

mod bench;
mod check;
mod cli;
mod compile;
mod doctor;
mod exercise_cmds;
mod files;
mod hash;
mod libtest;
mod manifest;
mod mistakes;
mod names;
mod outcome;
mod patch;
mod progress;
mod report;
mod state;
mod term;
mod units;
mod verify;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use cli::Invocation;

/// What every command needs: where the workspace is, the manifest, and how to print.
pub struct Ctx {
    pub root: PathBuf,
    pub manifest: manifest::Manifest,
    pub checksums: hash::Checksums,
    pub style: term::Style,
}

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Error {
    /// The learner typed something that names nothing: exit code 2.
    Usage(String),
    /// Something failed: exit code 1.
    Failed(String),
}

impl From<String> for Error {
    fn from(message: String) -> Self {
        Error::Failed(message)
    }
}

/// A command's result: its exit code, or why it could not run.
pub type CmdResult = Result<i32, Error>;

impl Ctx {
    /// Resolves a stage or exercise name; a name that matches nothing is a usage error.
    pub fn resolve(&self, name: &str) -> Result<names::Target<'_>, Error> {
        names::resolve(&self.manifest, name).map_err(Error::Usage)
    }

    /// Resolves a name that must be one exercise.
    pub fn resolve_exercise(&self, name: &str) -> Result<&manifest::Exercise, Error> {
        match self.resolve(name)? {
            names::Target::Exercise(ex) => Ok(ex),
            names::Target::Stage(stage) => Err(Error::Usage(format!(
                "`{name}` is a stage; name one of its exercises, e.g. `{}`",
                self.manifest
                    .exercises_of(stage)
                    .next()
                    .map_or("01_http_request", |e| e.file.as_str())
            ))),
        }
    }
}

/// The workspace root: this crate's parent, so any sub-folder works as a starting point.
/// `BACKENDLINGS_ROOT` points the runner at another copy of the course (its own tests use it).
fn workspace_root() -> PathBuf {
    match std::env::var_os("BACKENDLINGS_ROOT") {
        Some(root) if !root.is_empty() => PathBuf::from(root),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask is in the workspace")
            .to_path_buf(),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let invocation = match cli::parse(&args) {
        Ok(invocation) => invocation,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    if invocation == Invocation::Help {
        print!("{}", cli::help());
        return ExitCode::SUCCESS;
    }

    let root = workspace_root();
    let manifest = match manifest::Manifest::load(&root) {
        Ok(m) => m,
        Err(message) => {
            eprintln!(
                "error: the course manifest is broken: {message}\nrestore it with `git checkout -- xtask/curriculum.toml`"
            );
            return ExitCode::from(1);
        }
    };
    let ctx = Ctx {
        checksums: hash::Checksums::load(&root),
        root,
        manifest,
        style: term::Style::detect(),
    };

    let result: CmdResult = match invocation {
        Invocation::Home => {
            print!("{}", progress::home(&ctx));
            Ok(0)
        }
        Invocation::Help => unreachable!("handled above"),
        Invocation::Run(name, args) => {
            let command = cli::command(name).expect("the parser returns known commands");
            (command.run)(&ctx, &args)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(Error::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Error::Failed(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}
