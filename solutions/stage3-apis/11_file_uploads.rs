//! # Exercise 11: file uploads streamed to S3 — limits, magic numbers, presigned downloads
//!
//! Files do not belong in your database or on your API server's disk: servers come and go,
//! disks fill up, and every byte of a download would pass through your process. They belong
//! in **object storage**: Amazon S3 or one of the many services that speak its protocol
//! (MinIO, Cloudflare R2, Backblaze B2, Google Cloud Storage's XML API). A bucket maps keys
//! (`files/9f2c…`) to objects (bytes plus metadata such as `Content-Type`), and every request
//! to it is signed with a secret key (AWS Signature Version 4). Your API accepts the upload,
//! checks it, streams it on to the bucket, and keeps only the key.
//!
//! **Streaming, never the whole file in memory.** A browser sends a file as a
//! `multipart/form-data` body: parts separated by a boundary line, each with its own headers
//! (`content-disposition: form-data; name="file"; filename="cat.png"`, `content-type:
//! image/png`). axum's `Multipart` extractor hands you the parts one by one, and each part's
//! bytes chunk by chunk (`field.chunk().await`), as they arrive from the network.
//! `field.bytes().await` instead waits for the whole file and holds it in memory: fine for a
//! 2 kB avatar, fatal for ten users uploading 500 MB videos at once. S3 takes a large object
//! as a **multipart upload** (a different "multipart"): create the upload, send parts of at
//! least 5 MiB each, then complete it, or abort it so that the parts already sent are
//! deleted (S3 keeps, and bills, the parts of an upload nobody aborted). object_store does
//! the bookkeeping: `store.put_multipart_opts(&path, options)` creates the upload, and
//! `WriteMultipart` cuts what you `put` into parts and sends each one while you read on.
//! Sending is not instant, so cap the parts in flight: `writer.wait_for_capacity(n).await`
//! before each `put` waits while `n` parts are still on their way, and the memory a request
//! holds stays near `(n + 1) × part size`, whatever the size of the file. `writer.finish()`
//! completes the upload; `writer.abort()` abandons it.
//!
//! **Limits, checked while reading.** Count the bytes as they come and stop at the limit:
//! abort the S3 upload and answer `413 Content Too Large`. Checking the size after the upload
//! means the whole oversized file was read and stored first (and forgotten in the bucket when
//! you return early). axum also caps every request body at 2 MB by default
//! (`DefaultBodyLimit`); a route that takes big uploads lifts that cap and enforces its own.
//!
//! **The type is in the bytes, not in the header.** The part's `content-type` is whatever
//! the client wrote: `evil.html` sent as `image/png` and later served as a picture from your
//! domain is a stored XSS, and a "PDF" that is an executable is malware you host. Formats
//! start with a **magic number**: PNG with `89 50 4E 47 0D 0A 1A 0A`, JPEG with `FF D8 FF`,
//! PDF with `%PDF-`. Read the first bytes, match them against an allow-list (`sniff`, given
//! below), refuse anything else with `415 Unsupported Media Type`, refuse a file whose bytes
//! say something else than its header, and store the type you detected as the object's
//! `Content-Type`: that is the header browsers get when they download it. The first bytes may
//! arrive in several chunks, so gather [`SNIFF_LEN`] of them (or all there are) first.
//!
//! **Downloads: presigned URLs.** Streaming every download through your API wastes your
//! bandwidth and your memory. Instead, answer `307 Temporary Redirect` to a **presigned URL**:
//! a URL of the bucket itself whose query string carries your access key id, a time, a
//! lifetime (`X-Amz-Expires`) and a signature over all of it, made with your secret key. The
//! storage checks the signature and the time itself: the URL works for that object, that
//! method and that long only; change the key or the lifetime and the signature no longer
//! matches (`403`), wait too long and it has expired (`403`). object_store makes one with
//! `Signer::signed_url(Method::GET, &path, lifetime)`, without any request to the storage;
//! check that the object exists first (`store.head(&path)`), so that a wrong id gets a 404
//! from you rather than a working-looking link to nothing.
//!
//! **What the tests run.** A real S3 server (s3s, storing in a temporary folder) inside the
//! test process, which checks every signature and every link's expiry like AWS does. One
//! test sends a 50 MB PDF over a raw socket and, as it sends, compares what it has sent with
//! what the storage has received: the app may never be more than 32 MiB ahead, so an app
//! that holds the file fails (a streaming one stays around 16 MiB ahead, mostly bytes on
//! their way through the kernel's socket buffers and the parts in flight).
//!
//! - <https://docs.rs/axum/0.8/axum/extract/struct.Multipart.html>
//! - <https://docs.rs/object_store/0.14/object_store/struct.WriteMultipart.html>
//! - <https://docs.rs/object_store/0.14/object_store/signer/trait.Signer.html>
//! - <https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html>
//! - <https://docs.aws.amazon.com/AmazonS3/latest/userguide/ShareObjectPreSignedURL.html>
//! - <https://www.rfc-editor.org/rfc/rfc7578> (multipart/form-data)
//! - <https://cheatsheetseries.owasp.org/cheatsheets/File_Upload_Cheat_Sheet.html>

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::multipart::{Field, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::signer::Signer;
use object_store::{
    Attribute, Attributes, ObjectStore, ObjectStoreExt, PutMultipartOptions, WriteMultipart,
};
use serde_json::json;

/// How to reach the bucket.
#[derive(Debug, Clone)]
pub struct S3Settings {
    /// The storage's base URL, such as `http://127.0.0.1:9000` (plain HTTP, path-style).
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub access_key: String,
    pub secret_key: String,
}

/// What the routes share.
#[derive(Debug, Clone)]
pub struct Uploads {
    /// The bucket, through object_store.
    pub store: Arc<AmazonS3>,
    /// The largest file accepted, in bytes.
    pub max_bytes: u64,
    /// How long a download link works.
    pub link_lifetime: Duration,
}

/// The size of each part sent to S3 (its minimum, except for the last part).
pub const PART_SIZE: usize = 5 * 1024 * 1024;

/// How many parts of one upload may be on their way to S3 at once.
pub const MAX_PARTS_IN_FLIGHT: usize = 2;

/// How many first bytes `sniff` needs to recognise every type it knows.
pub const SNIFF_LEN: usize = 8;

/// The types accepted, each with its magic number.
const SIGNATURES: [(&[u8], &str); 3] = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
];

/// The accepted type whose magic number `head` (a file's first bytes) starts with.
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    SIGNATURES
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map(|(_, content_type)| *content_type)
}

/// A client for the bucket of `s3`: object_store's S3 client with that endpoint, region,
/// bucket and keys, over plain HTTP (the test's storage has no TLS).
pub fn connect(s3: &S3Settings) -> object_store::Result<AmazonS3> {
    AmazonS3Builder::new()
        .with_endpoint(&s3.endpoint)
        .with_allow_http(true)
        .with_region(&s3.region)
        .with_bucket_name(&s3.bucket)
        .with_access_key_id(&s3.access_key)
        .with_secret_access_key(&s3.secret_key)
        .build()
}

/// The routes:
///
/// - `POST /files`: a `multipart/form-data` body whose field `file` is the file (other
///   fields are ignored). Streams it to the bucket under a new id and answers `201 Created`,
///   `Location: /files/{id}` and `{"id": "…", "size": 1234, "content_type": "image/png"}`.
/// - `GET /files/{id}`: `307 Temporary Redirect` to a presigned GET URL of the object that
///   works for `link_lifetime`.
///
/// Errors, each a JSON body `{"error": "…"}`, and nothing left in the bucket after any of
/// them (no object, no unfinished multipart upload):
///
/// | status | when | error |
/// |---|---|---|
/// | 415 | the request is not `multipart/form-data` | `send the file as multipart/form-data` |
/// | 400 | the form has no field `file` | `no file: send it in a form field named file` |
/// | 400 | the multipart body is broken | `malformed multipart body: send a valid multipart/form-data body` |
/// | 413 | the file is larger than `max_bytes` | `file too large: send at most {max_bytes} bytes` |
/// | 415 | its first bytes are not PNG, JPEG or PDF | `unsupported file type: send a PNG, JPEG or PDF file` |
/// | 415 | its part's content type is another type than its bytes | `the file is {detected} but was sent as {declared}: send it with its real content type` |
/// | 404 | `GET` of an id with no object | `file {id} not found` |
/// | 502 | the storage fails or refuses | `storage failed: try again later` |
pub fn app(uploads: Uploads) -> Router {
    Router::new()
        .route("/files", post(upload))
        .route("/files/{id}", get(download))
        // The upload enforces its own limit while streaming, so axum's 2 MB cap goes.
        .layer(DefaultBodyLimit::disable())
        .with_state(uploads)
}

/// `POST /files`.
async fn upload(
    State(uploads): State<Uploads>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let Ok(mut multipart) = multipart else {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the file as multipart/form-data",
        );
    };
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                return store(&uploads, field).await;
            }
            // Another field of the form: skipping it reads past it.
            Ok(Some(_)) => {}
            Ok(None) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "no file: send it in a form field named file",
                );
            }
            Err(_) => return malformed(),
        }
    }
}

/// Checks the file's type and size while streaming it to the bucket.
async fn store(uploads: &Uploads, mut field: Field<'_>) -> Response {
    // The first bytes may come in several chunks: gather enough of them to recognise the type.
    let mut head = Vec::new();
    while head.len() < SNIFF_LEN {
        match field.chunk().await {
            Ok(Some(chunk)) => head.extend_from_slice(&chunk),
            Ok(None) => break,
            Err(_) => return malformed(),
        }
    }
    let Some(detected) = sniff(&head) else {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported file type: send a PNG, JPEG or PDF file",
        );
    };
    if let Some(declared) = field.content_type()
        && declared != detected
    {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &format!(
                "the file is {detected} but was sent as {declared}: send it with its real \
                 content type"
            ),
        );
    }

    let id = new_id();
    let path = object_path(&id);
    let options = PutMultipartOptions {
        attributes: Attributes::from_iter([(Attribute::ContentType, detected)]),
        ..Default::default()
    };
    let upload = match uploads.store.put_multipart_opts(&path, options).await {
        Ok(upload) => upload,
        Err(_) => return storage_failed(),
    };
    let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_SIZE);

    let mut size = 0u64;
    let mut next = Some(bytes::Bytes::from(head));
    loop {
        let chunk = match next.take() {
            Some(chunk) => chunk,
            None => match field.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(_) => {
                    let _ = writer.abort().await;
                    return malformed();
                }
            },
        };
        size += chunk.len() as u64;
        if size > uploads.max_bytes {
            let _ = writer.abort().await;
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("file too large: send at most {} bytes", uploads.max_bytes),
            );
        }
        // Back pressure: no more reading while MAX_PARTS_IN_FLIGHT parts are being sent.
        if writer.wait_for_capacity(MAX_PARTS_IN_FLIGHT).await.is_err() {
            let _ = writer.abort().await;
            return storage_failed();
        }
        writer.put(chunk);
    }
    // `finish` aborts the upload by itself when a part or the completion fails.
    if writer.finish().await.is_err() {
        return storage_failed();
    }

    (
        StatusCode::CREATED,
        [(header::LOCATION, format!("/files/{id}"))],
        axum::Json(json!({ "id": id, "size": size, "content_type": detected })),
    )
        .into_response()
}

/// `GET /files/{id}`.
async fn download(State(uploads): State<Uploads>, Path(id): Path<String>) -> Response {
    let path = object_path(&id);
    match uploads.store.head(&path).await {
        Ok(_) => {}
        Err(object_store::Error::NotFound { .. }) => {
            return error(StatusCode::NOT_FOUND, &format!("file {id} not found"));
        }
        Err(_) => return storage_failed(),
    }
    match uploads
        .store
        .signed_url(Method::GET, &path, uploads.link_lifetime)
        .await
    {
        Ok(url) => (
            StatusCode::TEMPORARY_REDIRECT,
            [(header::LOCATION, url.to_string())],
        )
            .into_response(),
        Err(_) => storage_failed(),
    }
}

/// Where the file `id` is kept in the bucket.
fn object_path(id: &str) -> ObjectPath {
    // Each part is escaped where a key must not have it (`..`, a `/` inside the id), so a
    // strange id finds no object rather than another one.
    ObjectPath::from_iter(["files", id])
}

/// A new file id: 128 random bits in hex, impossible to guess or to enumerate.
fn new_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// The answer for a multipart body that cannot be read.
fn malformed() -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "malformed multipart body: send a valid multipart/form-data body",
    )
}

/// The answer when the storage fails or refuses.
fn storage_failed() -> Response {
    error(StatusCode::BAD_GATEWAY, "storage failed: try again later")
}

/// An error answer: `status` and `{"error": message}`.
fn error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "error": message }))).into_response()
}
