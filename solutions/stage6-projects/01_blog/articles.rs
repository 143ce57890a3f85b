//! Milestone 3: articles. Create, read, update and delete one article; only its author may
//! change or delete it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::AuthUser;
use super::error::AppError;
use super::extract::Json;
use super::profiles::Profile;
use super::users::{at_most, required};

/// The columns of an [`ArticleRow`], as seen by the viewer bound at `$viewer` (a literal such
/// as `"$1"`; `NULL` for anonymous viewers). SQL text must be a literal for sqlx, hence a
/// macro rather than a `format!`: nothing a client sends ever becomes SQL.
macro_rules! select_articles {
    ($viewer:literal) => {
        concat!(
            "SELECT a.slug, a.title, a.description, a.body, a.tag_list,
                    a.created_at, a.updated_at, a.image,
                    EXISTS (SELECT 1 FROM favorites f
                            WHERE f.article_id = a.id AND f.user_id = ",
            $viewer,
            ") AS favorited,
                    (SELECT count(*) FROM favorites f WHERE f.article_id = a.id)
                        AS favorites_count,
                    u.username AS author_username, u.bio AS author_bio,
                    u.image AS author_image,
                    EXISTS (SELECT 1 FROM follows fo
                            WHERE fo.follower_id = ",
            $viewer,
            " AND fo.followee_id = u.id) AS author_following
             FROM articles a JOIN users u ON u.id = a.author_id "
        )
    };
}
pub(crate) use select_articles;

/// `{"article": ...}`, both ways.
#[derive(Deserialize, Serialize)]
pub struct ArticleBody<T> {
    pub article: T,
}

/// The body of `POST /api/articles`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewArticle {
    pub title: String,
    pub description: String,
    pub body: String,
    pub tag_list: Option<Vec<String>>,
}

/// The body of `PUT /api/articles/{slug}`. `tagList` is not in the spec's `UpdateArticle`,
/// but front ends' editors send it, so it is honoured when present.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateArticle {
    pub title: Option<String>,
    pub description: Option<String>,
    pub body: Option<String>,
    pub tag_list: Option<Vec<String>>,
}

/// An article as the spec answers it. Lists leave out `body` (the spec's
/// `MultipleArticlesResponse` has none).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Article {
    pub slug: String,
    pub title: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub tag_list: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    pub favorited: bool,
    pub favorites_count: i64,
    pub author: Profile,
    /// The cover image's URL (milestone 8); left out until one is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

/// A row of [`select_articles`].
#[derive(sqlx::FromRow)]
pub struct ArticleRow {
    slug: String,
    title: String,
    description: String,
    body: String,
    tag_list: Vec<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    image: Option<String>,
    favorited: bool,
    favorites_count: i64,
    author_username: String,
    author_bio: String,
    author_image: String,
    author_following: bool,
}

/// The spec's timestamps: UTC, milliseconds, `Z` (`2026-12-02T10:20:30.123Z`).
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

impl ArticleRow {
    /// The whole article, `body` included.
    pub fn into_article(self) -> Article {
        let body = Some(self.body.clone());
        Article {
            body,
            ..self.into_listed()
        }
    }

    /// The article as lists show it, without `body`.
    pub fn into_listed(self) -> Article {
        Article {
            slug: self.slug,
            title: self.title,
            description: self.description,
            body: None,
            tag_list: self.tag_list,
            created_at: timestamp(self.created_at),
            updated_at: timestamp(self.updated_at),
            favorited: self.favorited,
            favorites_count: self.favorites_count,
            author: Profile {
                username: self.author_username,
                bio: self.author_bio,
                image: self.author_image,
                following: self.author_following,
            },
            image: self.image,
        }
    }
}

/// The article `slug` as `viewer` sees it; 404 when there is none.
pub async fn load(
    state: &AppState,
    slug: &str,
    viewer: Option<i64>,
) -> Result<ArticleBody<Article>, AppError> {
    let row: ArticleRow = sqlx::query_as(concat!(select_articles!("$2"), "WHERE a.slug = $1"))
        .bind(slug)
        .bind(viewer)
        .fetch_optional(&state.pool)
        .await?
        .ok_or(AppError::NotFound("article not found"))?;
    Ok(ArticleBody {
        article: row.into_article(),
    })
}

/// `How to Train Your Dragon!` is `how-to-train-your-dragon`: lowercase, every run of other
/// characters than letters and digits one `-`, none at the ends.
pub fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("article");
    }
    slug
}

/// `base`, then `base-<6 random hex digits>` when a slug is taken.
fn candidate(base: &str, attempt: u32) -> String {
    if attempt == 0 {
        base.to_string()
    } else {
        format!("{base}-{:06x}", rand::random::<u32>() & 0xff_ffff)
    }
}

/// How many slugs to try before giving up: a collision of 24 random bits twice in a row is
/// already unlikely.
const SLUG_ATTEMPTS: u32 = 5;

fn is_slug_taken(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db)
        if db.is_unique_violation() && db.constraint() == Some("articles_slug_key"))
}

/// The longest title: its slug is indexed.
const MAX_TITLE: usize = 255;
/// The longest tag: tags are indexed.
const MAX_TAG: usize = 100;

/// The tags sorted, each once (as RealWorld's own test collection expects); a 422 for a blank
/// or overlong one.
fn tags(mut list: Vec<String>) -> Result<Vec<String>, AppError> {
    for tag in &list {
        at_most("a tag", required("a tag", tag)?, MAX_TAG)?;
    }
    list.sort_unstable();
    list.dedup();
    Ok(list)
}

/// `POST /api/articles`: 201 and the article, its slug made from its title and unique.
#[utoipa::path(
    post,
    path = "/articles",
    tag = "articles",
    security(("token" = [])),
    responses((status = 201, description = "the new article"), (status = 401, description = "no valid token"), (status = 422, description = "a blank field"))
)]
pub async fn create(
    State(state): State<AppState>,
    me: AuthUser,
    Json(ArticleBody { article }): Json<ArticleBody<NewArticle>>,
) -> Result<(StatusCode, Json<ArticleBody<Article>>), AppError> {
    at_most("title", required("title", &article.title)?, MAX_TITLE)?;
    required("description", &article.description)?;
    required("body", &article.body)?;
    let tag_list = tags(article.tag_list.unwrap_or_default())?;
    let base = slugify(&article.title);
    // The unique index decides who gets a slug, so two articles with one title at the same
    // moment get two slugs; `ON CONFLICT DO NOTHING` turns "taken" into "no row", not an
    // error.
    for attempt in 0..SLUG_ATTEMPTS {
        let slug: Option<String> = sqlx::query_scalar(
            "INSERT INTO articles (slug, title, description, body, tag_list, author_id)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (slug) DO NOTHING
             RETURNING slug",
        )
        .bind(candidate(&base, attempt))
        .bind(&article.title)
        .bind(&article.description)
        .bind(&article.body)
        .bind(&tag_list)
        .bind(me.id)
        .fetch_optional(&state.pool)
        .await?;
        if let Some(slug) = slug {
            let article = load(&state, &slug, Some(me.id)).await?;
            return Ok((StatusCode::CREATED, Json(article)));
        }
    }
    Err(AppError::Internal(format!("no free slug for {base:?}")))
}

/// `GET /api/articles/{slug}`.
#[utoipa::path(
    get,
    path = "/articles/{slug}",
    tag = "articles",
    params(("slug" = String, Path, description = "the article's slug")),
    security((), ("token" = [])),
    responses((status = 200, description = "the article as the viewer sees it"), (status = 401, description = "an invalid token"), (status = 404, description = "no such article"))
)]
pub async fn get(
    State(state): State<AppState>,
    viewer: Option<AuthUser>,
    Path(slug): Path<String>,
) -> Result<Json<ArticleBody<Article>>, AppError> {
    Ok(Json(load(&state, &slug, viewer.map(|v| v.id)).await?))
}

/// The id and title of the article `slug` if `me` wrote it; 404 or 403 otherwise.
pub async fn own(state: &AppState, slug: &str, me: &AuthUser) -> Result<(i64, String), AppError> {
    let (id, author_id, title): (i64, i64, String) =
        sqlx::query_as("SELECT id, author_id, title FROM articles WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&state.pool)
            .await?
            .ok_or(AppError::NotFound("article not found"))?;
    if author_id != me.id {
        return Err(AppError::Forbidden(
            "only the author may change this article",
        ));
    }
    Ok((id, title))
}

/// `PUT /api/articles/{slug}`: the author changes the fields given; a new title makes a new
/// slug, and `updatedAt` moves.
#[utoipa::path(
    put,
    path = "/articles/{slug}",
    tag = "articles",
    params(("slug" = String, Path, description = "the article's slug")),
    security(("token" = [])),
    responses((status = 200, description = "the article, updated"), (status = 401, description = "no valid token"), (status = 403, description = "not the author"), (status = 404, description = "no such article"), (status = 422, description = "a blank field"))
)]
pub async fn update(
    State(state): State<AppState>,
    me: AuthUser,
    Path(slug): Path<String>,
    Json(ArticleBody { article }): Json<ArticleBody<UpdateArticle>>,
) -> Result<Json<ArticleBody<Article>>, AppError> {
    let (id, title) = own(&state, &slug, &me).await?;
    for (field, value) in [
        ("title", &article.title),
        ("description", &article.description),
        ("body", &article.body),
    ] {
        if let Some(value) = value {
            required(field, value)?;
        }
    }
    if let Some(title) = &article.title {
        at_most("title", title, MAX_TITLE)?;
    }
    let base = article
        .title
        .as_deref()
        .filter(|new| *new != title)
        .map(slugify);
    let tag_list = article.tag_list.map(tags).transpose()?;
    for attempt in 0..SLUG_ATTEMPTS {
        // `updated_at` moves by at least a millisecond, the precision it is shown with, so a
        // client sees the change even when two writes land in the same millisecond.
        let updated = sqlx::query_scalar::<_, String>(
            "UPDATE articles SET
                 slug = COALESCE($2, slug),
                 title = COALESCE($3, title),
                 description = COALESCE($4, description),
                 body = COALESCE($5, body),
                 tag_list = COALESCE($6, tag_list),
                 updated_at = greatest(clock_timestamp(), updated_at + interval '1 millisecond')
             WHERE id = $1
             RETURNING slug",
        )
        .bind(id)
        .bind(base.as_deref().map(|base| candidate(base, attempt)))
        .bind(&article.title)
        .bind(&article.description)
        .bind(&article.body)
        .bind(&tag_list)
        .fetch_optional(&state.pool)
        .await;
        match updated {
            Ok(Some(slug)) => return Ok(Json(load(&state, &slug, Some(me.id)).await?)),
            Ok(None) => return Err(AppError::NotFound("article not found")),
            Err(e) if is_slug_taken(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Internal(format!("no free slug for {base:?}")))
}

/// `DELETE /api/articles/{slug}`: 204; its comments and favorites go with it (`ON DELETE
/// CASCADE`).
#[utoipa::path(
    delete,
    path = "/articles/{slug}",
    tag = "articles",
    params(("slug" = String, Path, description = "the article's slug")),
    security(("token" = [])),
    responses((status = 200, description = "deleted, with its comments and favorites"), (status = 401, description = "no valid token"), (status = 403, description = "not the author"), (status = 404, description = "no such article"))
)]
pub async fn delete(
    State(state): State<AppState>,
    me: AuthUser,
    Path(slug): Path<String>,
) -> Result<StatusCode, AppError> {
    let (id, _) = own(&state, &slug, &me).await?;
    sqlx::query("DELETE FROM articles WHERE id = $1")
        .bind(id)
        .execute(&state.pool)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
