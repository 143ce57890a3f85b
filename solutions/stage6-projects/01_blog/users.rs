//! Milestone 1: users. Register, log in, read and update the current user.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::{self, AuthUser};
use super::error::AppError;
use super::extract::Json;

/// The spec wraps every user body in `{"user": ...}`, both ways.
#[derive(Deserialize, Serialize)]
pub struct UserBody<T> {
    pub user: T,
}

/// The body of `POST /api/users`.
#[derive(Deserialize)]
pub struct NewUser {
    pub username: String,
    pub email: String,
    pub password: String,
}

/// The body of `POST /api/users/login`.
#[derive(Deserialize)]
pub struct LoginUser {
    pub email: String,
    pub password: String,
}

/// The body of `PUT /api/user`: an absent (or `null`) field stays as it is; the spec wants at
/// least one.
#[derive(Deserialize)]
pub struct UpdateUser {
    pub email: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub bio: Option<String>,
    pub image: Option<String>,
}

/// The user as the spec answers it: with a token, never with the password's hash.
#[derive(Serialize)]
pub struct User {
    pub email: String,
    pub token: String,
    pub username: String,
    pub bio: String,
    pub image: String,
}

/// A row of `users`.
#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    username: String,
    bio: String,
    image: String,
}

impl UserRow {
    fn with_token(self, token: String) -> UserBody<User> {
        UserBody {
            user: User {
                email: self.email,
                token,
                username: self.username,
                bio: self.bio,
                image: self.image,
            },
        }
    }
}

/// `value` if it has more than blanks, else a 422 naming `field`.
pub fn required<'a>(field: &str, value: &'a str) -> Result<&'a str, AppError> {
    if value.trim().is_empty() {
        Err(AppError::unprocessable(format!("{field} can't be blank")))
    } else {
        Ok(value)
    }
}

/// `value` if it has at most `max` characters, else a 422 naming `field`. Indexed text needs
/// a limit: PostgreSQL refuses an index entry of more than about 2700 bytes, with an error
/// that would be a 500.
pub fn at_most<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, AppError> {
    if value.chars().count() > max {
        Err(AppError::unprocessable(format!(
            "{field} is too long (at most {max} characters)"
        )))
    } else {
        Ok(value)
    }
}

fn valid_username(username: &str) -> Result<&str, AppError> {
    at_most("username", required("username", username)?, 100)
}

fn valid_email(email: &str) -> Result<&str, AppError> {
    let email = at_most("email", required("email", email)?, 254)?;
    match email.split_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.is_empty() => Ok(email),
        _ => Err(AppError::unprocessable("email is invalid")),
    }
}

/// The unique indexes say which field is taken, even when two requests race for it.
fn taken(error: sqlx::Error) -> AppError {
    if let sqlx::Error::Database(db) = &error
        && db.is_unique_violation()
    {
        match db.constraint() {
            Some("users_email_key") => {
                return AppError::unprocessable("email has already been taken");
            }
            Some("users_username_key") => {
                return AppError::unprocessable("username has already been taken");
            }
            _ => {}
        }
    }
    error.into()
}

/// `POST /api/users`: 201 and the new user with a token.
#[utoipa::path(
    post,
    path = "/users",
    tag = "users",
    responses((status = 201, description = "the new user, with a token"), (status = 422, description = "a blank field, or a taken email or username"))
)]
pub async fn register(
    State(state): State<AppState>,
    Json(UserBody { user }): Json<UserBody<NewUser>>,
) -> Result<(StatusCode, Json<UserBody<User>>), AppError> {
    let username = valid_username(&user.username)?;
    let email = valid_email(&user.email)?;
    required("password", &user.password)?;
    let hash = auth::hash_password(user.password.clone()).await?;
    let row: UserRow = sqlx::query_as(
        "INSERT INTO users (username, email, password_hash) VALUES ($1, $2, $3)
         RETURNING id, email, username, bio, image",
    )
    .bind(username)
    .bind(email)
    .bind(hash)
    .fetch_one(&state.pool)
    .await
    .map_err(taken)?;
    let token = state.tokens.issue(row.id)?;
    Ok((StatusCode::CREATED, Json(row.with_token(token))))
}

/// `POST /api/users/login`: the user with a new token, or 401 whichever of the two is wrong.
#[utoipa::path(
    post,
    path = "/users/login",
    tag = "users",
    responses((status = 200, description = "the user, with a token"), (status = 401, description = "a wrong email or password"), (status = 422, description = "a blank field"))
)]
pub async fn login(
    State(state): State<AppState>,
    Json(UserBody { user }): Json<UserBody<LoginUser>>,
) -> Result<Json<UserBody<User>>, AppError> {
    required("email", &user.email)?;
    required("password", &user.password)?;
    // The index on lower(email) answers this, and makes emails unique whatever their case.
    let found: Option<(i64, String)> =
        sqlx::query_as("SELECT id, password_hash FROM users WHERE lower(email) = lower($1)")
            .bind(&user.email)
            .fetch_optional(&state.pool)
            .await?;
    let (id, hash) = found.unzip();
    let verified = auth::verify_password(user.password, hash).await?;
    let Some(id) = id.filter(|_| verified) else {
        return Err(AppError::Unauthorized("email or password is invalid"));
    };
    let row = load(&state, id).await?;
    let token = state.tokens.issue(id)?;
    Ok(Json(row.with_token(token)))
}

async fn load(state: &AppState, id: i64) -> Result<UserRow, AppError> {
    sqlx::query_as("SELECT id, email, username, bio, image FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&state.pool)
        .await?
        .ok_or(AppError::Unauthorized("unknown user: log in again"))
}

/// `GET /api/user`: the caller, with the token they sent.
#[utoipa::path(
    get,
    path = "/user",
    tag = "users",
    security(("token" = [])),
    responses((status = 200, description = "the caller, with their token"), (status = 401, description = "no valid token"))
)]
pub async fn current(
    State(state): State<AppState>,
    me: AuthUser,
) -> Result<Json<UserBody<User>>, AppError> {
    let row = load(&state, me.id).await?;
    Ok(Json(row.with_token(me.token)))
}

/// `PUT /api/user`: changes the fields given; a new password is hashed like the first.
#[utoipa::path(
    put,
    path = "/user",
    tag = "users",
    security(("token" = [])),
    responses((status = 200, description = "the caller, updated"), (status = 401, description = "no valid token"), (status = 422, description = "a blank field, or a taken email or username"))
)]
pub async fn update(
    State(state): State<AppState>,
    me: AuthUser,
    Json(UserBody { user }): Json<UserBody<UpdateUser>>,
) -> Result<Json<UserBody<User>>, AppError> {
    let fields = [
        &user.email,
        &user.username,
        &user.password,
        &user.bio,
        &user.image,
    ];
    if fields.iter().all(|field| field.is_none()) {
        return Err(AppError::unprocessable(
            "at least one of email, username, password, bio or image is required",
        ));
    }
    if let Some(username) = &user.username {
        valid_username(username)?;
    }
    if let Some(email) = &user.email {
        valid_email(email)?;
    }
    let hash = match user.password {
        Some(password) => {
            required("password", &password)?;
            Some(auth::hash_password(password).await?)
        }
        None => None,
    };
    let row: UserRow = sqlx::query_as(
        "UPDATE users SET
             email = COALESCE($2, email),
             username = COALESCE($3, username),
             password_hash = COALESCE($4, password_hash),
             bio = COALESCE($5, bio),
             image = COALESCE($6, image)
         WHERE id = $1
         RETURNING id, email, username, bio, image",
    )
    .bind(me.id)
    .bind(user.email)
    .bind(user.username)
    .bind(hash)
    .bind(user.bio)
    .bind(user.image)
    .fetch_one(&state.pool)
    .await
    .map_err(taken)?;
    Ok(Json(row.with_token(me.token)))
}
