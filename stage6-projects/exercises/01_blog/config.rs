//! What the app is configured with: given, the same in the starter and the reference.

use std::time::Duration;

/// What the app is configured with.
pub struct Config {
    /// The HS256 key of the JWTs the app issues and accepts.
    pub jwt_secret: String,
    /// How long an issued token is valid.
    pub token_ttl: Duration,
    /// Where cover images are stored (milestone 8); `None`: nowhere, and uploading one fails.
    pub storage: Option<Storage>,
}

/// An S3-compatible bucket: AWS S3, MinIO, Garage, or the tests' own server.
#[derive(Debug, Clone)]
pub struct Storage {
    /// The storage's base URL, such as `http://127.0.0.1:9000` (path-style requests).
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub access_key: String,
    pub secret_key: String,
}

impl Config {
    /// `jwt_secret` with tokens valid for 24 hours: long enough for a day of clicking around
    /// a front end, short enough that a leaked token does not work forever. No storage.
    pub fn new(jwt_secret: impl Into<String>) -> Config {
        Config {
            jwt_secret: jwt_secret.into(),
            token_ttl: Duration::from_secs(24 * 60 * 60),
            storage: None,
        }
    }

    /// This configuration, with cover images stored in `storage`.
    pub fn with_storage(self, storage: Storage) -> Config {
        Config {
            storage: Some(storage),
            ..self
        }
    }
}
