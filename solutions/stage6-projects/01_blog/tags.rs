//! Milestone 7 (with the feed in `listing`): tags. Every tag some article has, each once.

use axum::extract::State;
use serde::Serialize;

use super::AppState;
use super::error::AppError;
use super::extract::Json;

/// `{"tags": [...]}`.
#[derive(Serialize)]
pub struct Tags {
    pub tags: Vec<String>,
}

/// `GET /api/tags`: alphabetical.
#[utoipa::path(
    get,
    path = "/tags",
    tag = "tags",
    responses((status = 200, description = "every tag some article has, each once"))
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<Tags>, AppError> {
    let tags = sqlx::query_scalar(
        "SELECT DISTINCT t.tag FROM articles a CROSS JOIN LATERAL unnest(a.tag_list) AS t(tag)
         ORDER BY t.tag",
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(Tags { tags }))
}
