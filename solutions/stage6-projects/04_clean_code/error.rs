//! The ways the service fails, as types rather than strings. Given.

/// The store failed (the database is down, a query is wrong). The details are for the log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("storage failed: {0}")]
pub struct StorageError(pub String);

impl From<sqlx::Error> for StorageError {
    fn from(e: sqlx::Error) -> StorageError {
        StorageError(e.to_string())
    }
}

/// The mailer could not hand the mail over.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mail failed: {0}")]
pub struct MailError(pub String);

/// Why `OrderService` refused or failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderError {
    /// The order breaks a rule; the message is the legacy one (`"email is not valid"`). 422.
    #[error("{0}")]
    Invalid(String),
    /// No order has this id. 404, `"order 7 not found"`.
    #[error("order {0} not found")]
    NotFound(i64),
    /// 500, `"storage failed"` to the client and the details to the log.
    #[error(transparent)]
    Storage(#[from] StorageError),
}
