//! Every way a request fails, and the one place that turns it into a response:
//! `{"error": "..."}` with the status that says who is to blame. Given in the starter.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Every way a request fails. Handlers return `Result<_, AppError>` and use `?`.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request lacks something HTTP-level it must have: the `Idempotency-Key` header. 400.
    #[error("{0}")]
    BadRequest(String),
    /// The content is refused: a missing or blank field, a bad quantity or price, a body that
    /// is not the JSON expected, an idempotency key reused for another request. 422.
    #[error("{0}")]
    Unprocessable(String),
    /// No token, a bad or expired one, a wrong password, a webhook whose signature is bad or
    /// too old. 401.
    #[error("{0}")]
    Unauthorized(String),
    /// The caller is known but may not do this: a customer on an admin route. 403.
    #[error("{0}")]
    Forbidden(String),
    /// No such product or order (or not one of the caller's). 404.
    #[error("{0}")]
    NotFound(String),
    /// A body over the size allowed: an image over 1 MiB. 413.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The request is valid but the state of things refuses it: not enough stock, an order
    /// that cannot go from its status to the one asked, an email already taken. 409.
    #[error("{0}")]
    Conflict(String),
    /// A route whose handler is still to be written. 501. Delete it when every milestone
    /// is done.
    #[error("not implemented yet: {0}")]
    NotImplemented(String),
    /// The database failed. 500, and the details go to the log, never to the client.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Something else of ours failed (a hashing task that panicked). 500, logged.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// A 422 with `message`.
    pub fn unprocessable(message: impl Into<String>) -> AppError {
        AppError::Unprocessable(message.into())
    }

    /// A 404 with `message`.
    pub fn not_found(message: impl Into<String>) -> AppError {
        AppError::NotFound(message.into())
    }

    /// A 409 with `message`.
    pub fn conflict(message: impl Into<String>) -> AppError {
        AppError::Conflict(message.into())
    }

    /// The answer of a route whose milestone is still to come:
    /// `not_implemented("POST /api/products", 1, "catalog")`.
    pub fn not_implemented(route: &str, milestone: u8, topic: &str) -> AppError {
        AppError::NotImplemented(format!("{route} (milestone {milestone}, {topic})"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
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
        (status, axum::Json(json!({ "error": message }))).into_response()
    }
}

/// Why [`super::app`] could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the migrations failed: {0}")]
    Migrations(#[from] sqlx::migrate::MigrateError),
    #[error("the storage settings are refused: {0}")]
    Storage(#[from] object_store::Error),
    #[error("cannot reach RabbitMQ for the order events: {0}")]
    Events(#[from] lapin::Error),
}

/// The answer for a path the API does not have.
pub async fn no_route() -> AppError {
    AppError::not_found("no such route: the API is under /api")
}

/// The answer for a path the API has, with a method it does not.
pub async fn no_method() -> Response {
    let message = "method not allowed on this path";
    (
        StatusCode::METHOD_NOT_ALLOWED,
        axum::Json(json!({ "error": message })),
    )
        .into_response()
}
