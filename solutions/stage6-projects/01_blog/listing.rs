//! Milestone 4: listing. `GET /api/articles`, newest first, filtered by tag, author or the
//! user who favorited, a page at a time. Milestone 7's feed is the same list with one more
//! filter: the authors the caller follows.

use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::articles::{Article, ArticleRow, select_articles};
use super::auth::AuthUser;
use super::error::AppError;
use super::extract::{Json, Query};

/// The filters of a list: `$1` to `$4` in both of its queries; `NULL` matches everything.
macro_rules! filters {
    () => {
        "WHERE ($1::text IS NULL OR $1 = ANY (a.tag_list))
           AND ($2::text IS NULL OR u.username = $2)
           AND ($3::text IS NULL OR EXISTS (
                   SELECT 1 FROM favorites f JOIN users fu ON fu.id = f.user_id
                   WHERE f.article_id = a.id AND fu.username = $3))
           AND ($4::bigint IS NULL OR EXISTS (
                   SELECT 1 FROM follows fo
                   WHERE fo.follower_id = $4 AND fo.followee_id = a.author_id)) "
    };
}

/// The query of `GET /api/articles`.
#[derive(Deserialize)]
pub struct ListQuery {
    pub tag: Option<String>,
    pub author: Option<String>,
    pub favorited: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The query of `GET /api/articles/feed`.
#[derive(Deserialize)]
pub struct FeedQuery {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// A page of articles, and how many match in all (not how many are on this page).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Articles {
    pub articles: Vec<Article>,
    pub articles_count: i64,
}

/// Which articles a list holds.
#[derive(Default)]
struct Filter {
    tag: Option<String>,
    author: Option<String>,
    favorited_by: Option<String>,
    followed_by: Option<i64>,
}

/// The spec's `limit` (at least 1, 20 by default) and `offset` (at least 0, 0 by default).
fn page(limit: Option<i64>, offset: Option<i64>) -> Result<(i64, i64), AppError> {
    let limit = limit.unwrap_or(20);
    let offset = offset.unwrap_or(0);
    if limit < 1 {
        return Err(AppError::unprocessable("limit must be at least 1"));
    }
    if offset < 0 {
        return Err(AppError::unprocessable("offset must be at least 0"));
    }
    Ok((limit, offset))
}

async fn list(
    state: &AppState,
    filter: Filter,
    viewer: Option<i64>,
    (limit, offset): (i64, i64),
) -> Result<Articles, AppError> {
    let rows: Vec<ArticleRow> = sqlx::query_as(concat!(
        select_articles!("$5"),
        filters!(),
        "ORDER BY a.created_at DESC, a.id DESC LIMIT $6 OFFSET $7"
    ))
    .bind(&filter.tag)
    .bind(&filter.author)
    .bind(&filter.favorited_by)
    .bind(filter.followed_by)
    .bind(viewer)
    .bind(limit)
    .bind(offset)
    .fetch_all(&state.pool)
    .await?;
    // A second query, not the page's length: the client pages with it.
    let count: i64 = sqlx::query_scalar(concat!(
        "SELECT count(*) FROM articles a JOIN users u ON u.id = a.author_id ",
        filters!()
    ))
    .bind(&filter.tag)
    .bind(&filter.author)
    .bind(&filter.favorited_by)
    .bind(filter.followed_by)
    .fetch_one(&state.pool)
    .await?;
    Ok(Articles {
        articles: rows.into_iter().map(ArticleRow::into_listed).collect(),
        articles_count: count,
    })
}

/// `GET /api/articles`.
#[utoipa::path(
    get,
    path = "/articles",
    tag = "articles",
    security((), ("token" = [])),
    responses((status = 200, description = "the matching articles, newest first"), (status = 401, description = "an invalid token"), (status = 422, description = "a bad limit or offset"))
)]
pub async fn articles(
    State(state): State<AppState>,
    viewer: Option<AuthUser>,
    Query(query): Query<ListQuery>,
) -> Result<Json<Articles>, AppError> {
    let page = page(query.limit, query.offset)?;
    let filter = Filter {
        tag: query.tag,
        author: query.author,
        favorited_by: query.favorited,
        followed_by: None,
    };
    Ok(Json(
        list(&state, filter, viewer.map(|v| v.id), page).await?,
    ))
}

/// `GET /api/articles/feed` (milestone 7): the articles of the authors the caller follows.
#[utoipa::path(
    get,
    path = "/articles/feed",
    tag = "articles",
    security(("token" = [])),
    responses((status = 200, description = "the followed authors' articles, newest first"), (status = 401, description = "no valid token"), (status = 422, description = "a bad limit or offset"))
)]
pub async fn feed(
    State(state): State<AppState>,
    me: AuthUser,
    Query(query): Query<FeedQuery>,
) -> Result<Json<Articles>, AppError> {
    let page = page(query.limit, query.offset)?;
    let filter = Filter {
        followed_by: Some(me.id),
        ..Filter::default()
    };
    Ok(Json(list(&state, filter, Some(me.id), page).await?))
}
