//! Milestone 1: the catalog. Admins create and update products; anybody lists and searches
//! them with PostgreSQL's full-text search.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::AuthUser;
use super::error::AppError;
use super::extract::{Json, Path, Query};

/// A product as answered.
#[derive(Serialize, sqlx::FromRow)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub price_cents: i64,
    pub stock: i32,
    pub category: String,
}

/// The body of create and update: every field.
#[derive(Deserialize)]
pub struct ProductInput {
    pub name: String,
    pub description: String,
    pub price_cents: i64,
    pub stock: i32,
    pub category: String,
}

impl ProductInput {
    fn validate(&self) -> Result<(), AppError> {
        let text = |field: &str, value: &str, max: usize| {
            if value.trim().is_empty() || value.chars().count() > max {
                Err(AppError::unprocessable(format!(
                    "{field}: send 1 to {max} characters"
                )))
            } else {
                Ok(())
            }
        };
        text("name", &self.name, 200)?;
        text("category", &self.category, 100)?;
        if self.description.chars().count() > 10_000 {
            return Err(AppError::unprocessable(
                "description: send at most 10000 characters",
            ));
        }
        if self.price_cents < 0 {
            return Err(AppError::unprocessable(
                "price_cents: send a price of 0 or more cents",
            ));
        }
        if self.stock < 0 {
            return Err(AppError::unprocessable("stock: send 0 or more"));
        }
        Ok(())
    }
}

/// The columns of a [`Product`], in SQL written once (`concat!` keeps each query a
/// `&'static str`, which sqlx asks for so that no string built at run time becomes SQL).
macro_rules! columns {
    () => {
        "id, name, description, price_cents, stock, category"
    };
}

/// `POST /api/products`: admins only; 201 and the product.
#[utoipa::path(
    post,
    path = "/products",
    tag = "catalog",
    security(("bearer" = [])),
    request_body(content_type = "application/json", description = "`{\"name\", \"description\", \"price_cents\", \"stock\", \"category\"}`"),
    responses(
        (status = 201, description = "the product, with its `id`"),
        (status = 401, description = "no valid token"),
        (status = 403, description = "not an admin"),
        (status = 422, description = "a blank name or category, a negative price or stock")
    )
)]
pub async fn create(
    State(state): State<AppState>,
    me: AuthUser,
    Json(input): Json<ProductInput>,
) -> Result<(StatusCode, Json<Product>), AppError> {
    me.require_admin()?;
    input.validate()?;
    let product = sqlx::query_as::<_, Product>(concat!(
        "INSERT INTO products (name, description, price_cents, stock, category)
         VALUES ($1, $2, $3, $4, $5) RETURNING ",
        columns!()
    ))
    .bind(input.name.trim())
    .bind(&input.description)
    .bind(input.price_cents)
    .bind(input.stock)
    .bind(input.category.trim())
    .fetch_one(&state.pool)
    .await?;
    Ok((StatusCode::CREATED, Json(product)))
}

/// `PUT /api/products/{id}`: admins only; every field replaced.
#[utoipa::path(
    put,
    path = "/products/{id}",
    tag = "catalog",
    params(("id" = i64, Path, description = "the product's id")),
    security(("bearer" = [])),
    request_body(content_type = "application/json", description = "every field, as for create"),
    responses(
        (status = 200, description = "the product"),
        (status = 401, description = "no valid token"),
        (status = 403, description = "not an admin"),
        (status = 404, description = "no such product"),
        (status = 422, description = "a field refused")
    )
)]
pub async fn update(
    State(state): State<AppState>,
    me: AuthUser,
    Path(id): Path<i64>,
    Json(input): Json<ProductInput>,
) -> Result<Json<Product>, AppError> {
    me.require_admin()?;
    input.validate()?;
    let product = sqlx::query_as::<_, Product>(concat!(
        "UPDATE products SET name = $2, description = $3, price_cents = $4, stock = $5,
         category = $6 WHERE id = $1 RETURNING ",
        columns!()
    ))
    .bind(id)
    .bind(input.name.trim())
    .bind(&input.description)
    .bind(input.price_cents)
    .bind(input.stock)
    .bind(input.category.trim())
    .fetch_optional(&state.pool)
    .await?;
    product.map(Json).ok_or_else(no_such_product)
}

/// `GET /api/products/{id}`: anybody.
#[utoipa::path(
    get,
    path = "/products/{id}",
    tag = "catalog",
    params(("id" = i64, Path, description = "the product's id")),
    responses(
        (status = 200, description = "the product"),
        (status = 404, description = "no such product")
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Product>, AppError> {
    sqlx::query_as::<_, Product>(concat!(
        "SELECT ",
        columns!(),
        " FROM products WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&state.pool)
    .await?
    .map(Json)
    .ok_or_else(no_such_product)
}

pub fn no_such_product() -> AppError {
    AppError::not_found("no such product: list them with GET /api/products")
}

/// The query string of the list.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filters {
    /// Words to search for, as typed in a search box (`"a phrase"`, `-not`, `or`).
    pub q: Option<String>,
    /// Only this category.
    pub category: Option<String>,
    /// The lowest price, in cents, included.
    pub min_price: Option<i64>,
    /// The highest price, in cents, included.
    pub max_price: Option<i64>,
    /// How many on a page: 1 to 100, 20 by default.
    pub limit: Option<i64>,
    /// How many matches to skip: 0 by default.
    pub offset: Option<i64>,
}

/// One page of the list, and how many match in all.
#[derive(Serialize)]
pub struct ProductPage {
    pub products: Vec<Product>,
    pub total: i64,
}

/// The conditions of the list, shared by the page and the count. An empty `q` or category
/// is no filter; `$1` goes through `websearch_to_tsquery`, which understands what people
/// type in a search box (`"exact phrase"`, `-excluded`, `or`) and never fails on it.
macro_rules! filters {
    () => {
        " WHERE ($1::text IS NULL OR search @@ websearch_to_tsquery('english', $1))
      AND ($2::text IS NULL OR category = $2)
      AND ($3::bigint IS NULL OR price_cents >= $3)
      AND ($4::bigint IS NULL OR price_cents <= $4) "
    };
}

/// `GET /api/products?q=&category=&min_price=&max_price=&limit=&offset=`: anybody. With
/// `q`, the best matches first (a match in the name weighs more than one in the
/// description); without, by id. Then by id, so that pages never overlap.
#[utoipa::path(
    get,
    path = "/products",
    tag = "catalog",
    params(Filters),
    responses(
        (status = 200, description = "`{\"products\": [...], \"total\"}`: a page, and how many match in all"),
        (status = 422, description = "a bad limit, offset or price")
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Query(filters): Query<Filters>,
) -> Result<Json<ProductPage>, AppError> {
    let limit = filters.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(AppError::unprocessable("limit: send 1 to 100"));
    }
    let offset = filters.offset.unwrap_or(0);
    if offset < 0 {
        return Err(AppError::unprocessable("offset: send 0 or more"));
    }
    let q = filters.q.filter(|q| !q.trim().is_empty());
    let category = filters.category.filter(|c| !c.trim().is_empty());
    let products = sqlx::query_as::<_, Product>(concat!(
        "SELECT ",
        columns!(),
        " FROM products",
        filters!(),
        "ORDER BY CASE WHEN $1::text IS NULL THEN 0
                       ELSE ts_rank(search, websearch_to_tsquery('english', $1)) END DESC, id
         LIMIT $5 OFFSET $6"
    ))
    .bind(&q)
    .bind(&category)
    .bind(filters.min_price)
    .bind(filters.max_price)
    .bind(limit)
    .bind(offset)
    .fetch_all(&state.pool)
    .await?;
    let total: i64 = sqlx::query_scalar(concat!("SELECT count(*) FROM products", filters!()))
        .bind(&q)
        .bind(&category)
        .bind(filters.min_price)
        .bind(filters.max_price)
        .fetch_one(&state.pool)
        .await?;
    Ok(Json(ProductPage { products, total }))
}
