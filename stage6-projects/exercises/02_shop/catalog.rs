//! Milestone 1: the catalog. Admins create (`POST /api/products`, 201) and update (`PUT
//! /api/products/{id}`, every field) products; anybody gets one (`GET /api/products/{id}`)
//! or lists them (`GET /api/products?q=&category=&min_price=&max_price=&limit=&offset=`,
//! answering `{"products": [...], "total": n}`).
//!
//! A product is `{"id", "name", "description", "price_cents", "stock", "category"}`: money
//! as an integer number of cents (`i64`), never a float, which cannot hold 0.10 exactly.
//! Refuse with a 422 a blank name or category, a negative price or stock.
//!
//! Roles: the first line of an admin handler is `me.require_admin()?` with `me: AuthUser`
//! among its arguments: no token is a 401 (the extractor), a customer a 403.
//!
//! Search: a migration with the table and a generated `tsvector` column (name weighted `A`,
//! description `B`, the `english` configuration) and a GIN index on it; then one query for
//! the page and one `count(*)` for `total`, with the same `WHERE`: `search @@
//! websearch_to_tsquery('english', $1)` when `q` is given, `($2::text IS NULL OR category =
//! $2)` and the like for the optional filters (bind an `Option<...>`: `None` is `NULL`), and
//! `ORDER BY ts_rank(...) DESC, id` (by `id` alone without `q`). sqlx wants each query a
//! `&'static str` (no `format!`): write it whole, or glue literals with `concat!`.
//!
//! - <https://www.postgresql.org/docs/current/textsearch-controls.html>
//! - <https://www.postgresql.org/docs/current/ddl-generated-columns.html>
//! - <https://docs.rs/sqlx/0.9/sqlx/fn.query_as.html>

use super::error::AppError;

// TODO: the migration `0002_products.sql`, the `Product` type (`Serialize`,
// `sqlx::FromRow`), the body of create and update (`Deserialize`), the list's query string
// (`Option`s), then the four handlers. Take `State(state): State<AppState>`, `me: AuthUser`,
// `Path(id): Path<i64>`, `Query(..)` and `Json(..)` from `extract.rs` (their rejections are
// 422s in the API's JSON), and return `Result<_, AppError>`.

/// `POST /api/products`: admins only; 201 and the product.
pub async fn create() -> AppError {
    AppError::not_implemented("POST /api/products", 1, "catalog")
}

/// `PUT /api/products/{id}`: admins only; every field replaced; the product.
pub async fn update() -> AppError {
    AppError::not_implemented("PUT /api/products/{id}", 1, "catalog")
}

/// `GET /api/products/{id}`: anybody.
pub async fn get() -> AppError {
    AppError::not_implemented("GET /api/products/{id}", 1, "catalog")
}

/// `GET /api/products?q=&category=&min_price=&max_price=&limit=&offset=`: anybody.
pub async fn list() -> AppError {
    AppError::not_implemented("GET /api/products", 1, "catalog")
}
