//! # Exercise 07: error handling with `thiserror`, `?` and `source()`
//!
//! In Rust a failure is a value: a function returns `Result<T, E>`, and the error type `E` says
//! what can go wrong. For a backend that matters twice. Callers (an axum handler, a CLI's `main`)
//! `match` on the error to choose a status code or exit code: a missing order file is not the
//! same as a typo on line 3. And the person reading the logs at 3 a.m. needs a message that says
//! *which* file and *which* line, down to the operating system's own words.
//!
//! **The `std::error::Error` trait** (<https://doc.rust-lang.org/std/error/trait.Error.html>)
//! gives every error a `Display` message (one line, lowercase, no final period) and an optional
//! `source()`: the lower-level error that caused it. Errors form a chain, and a reporter (anyhow,
//! `tracing`, your `main`) walks it to print
//! `could not read order file orders.txt: No such file or directory (os error 2)`.
//! Rule: an error either shows its cause in its own message or returns it from `source()`, never
//! both, or the reporter prints the cause twice. Here, causes go in `source()`.
//!
//! **`?`** returns early on `Err(e)` and converts the error with `From::from(e)`. So if
//! `OrderError: From<std::io::Error>`, `?` on any I/O call inside a function returning
//! `Result<_, OrderError>` just works. But `From` only sees the I/O error, and
//! `No such file or directory` does not say which file. Where it matters, add the context
//! yourself: `.map_err(|source| OrderError::Read { path: path.to_path_buf(), source })?`.
//!
//! **`thiserror`** (<https://docs.rs/thiserror>) writes the boilerplate: `#[error("...")]` on a
//! variant generates its `Display` (fields by name: `"line {line}: ..."`), a field named `source`
//! (or marked `#[source]`) becomes `source()`, and `#[from]` also generates the `From` impl.
//! Libraries use it so callers can match on variants; applications often add `anyhow`
//! (<https://docs.rs/anyhow>) on top, whose `.context("...")` attaches the same kind of context.
//!
//! Your task: a small order file has one order per line, `<sku> <quantity>`, like `widget 3`.
//! 1. Replace the hand-written placeholder impls of `OrderError` with `#[derive(thiserror::Error)]`
//!    and its attributes, using the exact messages in the variants' doc comments.
//! 2. Write `parse_orders`, `load_orders` and `append_order`.
//!
//! Run `cargo xtask check 07_errors` to check your work; `cargo xtask hint 07_errors` gives a hint.

use std::fmt;
use std::io;
use std::num::ParseIntError;
use std::path::{Path, PathBuf};

/// One line of an order file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub sku: String,
    pub quantity: u32,
}

/// Everything that can go wrong while loading or saving orders. Line numbers start at 1.
// TODO: let thiserror write what the three placeholder impls below the enum only pretend to
// (then delete them): each variant's message from its doc comment, a `source()` that returns
// the cause of `Read`, `Parse` and `Io` and nothing for the others, and `From<io::Error>`.
#[derive(Debug)]
pub enum OrderError {
    /// The order file at `path` could not be read.
    /// Message: `could not read order file {path}` (print the path with `path.display()`).
    Read { path: PathBuf, source: io::Error },
    /// The quantity on line `line` is not a whole number, such as `two` or `3.5`.
    /// Message: `line {line}: quantity is not a whole number`.
    Parse { line: usize, source: ParseIntError },
    /// The quantity on line `line` is 0: an order must be for at least one item.
    /// Message: `line {line}: quantity must be at least 1`.
    ZeroQuantity { line: usize },
    /// Line `line` does not have exactly two fields, a sku and a quantity.
    /// Message: `line {line}: expected a sku and a quantity`.
    MalformedLine { line: usize },
    /// Any other I/O failure, converted by `?` without extra context.
    /// Message: `i/o error`.
    Io(io::Error),
}

// Placeholder: replace with `#[error("...")]` attributes.
impl fmt::Display for OrderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        todo!("write each variant's message (or derive thiserror::Error)")
    }
}

// Placeholder: this empty impl says "no source", which is wrong for `Read`, `Parse` and `Io`.
impl std::error::Error for OrderError {}

// Placeholder: replace with `#[from]` on `Io`'s field.
impl From<io::Error> for OrderError {
    fn from(source: io::Error) -> Self {
        todo!("wrap the io::Error (or derive it with #[from])")
    }
}

/// Parses the text of an order file.
///
/// Each line is a sku and a quantity separated by whitespace; spaces around them do not matter.
/// Blank lines are skipped but still counted, so line numbers match what an editor shows. The
/// first problem found is returned, with its 1-based line number:
/// not exactly two fields is `MalformedLine`, a quantity that does not parse as a `u32` is
/// `Parse`, and a quantity of 0 is `ZeroQuantity`.
pub fn parse_orders(text: &str) -> Result<Vec<Order>, OrderError> {
    // TODO: one order per line, blank lines skipped but counted; the first problem found is
    // returned with the number of its line, as an editor shows it.
    todo!("parse one order per line, reporting the line of the first problem")
}

/// Reads the order file at `path` and parses it.
///
/// A file that cannot be read (missing, a directory, not UTF-8) is `OrderError::Read` with this
/// path; parse problems are reported as by `parse_orders`.
pub fn load_orders(path: &Path) -> Result<Vec<Order>, OrderError> {
    // TODO: read the whole file as text; a failure to read it says which file it was. Then
    // parse the text.
    todo!("read the file with context, then parse it")
}

/// Appends `order` to the file at `path` as one line, `<sku> <quantity>\n`, creating the file
/// if it does not exist.
///
/// Use plain `?` on the I/O calls here: failures become `OrderError::Io` through `From`.
pub fn append_order(path: &Path, order: &Order) -> Result<(), OrderError> {
    // TODO: add the order's line at the end of the file, creating the file if it is missing;
    // every I/O failure becomes `OrderError::Io` by way of `?`.
    todo!("append the order as one line, using ? on the i/o calls")
}
