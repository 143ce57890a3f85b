//! Extractors whose rejections are [`AppError`]s: given in the starter.
//!
//! axum's own `Json` and `Query` answer a bad request in plain text (400, 415 or 422). The
//! spec wants every error as `{"errors": {"body": [...]}}`, so these wrappers run axum's
//! extractor and turn its rejection into an [`AppError::Unprocessable`]: a body that is not
//! JSON, misses the `user` wrapper or a field, has a field of the wrong type, or comes without
//! `Content-Type: application/json`, is a 422 (not a 415), and so is a `limit` that is not a
//! number. [`Json`] is also what handlers answer with.
//!
//! One more rule: every body of the spec is a JSON object, so [`Json`] refuses anything else
//! before serde sees it. serde reads a struct from a JSON *list* too, field after field
//! (`[{"email": ...}]` would be a `{"user": {"email": ...}}`), which no client means.
//!
//! And one about NUL: JSON (`"\u0000"`) and URLs (`%00`) can carry the character 0, which
//! PostgreSQL's `text` refuses with an error. That is bad input, not a failure of ours, so
//! [`Json`] and [`refuse_nul`] answer it with a 422 before it reaches a query.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::AppError;

/// A JSON body in, a JSON body out.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let axum::Json(value) = axum::Json::<Value>::from_request(request, state).await?;
        if !value.is_object() {
            return Err(AppError::unprocessable("the body must be a JSON object"));
        }
        if has_nul(&value) {
            return Err(AppError::unprocessable(NUL_REFUSED));
        }
        T::deserialize(value)
            .map(Json)
            .map_err(|e| AppError::unprocessable(format!("invalid body: {e}")))
    }
}

const NUL_REFUSED: &str = "text may not contain the NUL character (\\u0000 or %00)";

/// Whether a string anywhere in `value` (a key or a value) holds a NUL character.
fn has_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(fields) => fields
            .iter()
            .any(|(key, value)| key.contains('\0') || has_nul(value)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// A middleware that refuses, with a 422, a URL whose path or query holds an encoded NUL
/// (`%00`): every path parameter and query value of the API is text for PostgreSQL.
pub async fn refuse_nul(request: Request, next: Next) -> Response {
    let uri = request.uri();
    let encoded_nul = |part: &str| part.contains("%00");
    if encoded_nul(uri.path()) || uri.query().is_some_and(encoded_nul) {
        return AppError::unprocessable(NUL_REFUSED).into_response();
    }
    next.run(request).await
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> AppError {
        // axum's text says what is wrong ("missing field `email`"), and nothing secret.
        let message = rejection.body_text();
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::Unprocessable(format!("the body is too large: {message}"))
        } else {
            AppError::Unprocessable(message)
        }
    }
}

/// A query string.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => Err(rejection.into()),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> AppError {
        AppError::Unprocessable(rejection.body_text())
    }
}
