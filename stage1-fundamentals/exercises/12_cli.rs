//! # Exercise 12: a command-line tool with clap
//!
//! Backend engineers ship many small command-line tools: migration runners, admin scripts,
//! load generators, the server binary itself with its `--port` and `--config`. Other programs
//! and scripts call them, so they must follow the Unix conventions that make pipes work:
//!
//! - **stdout is for data, stderr is for people.** `kv get port config.env | xargs ...` must
//!   receive exactly the value. Errors, progress and `--verbose` chatter go to stderr, so that
//!   they show up in the terminal but never in the pipe or the redirected file.
//! - **The exit code says how it went.** `0` is success, `1` a runtime failure (a missing file,
//!   a key that is not there), `2` a usage error (an unknown flag, a missing argument), the
//!   convention of grep, bash builtins and clap. Shell scripts (`set -e`, `&&`, `if`) and CI
//!   rely on it. `--help` is not an error: it goes to stdout with code `0`.
//! - **`-` or no file means stdin**, so the tool works at the end of a pipe: `cat x | kv count`.
//!
//! clap is the standard Rust argument parser (cargo, ripgrep and most Rust tools use it). With
//! its derive API you describe the command line as types: `#[derive(Parser)]` on a struct,
//! `#[derive(Subcommand)]` on an enum of subcommands, `#[derive(ValueEnum)]` on an enum of
//! allowed values. Doc comments become the `--help` text; `#[arg(...)]` configures each
//! argument (`short`, `long`, `global = true`, `action = ArgAction::Count` for `-vvv`,
//! `default_value_t`).
//!
//! `Cli::parse()` reads the real process arguments and *exits the process* on an error or
//! `--help`, which no test can observe. So the tool's logic lives in a `run` function that
//! takes the arguments and the three streams, and returns the exit code. It uses
//! `Cli::try_parse_from(args)`, which returns a `clap::Error` instead; the error knows where it
//! belongs (`use_stderr()`), its code (`exit_code()`) and its text (`render()`). (Do not call
//! `err.print()` or `err.exit()` in `run`: they write to the real terminal.) The binary's `main`
//! is then three lines:
//!
//! ```ignore
//! fn main() -> std::process::ExitCode {
//!     let (stdin, stdout, stderr) = (std::io::stdin(), std::io::stdout(), std::io::stderr());
//!     let code = run(std::env::args_os(), &mut stdin.lock(), &mut stdout.lock(), &mut stderr.lock());
//!     std::process::ExitCode::from(code as u8)
//! }
//! ```
//!
//! (Writing with `println!` panics when stdout is a closed pipe, as in `kv count | head -0`;
//! `writeln!` to a `&mut dyn Write` returns the error for you to handle instead.)
//!
//! Your task: make `kv` below work. Derive clap's traits on the three types, then write `run`.
//!
//! Docs: <https://docs.rs/clap/latest/clap/_derive/_tutorial/index.html>,
//! <https://docs.rs/clap/latest/clap/_derive/index.html>,
//! <https://docs.rs/clap/latest/clap/error/struct.Error.html>, and the Command Line Interface
//! Guidelines: <https://clig.dev>.
//!
//! Run `cargo xtask check 12_cli` to check your work; `cargo xtask hint 12_cli` gives a hint.

use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use serde::Serialize;

/// The command line of `kv`:
///
/// ```text
/// kv [--format <FORMAT>] [-v...] count [FILE]
/// kv [--format <FORMAT>] [-v...] get <KEY> [FILE]
/// ```
///
/// `--format` is `text` (the default) or `json`. `-v`/`--verbose` may be repeated: `-vv` is 2.
/// Both are global: they may also come after the subcommand (`kv get port --format json`).
// TODO: let clap build this command line from the type: the parser derived here, and on each
// field what it is (a long flag, a short one, counted, with a default, global, the subcommand).
// Doc comments on the fields become their `--help` text.
#[derive(Debug)]
pub struct Cli {
    pub format: Format,
    pub verbose: u8,
    pub command: Command,
}

/// How results are printed on stdout.
// TODO: let clap accept exactly `text` and `json` as values of this type, and list them in its
// errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// The subcommands. A `file` of `None` or `-` means stdin.
// TODO: make each variant a subcommand, its fields the subcommand's arguments, and give each
// variant and field a doc comment for `--help`.
#[derive(Debug)]
pub enum Command {
    /// `count [FILE]`: prints `4 lines, 4 words, 23 bytes`, or with `--format json`
    /// `{"lines":4,"words":4,"bytes":23}`.
    Count { file: Option<PathBuf> },
    /// `get <KEY> [FILE]`: prints the value of KEY, or with `--format json`
    /// `{"key":"port","value":"8080"}`. A missing key is a runtime error.
    Get { key: String, file: Option<PathBuf> },
}

/// What `kv count` reports. Serialize it for `--format json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub lines: usize,
    pub words: usize,
    pub bytes: usize,
}

/// Counts like `str::lines` and `str::split_whitespace`: a last line without `\n` counts too.
pub fn count(text: &str) -> Counts {
    Counts {
        lines: text.lines().count(),
        words: text.split_whitespace().count(),
        bytes: text.len(),
    }
}

/// The value of the first `key=value` line whose key is `key`, both sides trimmed. Lines
/// without `=` are ignored; the value may contain more `=`.
pub fn find_value<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, value)| value.trim())
}

/// Runs `kv` with `args` (the first one is the program name, as in `std::env::args_os()`) and
/// returns its exit code.
///
/// - Usage errors and `--help`: clap's rendered message, to stderr or stdout as
///   `clap::Error::use_stderr` says, and `clap::Error::exit_code` (2 or 0).
/// - Success: the result and a `\n` on stdout, exit code 0.
/// - Runtime errors: nothing on stdout; `kv: <message>\n` on stderr; exit code 1. The messages
///   are ``key `<KEY>` not found`` and `cannot read <name>: <io error>`, where `<name>` is
///   `stdin` or the file's path.
/// - With `-v`, before reading: `kv: reading <name>\n` on stderr. With `-vv`, also after
///   reading: `kv: read <N> bytes\n`.
pub fn run<I, T>(
    args: I,
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    // TODO: parse `args` without ever exiting the process: a usage error or a help request is
    // printed on the stream clap says it belongs to, and clap's exit code is returned.
    // TODO: run the subcommand: its result on stdout; a runtime error as `kv: ...` on stderr,
    // exit code 1, and then nothing on stdout.
    todo!("run kv")
}

/// A suggested helper: the whole input, from the file or from stdin, with the verbose messages.
/// The error is the message for `kv: <message>`.
fn read_input(
    file: Option<&Path>,
    verbose: u8,
    stdin: &mut dyn BufRead,
    stderr: &mut dyn Write,
) -> Result<String, String> {
    // TODO: no file, or `-`, is stdin; anything else a path. Tell what is read as `-v` and
    // `-vv` ask, and turn a failure into `cannot read <name>: <io error>`.
    todo!("read {file:?} or stdin")
}
