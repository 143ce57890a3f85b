//! Milestone 4, the clock adapter: the real time, for production. Tests bring a fixed one.

use chrono::{DateTime, Utc};

use super::ports::Clock;

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
