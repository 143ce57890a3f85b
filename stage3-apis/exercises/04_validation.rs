//! # Exercise 4: validation — every invalid field at once, and limits on what comes in
//!
//! A handler's input comes from strangers. Before it reaches your database it is checked at
//! the boundary, once, and turned into a type that can only hold valid data: `validate` takes
//! the raw `SignUp` the client sent and gives back an `Account`, or the list of what is wrong.
//! Past that line, code never checks again ("parse, don't validate").
//!
//! **Report every invalid field, not the first.** A sign-up form with three mistakes should
//! show three messages at once. An API that stops at the first makes the user fix, send, read
//! the next error, fix, send again. So `validate` checks every field, collects a
//! `FieldError { field, message }` for each one that fails, and fails only at the end if the
//! list is not empty.
//!
//! **Normalise, then check.** `"  Ada  "` is what a phone's keyboard sends when the user meant
//! `"Ada"`: trim names and emails before measuring them, and store what you checked (the
//! trimmed text). A field of spaces only is then empty: "is required". Passwords are the
//! exception: taken exactly as typed, spaces included, never trimmed, never echoed back.
//!
//! **Count characters, not bytes.** `str::len` is the length in UTF-8 bytes: `"Zoë"` is 4,
//! `"李小龍"` is 9. A limit of "50 characters" counts `s.chars().count()` (what PostgreSQL's
//! `varchar(50)` counts too), or a Chinese name of 17 characters is refused as too long and a
//! one-character name `"李"` passes a minimum of 2. (What a reader sees as one character may be
//! several `char`s, as in emoji and combining accents; the `unicode-segmentation` crate counts
//! those. `chars` is the rule here.)
//!
//! **The right status for each failure.**
//!
//! - 400 Bad Request: the body is not JSON at all;
//! - 413 Content Too Large: the body is longer than the API accepts. Every byte a server reads
//!   costs memory, so it refuses a huge body before reading it: axum's `DefaultBodyLimit::max`
//!   (2 MB unless set) makes the `Json` extractor reject a longer one, and a body of exactly
//!   the limit must still pass. (tower-http's `RequestBodyLimitLayer` limits a whole
//!   service the same way, but answers its 413 itself, in plain text, not as a problem);
//! - 415 Unsupported Media Type: the body was not sent as `content-type: application/json`;
//! - 422 Unprocessable Content: the JSON is well-formed but its values are not acceptable:
//!   a validation failure is a 422, not a 400 (RFC 9110, section 15.5.21).
//!
//! (RFC 9110 renamed 413 and 422; the `http` crate's `canonical_reason` still gives their
//! older names, "Payload Too Large" and "Unprocessable Entity", and so do the titles here.)
//!
//! Every error is a problem (RFC 9457, as in exercise 3). A validation failure adds an
//! extension member, `errors`, which a client maps onto its form fields:
//!
//! ```json
//! { "type": "https://example.com/probs/validation-error", "title": "Your request is not valid",
//!   "status": 422, "detail": "fix the fields listed in errors and send the request again",
//!   "errors": [ { "field": "name", "message": "must be 2 to 50 characters long" },
//!               { "field": "age", "message": "must be between 13 and 120" } ] }
//! ```
//!
//! In production, the `validator` or `garde` crates derive such checks from attributes on the
//! struct; writing them by hand once shows what they do, and where their defaults differ from
//! your rules (byte or character lengths, trimming).
//!
//! - <https://www.rfc-editor.org/rfc/rfc9110#name-422-unprocessable-content>
//! - <https://www.rfc-editor.org/rfc/rfc9110#name-413-content-too-large>
//! - <https://www.rfc-editor.org/rfc/rfc9457#name-extension-members>
//! - <https://docs.rs/axum/0.8/axum/extract/struct.DefaultBodyLimit.html>
//! - <https://doc.rust-lang.org/std/primitive.str.html#method.chars>
//! - <https://lexi-lambda.github.io/blog/2019/11/05/parse-don-t-validate/>
//! - <https://pages.nist.gov/800-63-4/sp800-63b.html> (passwords: length, no trimming)
//!
//! Your task: `validate`, the 422 answer of `ApiError::Invalid`, the handler of
//! `POST /signups`, and the app with its body limit.
//!
//! Run `cargo xtask check 04_validation` to check your work; `cargo xtask hint 04_validation`
//! gives a hint.

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The longest body `POST /signups` accepts, in bytes; a body of exactly this size passes.
pub const MAX_BODY: usize = 1024;
/// The shortest and longest name, in characters, after trimming.
pub const NAME_CHARS: (usize, usize) = (2, 50);
/// The youngest and oldest age accepted.
pub const AGES: (i64, i64) = (13, 120);
/// The shortest password, in characters, as typed.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// The `type` of a validation problem.
pub const VALIDATION_ERROR: &str = "https://example.com/probs/validation-error";
/// Its `title`.
pub const VALIDATION_TITLE: &str = "Your request is not valid";
/// Its `detail`.
pub const VALIDATION_DETAIL: &str = "fix the fields listed in errors and send the request again";

/// The body of `POST /signups`, as the client sent it. A field left out is empty (`None` for
/// the age); `validate` reports it as required.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignUp {
    pub email: String,
    pub name: String,
    pub age: Option<i64>,
    pub password: String,
}

/// A sign-up that passed validation: email and name trimmed. It is also the body of the 201
/// (without the password, which is never sent back).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub email: String,
    pub name: String,
    pub age: i64,
    #[serde(skip)]
    pub password: String,
}

/// What is wrong with one field: `{"field": "age", "message": "must be between 13 and 120"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    fn new(field: &'static str, message: &str) -> Self {
        FieldError {
            field,
            message: message.to_string(),
        }
    }
}

/// An RFC 9457 problem; `errors` is sent only when it is not empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            Json(self),
        )
            .into_response()
    }
}

/// Every way `POST /signups` fails.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body could not be read as a `SignUp`: 400, 413, 415 or 422 as axum's rejection
    /// says, `about:blank`, the rejection's explanation as the detail.
    #[error(transparent)]
    Rejected(#[from] JsonRejection),
    /// The body was read, and these fields are not valid: 422, [`VALIDATION_ERROR`],
    /// [`VALIDATION_TITLE`], [`VALIDATION_DETAIL`], and the list as `errors`.
    #[error("{} invalid fields", .0.len())]
    Invalid(Vec<FieldError>),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Rejected(rejection) => {
                let status = rejection.status();
                Problem {
                    kind: "about:blank".to_string(),
                    title: status.canonical_reason().unwrap_or("Error").to_string(),
                    status: status.as_u16(),
                    detail: rejection.body_text(),
                    errors: Vec::new(),
                }
                .into_response()
            }
            ApiError::Invalid(errors) => {
                // TODO: the validation problem (see the variant's documentation), with the
                // field errors as its `errors`.
                todo!("answer that these fields are invalid: {errors:?}")
            }
        }
    }
}

/// `Json<T>`, rejecting with an [`ApiError`] (as in exercise 3).
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Json(value) = Json::<T>::from_request(req, state).await?;
        Ok(ApiJson(value))
    }
}

/// Checks every field of `input` and gives the account, or one `FieldError` for each invalid
/// field, in the order email, name, age, password:
///
/// - `email`, trimmed: empty is "is required"; otherwise it must have exactly one `@`, at
///   least one character before it, no whitespace, and after it a domain with a `.` that is
///   neither its first nor its last character, else "must be an email address such as
///   ada@example.com";
/// - `name`, trimmed: empty is "is required"; otherwise [`NAME_CHARS`] characters (bounds
///   included), else "must be 2 to 50 characters long";
/// - `age`: missing is "is required"; otherwise within [`AGES`] (bounds included), else
///   "must be between 13 and 120";
/// - `password`, as typed: empty is "is required"; otherwise at least [`MIN_PASSWORD_CHARS`]
///   characters, else "must be at least 12 characters long".
pub fn validate(input: SignUp) -> Result<Account, Vec<FieldError>> {
    // TODO: check every field as above, collecting a `FieldError` for each invalid one;
    // fail at the end if any was invalid, otherwise give the trimmed account.
    todo!("validate the sign-up of {:?}", input.email)
}

/// A suggested helper: the email rule of [`validate`], on a trimmed, non-empty email.
fn is_email(email: &str) -> bool {
    // TODO: one `@`, something before it, no whitespace, a dotted domain after it.
    todo!("is {email:?} an email address?")
}

/// The API: `POST /signups`, refusing bodies longer than [`MAX_BODY`] bytes.
pub fn app() -> Router {
    // TODO: the route, and a body limit of exactly MAX_BODY bytes for its extractors.
    todo!("route POST /signups with a body limit of {MAX_BODY} bytes")
}

/// `POST /signups`: 201 and the account as JSON (`{"email": …, "name": …, "age": …}`, trimmed,
/// no password), or a problem.
pub async fn sign_up(
    ApiJson(input): ApiJson<SignUp>,
) -> Result<(StatusCode, Json<Account>), ApiError> {
    // TODO: validate; the field errors are an `ApiError::Invalid`.
    todo!("answer POST /signups")
}
