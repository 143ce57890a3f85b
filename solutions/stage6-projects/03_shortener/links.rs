//! Milestone 2: links. Create one, follow one, delete one.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::error::AppError;
use super::{AppState, cache, capacity, clicks, limit};

/// The longest URL accepted, in bytes: what browsers and most servers handle.
pub const MAX_URL_BYTES: usize = 2048;

#[derive(Deserialize)]
pub struct NewLink {
    url: String,
}

#[derive(Serialize)]
pub struct Link {
    code: String,
    url: String,
    short_url: String,
}

/// `POST /api/links {"url"}`: 201 and the link. The id comes from PostgreSQL's sequence,
/// shared by every instance, so two instances never hand out one code twice.
pub async fn create(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<NewLink>, JsonRejection>,
) -> Result<(StatusCode, Json<Link>), AppError> {
    limit::check(&state, &headers, peer).await?;
    let Json(NewLink { url }) =
        body.map_err(|e| AppError::unprocessable(format!("send {{\"url\": \"https://…\"}}: {e}")))?;
    validate(&url)?;
    let id: i64 = sqlx::query_scalar("INSERT INTO links (url) VALUES ($1) RETURNING id")
        .bind(&url)
        .fetch_one(&state.pool)
        .await?;
    let code = capacity::encode(id as u64);
    // Written through: the first redirect needs no database, and a "no such code" cached
    // before the code existed is replaced.
    cache::remember(&state, &code, &url).await?;
    let short_url = format!("{}/{code}", state.config.public_url);
    Ok((
        StatusCode::CREATED,
        Json(Link {
            code,
            url,
            short_url,
        }),
    ))
}

/// An absolute http(s) URL with a host, no whitespace or control characters, at most
/// [`MAX_URL_BYTES`].
fn validate(url: &str) -> Result<(), AppError> {
    if url.len() > MAX_URL_BYTES {
        return Err(AppError::unprocessable(format!(
            "url is longer than {MAX_URL_BYTES} bytes: shorten it"
        )));
    }
    let lower = url.to_ascii_lowercase();
    let rest = ["http://", "https://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme))
        .ok_or_else(|| AppError::unprocessable("url must start with http:// or https://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() {
        return Err(AppError::unprocessable(
            "url has no host: give http://host/…",
        ));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(AppError::unprocessable(
            "url has spaces or control characters: percent-encode them",
        ));
    }
    Ok(())
}

/// The link's id, when `code` is one this service could have made: canonical base62
/// (`"01"` is not `"1"`) of a positive number that fits a `bigint`.
pub fn id_of(code: &str) -> Option<i64> {
    let id = capacity::decode(code)?;
    (capacity::encode(id) == code && id >= 1)
        .then(|| i64::try_from(id).ok())
        .flatten()
}

/// `GET /{code}`: 302 to the link's URL, its click recorded first; 404 for an unknown code.
pub async fn redirect(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let url = cache::resolve(&state, &code)
        .await?
        .ok_or(AppError::NotFound("no such link"))?;
    clicks::record(&state, &code).await?;
    Ok((StatusCode::FOUND, [(header::LOCATION, url)]).into_response())
}

/// `DELETE /api/links/{code}`: 204, and no instance serves it any more; 404 if unknown.
pub async fn delete(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<StatusCode, AppError> {
    let id = id_of(&code).ok_or(AppError::NotFound("no such link"))?;
    let deleted = sqlx::query("DELETE FROM links WHERE id = $1")
        .bind(id)
        .execute(&state.pool)
        .await?
        .rows_affected();
    // After the commit: a reader that misses now reads the database without the row.
    cache::forget(&state, &code).await?;
    if deleted == 0 {
        return Err(AppError::NotFound("no such link"));
    }
    Ok(StatusCode::NO_CONTENT)
}
