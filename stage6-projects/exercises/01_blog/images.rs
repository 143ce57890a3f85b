//! Milestone 8: cover images. `PUT /api/articles/{slug}/image`, only by the author (403,
//! 401, 404 as for updating the article), takes a `multipart/form-data` body whose field
//! `image` is a JPEG, PNG or WebP file of at most 1 MiB, stores it in the bucket of
//! `Config::storage`, and answers the article, whose `image` is now the object's URL,
//! `{endpoint}/{bucket}/{key}` (an `image: Option<String>` in `Article`, left out of the JSON
//! while `None`; a migration adds the column).
//!
//! Know the type by the file's first bytes, its magic number: PNG starts with `89 50 4E 47
//! 0D 0A 1A 0A`, JPEG with `FF D8 FF`, WebP with `RIFF`, four bytes of size, then `WEBP`.
//! The part's declared `Content-Type` is whatever the client wrote: do not trust it. Not an
//! image, no field `image`, or a body that is not multipart (take `Result<Multipart,
//! MultipartRejection>`) is a 422; more than 1 MiB a 413 (`AppError::PayloadTooLarge`),
//! counted as the chunks arrive (`Field::chunk`). Nothing is stored after an error.
//!
//! The bucket: object_store's `AmazonS3Builder` (endpoint, `with_allow_http(true)`, region,
//! bucket, keys), made once in `app()` and kept in `AppState`; `ObjectStoreExt::put`.
//! <https://docs.rs/object_store/0.14/object_store/aws/struct.AmazonS3Builder.html>,
//! <https://docs.rs/axum/0.8/axum/extract/struct.Multipart.html>

use super::error::AppError;

// TODO: the handler, with its `#[utoipa::path]` and its place in `openapi.rs`'s `paths`.

/// `PUT /api/articles/{slug}/image`.
pub async fn upload() -> AppError {
    AppError::not_implemented("PUT /api/articles/{slug}/image", 8, "beyond the spec")
}
