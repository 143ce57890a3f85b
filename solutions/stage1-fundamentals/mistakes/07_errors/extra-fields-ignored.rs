//! mistake: only the first two fields are read, so a line with a third one is accepted
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
//! This is the reference solution.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::num::ParseIntError;
use std::path::{Path, PathBuf};

/// One line of an order file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub sku: String,
    pub quantity: u32,
}

/// Everything that can go wrong while loading or saving orders. Line numbers start at 1.
///
/// Messages describe only this level; the cause is reached through `source()`.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    /// The order file at `path` could not be read.
    #[error("could not read order file {}", path.display())]
    Read { path: PathBuf, source: io::Error },
    /// The quantity on line `line` is not a whole number.
    #[error("line {line}: quantity is not a whole number")]
    Parse { line: usize, source: ParseIntError },
    /// The quantity on line `line` is 0.
    #[error("line {line}: quantity must be at least 1")]
    ZeroQuantity { line: usize },
    /// Line `line` does not have exactly two fields.
    #[error("line {line}: expected a sku and a quantity")]
    MalformedLine { line: usize },
    /// Any other I/O failure, converted by `?` without extra context.
    #[error("i/o error")]
    Io(#[from] io::Error),
}

/// Parses the text of an order file, one `<sku> <quantity>` per line; blank lines are skipped.
pub fn parse_orders(text: &str) -> Result<Vec<Order>, OrderError> {
    let mut orders = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let fields: Vec<&str> = raw.split_whitespace().collect();
        let (sku, quantity) = match fields.as_slice() {
            [] => continue,
            [sku, quantity, ..] => (*sku, *quantity),
            _ => return Err(OrderError::MalformedLine { line }),
        };
        let quantity: u32 = quantity
            .parse()
            .map_err(|source| OrderError::Parse { line, source })?;
        if quantity == 0 {
            return Err(OrderError::ZeroQuantity { line });
        }
        orders.push(Order {
            sku: sku.to_string(),
            quantity,
        });
    }
    Ok(orders)
}

/// Reads the order file at `path` and parses it; read failures name the path.
pub fn load_orders(path: &Path) -> Result<Vec<Order>, OrderError> {
    let text = std::fs::read_to_string(path).map_err(|source| OrderError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_orders(&text)
}

/// Appends `order` to the file at `path` as one line, creating the file if needed.
pub fn append_order(path: &Path, order: &Order) -> Result<(), OrderError> {
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    writeln!(file, "{} {}", order.sku, order.quantity)?;
    Ok(())
}
