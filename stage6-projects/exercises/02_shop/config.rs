//! What the app is configured with: given, the same in the starter and the reference.

use std::time::Duration;

/// What the app is configured with.
pub struct Config {
    /// The HS256 key of the JWTs the app issues and accepts.
    pub jwt_secret: String,
    /// The key the payment provider signs its webhooks with (milestone 4): shared with it
    /// once, out of band, and never sent in a request.
    pub webhook_secret: String,
    /// How long an issued token is valid.
    pub token_ttl: Duration,
    /// The e-mail address whose account is an admin when it registers; every other account
    /// is a customer. `None`: nobody is an admin.
    pub admin_email: Option<String>,
    /// Where product images are stored (milestone 5); `None`: nowhere, and uploading one
    /// fails.
    pub storage: Option<Storage>,
    /// Where order events are published (milestone 5); `None`: they are not.
    pub events: Option<EventsConfig>,
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

/// A RabbitMQ broker and the topic exchange the order events go to.
#[derive(Debug, Clone)]
pub struct EventsConfig {
    /// `amqp://guest:guest@127.0.0.1:5672/%2f`.
    pub url: String,
    pub exchange: String,
}

impl Config {
    /// Tokens signed with `jwt_secret` and valid for 24 hours, webhooks signed with
    /// `webhook_secret`; no admin, no storage, no events.
    pub fn new(jwt_secret: impl Into<String>, webhook_secret: impl Into<String>) -> Config {
        Config {
            jwt_secret: jwt_secret.into(),
            webhook_secret: webhook_secret.into(),
            token_ttl: Duration::from_secs(24 * 60 * 60),
            admin_email: None,
            storage: None,
            events: None,
        }
    }

    /// This configuration, where the account registered with `email` (whatever its case) is
    /// an admin.
    pub fn with_admin(self, email: impl Into<String>) -> Config {
        Config {
            admin_email: Some(email.into().to_lowercase()),
            ..self
        }
    }

    /// This configuration, with product images stored in `storage`.
    pub fn with_storage(self, storage: Storage) -> Config {
        Config {
            storage: Some(storage),
            ..self
        }
    }

    /// This configuration, with order events published to the topic exchange `exchange` of
    /// the RabbitMQ broker at `url`.
    pub fn with_events(self, url: impl Into<String>, exchange: impl Into<String>) -> Config {
        Config {
            events: Some(EventsConfig {
                url: url.into(),
                exchange: exchange.into(),
            }),
            ..self
        }
    }
}
