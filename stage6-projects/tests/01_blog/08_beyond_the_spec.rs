//! Milestone 8, beyond the spec: the app describes itself, and articles get cover images.
//!
//! - `GET /api/openapi.json` serves an OpenAPI 3 document derived from the code
//!   (`exercise::openapi::document()` is what it serves), which documents exactly the
//!   RealWorld spec's operations and `PUT /api/articles/{slug}/image`, each of them routed;
//!   Swagger UI at `/api/docs` shows it.
//! - `PUT /api/articles/{slug}/image`, only by the author: a `multipart/form-data` body whose
//!   field `image` is a JPEG, PNG or WebP file of at most 1 MiB, its type known by its first
//!   bytes (the part's declared `Content-Type` is not looked at). It is stored in the bucket
//!   of `Config::new(secret).with_storage(Storage { endpoint, region, bucket, access_key,
//!   secret_key })`, and the article answered (and from then on shown) has `image`: the
//!   object's URL, `{endpoint}/{bucket}/{key}`. A file that is not such an image, no field
//!   `image` or a body that is not multipart is a 422; a larger file a 413 (or 422); nothing
//!   is stored after an error. Articles without a cover have no `image` field.
//!
//! What the tests take as the document's operations: each method under each of its `paths`,
//! the path joined to the path of its first `servers` URL when it has one (the RealWorld
//! spec's paths are relative to `/api`: `servers: [{url: "/api"}]` and `/users/login`, or no
//! servers and `/api/users/login`, are both fine). Path parameters are named as in the spec
//! (`{slug}`, `{username}`, `{id}`).
//!
//! "Routed" is told apart from "not routed" by calling the operation on things that exist (a
//! user, another user, their article, a comment on it) with the author's token: a route the
//! app has answers something else than 404 and 405.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use testkit::http::{Client, Method, Response};
use testkit::s3::S3Server;

use crate::common::*;
use crate::exercise;

/// The methods an OpenAPI path item may hold operations under (`paths.<path>.<method>`).
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The RealWorld spec's operations, as `"POST /api/users/login"` (its paths are relative to
/// `/api`).
fn spec_operations() -> BTreeSet<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/specs/realworld-openapi.yml");
    let text = std::fs::read_to_string(path).expect("read specs/realworld-openapi.yml");
    let spec: Value = serde_yaml_ng::from_str(&text).expect("the spec is YAML");
    let mut operations = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().expect("the spec's paths") {
        for method in METHODS {
            if item.get(method).is_some() {
                operations.insert(format!("{} /api{path}", method.to_uppercase()));
            }
        }
    }
    assert_eq!(operations.len(), 19, "the RealWorld spec has 19 operations");
    operations
}

/// `GET /api/openapi.json`, checked to be an OpenAPI 3.x document in JSON.
async fn served_document(blog: &Blog) -> (Response, Value) {
    let response = blog.client.get("/openapi.json").send().await;
    response.expect_status(200);
    let content_type = response.header("content-type").unwrap_or_default();
    if !content_type.starts_with("application/json") {
        response.fail(format!(
            "expected `Content-Type: application/json`, got {content_type:?}"
        ));
    }
    let document: Value = response.expect_json();
    let version = document["openapi"].as_str().unwrap_or_default();
    if !version.starts_with("3.") {
        response.fail(format!(
            "expected an OpenAPI 3.x document: `\"openapi\": \"3.1.0\"` (or 3.0.x), got {:?}",
            document["openapi"]
        ));
    }
    if !document["info"]["title"].is_string() || !document["info"]["version"].is_string() {
        response.fail("expected `info` with a `title` and a `version`, both strings");
    }
    if !document["paths"].is_object() {
        response.fail("expected `paths`, an object: the operations of the API");
    }
    (response, document)
}

/// The document's operations as `"GET /api/tags"`: each path joined to the path of the first
/// server's URL (`/api`, or `http://host/api`), if there is one.
fn documented_operations(response: &Response, document: &Value) -> BTreeSet<String> {
    let base = match document["servers"][0]["url"].as_str() {
        None => "",
        Some(url) => match url.split_once("://") {
            // `http://host:port/api`: the path after the authority.
            Some((_, rest)) => rest.find('/').map_or("", |at| &rest[at..]),
            None => url,
        },
    };
    let base = base.trim_end_matches('/');
    let mut operations = BTreeSet::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        let Some(item) = item.as_object() else {
            response.fail(format!("the path item of {path:?} is not an object"));
        };
        for method in METHODS {
            if item.contains_key(method) {
                operations.insert(format!("{} {base}{path}", method.to_uppercase()));
            }
        }
    }
    operations
}

/// Things for every operation to work on: the author (whose token is used), another user,
/// the author's article and a comment on it.
struct World {
    root: Client,
    author: User,
    other: User,
    slug: String,
    comment: String,
}

async fn world(blog: &Blog) -> World {
    let author = blog.register("ada").await;
    let other = blog.register("grace").await;
    let article = blog
        .create_article(&author, "Probing the routes", &["x"])
        .await;
    let slug = article["slug"].as_str().expect("a slug").to_string();
    let response = blog
        .client
        .post(&format!("/articles/{slug}/comments"))
        .token(&author.token)
        .json(&json!({ "comment": { "body": "a comment" } }))
        .send()
        .await;
    response.expect_status(200);
    let comment = json_body(&response)["comment"]["id"].to_string();
    let base = blog.client.base_url();
    let root = Client::new(base.strip_suffix("/api").unwrap_or(base));
    World {
        root,
        author,
        other,
        slug,
        comment,
    }
}

impl World {
    /// `"DELETE /api/articles/{slug}"` called on the things that exist: its answer.
    async fn call(&self, operation: &str) -> Response {
        let (method, path) = operation.split_once(' ').expect("METHOD /path");
        let path = path
            .replace("{slug}", &self.slug)
            .replace("{username}", &self.other.username)
            .replace("{id}", &self.comment);
        let method = Method::from_bytes(method.as_bytes()).expect("a method");
        self.root
            .request(method, &path)
            .token(&self.author.token)
            .send()
            .await
    }

    /// Calls each of `operations`, deleting the article last (the others need it), and
    /// returns those answered 404 or 405, with the answer's status.
    async fn unrouted(&self, operations: &BTreeSet<String>) -> Vec<String> {
        let mut ordered: Vec<&String> = operations.iter().collect();
        ordered.sort_by_key(|op| op.as_str() == "DELETE /api/articles/{slug}");
        let mut unrouted = Vec::new();
        for operation in ordered {
            let status = self.call(operation).await.status().as_u16();
            if status == 404 || status == 405 {
                unrouted.push(format!("{operation} answered {status}"));
            }
        }
        unrouted
    }
}

#[tokio::test]
async fn serves_an_openapi_3_document_in_json_at_api_openapi_json() {
    let blog = start().await;
    let (_response, _document) = served_document(&blog).await;
}

#[tokio::test]
async fn serves_the_document_its_code_derives() {
    let blog = start().await;
    let (response, served) = served_document(&blog).await;
    let derived =
        serde_json::to_value(exercise::openapi::document()).expect("the derived document as JSON");
    expect_same(&response, &served, &derived);
}

#[tokio::test]
async fn documents_each_operation_of_the_realworld_spec_and_the_cover_image_and_no_other() {
    let blog = start().await;
    let (response, document) = served_document(&blog).await;
    let documented = documented_operations(&response, &document);
    let mut spec = spec_operations();
    // Beyond the spec: the cover image.
    spec.insert("PUT /api/articles/{slug}/image".to_string());
    let missing: Vec<&String> = spec.difference(&documented).collect();
    let extra: Vec<&String> = documented.difference(&spec).collect();
    if !missing.is_empty() || !extra.is_empty() {
        response.fail(format!(
            "the document's operations differ from the RealWorld spec's: missing (annotate the \
             handler and list it in `paths(...)`): {missing:?}; not in the spec (a wrong path \
             or parameter name?): {extra:?}"
        ));
    }
}

#[tokio::test]
async fn every_documented_operation_is_routed() {
    let blog = start().await;
    let (response, document) = served_document(&blog).await;
    let documented = documented_operations(&response, &document);
    let world = world(&blog).await;
    let unrouted = world.unrouted(&documented).await;
    assert_eq!(
        unrouted,
        Vec::<String>::new(),
        "documented operations the app does not route (called on an existing user, article \
         and comment with the author's token): is the path the one the router has, under \
         /api?"
    );
}

#[tokio::test]
async fn every_route_on_the_spec_paths_is_documented() {
    let blog = start().await;
    let (response, document) = served_document(&blog).await;
    let documented = documented_operations(&response, &document);
    let paths: BTreeSet<String> = spec_operations()
        .iter()
        .map(|op| op.split_once(' ').expect("METHOD /path").1.to_string())
        .collect();
    let world = world(&blog).await;
    let mut undocumented = Vec::new();
    for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
        for path in &paths {
            let operation = format!("{method} {path}");
            if operation == "DELETE /api/articles/{slug}" {
                continue; // It would delete the article the others need; it is in the spec.
            }
            let status = world.call(&operation).await.status().as_u16();
            if status != 404 && status != 405 && !documented.contains(&operation) {
                undocumented.push(format!("{operation} answered {status}"));
            }
        }
    }
    assert_eq!(
        undocumented,
        Vec::<String>::new(),
        "routes the app answers that its OpenAPI document does not have"
    );
}

#[tokio::test]
async fn serves_swagger_ui_at_api_docs_showing_the_document() {
    let blog = start().await;
    let mut response = blog.client.get("/docs").send().await;
    // `/api/docs` may redirect once (to `/api/docs/`, where the page's relative links work).
    if response.status().is_redirection() {
        let location = response
            .header("location")
            .unwrap_or_else(|| response.fail("a redirect without a `Location`"))
            .to_string();
        let location = location.strip_prefix("/api").unwrap_or_else(|| {
            response.fail(format!("expected a redirect under /api, got {location:?}"))
        });
        response = blog.client.get(location).send().await;
    }
    response.expect_status(200);
    let content_type = response.header("content-type").unwrap_or_default();
    if !content_type.starts_with("text/html") {
        response.fail(format!("expected an HTML page, got {content_type:?}"));
    }
    if !response.text().to_lowercase().contains("swagger-ui") {
        response.fail("expected Swagger UI's page (it names `swagger-ui`)");
    }
    // The page's script says which document to show; Swagger UI's default is the pet store.
    let initializer = blog.client.get("/docs/swagger-initializer.js").send().await;
    initializer.expect_status(200);
    if !initializer.text().contains("/api/openapi.json") {
        initializer.fail("expected Swagger UI configured with the url `/api/openapi.json`");
    }
}

// Cover images.

/// The app with a bucket for cover images: `Config::new(SECRET).with_storage(..)`, on the
/// test's own S3 server.
async fn start_with_storage() -> (Blog, S3Server) {
    let s3 = testkit::s3::server().await;
    let storage = exercise::Storage {
        endpoint: s3.endpoint().to_string(),
        region: s3.region().to_string(),
        bucket: s3.bucket().to_string(),
        access_key: s3.access_key().to_string(),
        secret_key: s3.secret_key().to_string(),
    };
    let db = testkit::postgres::database().await;
    let config = exercise::Config::new(SECRET).with_storage(storage);
    let router = exercise::app(db.pool().clone(), config)
        .await
        .unwrap_or_else(|e| panic!("app() failed: {e}"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port on 127.0.0.1");
    let addr = listener.local_addr().expect("the listener's address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    let blog = Blog {
        client: Client::new(format!("http://{addr}/api")),
        db,
    };
    (blog, s3)
}

/// The largest cover image the app must accept: 1 MiB.
const MAX_IMAGE_BYTES: usize = 1024 * 1024;

/// A file of `len` bytes starting with `magic`.
fn file(magic: &[u8], len: usize) -> Vec<u8> {
    let mut bytes = magic.to_vec();
    bytes.extend((0..len - magic.len()).map(|i| (i * 7 % 251) as u8));
    bytes
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0";
const WEBP: &[u8] = b"RIFF\x24\0\0\0WEBPVP8 ";

/// `PUT /articles/{slug}/image` with a `multipart/form-data` body: the field `image`,
/// declared as `declared`, holding `bytes`.
async fn put_image(
    blog: &Blog,
    slug: &str,
    token: Option<&str>,
    declared: &str,
    bytes: &[u8],
) -> Response {
    let boundary = "----m8-cover-image-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; \
         filename=\"cover\"\r\nContent-Type: {declared}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut request = blog
        .client
        .put(&format!("/articles/{slug}/image"))
        .header(
            "content-type",
            format_args!("multipart/form-data; boundary={boundary}"),
        )
        .body(body);
    if let Some(token) = token {
        request = request.token(token);
    }
    request.send().await
}

/// Checks that `response` is the article `before` with `image` set to the URL of an object of
/// the bucket holding exactly `bytes`; returns that URL.
fn expect_cover(response: &Response, s3: &S3Server, before: &Value, bytes: &[u8]) -> String {
    response.expect_status(200);
    let got = json_body(response);
    let url = got["article"]["image"]
        .as_str()
        .unwrap_or_else(|| response.fail("expected the article's `image`: the cover's URL"))
        .to_string();
    let prefix = format!("{}/{}/", s3.endpoint(), s3.bucket());
    let Some(key) = url.strip_prefix(&prefix) else {
        response.fail(format!(
            "expected `image` to be the object's URL in the bucket, {prefix}<key>"
        ));
    };
    let stored = s3.root().join(s3.bucket()).join(key);
    match std::fs::read(&stored) {
        Ok(content) if content == bytes => {}
        Ok(content) => response.fail(format!(
            "the object {key} holds {} bytes, not the {} uploaded",
            content.len(),
            bytes.len()
        )),
        Err(_) => response.fail(format!("no object {key} in the bucket: {:?}", s3.objects())),
    }
    let mut want = before.clone();
    want["image"] = json!(url);
    let mut article = got["article"].clone();
    article["updatedAt"] = want["updatedAt"].clone();
    expect_same(response, &article, &want);
    url
}

#[tokio::test]
async fn sets_a_png_cover_image_stored_in_the_bucket_and_shown_with_the_article() {
    let (blog, s3) = start_with_storage().await;
    let ada = blog.register("ada").await;
    let article = blog.create_article(&ada, "With a cover", &[]).await;
    let slug = article["slug"].as_str().expect("a slug");
    let png = file(PNG, 3000);
    let response = put_image(&blog, slug, Some(&ada.token), "image/png", &png).await;
    let url = expect_cover(&response, &s3, &article, &png);
    let response = blog.client.get(&format!("/articles/{slug}")).send().await;
    response.expect_status(200);
    assert_eq!(json_body(&response)["article"]["image"], json!(url));
}

#[tokio::test]
async fn knows_jpeg_and_webp_by_their_bytes_whatever_type_is_declared() {
    let (blog, s3) = start_with_storage().await;
    let ada = blog.register("ada").await;
    let article = blog.create_article(&ada, "Two covers", &[]).await;
    let slug = article["slug"].as_str().expect("a slug");
    for magic in [JPEG, WEBP] {
        let bytes = file(magic, 2000);
        let response = put_image(
            &blog,
            slug,
            Some(&ada.token),
            "application/octet-stream",
            &bytes,
        )
        .await;
        expect_cover(&response, &s3, &article, &bytes);
    }
}

#[tokio::test]
async fn refuses_a_file_that_is_no_image_even_declared_image_png_with_422() {
    let (blog, s3) = start_with_storage().await;
    let ada = blog.register("ada").await;
    let article = blog.create_article(&ada, "No cover", &[]).await;
    let slug = article["slug"].as_str().expect("a slug");
    let html = file(b"<html><script>alert(1)</script>", 500);
    let response = put_image(&blog, slug, Some(&ada.token), "image/png", &html).await;
    expect_error(&response, 422);
    assert_eq!(s3.objects(), Vec::new(), "nothing stored");
}

#[tokio::test]
async fn takes_an_image_of_1_mib_and_refuses_one_byte_more_with_413_or_422() {
    let (blog, s3) = start_with_storage().await;
    let ada = blog.register("ada").await;
    let article = blog.create_article(&ada, "A big cover", &[]).await;
    let slug = article["slug"].as_str().expect("a slug");
    let too_big = file(PNG, MAX_IMAGE_BYTES + 1);
    let response = put_image(&blog, slug, Some(&ada.token), "image/png", &too_big).await;
    expect_error_in(&response, &[413, 422]);
    assert_eq!(s3.objects(), Vec::new(), "nothing stored");
    let largest = file(PNG, MAX_IMAGE_BYTES);
    let response = put_image(&blog, slug, Some(&ada.token), "image/png", &largest).await;
    expect_cover(&response, &s3, &article, &largest);
}

#[tokio::test]
async fn only_the_author_sets_the_cover_image() {
    let (blog, s3) = start_with_storage().await;
    let ada = blog.register("ada").await;
    let grace = blog.register("grace").await;
    let article = blog.create_article(&ada, "Ada's cover", &[]).await;
    let slug = article["slug"].as_str().expect("a slug");
    let png = file(PNG, 1000);
    let response = put_image(&blog, slug, Some(&grace.token), "image/png", &png).await;
    expect_error(&response, 403);
    let response = put_image(&blog, slug, None, "image/png", &png).await;
    expect_error(&response, 401);
    let response = put_image(
        &blog,
        "no-such-article",
        Some(&ada.token),
        "image/png",
        &png,
    )
    .await;
    expect_error(&response, 404);
    assert_eq!(s3.objects(), Vec::new(), "nothing stored");
}

#[tokio::test]
async fn a_cover_image_body_that_is_not_multipart_is_a_422() {
    let (blog, s3) = start_with_storage().await;
    let ada = blog.register("ada").await;
    let article = blog.create_article(&ada, "JSON cover", &[]).await;
    let slug = article["slug"].as_str().expect("a slug");
    let response = blog
        .client
        .put(&format!("/articles/{slug}/image"))
        .token(&ada.token)
        .json(&json!({ "image": "http://example.com/cover.png" }))
        .send()
        .await;
    expect_error(&response, 422);
    assert_eq!(s3.objects(), Vec::new(), "nothing stored");
}

// Metrics and logs.

/// A client of the app's root (`/metrics` is not under `/api`).
fn root_client(blog: &Blog) -> Client {
    let base = blog.client.base_url();
    Client::new(base.strip_suffix("/api").unwrap_or(base))
}

/// The value of `http_requests_total` with exactly these labels in the exposition `text`
/// (labels in any order); 0 when there is no such series.
fn requests_total(text: &str, method: &str, route: &str, status: u16) -> f64 {
    let mut want = vec![
        format!("method=\"{method}\""),
        format!("route=\"{route}\""),
        format!("status=\"{status}\""),
    ];
    want.sort();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("http_requests_total{") else {
            continue;
        };
        let Some((labels, value)) = rest.split_once("} ") else {
            continue;
        };
        let mut got: Vec<String> = labels.split(',').map(str::to_string).collect();
        got.sort();
        if got == want {
            return value.trim().parse().unwrap_or(f64::NAN);
        }
    }
    0.0
}

#[tokio::test]
async fn metrics_count_requests_by_method_route_template_and_status() {
    let blog = start().await;
    for _ in 0..2 {
        blog.client.get("/tags").send().await.expect_status(200);
    }
    for slug in ["no-such-article", "nor-this-one", "nor-that-one"] {
        let response = blog.client.get(&format!("/articles/{slug}")).send().await;
        expect_error(&response, 404);
    }
    let response = root_client(&blog).get("/metrics").send().await;
    response.expect_status(200);
    let content_type = response.header("content-type").unwrap_or_default();
    if !content_type.starts_with("text/plain")
        && !content_type.starts_with("application/openmetrics-text")
    {
        response.fail(format!(
            "expected the Prometheus text format (text/plain; version=0.0.4, or \
             application/openmetrics-text), got {content_type:?}"
        ));
    }
    let text = response.text();
    let got = [
        requests_total(text, "GET", "/api/tags", 200),
        requests_total(text, "GET", "/api/articles/{slug}", 404),
        requests_total(text, "GET", "/api/articles/no-such-article", 404),
    ];
    if got != [2.0, 3.0, 0.0] {
        response.fail(format!(
            "expected http_requests_total{{method=\"GET\",route=\"/api/tags\",status=\"200\"}} 2 \
             and {{method=\"GET\",route=\"/api/articles/{{slug}}\",status=\"404\"}} 3: the \
             route label is the route's template (axum's MatchedPath), never the path asked \
             for; got {got:?}"
        ));
    }
}

/// Where the tests' subscriber writes: the lines the app logs on a test's thread while that
/// test captures them.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

thread_local! {
    /// The capture of the test running on this thread, if it captures.
    static CAPTURE: std::cell::RefCell<Option<Captured>> = const { std::cell::RefCell::new(None) };
}

/// A line's writer: this thread's capture, or nowhere.
struct ThreadWriter;

impl std::io::Write for ThreadWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        CAPTURE.with(|capture| {
            if let Some(captured) = capture.borrow().as_ref() {
                captured
                    .0
                    .lock()
                    .expect("the log buffer")
                    .extend_from_slice(bytes);
            }
        });
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// Captures what is logged on this thread from now on. The subscriber is the process's
    /// global one (installed once): a subscriber set for one thread only misses lines when
    /// other tests run at the same time, since tracing caches which call sites are enabled.
    /// A `#[tokio::test]` runs the app and the client on its one thread.
    fn start() -> Captured {
        static INSTALL: std::sync::Once = std::sync::Once::new();
        INSTALL.call_once(|| {
            let subscriber = tracing_subscriber::fmt()
                .json()
                .with_max_level(tracing::Level::DEBUG)
                .with_writer(|| ThreadWriter)
                .finish();
            let _ = tracing::subscriber::set_global_default(subscriber);
        });
        let captured = Captured::default();
        CAPTURE.with(|capture| *capture.borrow_mut() = Some(captured.clone()));
        captured
    }

    /// The lines logged so far, each parsed as JSON (the test's subscriber writes JSON).
    fn lines(&self) -> Vec<Value> {
        let bytes = self.0.lock().expect("the log buffer").clone();
        String::from_utf8_lossy(&bytes)
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }
}

/// Whether `value` holds the string `needle` somewhere (as a whole field value).
fn holds(value: &Value, needle: &str) -> bool {
    match value {
        Value::String(s) => s == needle,
        Value::Array(items) => items.iter().any(|v| holds(v, needle)),
        Value::Object(fields) => fields.values().any(|v| holds(v, needle)),
        _ => false,
    }
}

#[tokio::test]
async fn each_request_gets_an_id_echoed_in_the_answer_and_carried_by_its_json_log_lines() {
    // The app logs with `tracing`; the test's subscriber formats the lines as JSON, the way
    // the binary's would in production.
    let captured = Captured::start();
    let blog = start().await;

    let response = blog.client.get("/tags").send().await;
    response.expect_status(200);
    let id = response
        .header("x-request-id")
        .unwrap_or_else(|| response.fail("expected an `x-request-id` header: the request's id"))
        .to_string();
    if id.is_empty() {
        response.fail("expected a non-empty `x-request-id`");
    }
    let lines = captured.lines();
    if !lines.iter().any(|line| holds(line, &id)) {
        response.fail(format!(
            "no log line carries the request id {id:?} (log the request in a span with a \
             `request_id` field); the lines: {lines:#?}"
        ));
    }

    // A client's own id is kept: it ties the client's logs to the app's.
    let response = blog
        .client
        .get("/tags")
        .header("x-request-id", "m8-client-chosen-id")
        .send()
        .await;
    response.expect_status(200);
    response.expect_header("x-request-id", "m8-client-chosen-id");
    if !captured
        .lines()
        .iter()
        .any(|line| holds(line, "m8-client-chosen-id"))
    {
        response.fail("no log line carries the client's request id m8-client-chosen-id");
    }
}
