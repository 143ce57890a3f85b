//! Stage 5 support.
//!
//! The exercises live in `exercises/`, each included by its test in `tests/` under the same
//! name; this library is empty on purpose, so that `cargo test -p stage5-security` builds
//! each exercise once, inside its own test.
