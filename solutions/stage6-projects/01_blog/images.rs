//! Milestone 8: cover images. `PUT /api/articles/{slug}/image` takes a `multipart/form-data`
//! body whose field `image` is a JPEG, PNG or WebP file of at most [`MAX_IMAGE_BYTES`],
//! stores it in the S3 bucket of `Config::storage`, and answers the article, whose `image` is
//! now the object's URL (`{endpoint}/{bucket}/covers/...`: in production a bucket readable by
//! all, or a CDN in front of it). Only the author may set it.
//!
//! The type is decided by the file's first bytes, its magic number, never by the part's
//! declared `Content-Type`, which is whatever the client chose to write there.

use std::sync::Arc;

use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStoreExt, PutPayload};

use super::AppState;
use super::articles::{self, Article, ArticleBody};
use super::auth::AuthUser;
use super::config::Storage;
use super::error::AppError;
use super::extract::Json;

/// The largest cover image accepted: 1 MiB. One byte more is a 413.
pub const MAX_IMAGE_BYTES: usize = 1024 * 1024;

/// The bucket of cover images, and the URL its objects are read at.
#[derive(Clone)]
pub struct Images {
    store: Arc<AmazonS3>,
    base_url: String,
}

impl Images {
    /// object_store's S3 client for `storage`, over plain HTTP when the endpoint is `http://`.
    pub fn connect(storage: &Storage) -> object_store::Result<Images> {
        let store = AmazonS3Builder::new()
            .with_endpoint(&storage.endpoint)
            .with_allow_http(true)
            .with_region(&storage.region)
            .with_bucket_name(&storage.bucket)
            .with_access_key_id(&storage.access_key)
            .with_secret_access_key(&storage.secret_key)
            .build()?;
        Ok(Images {
            store: Arc::new(store),
            base_url: format!(
                "{}/{}",
                storage.endpoint.trim_end_matches('/'),
                storage.bucket
            ),
        })
    }
}

/// The extension of the image type whose magic number `head` starts with.
fn sniff(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if head.starts_with(b"\xff\xd8\xff") {
        Some("jpg")
    } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

fn too_large() -> AppError {
    AppError::PayloadTooLarge(format!(
        "the image is too large: send at most {MAX_IMAGE_BYTES} bytes"
    ))
}

fn malformed(error: MultipartError) -> AppError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        AppError::unprocessable("malformed multipart body: send a valid multipart/form-data body")
    }
}

/// `PUT /api/articles/{slug}/image`: the author sets the article's cover image.
#[utoipa::path(
    put,
    path = "/articles/{slug}/image",
    tag = "articles",
    params(("slug" = String, Path, description = "the article's slug")),
    security(("token" = [])),
    request_body(content_type = "multipart/form-data", description = "the field `image`: a JPEG, PNG or WebP file of at most 1 MiB"),
    responses(
        (status = 200, description = "the article, its `image` the cover's URL"),
        (status = 401, description = "no valid token"),
        (status = 403, description = "not the author"),
        (status = 404, description = "no such article"),
        (status = 413, description = "an image over 1 MiB"),
        (status = 422, description = "no field `image`, or a file that is not a JPEG, PNG or WebP image")
    )
)]
pub async fn upload(
    State(state): State<AppState>,
    me: AuthUser,
    Path(slug): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<ArticleBody<Article>>, AppError> {
    let (id, _) = articles::own(&state, &slug, &me).await?;
    let mut multipart = multipart.map_err(|_| {
        AppError::unprocessable("send the image as multipart/form-data, in a field named image")
    })?;
    let Some(images) = &state.images else {
        return Err(AppError::Internal(
            "no storage for images: Config::with_storage was not called".into(),
        ));
    };
    let mut image = None;
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        if field.name() != Some("image") {
            continue;
        }
        // Counted as it arrives: a huge file is refused at its first byte over the limit,
        // not after it has been held in memory whole.
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(malformed)? {
            if bytes.len() + chunk.len() > MAX_IMAGE_BYTES {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        image = Some(bytes);
        break;
    }
    let bytes = image
        .ok_or_else(|| AppError::unprocessable("no image: send it in a form field named image"))?;
    let extension = sniff(&bytes).ok_or_else(|| {
        AppError::unprocessable("the file is not a JPEG, PNG or WebP image: send one of those")
    })?;
    // A new name for each upload: a CDN may cache the old one for as long as it likes.
    let name = format!("{id}-{:016x}.{extension}", rand::random::<u64>());
    let key = ObjectPath::from_iter(["covers", name.as_str()]);
    images
        .store
        .put(&key, PutPayload::from(bytes))
        .await
        .map_err(|e| AppError::Internal(format!("storing the image failed: {e}")))?;
    sqlx::query("UPDATE articles SET image = $1 WHERE id = $2")
        .bind(format!("{}/{key}", images.base_url))
        .bind(id)
        .execute(&state.pool)
        .await?;
    Ok(Json(articles::load(&state, &slug, Some(me.id)).await?))
}
