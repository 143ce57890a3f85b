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
    /// A suggested helper: the status of each variant, as its doc comment says.
    fn status(&self) -> StatusCode {
        // TODO: one arm per variant.
        todo!("the status of {self:?}")
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // TODO: the status, and the message (the `#[error]` text) as `{"error": ...}`.
        todo!("answer {self:?} over HTTP")
    }
}

/// A JSON body that could not be read keeps axum's status: 400 (not JSON), 415 (not sent as
/// JSON), 422 (JSON of the wrong shape).
impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        // TODO: what `create` of tangled.rs does with a rejected body.
        todo!("keep the status and the text of {rejection:?}")
    }
}

/// A path parameter that could not be read is the client's mistake: 400.
impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        // TODO: what `show` of tangled.rs does with a rejected path.
        todo!("a 400 with the text of {rejection:?}")
    }
}
