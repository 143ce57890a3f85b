//! The app's one error type, and the one place that says how each error looks over HTTP.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Everything that can go wrong in a request. Each answers its status and
/// `{"error": "<its message>"}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// 422: input that breaks a rule; the message says which.
    #[error("{0}")]
    Invalid(String),
    /// 404: no bookmark has this id.
    #[error("bookmark {0} not found")]
    NotFound(u64),
    /// 409: this url is bookmarked already.
    #[error("a bookmark for {0} already exists")]
    Duplicate(String),
    /// 404: no route matches the request (`"GET /bookmarks"`).
    #[error("no route for {0}")]
    NoRoute(String),
    /// A request the extractors could not read (a body that is not JSON, an id that is not a
    /// number): the status and the explanation axum gives.
    #[error("{message}")]
    Unreadable { status: StatusCode, message: String },
}

impl AppError {
    /// The status of each variant, as its doc comment says.
    fn status(&self) -> StatusCode {
        match self {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound(_) | AppError::NoRoute(_) => StatusCode::NOT_FOUND,
            AppError::Duplicate(_) => StatusCode::CONFLICT,
            AppError::Unreadable { status, .. } => *status,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (self.status(), Json(json!({ "error": self.to_string() }))).into_response()
    }
}

/// A JSON body that could not be read keeps axum's status: 400 (not JSON), 415 (not sent as
/// JSON), 422 (JSON of the wrong shape).
impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        AppError::Unreadable {
            status: rejection.status(),
            message: rejection.body_text(),
        }
    }
}

/// A path parameter that could not be read is the client's mistake: 400.
impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        AppError::Unreadable {
            status: StatusCode::BAD_REQUEST,
            message: rejection.body_text(),
        }
    }
}
