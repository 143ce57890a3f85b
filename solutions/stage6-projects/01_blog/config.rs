//! What the app is configured with: given, the same in the starter and the reference.

use std::time::Duration;

/// What the app is configured with.
pub struct Config {
    /// The HS256 key of the JWTs the app issues and accepts.
    pub jwt_secret: String,
    /// How long an issued token is valid.
    pub token_ttl: Duration,
}

impl Config {
    /// `jwt_secret` with tokens valid for 24 hours: long enough for a day of clicking around
    /// a front end, short enough that a leaked token does not work forever.
    pub fn new(jwt_secret: impl Into<String>) -> Config {
        Config {
            jwt_secret: jwt_secret.into(),
            token_ttl: Duration::from_secs(24 * 60 * 60),
        }
    }
}
