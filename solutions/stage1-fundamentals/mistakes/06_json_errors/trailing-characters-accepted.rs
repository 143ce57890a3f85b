//! mistake: the deserializer is never told to end, so anything after the object (a second object, garbage) is accepted
//! # Exercise 06: errors from untrusted JSON
//!
//! A request body is written by someone you do not control: a buggy client, a curious user with
//! curl, or an attacker. Your handler must turn *every* byte string into either a value or an
//! error that tells an honest client what to fix, and it must never panic or run out of memory.
//! `serde_json::from_slice(body).unwrap()` fails all three ways.
//!
//! What production code does, in order:
//!
//! 1. **Limit the size before parsing.** Reading a 2 GB body to find out it is invalid is a
//!    denial of service. axum's `DefaultBodyLimit` (2 MB) and tower-http's `RequestBodyLimitLayer`
//!    answer `413 Content Too Large` (RFC 9110 section 15.5.14; older texts, and the `http`
//!    crate's `StatusCode::PAYLOAD_TOO_LARGE`, call it "Payload Too Large") without parsing the
//!    content.
//! 2. **Parse, and sort the failures.** serde_json classifies each error
//!    (`serde_json::Error::classify`): `Category::Syntax` (not JSON at all, with `line()` and
//!    `column()`), `Category::Eof` (the input stops in the middle of a value, e.g. an empty or
//!    cut-off body) and `Category::Data` (valid JSON of the wrong shape: a missing field, an
//!    unknown field, a string where a number belongs). axum answers the first two with
//!    `400 Bad Request` and the last with `422 Unprocessable Content`.
//! 3. **Name the field.** serde's own message says "invalid type: integer `3`, expected a
//!    string" but not *where*. `serde_path_to_error::deserialize` wraps the deserializer and
//!    records the path to the failing value: `address.zip`, `tags[2]`, or `.` for the top level.
//!    axum's `Json` extractor uses this very crate for its rejection messages.
//! 4. **Validate what types cannot say**: an email needs an `@`, an age has a range. Check after
//!    parsing and report the field by the same kind of path.
//!
//! serde_json is careful with hostile input: it limits nesting to 128 levels (so `[[[[...` cannot
//! overflow your stack), rejects invalid UTF-8 and lone surrogates, and reports numbers it cannot
//! represent. It does not limit size: that is your job.
//!
//! Docs: <https://docs.rs/serde_json/latest/serde_json/struct.Error.html>,
//! <https://docs.rs/serde_path_to_error>,
//! <https://docs.rs/axum/latest/axum/extract/rejection/enum.JsonRejection.html>.
//!
//! Run `cargo xtask check 06_json_errors` to check your work; `cargo xtask hint 06_json_errors`
//! gives a hint.

use serde::Deserialize;
use serde_json::error::Category;

/// The largest request body `parse_sign_up` reads: 16 KiB.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// A sign-up form, e.g.
/// `{"email":"ada@example.com","age":36,"address":{"street":"1 Main St","zip":"12345","city":"Springfield"},"tags":["math"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignUp {
    pub email: String,
    pub age: u32,
    pub address: Address,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub street: String,
    pub zip: String,
    pub city: String,
}

/// Everything that can be wrong with a sign-up body. The messages go back to the client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// The body has more than `MAX_BODY_BYTES` bytes; it was not parsed at all.
    #[error("request body is {size} bytes, the limit is {limit} bytes: send less data")]
    TooLarge { size: usize, limit: usize },
    /// The body stops in the middle of a JSON value (serde_json's `Category::Eof`); this
    /// includes an empty body.
    #[error("request body ends before the JSON does: send a complete JSON object")]
    Truncated,
    /// The body is not JSON (serde_json's `Category::Syntax`), including trailing characters
    /// after the object. `line` and `column` are serde_json's.
    #[error("malformed JSON at line {line}, column {column}: fix the syntax there")]
    Syntax { line: usize, column: usize },
    /// Valid JSON of the wrong shape (serde_json's `Category::Data`). `path` is
    /// serde_path_to_error's path (`address.zip`, `tags[2]`, `.`) and `message` is serde_json's
    /// message, exactly as its `Display` writes it.
    #[error("`{path}`: {message}")]
    Field { path: String, message: String },
    /// The JSON has the right shape but a value breaks a rule of `validate`.
    #[error("`{path}` {message}")]
    Invalid { path: String, message: String },
}

/// Turns a client's request body into a `SignUp`, or an `InputError` that says what is wrong.
///
/// In this order: reject bodies over `MAX_BODY_BYTES` without parsing them; parse with
/// serde_path_to_error, sorting errors into `Truncated`, `Syntax` and `Field`; reject anything
/// but whitespace after the object (`Syntax`); then `validate`.
/// It never panics, whatever the bytes.
pub fn parse_sign_up(body: &[u8]) -> Result<SignUp, InputError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(InputError::TooLarge {
            size: body.len(),
            limit: MAX_BODY_BYTES,
        });
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let sign_up: SignUp = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        classify(err.into_inner(), path)
    })?;
    validate(&sign_up)?;
    Ok(sign_up)
}

/// Sorts a serde_json error by its category; `path` is where a `Data` error happened.
fn classify(err: serde_json::Error, path: String) -> InputError {
    match err.classify() {
        Category::Data => InputError::Field {
            path,
            message: err.to_string(),
        },
        Category::Eof => InputError::Truncated,
        Category::Syntax | Category::Io => InputError::Syntax {
            line: err.line(),
            column: err.column(),
        },
    }
}

/// Checks the rules that types cannot express, in field order, and reports the first broken one
/// as `InputError::Invalid`:
///
/// | path          | rule                         | message                                             |
/// |---------------|------------------------------|-----------------------------------------------------|
/// | `email`       | contains `@`                 | `must be an email address such as ada@example.com` |
/// | `age`         | 13 to 120, both included     | `must be between 13 and 120`                        |
/// | `address.zip` | exactly 5 ASCII digits       | `must be 5 digits`                                  |
/// | `tags[i]`     | not empty or only whitespace | `must not be empty`                                 |
fn validate(sign_up: &SignUp) -> Result<(), InputError> {
    let invalid = |path: &str, message: &str| {
        Err(InputError::Invalid {
            path: path.to_string(),
            message: message.to_string(),
        })
    };
    if !sign_up.email.contains('@') {
        return invalid("email", "must be an email address such as ada@example.com");
    }
    if !(13..=120).contains(&sign_up.age) {
        return invalid("age", "must be between 13 and 120");
    }
    let zip = &sign_up.address.zip;
    if zip.len() != 5 || !zip.bytes().all(|b| b.is_ascii_digit()) {
        return invalid("address.zip", "must be 5 digits");
    }
    for (i, tag) in sign_up.tags.iter().enumerate() {
        if tag.trim().is_empty() {
            return invalid(&format!("tags[{i}]"), "must not be empty");
        }
    }
    Ok(())
}
