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
    // TODO: the value of `name`, and the path in `{name}_FILE`; each empty one counts as
    // unset. Both set: `ConfigError::Ambiguous`. The file: `std::fs::read_to_string`, an
    // error being `ConfigError::Unreadable` (the path and the I/O error, never contents);
    // strip the trailing `\n`/`\r\n`. An empty result is `None`.
    todo!("read the secret {name} or the file {name}_FILE names")
}

/// `url` with the password of its user part replaced by `***`:
/// `postgres://app:pw@db:5432/app` → `postgres://app:***@db:5432/app`. A URL without a
/// password is returned as it is; a value without `://` is all `***` (it cannot be told
/// apart from a password). The password may itself hold `@`, `:` or `/`.
pub fn redact_url(url: &str) -> String {
    // TODO: split at `://` (none: return "***"); the user part ends at the LAST `@` (none:
    // the URL has no password); in it, the password is what follows the first `:`.
    todo!("replace the password in the URL by ***")
}

impl Config {
    /// Reads the configuration through `lookup` (`|name| std::env::var(name).ok()` in
    /// production; the tests give a map). A secret set twice or in a file that cannot be read
    /// is reported as soon as it is found; then the missing secrets, all in one
    /// [`ConfigError::Missing`]; then the first value that breaks its rule, in the order of
    /// the table. On success it logs `config loaded` at INFO, with no secret in it.
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        // TODO: read the three secrets (`read_secret`); name every missing one in one
        // `ConfigError::Missing`, in the order of `REQUIRED`.
        // TODO: check the rules of DATABASE_URL and JWT_SECRET (`expose_secret()` to look at
        // them); a reason names the rule, never the value. Then PORT and
        // DATABASE_MAX_CONNECTIONS with `number`.
        // TODO: log `config loaded` at INFO: the port, the redacted URL, the pool size.
        todo!("load the configuration through lookup")
    }
}

/// `port=8080 database=postgres://app:***@db:5432/app max_connections=10`: the settings
/// worth a startup log line, the URL redacted, no other secret.
impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // TODO: exactly `port=… database=… max_connections=…`, the URL through `redact_url`.
        todo!("write the config as one line, no secret in it")
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
