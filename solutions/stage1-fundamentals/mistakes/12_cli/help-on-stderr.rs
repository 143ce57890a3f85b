//! mistake: everything clap renders goes to stderr, --help too, so `kv --help | less` shows nothing
//! # Exercise 12: a command-line tool with clap (reference solution)

use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use serde::Serialize;

/// Count text or look up keys in key=value files.
#[derive(Debug, Parser)]
#[command(name = "kv")]
pub struct Cli {
    /// How to print results.
    #[arg(long, value_enum, default_value_t = Format::Text, global = true)]
    pub format: Format,
    /// Tell on stderr what kv is doing; repeat (-vv) for more.
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Count the lines, words and bytes of FILE.
    Count {
        /// The file to read; without it, or with `-`, kv reads stdin.
        file: Option<PathBuf>,
    },
    /// Print the value of KEY from the key=value lines of FILE.
    Get {
        /// The key to look up.
        key: String,
        /// The file to read; without it, or with `-`, kv reads stdin.
        file: Option<PathBuf>,
    },
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
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            // `--help` is an "error" too: clap says where it goes and with which code.
            // There is nowhere left to report a failed write, so its result is ignored.
            let _ = write!(stderr, "{}", err.render());
            return err.exit_code();
        }
    };
    match execute(&cli, stdin, stdout, stderr) {
        Ok(()) => 0,
        Err(message) => {
            let _ = writeln!(stderr, "kv: {message}");
            1
        }
    }
}

/// Runs the parsed command. The error is the message for `kv: <message>`.
fn execute(
    cli: &Cli,
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), String> {
    let output = match &cli.command {
        Command::Count { file } => {
            let text = read_input(file.as_deref(), cli.verbose, stdin, stderr)?;
            let counts = count(&text);
            match cli.format {
                Format::Text => format!(
                    "{} lines, {} words, {} bytes",
                    counts.lines, counts.words, counts.bytes
                ),
                Format::Json => serde_json::to_string(&counts).map_err(|e| e.to_string())?,
            }
        }
        Command::Get { key, file } => {
            let text = read_input(file.as_deref(), cli.verbose, stdin, stderr)?;
            let value = find_value(&text, key).ok_or_else(|| format!("key `{key}` not found"))?;
            match cli.format {
                Format::Text => value.to_string(),
                Format::Json => serde_json::json!({ "key": key, "value": value }).to_string(),
            }
        }
    };
    writeln!(stdout, "{output}").map_err(|e| format!("cannot write output: {e}"))
}

/// The whole input, from the file or from stdin, with the verbose messages. The error is the
/// message for `kv: <message>`.
fn read_input(
    file: Option<&Path>,
    verbose: u8,
    stdin: &mut dyn BufRead,
    stderr: &mut dyn Write,
) -> Result<String, String> {
    let path = file.filter(|path| *path != Path::new("-"));
    let name = path.map_or("stdin".into(), |path| path.display().to_string());
    if verbose >= 1 {
        let _ = writeln!(stderr, "kv: reading {name}");
    }
    let text = match path {
        Some(path) => std::fs::read_to_string(path),
        None => {
            let mut text = String::new();
            stdin.read_to_string(&mut text).map(|_| text)
        }
    }
    .map_err(|e| format!("cannot read {name}: {e}"))?;
    if verbose >= 2 {
        let _ = writeln!(stderr, "kv: read {} bytes", text.len());
    }
    Ok(text)
}
