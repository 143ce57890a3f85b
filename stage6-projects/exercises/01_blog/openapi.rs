//! Milestone 8: the API described by itself. An OpenAPI document says what a front-end
//! developer (or a client generator) needs: each operation, its parameters, who may call it,
//! what it answers. Written by hand, such a file drifts from the code within weeks; derived
//! from the code with utoipa (<https://docs.rs/utoipa/5/utoipa/>), it cannot.
//!
//! 1. Annotate each of the 19 handlers with `#[utoipa::path(...)]`
//!    (<https://docs.rs/utoipa/5/utoipa/attr.path.html>), paths relative to `/api` like the
//!    RealWorld spec's and with its parameter names:
//!
//!    ```text
//!    #[utoipa::path(
//!        delete,
//!        path = "/articles/{slug}/comments/{id}",
//!        tag = "comments",
//!        params(("slug" = String, Path), ("id" = i64, Path)),
//!        security(("token" = [])),
//!        responses((status = 200, description = "deleted"), (status = 403, description = "not the comment's author"))
//!    )]
//!    ```
//!
//!    (`security((), ("token" = []))` where a token is optional.)
//! 2. List them all in `paths(...)` below: a handler that is routed but not listed is a
//!    route nobody knows about.
//! 3. Serve it: `utoipa_swagger_ui::SwaggerUi::new("/api/docs").url("/api/openapi.json",
//!    document())` is a `Router` of both (<https://docs.rs/utoipa-swagger-ui/9/>). Its
//!    `vendored` feature compiles Swagger UI's files in: nothing is downloaded.

use axum::Router;
use axum::routing::get;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::AppState;
use super::error::AppError;

/// The document: every operation of the API, relative to the server `/api` like the
/// RealWorld spec's paths.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Conduit API",
        description = "The RealWorld (Conduit) API, in Rust with axum and PostgreSQL"
    ),
    servers((url = "/api")),
    // TODO: `paths(users::register, users::login, ...)`, every handler the router has.
    modifiers(&TokenScheme),
    tags(
        (name = "users", description = "register, log in, the current user"),
        (name = "profiles", description = "users as others see them, following"),
        (name = "articles", description = "articles and lists of them"),
        (name = "comments", description = "the comments of an article"),
        (name = "favorites", description = "favoriting articles"),
        (name = "tags", description = "every tag in use"),
    )
)]
struct ApiDoc;

/// The `token` security scheme the operations name: `Authorization: Token <jwt>`. OpenAPI's
/// `http` scheme `bearer` would say `Bearer`, which the spec does not use, so it is an API
/// key in the `Authorization` header, as the RealWorld spec declares it.
struct TokenScheme;

impl Modify for TokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "`Token <jwt>`, the token from register or login",
            ))),
        );
    }
}

/// The document `GET /api/openapi.json` serves (the tests compare the two).
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// `GET /api/openapi.json` and Swagger UI at `/api/docs`.
pub fn routes() -> Router<AppState> {
    // TODO: Swagger UI at `/api/docs` showing `document()`, served at `/api/openapi.json`.
    Router::new()
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/docs", get(docs))
}

async fn openapi_json() -> AppError {
    AppError::not_implemented("GET /api/openapi.json", 8, "beyond the spec")
}

async fn docs() -> AppError {
    AppError::not_implemented("GET /api/docs", 8, "beyond the spec")
}
