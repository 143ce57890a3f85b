//! Stage 6 support.
//!
//! The projects live in `exercises/`, each a directory included by its tests in `tests/` under
//! the same name and by its binary in `src/bin/`; this library is empty on purpose, so that
//! `cargo test -p stage6-projects` builds each project once, inside its own tests.
