//! # Exercise 08: secrets and configuration — from the environment, never printed
//!
//! A twelve-factor service reads its settings from the environment: the same build runs in
//! every place, and the database password lives in the deployment, not in the repository.
//! Secrets leak by the dull routes far more often than by attacks: a `{config:?}` in a log
//! line, a connection URL printed at startup, an error message that repeats the value it
//! refused, a crash report. Once in a log, a secret is in the log shipper, the search index
//! and every backup: rotating it is then the only fix. So:
//!
//! - **Secrets are typed.** `secrecy::SecretString` has no `Display`, and its `Debug` prints
//!   `[REDACTED]`: a `#[derive(Debug)]` on the config is then safe, and reading the value takes
//!   an explicit `expose_secret()`, written where the secret is *used* (the connection, the JWT
//!   key), never to pass it around. A plain `String` field would print itself everywhere.
//! - **A URL with a password is a secret**, but its host and database are worth logging:
//!   print `postgres://app:***@db:5432/app`, never the password.
//! - **Fail fast, at startup, and all at once.** A missing variable is found before any
//!   connection is tried, and the error names *every* missing variable: a deploy that fails
//!   five times for five variables costs five deploys. An empty value counts as missing
//!   (`JWT_SECRET=` in a compose file is a forgotten value, not an empty key).
//! - **Errors name the variable, never the value** of a secret: "JWT_SECRET is too short", not
//!   "JWT_SECRET `hunter2` is too short". The value of a non-secret (`PORT=eighty`) may help.
//! - **`_FILE` variants.** Docker and Kubernetes secrets are files
//!   (`/run/secrets/jwt_secret`), because the environment of a process is visible to more
//!   than it (`docker inspect`, `/proc/<pid>/environ`, child processes). So `JWT_SECRET_FILE`
//!   names a file holding the value; its trailing newline (editors add one) is not part of
//!   the secret. Both `JWT_SECRET` and `JWT_SECRET_FILE` set is an error: which one wins
//!   would be a guess.
//!
//! The variables (the `_FILE` variant exists for the three secrets):
//!
//! | variable | | rule |
//! |---|---|---|
//! | `DATABASE_URL` | secret, required | starts with `postgres://` or `postgresql://` |
//! | `JWT_SECRET` | secret, required | at least 32 bytes (HS256 wants a 256-bit key) |
//! | `API_KEY` | secret, required | |
//! | `PORT` | optional, default 8080 | a port number, 1 to 65535 |
//! | `DATABASE_MAX_CONNECTIONS` | optional, default 10 | a whole number from 1 up |
//!
//! Production code often uses `figment` or `config` to merge files and environment, and a
//! secrets manager (Vault, AWS Secrets Manager) behind the files; the rules stay the same.
//!
//! - <https://docs.rs/secrecy/0.10/secrecy/type.SecretString.html>,
//!   <https://docs.rs/secrecy/0.10/secrecy/trait.ExposeSecret.html>
//! - <https://12factor.net/config>, <https://docs.docker.com/engine/swarm/secrets/>
//! - <https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html>
//!
//! Your task: [`read_secret`], [`redact_url`], [`Config::from_env`] and `Config`'s `Display`.
//!
//! Run `cargo xtask check 08_secrets_config` to check your work; `cargo xtask hint
//! 08_secrets_config` gives a hint.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// The required secrets, in the order a [`ConfigError::Missing`] names them.
pub const REQUIRED: [&str; 3] = ["DATABASE_URL", "JWT_SECRET", "API_KEY"];
/// The shortest JWT secret accepted, in bytes.
pub const MIN_JWT_SECRET: usize = 32;

/// The service's settings. `Debug` is derived: the secrets print as `[REDACTED]`.
#[derive(Debug)]
pub struct Config {
    pub port: u16,
    pub database_url: SecretString,
    pub max_connections: u32,
    pub jwt_secret: SecretString,
    pub api_key: SecretString,
}

/// Why the configuration cannot be loaded. No variant may hold a secret's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// Every required variable that is unset or empty (with its `_FILE` variant), in the
    /// order of [`REQUIRED`].
    #[error("missing configuration: {} (set each, or its _FILE variant)", .0.join(", "))]
    Missing(Vec<&'static str>),
    /// Both `NAME` and `NAME_FILE` are set.
    #[error("{var} and {var}_FILE are both set: keep one of them")]
    Ambiguous { var: &'static str },
    /// `NAME_FILE` names a file that cannot be read; `reason` is the I/O error.
    #[error("cannot read {var}_FILE ({path}): {reason}")]
    Unreadable {
        var: &'static str,
        path: String,
        reason: String,
    },
    /// A value breaks its rule; `reason` says which rule, and never repeats a secret.
    #[error("{var} is invalid: {reason}")]
    Invalid { var: &'static str, reason: String },
}

/// The secret `name`: the value of the variable `name`, or the contents of the file that
/// `{name}_FILE` names with its trailing `\n`/`\r\n` removed. `Ok(None)` when neither gives a
/// value (unset or empty); an error when both are set (non-empty) or the file cannot be read.
pub fn read_secret(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
) -> Result<Option<SecretString>, ConfigError> {
    let direct = lookup(name).filter(|value| !value.is_empty());
    let file = lookup(&format!("{name}_FILE")).filter(|path| !path.is_empty());
    match (direct, file) {
        (Some(_), Some(_)) => Err(ConfigError::Ambiguous { var: name }),
        (Some(value), None) => Ok(Some(SecretString::from(value))),
        (None, Some(path)) => {
            let contents =
                std::fs::read_to_string(&path).map_err(|error| ConfigError::Unreadable {
                    var: name,
                    reason: error.to_string(),
                    path,
                })?;
            let value = contents.trim_end_matches(['\n', '\r']);
            Ok((!value.is_empty()).then(|| SecretString::from(value)))
        }
        (None, None) => Ok(None),
    }
}

/// `url` with the password of its user part replaced by `***`:
/// `postgres://app:pw@db:5432/app` → `postgres://app:***@db:5432/app`. A URL without a
/// password is returned as it is; a value without `://` is all `***` (it cannot be told
/// apart from a password). The password may itself hold `@`, `:` or `/`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "***".to_owned();
    };
    // The user part ends at the *last* `@`: a password with an unescaped `@` in it must not
    // leak its tail into the host.
    let Some((user_info, host_and_path)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match user_info.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host_and_path}"),
        None => url.to_owned(),
    }
}

impl Config {
    /// Reads the configuration through `lookup` (`|name| std::env::var(name).ok()` in
    /// production; the tests give a map). A secret set twice or in a file that cannot be read
    /// is reported as soon as it is found; then the missing secrets, all in one
    /// [`ConfigError::Missing`]; then the first value that breaks its rule, in the order of
    /// the table. On success it logs `config loaded` at INFO, with no secret in it.
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let database_url = read_secret(&lookup, "DATABASE_URL")?;
        let jwt_secret = read_secret(&lookup, "JWT_SECRET")?;
        let api_key = read_secret(&lookup, "API_KEY")?;
        let (database_url, jwt_secret, api_key) = match (database_url, jwt_secret, api_key) {
            (Some(database_url), Some(jwt_secret), Some(api_key)) => {
                (database_url, jwt_secret, api_key)
            }
            // All the missing ones at once, not the first: one failed deploy, not three.
            (database_url, jwt_secret, api_key) => {
                let missing = REQUIRED
                    .into_iter()
                    .zip([
                        database_url.is_none(),
                        jwt_secret.is_none(),
                        api_key.is_none(),
                    ])
                    .filter_map(|(name, missing)| missing.then_some(name))
                    .collect();
                return Err(ConfigError::Missing(missing));
            }
        };

        let url = database_url.expose_secret();
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(invalid(
                "DATABASE_URL",
                "expected a URL that starts with postgres:// or postgresql://",
            ));
        }
        let length = jwt_secret.expose_secret().len();
        if length < MIN_JWT_SECRET {
            // The length is no secret worth keeping: it tells how short, not what.
            return Err(invalid(
                "JWT_SECRET",
                &format!("it has {length} bytes, at least {MIN_JWT_SECRET} are needed"),
            ));
        }
        let port = number(&lookup, "PORT", 8080, |port: &u16| *port > 0)?;
        let max_connections = number(&lookup, "DATABASE_MAX_CONNECTIONS", 10, |n: &u32| *n > 0)?;

        let config = Config {
            port,
            database_url,
            max_connections,
            jwt_secret,
            api_key,
        };
        tracing::info!(
            port,
            database = %redact_url(config.database_url.expose_secret()),
            max_connections,
            "config loaded"
        );
        Ok(config)
    }
}

/// `port=8080 database=postgres://app:***@db:5432/app max_connections=10`: the settings
/// worth a startup log line, the URL redacted, no other secret.
impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "port={} database={} max_connections={}",
            self.port,
            redact_url(self.database_url.expose_secret()),
            self.max_connections
        )
    }
}

/// `ConfigError::Invalid` for `var`: give a reason that names the rule broken, not the value.
pub fn invalid(var: &'static str, reason: &str) -> ConfigError {
    ConfigError::Invalid {
        var,
        reason: reason.to_owned(),
    }
}

/// An optional number: `default` when unset or empty, an error naming the variable (and the
/// value: these are no secrets) when it does not parse or breaks `valid`.
pub fn number<T: std::str::FromStr>(
    lookup: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: T,
    valid: impl Fn(&T) -> bool,
) -> Result<T, ConfigError> {
    match lookup(var).filter(|value| !value.is_empty()) {
        None => Ok(default),
        Some(value) => value.parse().ok().filter(|n| valid(n)).ok_or_else(|| {
            invalid(
                var,
                &format!("`{value}` is not a whole number in the allowed range"),
            )
        }),
    }
}
