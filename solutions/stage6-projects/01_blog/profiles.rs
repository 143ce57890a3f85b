//! Milestone 2: profiles. A user as others see them, and following.

use axum::extract::{Path, State};
use serde::Serialize;

use super::AppState;
use super::auth::AuthUser;
use super::error::AppError;
use super::extract::Json;

/// `{"profile": ...}`.
#[derive(Serialize)]
pub struct ProfileBody {
    pub profile: Profile,
}

/// A user as others see them; `following` is the viewer's, false for anonymous viewers.
#[derive(Serialize, sqlx::FromRow)]
pub struct Profile {
    pub username: String,
    pub bio: String,
    pub image: String,
    pub following: bool,
}

/// The profile of `username` as `viewer` sees it; 404 when there is no such user.
async fn load(state: &AppState, username: &str, viewer: Option<i64>) -> Result<Profile, AppError> {
    sqlx::query_as(
        "SELECT u.username, u.bio, u.image,
                EXISTS (SELECT 1 FROM follows f
                        WHERE f.follower_id = $2 AND f.followee_id = u.id) AS following
         FROM users u WHERE u.username = $1",
    )
    .bind(username)
    .bind(viewer)
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound("profile not found"))
}

/// `GET /api/profiles/{username}`.
#[utoipa::path(
    get,
    path = "/profiles/{username}",
    tag = "profiles",
    params(("username" = String, Path, description = "the user's name")),
    security((), ("token" = [])),
    responses((status = 200, description = "the profile as the viewer sees it"), (status = 401, description = "an invalid token"), (status = 404, description = "no such user"))
)]
pub async fn get(
    State(state): State<AppState>,
    viewer: Option<AuthUser>,
    Path(username): Path<String>,
) -> Result<Json<ProfileBody>, AppError> {
    let profile = load(&state, &username, viewer.map(|v| v.id)).await?;
    Ok(Json(ProfileBody { profile }))
}

/// `POST /api/profiles/{username}/follow`: idempotent, a second follow changes nothing.
#[utoipa::path(
    post,
    path = "/profiles/{username}/follow",
    tag = "profiles",
    params(("username" = String, Path, description = "the user's name")),
    security(("token" = [])),
    responses((status = 200, description = "the profile, followed"), (status = 401, description = "no valid token"), (status = 404, description = "no such user"))
)]
pub async fn follow(
    State(state): State<AppState>,
    me: AuthUser,
    Path(username): Path<String>,
) -> Result<Json<ProfileBody>, AppError> {
    // The primary key (follower_id, followee_id) makes a second follow a no-op, even when two
    // requests race.
    sqlx::query(
        "INSERT INTO follows (follower_id, followee_id)
         SELECT $1, id FROM users WHERE username = $2
         ON CONFLICT DO NOTHING",
    )
    .bind(me.id)
    .bind(&username)
    .execute(&state.pool)
    .await?;
    let profile = load(&state, &username, Some(me.id)).await?;
    Ok(Json(ProfileBody { profile }))
}

/// `DELETE /api/profiles/{username}/follow`: idempotent too.
#[utoipa::path(
    delete,
    path = "/profiles/{username}/follow",
    tag = "profiles",
    params(("username" = String, Path, description = "the user's name")),
    security(("token" = [])),
    responses((status = 200, description = "the profile, not followed"), (status = 401, description = "no valid token"), (status = 404, description = "no such user"))
)]
pub async fn unfollow(
    State(state): State<AppState>,
    me: AuthUser,
    Path(username): Path<String>,
) -> Result<Json<ProfileBody>, AppError> {
    sqlx::query(
        "DELETE FROM follows
         WHERE follower_id = $1 AND followee_id = (SELECT id FROM users WHERE username = $2)",
    )
    .bind(me.id)
    .bind(&username)
    .execute(&state.pool)
    .await?;
    let profile = load(&state, &username, Some(me.id)).await?;
    Ok(Json(ProfileBody { profile }))
}
