//! Milestone 6: favorites. Favorite and unfavorite an article; `favoritesCount` stays exact
//! when many users favorite at the same moment.

use axum::extract::{Path, State};

use super::AppState;
use super::articles::{self, Article, ArticleBody};
use super::auth::AuthUser;
use super::error::AppError;
use super::extract::Json;

/// `POST /api/articles/{slug}/favorite`: idempotent.
#[utoipa::path(
    post,
    path = "/articles/{slug}/favorite",
    tag = "favorites",
    params(("slug" = String, Path, description = "the article's slug")),
    security(("token" = [])),
    responses((status = 200, description = "the article, favorited"), (status = 401, description = "no valid token"), (status = 404, description = "no such article"))
)]
pub async fn favorite(
    State(state): State<AppState>,
    me: AuthUser,
    Path(slug): Path<String>,
) -> Result<Json<ArticleBody<Article>>, AppError> {
    // One row per (article, user), kept unique by the primary key: a second favorite is a
    // no-op, and the count is `count(*)` of the rows, so concurrent favorites cannot lose
    // each other the way `UPDATE ... SET n = <n read earlier> + 1` does.
    sqlx::query(
        "INSERT INTO favorites (article_id, user_id)
         SELECT id, $2 FROM articles WHERE slug = $1
         ON CONFLICT DO NOTHING",
    )
    .bind(&slug)
    .bind(me.id)
    .execute(&state.pool)
    .await?;
    Ok(Json(articles::load(&state, &slug, Some(me.id)).await?))
}

/// `DELETE /api/articles/{slug}/favorite`: idempotent too.
#[utoipa::path(
    delete,
    path = "/articles/{slug}/favorite",
    tag = "favorites",
    params(("slug" = String, Path, description = "the article's slug")),
    security(("token" = [])),
    responses((status = 200, description = "the article, not favorited"), (status = 401, description = "no valid token"), (status = 404, description = "no such article"))
)]
pub async fn unfavorite(
    State(state): State<AppState>,
    me: AuthUser,
    Path(slug): Path<String>,
) -> Result<Json<ArticleBody<Article>>, AppError> {
    sqlx::query(
        "DELETE FROM favorites
         WHERE user_id = $2 AND article_id = (SELECT id FROM articles WHERE slug = $1)",
    )
    .bind(&slug)
    .bind(me.id)
    .execute(&state.pool)
    .await?;
    Ok(Json(articles::load(&state, &slug, Some(me.id)).await?))
}
