//! Stage 3 support.
//!
//! The exercises live in `exercises/`, each included by its test in `tests/` under the same
//! name; this library is empty on purpose, so that `cargo test -p stage3-apis` builds each
//! exercise once, inside its own test.
