//! Milestone 5: product images in an S3 bucket (`Config::storage`).
//!
//! - `PUT /api/products/{id}/image`, admins only: a `multipart/form-data` body whose field
//!   `image` is a JPEG, PNG or WebP file of at most 1 MiB. Take
//!   `Result<Multipart, MultipartRejection>` (a body that is not multipart is then your 422,
//!   not axum's text), find the field with `next_field`, and read it with `Field::chunk`,
//!   counting: one byte over 1 MiB is a 413 at once, never after holding the whole upload.
//! - The type is known by the file's first bytes, never by the part's declared
//!   `Content-Type`, which the client wrote: PNG starts `\x89PNG\r\n\x1a\n`, JPEG
//!   `\xff\xd8\xff`, WebP `RIFF????WEBP`. Anything else: 422, and nothing stored.
//! - Store it with object_store's S3 client, made once in [`super::app`] from the
//!   `Storage`: `AmazonS3Builder::new().with_endpoint(..).with_allow_http(true)
//!   .with_region(..).with_bucket_name(..).with_access_key_id(..).with_secret_access_key(..)
//!   .build()`, then `store.put(&key, PutPayload::from(bytes))` (`ObjectStoreExt`). A new
//!   key for each upload (`products/<id>-<random>.png`): caches may keep the old one.
//! - Answer `{"image_url": "{endpoint}/{bucket}/{key}"}` and keep that URL in a new column
//!   of `products` (a migration `ALTER TABLE ... ADD COLUMN`), which `GET
//!   /api/products/{id}/image` redirects to (`axum::response::Redirect::temporary`, 307),
//!   or a 404 when there is none. The product's JSON stays as milestone 1 made it.
//!
//! - <https://docs.rs/axum/0.8/axum/extract/struct.Multipart.html>
//! - <https://docs.rs/object_store/0.14/object_store/aws/struct.AmazonS3Builder.html>

use super::error::AppError;

// TODO: the client type (made in `app`, kept in `AppState`), the sniffing of magic numbers,
// the migration, and the two handlers, each with its `#[utoipa::path]` (see `openapi.rs`).

/// `PUT /api/products/{id}/image`: admins; `{"image_url"}`.
pub async fn upload() -> AppError {
    AppError::not_implemented("PUT /api/products/{id}/image", 5, "beyond")
}

/// `GET /api/products/{id}/image`: a redirect to the image.
pub async fn get() -> AppError {
    AppError::not_implemented("GET /api/products/{id}/image", 5, "beyond")
}
