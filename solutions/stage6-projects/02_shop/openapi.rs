//! Milestone 5: the API described by itself. The OpenAPI document is derived from the
//! handlers' `#[utoipa::path]` attributes, so it cannot drift from the code the way a
//! hand-written YAML file does; `GET /api/openapi.json` serves it.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{auth, cart, catalog, checkout, images, orders, payments};

/// The document: every operation of the API, relative to the server `/api`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Shop API",
        description = "An e-commerce API in Rust with axum and PostgreSQL: a catalog with full-text search, carts, an idempotent checkout, signed payment webhooks"
    ),
    servers((url = "/api")),
    paths(
        auth::register,
        auth::login,
        catalog::list,
        catalog::create,
        catalog::get,
        catalog::update,
        images::upload,
        images::get,
        cart::get,
        cart::put_item,
        cart::remove_item,
        checkout::checkout,
        orders::list,
        orders::get,
        orders::cancel,
        orders::ship,
        orders::deliver,
        payments::webhook,
    ),
    modifiers(&BearerScheme),
    tags(
        (name = "accounts", description = "register and log in"),
        (name = "catalog", description = "products, search, images"),
        (name = "cart", description = "the caller's cart"),
        (name = "orders", description = "checkout and the order's states"),
        (name = "payments", description = "the payment provider's webhook"),
    )
)]
struct ApiDoc;

/// The `bearer` security scheme the operations name: `Authorization: Bearer <jwt>`.
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// `GET /api/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
