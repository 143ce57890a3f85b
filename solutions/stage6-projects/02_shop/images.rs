//! Milestone 5: product images. `PUT /api/products/{id}/image` (admins) takes a
//! `multipart/form-data` body whose field `image` is a JPEG, PNG or WebP file of at most
//! [`MAX_IMAGE_BYTES`], stores it in the S3 bucket of `Config::with_storage`, and answers
//! `{"image_url": "{endpoint}/{bucket}/{key}"}`; `GET /api/products/{id}/image` redirects
//! there (307), or is a 404 while the product has none.
//!
//! The type is decided by the file's first bytes, its magic number, never by the part's
//! declared `Content-Type`, which is whatever the client chose to write there.

use std::sync::Arc;

use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Redirect;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStoreExt, PutPayload};
use serde::Serialize;

use super::AppState;
use super::auth::AuthUser;
use super::catalog::no_such_product;
use super::config::Storage;
use super::error::AppError;
use super::extract::{Json, Path};

/// The largest image accepted: 1 MiB. One byte more is a 413.
pub const MAX_IMAGE_BYTES: usize = 1024 * 1024;

/// The bucket of product images, and the URL its objects are read at.
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

/// The answer of an upload.
#[derive(Serialize)]
pub struct ImageUrl {
    pub image_url: String,
}

/// `PUT /api/products/{id}/image`: admins set a product's image.
#[utoipa::path(
    put,
    path = "/products/{id}/image",
    tag = "catalog",
    params(("id" = i64, Path, description = "the product's id")),
    security(("bearer" = [])),
    request_body(content_type = "multipart/form-data", description = "the field `image`: a JPEG, PNG or WebP file of at most 1 MiB"),
    responses(
        (status = 200, description = "`{\"image_url\"}`, the object's URL"),
        (status = 401, description = "no valid token"),
        (status = 403, description = "not an admin"),
        (status = 404, description = "no such product"),
        (status = 413, description = "an image over 1 MiB"),
        (status = 422, description = "no field `image`, or not a JPEG, PNG or WebP file")
    )
)]
pub async fn upload(
    State(state): State<AppState>,
    me: AuthUser,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<ImageUrl>, AppError> {
    me.require_admin()?;
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM products WHERE id = $1)")
        .bind(id)
        .fetch_one(&state.pool)
        .await?;
    if !exists {
        return Err(no_such_product());
    }
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
    let key = ObjectPath::from_iter(["products", name.as_str()]);
    images
        .store
        .put(&key, PutPayload::from(bytes))
        .await
        .map_err(|e| AppError::Internal(format!("storing the image failed: {e}")))?;
    let image_url = format!("{}/{key}", images.base_url);
    sqlx::query("UPDATE products SET image_url = $1 WHERE id = $2")
        .bind(&image_url)
        .bind(id)
        .execute(&state.pool)
        .await?;
    Ok(Json(ImageUrl { image_url }))
}

/// `GET /api/products/{id}/image`: a redirect to the image.
#[utoipa::path(
    get,
    path = "/products/{id}/image",
    tag = "catalog",
    params(("id" = i64, Path, description = "the product's id")),
    responses(
        (status = 307, description = "to the image's URL"),
        (status = 404, description = "no such product, or no image yet")
    )
)]
pub async fn get(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Redirect, AppError> {
    let url: Option<Option<String>> =
        sqlx::query_scalar("SELECT image_url FROM products WHERE id = $1")
            .bind(id)
            .fetch_optional(&state.pool)
            .await?;
    match url {
        None => Err(no_such_product()),
        Some(None) => Err(AppError::not_found(
            "this product has no image yet: an admin uploads one with PUT",
        )),
        Some(Some(url)) => Ok(Redirect::temporary(&url)),
    }
}
