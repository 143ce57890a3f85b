//! Every way a request fails, and the one place that turns it into a response: the spec's
//! `GenericErrorModel`, `{"errors": {"body": ["..."]}}`, with the status that says who is to
//! blame. Given in the starter.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Every way a request fails. Handlers return `Result<_, AppError>` and use `?`.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is well-formed HTTP but its content is refused: a missing or blank field,
    /// a body that is not the JSON expected, an email that is taken. 422.
    #[error("{0}")]
    Unprocessable(String),
    /// No token, a malformed `Authorization` header, a bad signature, an expired token, or
    /// a wrong password. 401.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// The caller is known but may not do this: another user's article or comment. 403.
    #[error("{0}")]
    Forbidden(&'static str),
    /// A body over the size allowed: a cover image over 1 MiB. 413.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// No such article, profile or comment. 404.
    #[error("{0}")]
    NotFound(&'static str),
    /// The database failed. 500, and the details go to the log, never to the client.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Something else of ours failed (a hashing task that panicked). 500, logged.
    #[error("internal error: {0}")]
    Internal(String),
    /// A route whose handler is still to be written. 501. Delete it when every milestone
    /// is done.
    #[error("not implemented yet: {0}")]
    NotImplemented(String),
}

impl AppError {
    /// A 422 with `message`.
    pub fn unprocessable(message: impl Into<String>) -> AppError {
        AppError::Unprocessable(message.into())
    }

    /// The answer of a route whose milestone is still to come:
    /// `not_implemented("POST /api/users", 1, "users")`.
    pub fn not_implemented(route: &str, milestone: u8, topic: &str) -> AppError {
        AppError::NotImplemented(format!("{route} (milestone {milestone}, {topic})"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
        };
        let message = if matches!(self, AppError::Database(_) | AppError::Internal(_)) {
            // The log gets the cause; the client gets nothing it could use against us.
            tracing::error!(error = %self, "request failed");
            "internal server error".to_string()
        } else {
            self.to_string()
        };
        (
            status,
            axum::Json(json!({ "errors": { "body": [message] } })),
        )
            .into_response()
    }
}

/// The answer for a path the API does not have.
pub async fn no_route() -> AppError {
    AppError::NotFound("no such route: the API is under /api")
}

/// The answer for a path the API has, with a method it does not.
pub async fn no_method() -> Response {
    let message = "method not allowed on this path";
    (
        StatusCode::METHOD_NOT_ALLOWED,
        axum::Json(json!({ "errors": { "body": [message] } })),
    )
        .into_response()
}
