//! Stage 2 support.
