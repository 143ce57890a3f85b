//! Accounts and who is calling: given in the starter (the blog taught it).
//!
//! - `POST /api/users` `{"email", "password"}` registers an account: 201
//!   `{"token": "<jwt>", "user": {"id", "email", "role"}}`. The role is `"admin"` for the
//!   email of `Config::with_admin`, `"customer"` for everybody else. A taken email is a 409.
//! - `POST /api/users/login` with the same body: 200 and the same shape; a wrong email or
//!   password is a 401.
//! - A handler that takes an [`AuthUser`] runs only for a caller with a valid
//!   `Authorization: Bearer <jwt>`; anything else is a 401 before the handler starts. The
//!   role is read from the database on each request, so a changed role counts at once.
//!   [`AuthUser::require_admin`] is the check of an admin route: a customer gets a 403.

use std::sync::LazyLock;
use std::time::Duration;

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::config::Config;
use super::error::AppError;
use super::extract::Json;

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Browses, fills a cart, checks out, sees and cancels their own orders.
    Customer,
    /// Also manages the catalog, sees every order, ships and delivers them.
    Admin,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Admin => "admin",
        }
    }
}

/// The caller, proven by a valid token.
#[derive(Debug, Clone, Copy)]
pub struct AuthUser {
    pub id: i64,
    pub role: Role,
}

impl AuthUser {
    /// `Ok` for an admin, a 403 for a customer: the first line of every admin handler.
    pub fn require_admin(&self) -> Result<(), AppError> {
        match self.role {
            Role::Admin => Ok(()),
            Role::Customer => Err(AppError::Forbidden(
                "this needs an admin account: log in as the shop's admin".into(),
            )),
        }
    }
}

/// The claims of the app's tokens: who (`sub`, the user's id) and until when (`exp`).
#[derive(Serialize, Deserialize)]
struct Claims {
    sub: String,
    exp: u64,
}

/// The keys and rules of the app's tokens, made once from the [`Config`].
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

impl Tokens {
    pub fn new(config: &Config) -> Tokens {
        // The algorithm is ours to choose: a token whose header names another one is refused.
        let mut validation = Validation::new(Algorithm::HS256);
        // We issue the tokens with our own clock, so there is no skew to forgive.
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        Tokens {
            encoding: EncodingKey::from_secret(config.jwt_secret.as_bytes()),
            decoding: DecodingKey::from_secret(config.jwt_secret.as_bytes()),
            validation,
            ttl: config.token_ttl,
        }
    }

    fn issue(&self, user_id: i64) -> Result<String, AppError> {
        let claims = Claims {
            sub: user_id.to_string(),
            exp: jsonwebtoken::get_current_timestamp() + self.ttl.as_secs(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AppError::Internal(format!("signing a token: {e}")))
    }

    fn verify(&self, token: &str) -> Option<i64> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        data.claims.sub.parse().ok()
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let header = parts.headers.get(AUTHORIZATION).ok_or_else(|| {
            AppError::Unauthorized("missing token: send Authorization: Bearer <jwt>".into())
        })?;
        let token = header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or_else(|| {
                AppError::Unauthorized("malformed Authorization header: send Bearer <jwt>".into())
            })?;
        let id = state.tokens.verify(token.trim()).ok_or_else(|| {
            AppError::Unauthorized("invalid or expired token: log in again".into())
        })?;
        let role: Option<Role> =
            sqlx::query_scalar::<_, String>("SELECT role FROM users WHERE id = $1")
                .bind(id)
                .fetch_optional(&state.pool)
                .await?
                .map(|role| {
                    if role == "admin" {
                        Role::Admin
                    } else {
                        Role::Customer
                    }
                });
        let role =
            role.ok_or_else(|| AppError::Unauthorized("unknown user: log in again".into()))?;
        Ok(AuthUser { id, role })
    }
}

/// The body of register and log in.
#[derive(Deserialize)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// The account as answered: never with the password's hash.
#[derive(Serialize)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub role: Role,
}

/// The answer of register and log in.
#[derive(Serialize)]
pub struct Session {
    pub token: String,
    pub user: Account,
}

/// `POST /api/users`: 201, a token and the account.
#[utoipa::path(
    post,
    path = "/users",
    tag = "accounts",
    request_body(content_type = "application/json", description = "`{\"email\", \"password\"}` (8 characters or more)"),
    responses(
        (status = 201, description = "`{\"token\", \"user\": {\"id\", \"email\", \"role\"}}`"),
        (status = 409, description = "the email is taken"),
        (status = 422, description = "not an email, or a short password")
    )
)]
pub async fn register(
    State(state): State<AppState>,
    Json(body): Json<Credentials>,
) -> Result<(StatusCode, Json<Session>), AppError> {
    let email = body.email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 254 {
        return Err(AppError::unprocessable("email: send an e-mail address"));
    }
    if body.password.chars().count() < 8 {
        return Err(AppError::unprocessable(
            "password: send at least 8 characters",
        ));
    }
    let role = if state.config.admin_email.as_deref() == Some(email.as_str()) {
        Role::Admin
    } else {
        Role::Customer
    };
    let hash = hash_password(body.password).await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, role) VALUES ($1, $2, $3)
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(&email)
    .bind(hash)
    .bind(role.as_str())
    .fetch_optional(&state.pool)
    .await?;
    let id = id.ok_or_else(|| AppError::conflict("email has already been taken: log in"))?;
    let token = state.tokens.issue(id)?;
    Ok((
        StatusCode::CREATED,
        Json(Session {
            token,
            user: Account { id, email, role },
        }),
    ))
}

/// `POST /api/users/login`: a token and the account.
#[utoipa::path(
    post,
    path = "/users/login",
    tag = "accounts",
    request_body(content_type = "application/json", description = "`{\"email\", \"password\"}`"),
    responses(
        (status = 200, description = "`{\"token\", \"user\": {\"id\", \"email\", \"role\"}}`"),
        (status = 401, description = "a wrong email or password")
    )
)]
pub async fn login(
    State(state): State<AppState>,
    Json(body): Json<Credentials>,
) -> Result<Json<Session>, AppError> {
    let email = body.email.trim().to_lowercase();
    let row: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, password_hash, role FROM users WHERE email = $1")
            .bind(&email)
            .fetch_optional(&state.pool)
            .await?;
    let hash = row.as_ref().map(|(_, hash, _)| hash.clone());
    let matches = verify_password(body.password, hash).await?;
    let Some((id, _, role)) = row.filter(|_| matches) else {
        return Err(AppError::Unauthorized(
            "wrong email or password: check both".into(),
        ));
    };
    let role = if role == "admin" {
        Role::Admin
    } else {
        Role::Customer
    };
    Ok(Json(Session {
        token: state.tokens.issue(id)?,
        user: Account { id, email, role },
    }))
}

/// An argon2id hash of `password`, computed off the async threads: it takes tens of
/// milliseconds of CPU on purpose.
async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(format!("the hashing task failed: {e}")))?
}

/// A hash of nothing anybody knows, verified against when the email is unknown, so that a
/// login for an unknown email costs as much as a login with a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    Argon2::default()
        .hash_password(b"no user has this password")
        .expect("hashing a constant cannot fail")
        .to_string()
});

async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = PasswordHash::new(&hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        known && matches
    })
    .await
    .map_err(|e| AppError::Internal(format!("the verifying task failed: {e}")))
}
