//! Stage 1 support.
