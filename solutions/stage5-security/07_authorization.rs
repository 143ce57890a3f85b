//! # Authorization: who may do what, to which document
//!
//! Authentication says *who* asks (no valid token: **401**). Authorization says whether this
//! user may do this to this object, and it breaks in three ways that OWASP's API Security Top
//! 10 ranks first, third and fifth:
//!
//! - **Broken object level authorization (BOLA, or IDOR)**: `GET /documents/7` checks that the
//!   caller is logged in, never that document 7 is theirs. Ids are sequential, so an attacker
//!   counts 1, 2, 3… Random ids only slow the guessing (ids leak through links, logs and
//!   screenshots): check on *every* access.
//! - **Mass assignment**: a `PATCH` body says `"owner_id": 1` and the handler copies it into
//!   the row. The server decides who owns a document; a body holds only the fields a client
//!   may set, and one that tries more is refused (`#[serde(deny_unknown_fields)]`: a 422).
//! - **Broken function level authorization**: `GET /admin/users` checks the admin role, its
//!   sibling `PUT /admin/users/{id}/role` forgets to, and an editor makes themselves admin.
//!
//! **Roles (RBAC).** One pure function, [`allows`], says what each role may do: a viewer
//! reads; an editor reads, creates, edits and deletes; an admin does all that and manages
//! users. Deny by default: a role is parsed *exactly* ([`Role::parse`]), and text this service
//! does not know (`"admin_requested"`, `"Admin"`) grants nothing at all. **Ownership.** A
//! document belongs to its owner and to the owner's team: the team may read it, only the
//! owner change or delete it, and an admin may do anything to any document.
//!
//! **403 or 404? This API's policy**, checked in this order:
//!
//! 1. No valid token: **401** (given: the [`User`] extractor).
//! 2. The role may not do this at all (a viewer editing): **403**, the same for every id.
//! 3. The document does not exist *or the caller may not see it*: **404**, the very same
//!    answer for both. A 403 would tell an attacker which ids exist (an *existence oracle*);
//!    RFC 9110 §15.5.4 allows the 404, and GitHub answers so for private repositories.
//! 4. The caller may see the document but not change it (a teammate's): **403**; its
//!    existence is no secret to them.
//!
//! **Scope the query.** Step 3's rule is in the SQL, `WHERE id = $1 AND ($2 OR team = $3)`
//! (`$2`: the caller is an admin), so a row the caller may not see never reaches your code. A
//! list filters the same way, its `total` too, before `LIMIT`/`OFFSET`: filtered in Rust after
//! the `LIMIT`, pages come out short; counted without the filter, the total tells everyone how
//! many documents the others have. In production a policy engine (Oso, Cedar, OpenFGA) keeps
//! the rules in one place, and PostgreSQL's row-level security can enforce step 3 itself.
//!
//! The tests create the tables `users (id, name, team, role, token_sha256)` (`role` is any
//! text: the identity service writes it; a token is stored only as its SHA-256) and
//! `documents (id, owner_id, team, title, body)`, ids `bigserial`: 1, 2, 3…
//!
//! Your task: [`Role::parse`], [`allows`], [`User::require`] and the handlers of [`app`].
//!
//! - OWASP API Security Top 10 (2023): [API1](https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/),
//!   [API3](https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/),
//!   [API5](https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/);
//!   <https://cheatsheetseries.owasp.org/cheatsheets/Authorization_Cheat_Sheet.html>
//! - RFC 9110 on 403: <https://www.rfc-editor.org/rfc/rfc9110#name-403-forbidden>
//! - [`FromRequestParts`](https://docs.rs/axum/0.8.9/axum/extract/trait.FromRequestParts.html),
//!   [`sqlx::query_as`](https://docs.rs/sqlx/0.9.0/sqlx/fn.query_as.html),
//!   [`deny_unknown_fields`](https://serde.rs/container-attrs.html#deny_unknown_fields)
//!
//! Run `cargo xtask check 07_authorization` to check your work; `cargo xtask hint
//! 07_authorization` gives a hint.

use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

/// A role this service knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Viewer,
    Editor,
    Admin,
}

impl Role {
    /// The role named exactly `name`: `"viewer"`, `"editor"` or `"admin"`. Any other text
    /// (`"Admin"`, `"admin "`, `"admin_requested"`, `""`) is no role at all: `None`.
    pub fn parse(name: &str) -> Option<Role> {
        match name {
            "viewer" => Some(Role::Viewer),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// Something a caller may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Create,
    Edit,
    Delete,
    ManageUsers,
}

/// The role table: a viewer may `Read`; an editor `Read`, `Create`, `Edit` and `Delete`; an
/// admin all of those and `ManageUsers`.
pub fn allows(role: Role, action: Action) -> bool {
    match role {
        Role::Viewer => action == Action::Read,
        Role::Editor => action != Action::ManageUsers,
        Role::Admin => true,
    }
}

/// The caller, found by their bearer token; `role` is the text stored for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub team: String,
    pub role: String,
}

impl User {
    /// Step 2 of the policy: the caller's role, if it is one and [`allows`] `action`;
    /// [`ApiError::Forbidden`] otherwise.
    pub fn require(&self, action: Action) -> Result<Role, ApiError> {
        match Role::parse(&self.role) {
            Some(role) if allows(role, action) => Ok(role),
            _ => Err(ApiError::Forbidden),
        }
    }
}

/// Authentication, given: `Authorization: Bearer <token>` names the user whose
/// `token_sha256` is the token's SHA-256 in lowercase hex; anything else is a 401.
impl FromRequestParts<PgPool> for User {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, pool: &PgPool) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or(ApiError::Unauthorized)?;
        let digest = format!("{:x}", Sha256::digest(token.as_bytes()));
        sqlx::query_as("SELECT id, name, team, role FROM users WHERE token_sha256 = $1")
            .bind(digest)
            .fetch_optional(pool)
            .await?
            .ok_or(ApiError::Unauthorized)
    }
}

/// A document, as stored and as answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Document {
    pub id: i64,
    pub owner_id: i64,
    pub team: String,
    pub title: String,
    pub body: String,
}

/// The body of `POST /documents`: what a client may set, and nothing more.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDocument {
    pub title: String,
    pub body: String,
}

/// The body of `PATCH /documents/{id}`: the fields to change; an absent one stays.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentPatch {
    pub title: Option<String>,
    pub body: Option<String>,
}

/// The query of `GET /documents`: `limit` (default 20, at most 100), `offset` (default 0).
#[derive(Debug, Deserialize)]
pub struct Page {
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

/// A page of `GET /documents`, and how many documents the caller may see in all.
#[derive(Debug, Serialize)]
pub struct DocumentPage {
    pub documents: Vec<Document>,
    pub total: i64,
}

/// The body of `PUT /admin/users/{id}/role`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    pub role: String,
}

/// Every way a request fails, answered as `{"error": "<its text>"}`: 401 (with
/// `WWW-Authenticate: Bearer realm="documents"`), 403, 404 (the same whether the document is
/// missing or hidden), 422, and 500 for a database error, logged and never shown.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Invalid(String),
    #[error("internal error")]
    Database(#[from] sqlx::Error),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Database(error) => {
                tracing::error!(%error, "database error");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let body = Json(json!({ "error": self.to_string() }));
        match self {
            ApiError::Unauthorized => {
                let challenge = [(WWW_AUTHENTICATE, "Bearer realm=\"documents\"")];
                (status, challenge, body).into_response()
            }
            _ => (status, body).into_response(),
        }
    }
}

/// Given: a title of 1 to 200 characters, and no NUL character in the title or the body
/// (PostgreSQL's `text` cannot store one: the query would fail, a 500).
pub fn check_text(title: &str, body: &str) -> Result<(), ApiError> {
    let problem = if title.is_empty() || title.chars().count() > 200 {
        "title must be 1 to 200 characters"
    } else if title.contains('\0') || body.contains('\0') {
        "text must not contain NUL characters"
    } else {
        return Ok(());
    };
    Err(ApiError::Invalid(problem.into()))
}

/// The API, given. Each handler takes the [`User`] first: no valid token, a 401 before all.
pub fn app(pool: PgPool) -> Router {
    Router::new()
        .route("/documents", get(list_documents).post(create_document))
        .route(
            "/documents/{id}",
            get(get_document)
                .patch(update_document)
                .delete(delete_document),
        )
        .route("/admin/users", get(list_users))
        .route("/admin/users/{id}/role", put(set_role))
        .with_state(pool)
}

/// Step 3: the document `id` if `user` may see it (their team's, or any for an admin), with
/// the rule in the query; [`ApiError::NotFound`] otherwise, whether it exists or not.
async fn visible(pool: &PgPool, user: &User, role: Role, id: i64) -> Result<Document, ApiError> {
    sqlx::query_as(
        "SELECT id, owner_id, team, title, body FROM documents \
         WHERE id = $1 AND ($2 OR team = $3)",
    )
    .bind(id)
    .bind(role == Role::Admin)
    .bind(&user.team)
    .fetch_optional(pool)
    .await?
    .ok_or(ApiError::NotFound)
}

/// Step 4: only the owner, or an admin, changes or deletes a document.
fn may_change(user: &User, role: Role, document: &Document) -> bool {
    role == Role::Admin || document.owner_id == user.id
}

/// `GET /documents?limit=&offset=`: the documents the caller may see, by id, and their total.
pub async fn list_documents(
    user: User,
    State(pool): State<PgPool>,
    Query(page): Query<Page>,
) -> Result<Json<DocumentPage>, ApiError> {
    let role = user.require(Action::Read)?;
    let everything = role == Role::Admin;
    let limit = i64::from(page.limit.unwrap_or(20).min(100));
    let offset = i64::from(page.offset.unwrap_or(0));
    let documents = sqlx::query_as(
        "SELECT id, owner_id, team, title, body FROM documents \
         WHERE ($1 OR team = $2) ORDER BY id LIMIT $3 OFFSET $4",
    )
    .bind(everything)
    .bind(&user.team)
    .bind(limit)
    .bind(offset)
    .fetch_all(&pool)
    .await?;
    let total = sqlx::query_scalar("SELECT count(*) FROM documents WHERE ($1 OR team = $2)")
        .bind(everything)
        .bind(&user.team)
        .fetch_one(&pool)
        .await?;
    Ok(Json(DocumentPage { documents, total }))
}

/// `GET /documents/{id}`: 200 and the document, or 403 or 404 by the policy.
pub async fn get_document(
    user: User,
    State(pool): State<PgPool>,
    Path(id): Path<i64>,
) -> Result<Json<Document>, ApiError> {
    let role = user.require(Action::Read)?;
    Ok(Json(visible(&pool, &user, role, id).await?))
}

/// `POST /documents`: 201 and the new document, the caller's, in the caller's team.
pub async fn create_document(
    user: User,
    State(pool): State<PgPool>,
    Json(new): Json<NewDocument>,
) -> Result<(StatusCode, Json<Document>), ApiError> {
    user.require(Action::Create)?;
    check_text(&new.title, &new.body)?;
    let document = sqlx::query_as(
        "INSERT INTO documents (owner_id, team, title, body) VALUES ($1, $2, $3, $4) \
         RETURNING id, owner_id, team, title, body",
    )
    .bind(user.id)
    .bind(&user.team)
    .bind(&new.title)
    .bind(&new.body)
    .fetch_one(&pool)
    .await?;
    Ok((StatusCode::CREATED, Json(document)))
}

/// `PATCH /documents/{id}`: 200 and the changed document, or 403 or 404 by the policy.
pub async fn update_document(
    user: User,
    State(pool): State<PgPool>,
    Path(id): Path<i64>,
    Json(patch): Json<DocumentPatch>,
) -> Result<Json<Document>, ApiError> {
    let role = user.require(Action::Edit)?;
    let document = visible(&pool, &user, role, id).await?;
    if !may_change(&user, role, &document) {
        return Err(ApiError::Forbidden);
    }
    let title = patch.title.unwrap_or(document.title);
    let body = patch.body.unwrap_or(document.body);
    check_text(&title, &body)?;
    let updated = sqlx::query_as(
        "UPDATE documents SET title = $2, body = $3 WHERE id = $1 \
         RETURNING id, owner_id, team, title, body",
    )
    .bind(id)
    .bind(&title)
    .bind(&body)
    .fetch_optional(&pool)
    .await?
    .ok_or(ApiError::NotFound)?;
    Ok(Json(updated))
}

/// `DELETE /documents/{id}`: 204, or 403 or 404 by the policy.
pub async fn delete_document(
    user: User,
    State(pool): State<PgPool>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let role = user.require(Action::Delete)?;
    let document = visible(&pool, &user, role, id).await?;
    if !may_change(&user, role, &document) {
        return Err(ApiError::Forbidden);
    }
    sqlx::query("DELETE FROM documents WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /admin/users`: every user, by id (never a token); admins only.
pub async fn list_users(
    user: User,
    State(pool): State<PgPool>,
) -> Result<Json<Vec<User>>, ApiError> {
    user.require(Action::ManageUsers)?;
    let users = sqlx::query_as("SELECT id, name, team, role FROM users ORDER BY id")
        .fetch_all(&pool)
        .await?;
    Ok(Json(users))
}

/// `PUT /admin/users/{id}/role`, `{"role": "editor"}`: 200 and the changed user; admins only;
/// a role that is not exactly one of [`Role`]'s is a 422, an unknown user a 404.
pub async fn set_role(
    user: User,
    State(pool): State<PgPool>,
    Path(id): Path<i64>,
    Json(change): Json<RoleChange>,
) -> Result<Json<User>, ApiError> {
    user.require(Action::ManageUsers)?;
    if Role::parse(&change.role).is_none() {
        return Err(ApiError::Invalid(format!(
            "unknown role {:?}: one of viewer, editor, admin",
            change.role
        )));
    }
    let changed =
        sqlx::query_as("UPDATE users SET role = $2 WHERE id = $1 RETURNING id, name, team, role")
            .bind(id)
            .bind(&change.role)
            .fetch_optional(&pool)
            .await?
            .ok_or(ApiError::NotFound)?;
    Ok(Json(changed))
}
