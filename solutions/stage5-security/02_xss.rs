//! # XSS: what a user types comes back as text, whatever it contains
//!
//! The reference solution of exercise 02; the lesson is in `stage5-security/exercises/02_xss.rs`.

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

/// The `Content-Security-Policy` of every response: only this origin's scripts, no inline
/// script, no plugins, no `<base>` rewriting relative URLs, no framing by another site.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

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

/// `GET /comments`: every comment, escaped by askama except the sanitized bodies.
#[derive(Template)]
#[template(
    ext = "html",
    source = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Comments</title></head>
<body>
<h1>Comments</h1>
<ul>
{%- for comment in comments %}
<li>
<p title='{{ comment.author }}'>
{%- if let Some(website) = comment.website -%}
<a href="{{ website }}" rel="{{ link_rel }}">{{ comment.author }}</a>
{%- else -%}
{{ comment.author }}
{%- endif -%}
</p>
<div>{{ comment.body_html|safe }}</div>
</li>
{%- endfor %}
</ul>
<form method="post" action="/comments">
<input name="author"> <input name="website"> <textarea name="body"></textarea>
<button>Post</button>
</form>
</body>
</html>
"#
)]
pub struct CommentsPage<'a> {
    pub comments: &'a [Comment],
    pub link_rel: &'a str,
}

/// `text` made safe for HTML text and for attribute values in either quotes: `&`, `<`, `>`,
/// `"` and `'` become `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&#39;`; nothing else changes.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// The form again, filled with what was sent, under an error message: built by hand, so each
/// value goes through [`escape_html`].
pub fn form_page(error: &str, author: &str, website: &str, body: &str) -> String {
    let [error, author, website, body] = [error, author, website, body].map(escape_html);
    format!(
        "<!doctype html>
<html lang='en'>
<head><meta charset='utf-8'><title>Comment not saved</title></head>
<body>
<p class='error'>{error}</p>
<form method='post' action='/comments'>
<input name='author' value='{author}'>
<input name='website' value='{website}'>
<textarea name='body'>{body}</textarea>
<button>Post</button>
</form>
</body>
</html>
"
    )
}

/// A comment body in limited rich text, sanitized: only `a b br em i li p strong ul` stay,
/// links keep only an absolute `http`/`https` `href` and get `rel` [`LINK_REL`]; every other
/// attribute goes, `<script>` and `<style>` go with their contents.
pub fn sanitize_body(html: &str) -> String {
    Builder::default()
        .tags(["a", "b", "br", "em", "i", "li", "p", "strong", "ul"].into())
        .generic_attributes([].into())
        .tag_attributes([("a", ["href"].into())].into())
        .url_schemes(["http", "https"].into())
        .url_relative(UrlRelative::Deny)
        .link_rel(Some(LINK_REL))
        .clean(html)
        .to_string()
}

/// The website as the URL parser serializes it if it is an absolute `http` or `https` URL,
/// `None` for anything else (`javascript:`, `data:`, a relative path, not a URL at all).
pub fn checked_website(input: &str) -> Option<String> {
    // The parser does what a browser does: it drops tabs and newlines, trims spaces and
    // control characters, and lowercases the scheme. So it sees `java\tscript:` as a
    // browser would, and what we store is exactly what we checked.
    let url = Url::parse(input).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.into())
}

/// The app: `GET /comments` and `POST /comments`, every response with the CSP header.
pub fn app() -> Router {
    Router::new()
        .route("/comments", get(list_comments).post(post_comment))
        .with_state(Comments::default())
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
}

/// `GET /comments`: the page of [`CommentsPage`], `text/html; charset=utf-8`.
pub async fn list_comments(State(comments): State<Comments>) -> Response {
    let comments = comments
        .lock()
        .expect("no panic while holding the lock")
        .clone();
    let page = CommentsPage {
        comments: &comments,
        link_rel: LINK_REL,
    };
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => {
            tracing::error!(%error, "the comments page failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be shown",
            )
                .into_response()
        }
    }
}

/// `POST /comments`: a 303 to `/comments` once stored; a website that is given but refused
/// by [`checked_website`] stores nothing and answers 422 with [`form_page`].
pub async fn post_comment(
    State(comments): State<Comments>,
    Form(new): Form<NewComment>,
) -> Response {
    let website = if new.website.trim().is_empty() {
        None
    } else {
        match checked_website(&new.website) {
            Some(url) => Some(url),
            None => {
                let page = form_page(WEBSITE_ERROR, &new.author, &new.website, &new.body);
                return (StatusCode::UNPROCESSABLE_ENTITY, Html(page)).into_response();
            }
        }
    };
    let comment = Comment {
        author: new.author,
        website,
        body_html: sanitize_body(&new.body),
    };
    comments
        .lock()
        .expect("no panic while holding the lock")
        .push(comment);
    Redirect::to("/comments").into_response()
}
