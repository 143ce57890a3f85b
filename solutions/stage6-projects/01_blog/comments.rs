//! Milestone 5: comments. Add, list and delete the comments of an article; only a comment's
//! author may delete it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::articles::timestamp;
use super::auth::AuthUser;
use super::error::AppError;
use super::extract::Json;
use super::profiles::Profile;
use super::users::required;

/// The columns of a [`CommentRow`] from `comments c`, as seen by the viewer at `$2`.
macro_rules! comment_columns {
    () => {
        "SELECT c.id, c.created_at, c.updated_at, c.body,
                u.username AS author_username, u.bio AS author_bio, u.image AS author_image,
                EXISTS (SELECT 1 FROM follows fo
                        WHERE fo.follower_id = $2 AND fo.followee_id = u.id) AS author_following "
    };
}

/// `{"comment": ...}`, both ways.
#[derive(Deserialize, Serialize)]
pub struct CommentBody<T> {
    pub comment: T,
}

/// `{"comments": [...]}`.
#[derive(Serialize)]
pub struct Comments {
    pub comments: Vec<Comment>,
}

/// The body of `POST /api/articles/{slug}/comments`.
#[derive(Deserialize)]
pub struct NewComment {
    pub body: String,
}

/// A comment as the spec answers it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    pub id: i64,
    pub created_at: String,
    pub updated_at: String,
    pub body: String,
    pub author: Profile,
}

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    body: String,
    author_username: String,
    author_bio: String,
    author_image: String,
    author_following: bool,
}

impl From<CommentRow> for Comment {
    fn from(row: CommentRow) -> Comment {
        Comment {
            id: row.id,
            created_at: timestamp(row.created_at),
            updated_at: timestamp(row.updated_at),
            body: row.body,
            author: Profile {
                username: row.author_username,
                bio: row.author_bio,
                image: row.author_image,
                following: row.author_following,
            },
        }
    }
}

async fn article_id(state: &AppState, slug: &str) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT id FROM articles WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&state.pool)
        .await?
        .ok_or(AppError::NotFound("article not found"))
}

/// `POST /api/articles/{slug}/comments`: 200 (the spec's status) and the comment.
#[utoipa::path(
    post,
    path = "/articles/{slug}/comments",
    tag = "comments",
    params(("slug" = String, Path, description = "the article's slug")),
    security(("token" = [])),
    responses((status = 200, description = "the new comment"), (status = 401, description = "no valid token"), (status = 404, description = "no such article"), (status = 422, description = "a blank body"))
)]
pub async fn add(
    State(state): State<AppState>,
    me: AuthUser,
    Path(slug): Path<String>,
    Json(CommentBody { comment }): Json<CommentBody<NewComment>>,
) -> Result<Json<CommentBody<Comment>>, AppError> {
    required("body", &comment.body)?;
    let article_id = article_id(&state, &slug).await?;
    // If the article is deleted in between, the foreign key refuses the insert: a 500 for a
    // race nobody can see, which is acceptable.
    let row: CommentRow = sqlx::query_as(concat!(
        "WITH c AS (INSERT INTO comments (article_id, author_id, body) VALUES ($1, $2, $3)
                    RETURNING *) ",
        comment_columns!(),
        "FROM c JOIN users u ON u.id = c.author_id"
    ))
    .bind(article_id)
    .bind(me.id)
    .bind(&comment.body)
    .fetch_one(&state.pool)
    .await?;
    Ok(Json(CommentBody {
        comment: row.into(),
    }))
}

/// `GET /api/articles/{slug}/comments`: newest first.
#[utoipa::path(
    get,
    path = "/articles/{slug}/comments",
    tag = "comments",
    params(("slug" = String, Path, description = "the article's slug")),
    security((), ("token" = [])),
    responses((status = 200, description = "the article's comments"), (status = 401, description = "an invalid token"), (status = 404, description = "no such article"))
)]
pub async fn list(
    State(state): State<AppState>,
    viewer: Option<AuthUser>,
    Path(slug): Path<String>,
) -> Result<Json<Comments>, AppError> {
    let article_id = article_id(&state, &slug).await?;
    let rows: Vec<CommentRow> = sqlx::query_as(concat!(
        comment_columns!(),
        "FROM comments c JOIN users u ON u.id = c.author_id
         WHERE c.article_id = $1
         ORDER BY c.created_at DESC, c.id DESC"
    ))
    .bind(article_id)
    .bind(viewer.map(|v| v.id))
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(Comments {
        comments: rows.into_iter().map(Comment::from).collect(),
    }))
}

/// `DELETE /api/articles/{slug}/comments/{id}`: 204; 404 for an unknown article or comment
/// (an id that is not a number is no comment), 403 for another user's comment.
#[utoipa::path(
    delete,
    path = "/articles/{slug}/comments/{id}",
    tag = "comments",
    params(("slug" = String, Path, description = "the article's slug"), ("id" = i64, Path, description = "the comment's id")),
    security(("token" = [])),
    responses((status = 200, description = "deleted"), (status = 401, description = "no valid token"), (status = 403, description = "not the comment's author"), (status = 404, description = "no such article or comment"))
)]
pub async fn delete(
    State(state): State<AppState>,
    me: AuthUser,
    Path((slug, id)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    let article_id = article_id(&state, &slug).await?;
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::NotFound("comment not found"))?;
    let author_id: i64 =
        sqlx::query_scalar("SELECT author_id FROM comments WHERE id = $1 AND article_id = $2")
            .bind(id)
            .bind(article_id)
            .fetch_optional(&state.pool)
            .await?
            .ok_or(AppError::NotFound("comment not found"))?;
    if author_id != me.id {
        return Err(AppError::Forbidden(
            "only the author may delete this comment",
        ));
    }
    sqlx::query("DELETE FROM comments WHERE id = $1")
        .bind(id)
        .execute(&state.pool)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
