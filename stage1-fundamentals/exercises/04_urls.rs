//! # Exercise 04: URLs and query strings, by hand
//!
//! The request line `GET /files/my%20notes/a%2Fb?tag=rust&tag=http&q=a+b HTTP/1.1` carries a
//! *request target*: a path, then optionally `?` and a query string. (A `#fragment` never reaches
//! the server: browsers keep it.) Every router reads the path, and every handler with filters or
//! paging reads the query, so a backend engineer must know exactly how they are decoded.
//!
//! **Percent-encoding** (RFC 3986 §2.1, <https://www.rfc-editor.org/rfc/rfc3986#section-2.1>)
//! writes a byte as `%` and two hex digits: `%20` is a space, `%2F` is `/`, and `%C3%A9` is the two
//! UTF-8 bytes of `é`. Decoding works on bytes, and only the finished byte string must be UTF-8.
//!
//! **Split first, decode second.** `/` separates path segments (RFC 3986 §3.3) and `&`, `=`
//! separate query pairs. An encoded `%2F` is *data*: the file name `a/b` is sent as `a%2Fb` so that
//! it stays one segment. Decode before splitting and `a%2Fb` becomes two segments, which at best
//! breaks routing and at worst lets `..%2F..%2Fetc` walk out of a directory.
//!
//! **`+` means space only in query strings.** That rule is not in RFC 3986; it comes from HTML
//! forms (`application/x-www-form-urlencoded`, <https://url.spec.whatwg.org/#urlencoded-parsing>),
//! and servers apply it to the query. In a path, `+` is just `+`: `/wiki/C++` is about C++.
//!
//! **Keys repeat.** `?tag=rust&tag=http` is a list of two tags, so a query is an ordered list of
//! pairs, not a map: a map would silently keep only one tag.
//!
//! **Invalid input is an error, not a guess.** `%`, `%2` and `%zz` are not valid escapes, and
//! `%FF` decodes to a byte that is not UTF-8. A server should answer 400, not invent a character.
//! (Browsers and the `form_urlencoded` crate are lenient instead: they keep `%zz` as it is and
//! replace bytes that are not UTF-8 with U+FFFD. Two parts of a system that decode the same
//! input differently is how filters get bypassed, so this exercise is strict.)
//!
//! In production you would use `http::Uri` to split the target
//! (<https://docs.rs/http/latest/http/uri/struct.Uri.html>), `percent-encoding` and
//! `form_urlencoded` to decode (<https://docs.rs/percent-encoding>, <https://docs.rs/form_urlencoded>),
//! the `url` crate for whole URLs (<https://docs.rs/url>), and axum's `Path` and `Query`
//! extractors (serde on top of `serde_urlencoded`) in handlers. Here you write the core by hand.
//!
//! Run `cargo xtask check 04_urls` to check your work; `cargo xtask hint 04_urls` gives a hint.

/// Why a request target, path or query could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// The target (or path) does not start with `/`, as an origin-form target must.
    #[error("the path must start with '/'")]
    MissingLeadingSlash,
    /// A `%` is followed by fewer than two characters: `%` or `%2` at the end of the input.
    #[error("percent-escape cut off at the end of the input")]
    TruncatedEscape,
    /// A `%` is followed by two characters that are not both hex digits, such as `%zz` or `%2g`.
    #[error("percent-escape with non-hex digits")]
    InvalidEscape,
    /// Every escape is well formed, but the decoded bytes are not UTF-8 (such as `%FF`).
    #[error("decoded bytes are not valid utf-8")]
    InvalidUtf8,
}

/// A parsed query string: its `(key, value)` pairs, decoded, in the order they appeared.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub pairs: Vec<(String, String)>,
}

impl Query {
    /// The value of the first pair whose key is `key`, if any. Keys are case-sensitive.
    pub fn get(&self, key: &str) -> Option<&str> {
        // TODO: find the first pair with this key.
        todo!("return the first value for this key")
    }

    /// The values of every pair whose key is `key`, in order (empty if there are none).
    pub fn get_all(&self, key: &str) -> Vec<&str> {
        // TODO: keep every pair with this key, in order.
        todo!("return every value for this key")
    }
}

/// Splits a request target into its path and its query at the first `?`.
///
/// `/search?q=rust` gives `("/search", Some("q=rust"))`; `/search` gives `("/search", None)`;
/// `/search?` gives `("/search", Some(""))`. Later `?` characters belong to the query. Nothing is
/// decoded. A target that does not start with `/` is `UrlError::MissingLeadingSlash`.
pub fn split_target(target: &str) -> Result<(&str, Option<&str>), UrlError> {
    // TODO: a target must start with '/'; the query is whatever follows the first '?'.
    todo!("split the target into path and optional query")
}

/// Decodes one path segment: `%XX` escapes become bytes, and everything else, `+` included, is
/// kept as it is. The decoded bytes must be UTF-8.
pub fn decode_path_segment(segment: &str) -> Result<String, UrlError> {
    // TODO: share a decoding helper with `decode_query_component`; only `+` differs.
    todo!("percent-decode a path segment")
}

/// Decodes one query key or value: like `decode_path_segment`, but `+` is a space.
/// (An encoded plus, `%2B`, is a `+`.)
pub fn decode_query_component(component: &str) -> Result<String, UrlError> {
    // TODO: the same decoding, with '+' turned into ' '.
    todo!("percent-decode a query key or value, with '+' as space")
}

/// Splits a path into its segments and decodes each one.
///
/// The path must start with `/` (else `UrlError::MissingLeadingSlash`). Empty segments are
/// dropped, the way nginx merges slashes: `/` gives no segments, and `/users//42/` gives
/// `["users", "42"]`. Split on `/` first, then decode, so `%2F` stays inside its segment.
pub fn path_segments(path: &str) -> Result<Vec<String>, UrlError> {
    // TODO: turn the path into its decoded segments. A `%2F` is data: it stays inside its
    // segment as a '/'.
    todo!("split the path into decoded segments")
}

/// Parses a query string (without the `?`) into decoded pairs.
///
/// Pairs are separated by `&`; empty pieces (as in `a=1&&b=2` or a trailing `&`) are skipped. Each
/// piece splits at its first `=` into key and value: `a=1=2` is `("a", "1=2")`, and a piece
/// without `=`, such as `debug`, is `("debug", "")`. Keys and values are decoded with
/// `decode_query_component` after splitting, so `%26` and `%3D` stay inside them.
pub fn parse_query(query: &str) -> Result<Query, UrlError> {
    // TODO: turn the query into decoded (key, value) pairs, in order. An encoded `&` or `=`
    // (`%26`, `%3D`) is data inside a key or a value.
    todo!("parse the query string into decoded pairs")
}

/// Encodes a string for use as a query key or value, so that `decode_query_component` gives it
/// back unchanged.
///
/// ASCII letters, digits and `-`, `.`, `_`, `~` (the "unreserved" characters of RFC 3986 §2.3)
/// are kept; a space becomes `+`; every other byte of the UTF-8 encoding becomes `%XX` with
/// uppercase hex digits. So `a b&c` is `a+b%26c`, `1+1=2` is `1%2B1%3D2`, and `é` is `%C3%A9`.
pub fn encode_query_value(value: &str) -> String {
    // TODO: keep the unreserved characters, turn a space into '+', and escape every other byte
    // of the UTF-8 encoding, so that a multi-byte character becomes several escapes.
    todo!("percent-encode the value for a query string")
}
