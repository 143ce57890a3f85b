//! mistake: two patterns conflict only when their parameter names are the same too
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
        let segments = parse_pattern(pattern)?;
        let conflict = self
            .routes
            .iter()
            .any(|route| route.method == method && route.segments == segments);
        if conflict {
            return Err(AddRouteError::Conflict {
                method,
                pattern: pattern.to_string(),
            });
        }
        self.routes.push(Route {
            method,
            segments,
            handler,
        });
        Ok(())
    }

    /// Finds the handler for a request (rules 3 to 6).
    pub fn route(&self, method: Method, path: &str) -> Result<Match<'_, H>, RouteError> {
        let Some(path) = path.strip_prefix('/') else {
            return Err(RouteError::NotFound);
        };
        let path: Vec<&str> = path.split('/').collect();
        let matching: Vec<&Route<H>> = self
            .routes
            .iter()
            .filter(|route| matches(&route.segments, &path))
            .collect();
        if matching.is_empty() {
            return Err(RouteError::NotFound);
        }

        // `false < true`, so the smallest key has static text at the first place where two
        // routes differ: that is the most specific route.
        let best = matching
            .iter()
            .filter(|route| route.method == method)
            .min_by_key(|route| {
                route
                    .segments
                    .iter()
                    .map(|s| matches!(s, Segment::Param(_)))
                    .collect::<Vec<bool>>()
            });
        let Some(best) = best else {
            let mut allow: Vec<Method> = matching.iter().map(|route| route.method).collect();
            allow.sort();
            allow.dedup();
            return Err(RouteError::MethodNotAllowed { allow });
        };

        let params = best
            .segments
            .iter()
            .zip(&path)
            .filter_map(|(segment, value)| match segment {
                Segment::Param(name) => Some((name.clone(), value.to_string())),
                Segment::Static(_) => None,
            })
            .collect();
        Ok(Match {
            handler: &best.handler,
            params,
        })
    }
}

/// Splits a pattern like `/users/{id}` into segments (rule 1).
pub fn parse_pattern(pattern: &str) -> Result<Vec<Segment>, AddRouteError> {
    let invalid = || AddRouteError::InvalidPattern(pattern.to_string());
    let rest = pattern.strip_prefix('/').ok_or_else(invalid)?;
    let mut segments = Vec::new();
    for piece in rest.split('/') {
        let segment = match piece.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) => {
                let valid =
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                let repeated = segments
                    .iter()
                    .any(|s| matches!(s, Segment::Param(n) if n == name));
                if !valid || repeated {
                    return Err(invalid());
                }
                Segment::Param(name.to_string())
            }
            None if piece.contains(['{', '}']) => return Err(invalid()),
            None => Segment::Static(piece.to_string()),
        };
        segments.push(segment);
    }
    Ok(segments)
}

/// Rule 2: the same static texts and parameters at the same places, whatever their names.
fn same_shape(a: &[Segment], b: &[Segment]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|pair| match pair {
            (Segment::Static(x), Segment::Static(y)) => x == y,
            (Segment::Param(_), Segment::Param(_)) => true,
            _ => false,
        })
}

/// Rule 3: same segment count, equal static texts, non-empty parameters.
fn matches(segments: &[Segment], path: &[&str]) -> bool {
    segments.len() == path.len()
        && segments
            .iter()
            .zip(path)
            .all(|(segment, value)| match segment {
                Segment::Static(text) => text == value,
                Segment::Param(_) => !value.is_empty(),
            })
}
