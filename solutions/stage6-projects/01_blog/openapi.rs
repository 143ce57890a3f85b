//! Milestone 8: the API described by itself. The OpenAPI document is derived from the
//! handlers' `#[utoipa::path]` attributes, so it cannot drift from the code the way a
//! hand-written YAML file does: `GET /api/openapi.json` serves it and Swagger UI at
//! `/api/docs/` shows it (its files are compiled in, from `utoipa-swagger-ui`'s `vendored`
//! feature: nothing is downloaded, at build time or at run time).

use axum::Router;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use super::AppState;
use super::{articles, comments, favorites, images, listing, profiles, tags, users};

/// The document: every operation of the API, relative to the server `/api` like the
/// RealWorld spec's paths.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Conduit API",
        description = "The RealWorld (Conduit) API, in Rust with axum and PostgreSQL"
    ),
    servers((url = "/api")),
    paths(
        users::register,
        users::login,
        users::current,
        users::update,
        profiles::get,
        profiles::follow,
        profiles::unfollow,
        listing::feed,
        listing::articles,
        articles::create,
        articles::get,
        articles::update,
        articles::delete,
        comments::list,
        comments::add,
        comments::delete,
        favorites::favorite,
        favorites::unfavorite,
        tags::list,
        images::upload,
    ),
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

/// The document `GET /api/openapi.json` serves.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// `GET /api/openapi.json` and Swagger UI at `/api/docs/` (`/api/docs` redirects there).
pub fn routes() -> Router<AppState> {
    SwaggerUi::new("/api/docs")
        .url("/api/openapi.json", document())
        .into()
}
