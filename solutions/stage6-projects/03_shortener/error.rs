//! Every way a request fails, and the one place that turns it into a response,
//! `{"error": "..."}` with the status that says who is to blame. Given in the starter.

use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Every way a request fails. Handlers return `Result<_, AppError>` and use `?`.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The body is not the JSON expected, or its `url` is not an http(s) URL. 422.
    #[error("{0}")]
    Unprocessable(String),
    /// No such code. 404.
    #[error("{0}")]
    NotFound(&'static str),
    /// The client created too many links in the window; it may try again after this long.
    /// 429 with `Retry-After` in whole seconds (rounded up).
    #[error("too many links created: try again in {} s", retry_after_secs(*.0))]
    TooManyRequests(Duration),
    /// PostgreSQL failed. 500, and the details go to the log, never to the client.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Redis failed. 500, logged.
    #[error("redis error: {0}")]
    Redis(#[from] redis::RedisError),
}

impl AppError {
    /// A 422 with `message`.
    pub fn unprocessable(message: impl Into<String>) -> AppError {
        AppError::Unprocessable(message.into())
    }
}

/// `Retry-After` counts whole seconds: a wait of 0.2 s is 1, never 0 (which means "now").
fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_millis().div_ceil(1000).max(1) as u64
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Database(_) | AppError::Redis(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
            // The log gets the cause; the client gets nothing it could use against us.
            tracing::error!(error = %self, "request failed");
            "internal server error".to_string()
        } else {
            self.to_string()
        };
        let mut response = (status, axum::Json(json!({ "error": message }))).into_response();
        if let AppError::TooManyRequests(wait) = self {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after_secs(wait)),
            );
        }
        response
    }
}

/// The answer for a path the service does not have.
pub async fn no_route() -> AppError {
    AppError::NotFound("no such route")
}
