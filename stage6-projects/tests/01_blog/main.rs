//! The spec for project 01: the blog, the RealWorld "Conduit" API (its OpenAPI file,
//! gothinkster/realworld `api/openapi.yml`, version 1.1.0: paths, shapes and status codes),
//! milestone by milestone, over HTTP. `cargo xtask check 01_blog` runs it.
//! Do not edit these files: the runner checks that they are the course's version.
//!
//! Each milestone is a module of its own (`users`, `profiles`, …) in the order you build them;
//! each test starts the app with a database of its own and makes the users and articles it
//! needs through the API. What the spec leaves open, the tests state where they check it:
//! - every error answer has the spec's shape `{"errors": {"body": ["…"]}}`: 422 for bad input
//!   (a missing or empty field, a field of the wrong type, a body that is not JSON or lacks
//!   its `user`/`article`/`comment` wrapper, a taken email or username), 401 without a valid
//!   token, 403 for another user's article or comment, 404 for an unknown slug, username or
//!   comment; never a 5xx;
//! - a token is sent as `Authorization: Token <jwt>`; a token that is expired, signed with
//!   another secret or not a JWT is 401, also where a token is optional (a missing one there
//!   means an anonymous visitor);
//! - timestamps are RFC 3339 in UTC with milliseconds (`2026-12-02T10:20:30.123Z`);
//! - a slug is the title in lowercase with each run of other characters one `-`, plus a suffix
//!   when another article has it already;
//! - lists are newest first, `limit` 20 and `offset` 0 by default, `articlesCount` is the total.

#[cfg(not(feature = "solution"))]
#[allow(unused_variables, unused_imports, dead_code)]
#[path = "../../exercises/01_blog/mod.rs"]
mod exercise;
#[cfg(feature = "solution")]
#[path = "../../../solutions/stage6-projects/01_blog/mod.rs"]
mod exercise;

/// What the milestones share; no tests.
mod common;

#[path = "03_articles.rs"]
mod articles;
#[path = "08_beyond_the_spec.rs"]
mod beyond_the_spec;
#[path = "05_comments.rs"]
mod comments;
#[path = "06_favorites.rs"]
mod favorites;
#[path = "07_feed_and_tags.rs"]
mod feed_and_tags;
#[path = "04_listing.rs"]
mod listing;
#[path = "02_profiles.rs"]
mod profiles;
#[path = "01_users.rs"]
mod users;
