//! What the milestones' tests share: the app served on a free port with a database of its own,
//! users and articles made through the API, and the checks of the spec's shapes. No tests here.
//!
//! Every check compares whole JSON values. A field whose value a test cannot know (a token, a
//! timestamp, a slug with a suffix) is first checked by its rule, stated where it is checked,
//! and only then taken from the answer into the expected value.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Value, json};
use testkit::http::{Client, Method, RequestBuilder, Response};
use testkit::postgres::TestDatabase;

use crate::exercise;

/// The key the tests configure the app with: every token the app issues must be an HS256 JWT
/// signed with it.
pub const SECRET: &str = "the-blog-tests-secret-not-for-production";

/// Where a token stands in an expected value once it has been checked by [`check_token`].
pub const TOKEN: &str = "(checked: an HS256 JWT signed with the configured secret, exp ≥ 1 h away)";

/// The app, served on a free port of 127.0.0.1, with a database of its own.
pub struct Blog {
    /// Joined to `http://127.0.0.1:<port>/api`: paths are the spec's (`/users/login`).
    pub client: Client,
    /// The app's database: the tests read it only to look for passwords stored as typed.
    pub db: TestDatabase,
}

/// Starts the app as the contract says: `app(pool, Config::new(SECRET))`, then `axum::serve`.
pub async fn start() -> Blog {
    let db = testkit::postgres::database().await;
    let router = exercise::app(db.pool().clone(), exercise::Config::new(SECRET))
        .await
        .unwrap_or_else(|e| {
            panic!("app() failed: its migrations did not run on an empty database: {e}")
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port on 127.0.0.1");
    let addr: SocketAddr = listener.local_addr().expect("the listener's address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    Blog {
        client: Client::new(format!("http://{addr}/api")),
        db,
    }
}

/// `Authorization: Token <jwt>`, the spec's scheme (not `Bearer`).
pub trait WithToken {
    fn token(self, token: &str) -> Self;
}

impl WithToken for RequestBuilder {
    fn token(self, token: &str) -> Self {
        self.header("authorization", format_args!("Token {token}"))
    }
}

/// A user registered by a test, with what the test sent and what the app answered.
#[derive(Debug, Clone)]
pub struct User {
    pub username: String,
    pub email: String,
    pub password: String,
    pub token: String,
    /// As the app answered at registration (milestone 1 checks that it is a string).
    pub bio: Value,
    /// As the app answered at registration (milestone 1 checks that it is a string).
    pub image: Value,
}

impl User {
    /// The spec's Profile of this user as a viewer sees it.
    pub fn profile(&self, following: bool) -> Value {
        json!({
            "username": self.username,
            "bio": self.bio,
            "image": self.image,
            "following": following,
        })
    }
}

impl Blog {
    /// Registers `username` with `<username>@example.com` and the password
    /// `<username>-password-1`.
    pub async fn register(&self, username: &str) -> User {
        register_on(&self.client, username).await
    }

    /// `follower` follows `followed`.
    pub async fn follow(&self, follower: &User, followed: &User) {
        self.client
            .post(&format!("/profiles/{}/follow", followed.username))
            .token(&follower.token)
            .send()
            .await
            .expect_status(200);
    }

    /// `user` favorites the article `slug`.
    pub async fn favorite(&self, user: &User, slug: &str) {
        self.client
            .post(&format!("/articles/{slug}/favorite"))
            .token(&user.token)
            .send()
            .await
            .expect_status(200);
    }

    /// An article by `author` titled `title`, described as `about <title>`, with the body
    /// `the body of <title>` and the tags `tags`, as the app answered (the `article` object).
    pub async fn create_article(&self, author: &User, title: &str, tags: &[&str]) -> Value {
        let response = self
            .client
            .post("/articles")
            .token(&author.token)
            .json(&json!({ "article": {
                "title": title,
                "description": format!("about {title}"),
                "body": format!("the body of {title}"),
                "tagList": tags,
            } }))
            .send()
            .await;
        response.expect_status(201);
        let body: Value = response.expect_json();
        if !body["article"]["slug"].is_string() {
            response.fail("expected the created article's `slug`, a string, in `article`");
        }
        // A few milliseconds between two articles, so that "newest first" has one answer
        // whatever the precision the app stores its timestamps with.
        tokio::time::sleep(Duration::from_millis(3)).await;
        body["article"].clone()
    }

    /// `count` articles by `author`, titled `<prefix> 1`, `<prefix> 2`, …, oldest first.
    pub async fn create_articles(&self, author: &User, prefix: &str, count: usize) -> Vec<Value> {
        let mut articles = Vec::new();
        for n in 1..=count {
            articles.push(
                self.create_article(author, &format!("{prefix} {n}"), &[])
                    .await,
            );
        }
        articles
    }
}

/// [`Blog::register`] through any clone of the app's client (for tasks of their own).
pub async fn register_on(client: &Client, username: &str) -> User {
    let email = format!("{username}@example.com");
    let password = format!("{username}-password-1");
    let response = client
        .post("/users")
        .json(&json!({ "user": { "username": username, "email": email, "password": password } }))
        .send()
        .await;
    response.expect_status(201);
    let body: Value = response.expect_json();
    let user = &body["user"];
    let Some(token) = user["token"].as_str() else {
        response.fail("expected the registered user's `token`, a string, in `user`")
    };
    User {
        username: username.to_string(),
        email,
        password,
        token: token.to_string(),
        bio: user["bio"].clone(),
        image: user["image"].clone(),
    }
}

/// A request with `viewer`'s token, or none.
pub fn as_viewer(request: RequestBuilder, viewer: Option<&User>) -> RequestBuilder {
    match viewer {
        Some(user) => request.token(&user.token),
        None => request,
    }
}

/// Checks that the answer is JSON (`content-type: application/json`) and gives it.
#[track_caller]
pub fn json_body(response: &Response) -> Value {
    let content_type = response.header("content-type").unwrap_or("");
    if !content_type.starts_with("application/json") {
        response.fail(format!(
            "expected content-type application/json, got {content_type:?}"
        ));
    }
    response.expect_json()
}

/// Fails with the transcript unless `got` equals `want`, naming the first difference.
#[track_caller]
pub fn expect_same(response: &Response, got: &Value, want: &Value) {
    if let Some(difference) = first_difference(want, got, &mut String::new()) {
        response.fail(format!(
            "expected a body equal to the one below (fields the test cannot know were checked \
             by their rule, then copied or shown as placeholders); it differs {difference}\n\n\
             expected:\n{}",
            serde_json::to_string_pretty(want).unwrap()
        ));
    }
}

/// Status `status` and JSON equal to `want`, in one check.
#[track_caller]
pub fn expect_json(response: &Response, status: u16, want: &Value) {
    response.expect_status(status);
    let got = json_body(response);
    expect_same(response, &got, want);
}

/// Where `got` first differs from `want`, in jq notation, or `None`.
fn first_difference(want: &Value, got: &Value, path: &mut String) -> Option<String> {
    let at = |path: &str| {
        if path.is_empty() {
            "at the top".to_string()
        } else {
            format!("at {path}")
        }
    };
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (key, wv) in w {
                let len = path.len();
                write!(path, ".{key}").unwrap();
                let found = match g.get(key) {
                    Some(gv) => first_difference(wv, gv, path),
                    None => Some(format!("{}: expected {wv}, got no such key", at(path))),
                };
                path.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            g.iter()
                .find(|(key, _)| !w.contains_key(*key))
                .map(|(key, gv)| {
                    format!(
                        "{}: expected no such key, got {gv}",
                        at(&format!("{path}.{key}"))
                    )
                })
        }
        (Value::Array(w), Value::Array(g)) => {
            if w.len() != g.len() {
                return Some(format!(
                    "{}: expected {} items, got {}",
                    at(path),
                    w.len(),
                    g.len()
                ));
            }
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                let len = path.len();
                write!(path, "[{i}]").unwrap();
                let found = first_difference(wv, gv, path);
                path.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        _ if want == got => None,
        _ => Some(format!("{}: expected {want}, got {got}", at(path))),
    }
}

/// The spec's GenericErrorModel, `{"errors": {"body": ["…", …]}}`, with status `status`:
/// at least one message, all strings. Gives the messages.
#[track_caller]
pub fn expect_error(response: &Response, status: u16) -> Vec<String> {
    response.expect_status(status);
    error_messages(response)
}

/// [`expect_error`] with any of `statuses`, for the places where the contract lets the app
/// choose (say which in its docs).
#[track_caller]
pub fn expect_error_in(response: &Response, statuses: &[u16]) -> Vec<String> {
    let status = response.status().as_u16();
    if !statuses.contains(&status) {
        let list: Vec<String> = statuses.iter().map(u16::to_string).collect();
        response.fail(format!(
            "expected status {}, got {}",
            list.join(" or "),
            response.status()
        ));
    }
    error_messages(response)
}

#[track_caller]
fn error_messages(response: &Response) -> Vec<String> {
    let shape = r#"{"errors": {"body": ["what went wrong"]}}"#;
    let content_type = response.header("content-type").unwrap_or("");
    if !content_type.starts_with("application/json") {
        response.fail(format!(
            "expected the spec's error shape {shape} with content-type application/json, got \
             content-type {content_type:?}"
        ));
    }
    let Ok(body) = serde_json::from_slice::<Value>(response.bytes()) else {
        response.fail(format!(
            "expected the spec's error shape {shape}, got a body that is not JSON"
        ))
    };
    let messages: Option<Vec<String>> = body
        .get("errors")
        .and_then(|errors| errors.get("body"))
        .and_then(Value::as_array)
        .and_then(|items| {
            items
                .iter()
                .map(|m| m.as_str().map(str::to_string))
                .collect()
        });
    match messages {
        Some(messages) if !messages.is_empty() => messages,
        _ => response.fail(format!(
            "expected the spec's error shape {shape}: an object `errors` whose `body` is a list \
             of at least one message (strings)"
        )),
    }
}

/// A `204 No Content` with nothing in the body, as the spec's EmptyOkResponse.
#[track_caller]
pub fn expect_no_content(response: &Response) {
    response.expect_status(204);
    if !response.bytes().is_empty() {
        response.fail("expected an empty body with 204 No Content");
    }
}

/// Checks `token` by the contract's rule: an HS256 JWT signed with the configured secret, with
/// an `exp` claim (seconds) at least an hour from now.
#[track_caller]
pub fn check_token(response: &Response, token: &Value) {
    let Some(token) = token.as_str() else {
        response.fail(format!(
            "expected `token` to be a string (a JWT), got {token}"
        ))
    };
    match jsonwebtoken::decode::<Value>(token, &decoding_key(), &validation()) {
        Ok(data) => {
            let exp = data.claims["exp"].as_u64().unwrap_or(0);
            if exp < jsonwebtoken::get_current_timestamp() + 3600 - 60 {
                response.fail(format!(
                    "expected `token` to be valid for at least an hour (`Config::new` gives \
                     tokens of 24 hours), but its `exp` is {exp}, now is {}",
                    jsonwebtoken::get_current_timestamp()
                ));
            }
        }
        Err(e) => response.fail(format!(
            "expected `token` to be a JWT signed with HS256 and the configured `jwt_secret`, \
             with a numeric `exp` in the future; it is not: {e}"
        )),
    }
}

fn decoding_key() -> DecodingKey {
    DecodingKey::from_secret(SECRET.as_bytes())
}

fn validation() -> Validation {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.validate_aud = false;
    validation
}

/// The user object of a `{"user": …}` answer, its token checked by [`check_token`] and
/// replaced by [`TOKEN`].
#[track_caller]
pub fn user_with_checked_token(response: &Response, body: &Value) -> Value {
    let mut user = body.clone();
    if let Some(token) = user.get_mut("user").and_then(|u| u.get_mut("token")) {
        check_token(response, token);
        *token = json!(TOKEN);
    }
    user
}

/// The spec's UserResponse for `user` as the test expects it, the token as [`TOKEN`].
pub fn user_response(user: &User) -> Value {
    json!({ "user": {
        "email": user.email,
        "token": TOKEN,
        "username": user.username,
        "bio": user.bio,
        "image": user.image,
    } })
}

/// `claims` signed with HS256 and `secret`: the tests' forged tokens.
pub fn sign(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign a token")
}

/// The claims of a token the app issued, read without checking its signature.
pub fn claims_of(token: &str) -> Value {
    jsonwebtoken::dangerous::insecure_decode_claims::<Value>(token)
        .unwrap_or_else(|e| panic!("the app's token {token:?} is not a JWT: {e}"))
}

/// Tokens the app must refuse with 401, each with why, made from `user`'s real token: its
/// claims signed with another secret, its claims with `exp` an hour ago signed with the right
/// secret, and tokens that are not JWTs at all.
pub fn bad_tokens(user: &User) -> Vec<(&'static str, String)> {
    let claims = claims_of(&user.token);
    let mut expired = claims.clone();
    let now = jsonwebtoken::get_current_timestamp();
    expired["exp"] = json!(now - 3600);
    if expired.get("iat").is_some() {
        expired["iat"] = json!(now - 7200);
    }
    if expired.get("nbf").is_some() {
        expired["nbf"] = json!(now - 7200);
    }
    let mut tampered = user.token.clone();
    // Another signature: flip the last character of the token.
    let last = tampered.pop().unwrap_or('A');
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    vec![
        (
            "signed with another secret",
            sign(&claims, "another-secret-than-the-app-s"),
        ),
        ("expired an hour ago", sign(&expired, SECRET)),
        ("with a tampered signature", tampered),
        ("not a JWT", "not-a-jwt".to_string()),
    ]
}

/// A token with `user`'s own claims signed again by the test with the right secret and a
/// fresh `exp`: a control, which the app must accept, so that the refusals of [`bad_tokens`]
/// are about their one flaw.
pub fn resigned_token(user: &User) -> String {
    let mut claims = claims_of(&user.token);
    claims["exp"] = json!(jsonwebtoken::get_current_timestamp() + 3600);
    sign(&claims, SECRET)
}

/// The slug of `title` by the contract's rule: lowercase, each run of characters that are not
/// letters or digits one `-`, none at either end.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// Checks `slug` by the contract's rule: the slug of `title`, alone or followed by `-` and a
/// suffix of letters, digits and dashes (how a second article with the same title is told
/// apart).
#[track_caller]
pub fn check_slug(response: &Response, slug: &Value, title: &str) {
    let base = slugify(title);
    let Some(slug) = slug.as_str() else {
        response.fail(format!("expected `slug` to be a string, got {slug}"))
    };
    let ok = slug == base
        || slug
            .strip_prefix(&format!("{base}-"))
            .is_some_and(|suffix| {
                !suffix.is_empty()
                    && suffix
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
    if !ok {
        response.fail(format!(
            "expected the slug of {title:?} to be {base:?}, or {base:?} followed by `-` and a \
             suffix that tells it from another article's (letters, digits, dashes), got {slug:?}"
        ));
    }
}

/// Checks a timestamp by the contract's rule: RFC 3339 in UTC with exactly three fractional
/// digits and `Z` (`2026-12-02T10:20:30.123Z`), within ten minutes of the test's clock (the
/// tests make everything they read). Gives it.
#[track_caller]
pub fn check_timestamp(response: &Response, field: &str, value: &Value) -> DateTime<Utc> {
    let example = "2026-12-02T10:20:30.123Z";
    let text = value.as_str().unwrap_or("");
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 24
        && bytes[19] == b'.'
        && bytes[20..23].iter().all(u8::is_ascii_digit)
        && bytes[23] == b'Z';
    let parsed = DateTime::parse_from_rfc3339(text).ok().filter(|_| shaped);
    let Some(time) = parsed else {
        response.fail(format!(
            "expected `{field}` to be RFC 3339 in UTC with milliseconds, like {example:?}, \
             got {value}"
        ))
    };
    let time = time.with_timezone(&Utc);
    let off = (Utc::now() - time).num_seconds().abs();
    if off > 600 {
        response.fail(format!(
            "expected `{field}` to be about now ({}), got {text} — is the time in UTC?",
            Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ")
        ));
    }
    time
}

/// The spec's Article as the test expects it, before the fields it cannot know.
pub fn article(
    title: &str,
    description: &str,
    body: &str,
    tags: &[&str],
    author: Value,
    favorited: bool,
    favorites_count: i64,
) -> Value {
    // Sorted, each once: RealWorld's own API test collection (api/Conduit.postman_collection.json
    // in gothinkster/realworld) creates ["training", "dragons"] and expects "dragons" first.
    let mut tags = tags.to_vec();
    tags.sort_unstable();
    tags.dedup();
    json!({
        "title": title,
        "description": description,
        "body": body,
        "tagList": tags,
        "favorited": favorited,
        "favoritesCount": favorites_count,
        "author": author,
    })
}

/// The article [`Blog::create_article`] makes from `title` and `tags`, as the test expects it.
pub fn made_article(
    title: &str,
    tags: &[&str],
    author: Value,
    favorited: bool,
    count: i64,
) -> Value {
    article(
        title,
        &format!("about {title}"),
        &format!("the body of {title}"),
        tags,
        author,
        favorited,
        count,
    )
}

/// Compares the article `got` with `want`, whole. What `want` leaves out of `slug`,
/// `createdAt` and `updatedAt` is checked by its rule ([`check_slug`] against `want`'s title,
/// [`check_timestamp`], `createdAt` ≤ `updatedAt`) and then taken from `got`.
#[track_caller]
pub fn expect_article(response: &Response, got: &Value, want: &Value) {
    let mut want = want.clone();
    let object = want
        .as_object_mut()
        .expect("an expected article is an object");
    if !got.is_object() {
        response.fail(format!("expected an article (an object), got {got}"));
    }
    if !object.contains_key("slug") {
        let title = object["title"].as_str().unwrap_or("").to_string();
        check_slug(response, &got["slug"], &title);
        object.insert("slug".into(), got["slug"].clone());
    }
    let created = check_timestamp(response, "createdAt", &got["createdAt"]);
    let updated = check_timestamp(response, "updatedAt", &got["updatedAt"]);
    if created > updated {
        response.fail("expected `createdAt` ≤ `updatedAt`");
    }
    for field in ["createdAt", "updatedAt"] {
        if !object.contains_key(field) {
            object.insert(field.into(), got[field].clone());
        }
    }
    expect_same(response, got, &want);
}

/// The answer `{"article": …}` with status `status`, compared by [`expect_article`]. Gives
/// the article.
#[track_caller]
pub fn expect_article_response(response: &Response, status: u16, want: &Value) -> Value {
    response.expect_status(status);
    let body = json_body(response);
    if body.as_object().map(|o| o.len()) != Some(1) || !body["article"].is_object() {
        response.fail("expected a body of the shape {\"article\": {…}}, and nothing else");
    }
    expect_article(response, &body["article"], want);
    body["article"].clone()
}

/// `article` as `favorited`/`following` viewer sees it.
pub fn seen(article: &Value, favorited: bool, following: bool) -> Value {
    let mut article = article.clone();
    article["favorited"] = json!(favorited);
    article["author"]["following"] = json!(following);
    article
}

/// `article` with another favorites count.
pub fn counted(article: &Value, count: i64) -> Value {
    let mut article = article.clone();
    article["favoritesCount"] = json!(count);
    article
}

/// The answer of a list (`GET /articles`, `/articles/feed`): status 200 and
/// `{"articles": want, "articlesCount": count}`, in this order. The spec's list items have no
/// `body` (it may be there: then it must be the article's body).
#[track_caller]
pub fn expect_articles(response: &Response, want: &[Value], count: i64) {
    response.expect_status(200);
    let got = json_body(response);
    let Some(items) = got["articles"].as_array() else {
        response.fail("expected `articles`, a list")
    };
    let want: Vec<Value> = want
        .iter()
        .zip(items.iter().chain(std::iter::repeat(&Value::Null)))
        .map(|(w, g)| {
            let mut w = w.clone();
            if g.get("body").is_none() {
                w.as_object_mut().unwrap().remove("body");
            }
            w
        })
        .collect();
    expect_same(
        response,
        &got,
        &json!({ "articles": want, "articlesCount": count }),
    );
}

/// `GET path` as `viewer` (or anonymous), the answer as it came.
pub async fn get_as(blog: &Blog, path: &str, viewer: Option<&User>) -> Response {
    as_viewer(blog.client.get(path), viewer).send().await
}

/// Sends `body` as it is, with `content-type: application/json`, to `path` with `method`.
pub async fn send_raw(
    blog: &Blog,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Response {
    let mut request = blog
        .client
        .request(method, path)
        .header("content-type", "application/json")
        .body(body.as_bytes().to_vec());
    if let Some(token) = token {
        request = request.token(token);
    }
    request.send().await
}

/// Bodies that are not what the spec asks for whatever the route: not JSON, cut short, empty,
/// the wrong JSON type, or without the `wrapper` object (`user`, `article`, `comment`) around
/// otherwise valid `fields`. (Not a JSON list: serde reads `[x]` as a struct whose first field
/// is `x`, a quirk the tests leave alone.)
pub fn malformed_bodies(wrapper: &str, fields: &Value) -> Vec<(String, String)> {
    vec![
        ("a body that is not JSON".into(), "this is not json".into()),
        ("a body cut short".into(), format!("{{\"{wrapper}\": {{")),
        ("an empty body".into(), String::new()),
        ("a JSON string".into(), format!("\"{wrapper}\"")),
        (
            format!("`{wrapper}` that is not an object"),
            format!("{{\"{wrapper}\": \"x\"}}"),
        ),
        (
            format!("the fields without the `{wrapper}` wrapper"),
            fields.to_string(),
        ),
    ]
}

/// Every `table.column` of text in the app's database that holds `needle` somewhere in a row,
/// found by reading the schema the app made, whatever it is.
pub async fn columns_holding(db: &TestDatabase, needle: &str) -> Vec<String> {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'character')",
    )
    .fetch_all(db.pool())
    .await
    .expect("read the app's columns");
    let quote = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let mut holding = Vec::new();
    for (table, column) in columns {
        let sql = format!(
            "SELECT count(*) FROM {} WHERE strpos({}::text, $1) > 0",
            quote(&table),
            quote(&column)
        );
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(needle)
            .fetch_one(db.pool())
            .await
            .expect("search a column of the app's");
        if count > 0 {
            holding.push(format!("{table}.{column}"));
        }
    }
    holding
}
