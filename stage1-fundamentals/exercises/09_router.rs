//! # Exercise 09: a REST router
//!
//! A REST API names resources with paths and acts on them with methods: `GET /users/7` reads
//! user 7, `DELETE /users/7` deletes it. The router is the part of a server that takes the
//! method and path of a request and finds the handler that serves it, pulling the variable
//! parts of the path (`7`) out as named parameters:
//!
//! ```text
//! router.add(Method::Get, "/users/{id}/posts/{post_id}", "get_post")
//! router.route(Method::Get, "/users/7/posts/42")
//!     => Ok(Match { handler: &"get_post", params: [("id", "7"), ("post_id", "42")] })
//! ```
//!
//! Why a backend engineer cares: the router decides the status of every request that does not
//! reach a handler, and clients rely on the difference. `404 Not Found` means "no such
//! resource"; `405 Method Not Allowed` means "the resource exists, but not with this method",
//! and RFC 9110 requires a 405 to carry an `Allow` header listing the methods that would work.
//! When two routes could both match (`/users/me` and `/users/{id}`), the router must pick the
//! same one every time, whatever order they were registered in.
//!
//! In production: axum's `Router::route("/users/{id}", get(handler))` (axum 0.8 writes
//! parameters in braces) is backed by the `matchit` crate, a radix tree that prefers static
//! segments over parameters. Go's `net/http.ServeMux` uses the rule you implement here: among the
//! routes that accept the method, the most specific pattern wins.
//!
//! - axum routing: <https://docs.rs/axum/latest/axum/routing/struct.Router.html>
//! - matchit: <https://docs.rs/matchit/latest/matchit/>
//! - RFC 9110, 405 and `Allow`: <https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6>
//!
//! ## The rules (the tests check every one)
//!
//! 1. A pattern starts with `/` and is split into segments at `/`. A segment is either static
//!    text (with no `{` or `}`), or a whole-segment parameter `{name}` whose name is one or more
//!    ASCII letters, digits or `_`. A name may appear only once per pattern. Anything else is
//!    [`AddRouteError::InvalidPattern`].
//! 2. Two routes with the same method and the same shape (same static texts and parameters at
//!    the same places, whatever the parameters are called) conflict: the second `add` fails with
//!    [`AddRouteError::Conflict`] and is not added.
//! 3. A path matches a pattern when it has the same number of segments, every static segment is
//!    equal (case-sensitive), and every parameter segment is non-empty.
//! 4. Trailing slashes are significant, as in axum: `/users/` has two segments, `users` and an
//!    empty one, so it does not match `/users` nor `/users/{id}`. A path that does not start
//!    with `/` matches nothing.
//! 5. Among the matching routes with the request's method, the most specific wins: compare their
//!    segments from left to right, and at the first place where one has static text and the
//!    other a parameter, the static one wins. So `/users/me` beats `/users/{id}`, and
//!    `/users/{id}` beats `/{kind}/me`. The winner's parameters are returned in pattern order.
//! 6. No pattern matches the path: [`RouteError::NotFound`]. Patterns match the path but none
//!    has the method: [`RouteError::MethodNotAllowed`], whose `allow` lists the methods of all
//!    the matching routes, sorted in the order [`Method`] declares them, without duplicates.
//!
//! Run `cargo xtask check 09_router` to check your work; `cargo xtask hint 09_router` gives a hint.

/// The HTTP methods the router knows. The derived `Ord` follows the declaration order, which is
/// the order of the `Allow` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
    Options,
}

impl Method {
    /// The method's name on the wire, e.g. for an `Allow: GET, DELETE` header.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
        }
    }
}

/// One `/`-separated piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text that the path segment must equal.
    Static(String),
    /// `{name}`: matches any non-empty path segment and captures it as `name`.
    Param(String),
}

/// A successful lookup: the handler to call and the captured parameters, in pattern order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match<'a, H> {
    pub handler: &'a H,
    pub params: Vec<(String, String)>,
}

impl<H> Match<'_, H> {
    /// The value of the parameter called `name`, if the pattern had one.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why no handler serves a request. A server answers 404 or 405 (with an `Allow` header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteError {
    NotFound,
    MethodNotAllowed { allow: Vec<Method> },
}

/// Why a route could not be registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddRouteError {
    #[error("invalid route pattern {0:?}")]
    InvalidPattern(String),
    #[error("{method:?} {pattern} conflicts with a route already registered")]
    Conflict { method: Method, pattern: String },
}

/// One registered route.
struct Route<H> {
    method: Method,
    segments: Vec<Segment>,
    handler: H,
}

/// Maps (method, path pattern) to handlers of type `H`: handler names, function pointers or
/// boxed closures, the router does not care.
pub struct Router<H> {
    routes: Vec<Route<H>>,
}

impl<H> Default for Router<H> {
    fn default() -> Self {
        Router { routes: Vec::new() }
    }
}

impl<H> Router<H> {
    /// An empty router.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `handler` for `method` on `pattern` (rules 1 and 2).
    pub fn add(&mut self, method: Method, pattern: &str, handler: H) -> Result<(), AddRouteError> {
        // TODO: register the route. An invalid pattern is refused (rule 1), and so is a route
        // with the same method and shape as one already registered (rule 2): a refused route
        // is not stored.
        todo!("validate the pattern, check for a conflict, store the route")
    }

    /// Finds the handler for a request (rules 3 to 6).
    pub fn route(&self, method: Method, path: &str) -> Result<Match<'_, H>, RouteError> {
        // TODO: find the handler. Whether the path exists depends on the patterns alone,
        // whatever their methods (rules 3, 4 and 6); the winner is the most specific of the
        // matching routes that have the request's method (rule 5).
        todo!("find the most specific route for the method and path")
    }
}

/// Splits a pattern like `/users/{id}` into segments (rule 1).
pub fn parse_pattern(pattern: &str) -> Result<Vec<Segment>, AddRouteError> {
    // TODO: turn the pattern into its segments, static text or named parameters. A pattern
    // that breaks rule 1 anywhere is `InvalidPattern` with the whole pattern.
    todo!("parse the pattern into static and parameter segments")
}
