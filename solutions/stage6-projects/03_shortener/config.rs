//! What an instance is configured with: given, the same in the starter and the reference.

use std::time::Duration;

/// What an instance is configured with. Every instance of one deployment gets the same one.
#[derive(Debug, Clone)]
pub struct Config {
    /// The address users reach the service at (the load balancer's), without a final `/`:
    /// a short link is `{public_url}/{code}`.
    pub public_url: String,
    /// Every Redis key and stream the service uses starts with it (`shortener:` by default),
    /// so that several deployments, or several tests, can share one Redis.
    pub key_prefix: String,
    /// How long a cached link stays in Redis (milestone 3).
    pub cache_ttl: Duration,
    /// How long "no such code" stays in Redis (milestone 3): short, since the code may be
    /// created later.
    pub miss_ttl: Duration,
    /// How many links one client may create in a window (milestone 5).
    pub rate_limit: u64,
    /// The rate limit's window (milestone 5).
    pub rate_window: Duration,
    /// How long a click may wait, delivered to a worker but not acknowledged, before another
    /// worker takes it over (milestone 4): longer than a worker ever needs for a batch.
    pub claim_idle: Duration,
    /// How long a worker's read waits for new clicks before it looks for abandoned ones
    /// (milestone 4).
    pub poll: Duration,
}

impl Config {
    /// The defaults of a production deployment at `public_url`, keys under `key_prefix`.
    pub fn new(public_url: impl Into<String>, key_prefix: impl Into<String>) -> Config {
        Config {
            public_url: public_url.into().trim_end_matches('/').to_string(),
            key_prefix: key_prefix.into(),
            cache_ttl: Duration::from_secs(60 * 60),
            miss_ttl: Duration::from_secs(60),
            rate_limit: 100,
            rate_window: Duration::from_secs(60),
            claim_idle: Duration::from_secs(30),
            poll: Duration::from_millis(200),
        }
    }
}
