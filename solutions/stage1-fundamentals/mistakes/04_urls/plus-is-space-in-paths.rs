//! mistake: one decoder for paths and queries: + becomes a space in a path too, so /wiki/C++ is "C  "
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
//! This is the reference solution.

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
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The values of every pair whose key is `key`, in order (empty if there are none).
    pub fn get_all(&self, key: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Splits a request target into its path and its query at the first `?`.
pub fn split_target(target: &str) -> Result<(&str, Option<&str>), UrlError> {
    if !target.starts_with('/') {
        return Err(UrlError::MissingLeadingSlash);
    }
    Ok(match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    })
}

/// Decodes one path segment: `%XX` escapes become bytes, `+` stays `+`.
pub fn decode_path_segment(segment: &str) -> Result<String, UrlError> {
    percent_decode(segment, true)
}

/// Decodes one query key or value: like `decode_path_segment`, but `+` is a space.
pub fn decode_query_component(component: &str) -> Result<String, UrlError> {
    percent_decode(component, true)
}

/// The value of one ASCII hex digit, or `None` for any other byte.
fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX` escapes (and `+` when `plus_is_space`) into bytes, then checks UTF-8 once at
/// the end: a multi-byte character arrives as several escapes, each invalid on its own.
fn percent_decode(input: &str, plus_is_space: bool) -> Result<String, UrlError> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let (Some(&hi), Some(&lo)) = (bytes.get(i + 1), bytes.get(i + 2)) else {
                    return Err(UrlError::TruncatedEscape);
                };
                let (Some(hi), Some(lo)) = (hex_value(hi), hex_value(lo)) else {
                    return Err(UrlError::InvalidEscape);
                };
                out.push((hi << 4) | lo);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| UrlError::InvalidUtf8)
}

/// Splits a path into its segments and decodes each one; empty segments are dropped.
pub fn path_segments(path: &str) -> Result<Vec<String>, UrlError> {
    let rest = path
        .strip_prefix('/')
        .ok_or(UrlError::MissingLeadingSlash)?;
    rest.split('/')
        .filter(|segment| !segment.is_empty())
        .map(decode_path_segment)
        .collect()
}

/// Parses a query string (without the `?`) into decoded pairs.
pub fn parse_query(query: &str) -> Result<Query, UrlError> {
    let pairs = query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
            Ok((decode_query_component(key)?, decode_query_component(value)?))
        })
        .collect::<Result<_, UrlError>>()?;
    Ok(Query { pairs })
}

/// Encodes a string for use as a query key or value: unreserved bytes stay, a space becomes
/// `+`, everything else becomes `%XX`.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &byte in value.as_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
