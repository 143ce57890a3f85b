//! Milestone 2: the cart. Each signed-in user has one, made of (product, quantity) rows, and
//! sees it with today's prices.

use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::AuthUser;
use super::catalog::no_such_product;
use super::error::AppError;
use super::extract::{Json, Path};

/// The most of one product a cart may hold.
pub const MAX_QUANTITY: i32 = 99;

/// A line of the cart (and, with the prices of that day, of an order).
#[derive(Serialize, Deserialize, sqlx::FromRow, Clone, PartialEq, Eq, Debug)]
pub struct Line {
    pub product_id: i64,
    pub name: String,
    pub unit_price_cents: i64,
    pub quantity: i32,
    pub line_total_cents: i64,
}

/// The cart as answered.
#[derive(Serialize)]
pub struct Cart {
    pub items: Vec<Line>,
    pub total_cents: i64,
}

/// The body of `PUT /api/cart/items/{product_id}`.
#[derive(Deserialize)]
pub struct SetQuantity {
    pub quantity: i32,
}

/// `user_id`'s cart, by product id, at today's prices.
pub async fn load<'e>(executor: impl sqlx::PgExecutor<'e>, user_id: i64) -> Result<Cart, AppError> {
    let items = sqlx::query_as::<_, Line>(
        "SELECT p.id AS product_id, p.name, p.price_cents AS unit_price_cents, c.quantity,
                p.price_cents * c.quantity AS line_total_cents
         FROM cart_items c JOIN products p ON p.id = c.product_id
         WHERE c.user_id = $1 ORDER BY p.id",
    )
    .bind(user_id)
    .fetch_all(executor)
    .await?;
    let total_cents = items.iter().map(|line| line.line_total_cents).sum();
    Ok(Cart { items, total_cents })
}

/// `GET /api/cart`.
#[utoipa::path(
    get,
    path = "/cart",
    tag = "cart",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "`{\"items\": [...], \"total_cents\"}`"),
        (status = 401, description = "no valid token")
    )
)]
pub async fn get(State(state): State<AppState>, me: AuthUser) -> Result<Json<Cart>, AppError> {
    Ok(Json(load(&state.pool, me.id).await?))
}

/// `PUT /api/cart/items/{product_id}` `{"quantity": n}`: the cart holds `n` of it (1 to 99).
#[utoipa::path(
    put,
    path = "/cart/items/{product_id}",
    tag = "cart",
    params(("product_id" = i64, Path, description = "the product's id")),
    security(("bearer" = [])),
    request_body(content_type = "application/json", description = "`{\"quantity\"}`, 1 to 99"),
    responses(
        (status = 200, description = "the cart"),
        (status = 401, description = "no valid token"),
        (status = 404, description = "no such product"),
        (status = 422, description = "a quantity outside 1 to 99")
    )
)]
pub async fn put_item(
    State(state): State<AppState>,
    me: AuthUser,
    Path(product_id): Path<i64>,
    Json(body): Json<SetQuantity>,
) -> Result<Json<Cart>, AppError> {
    if !(1..=MAX_QUANTITY).contains(&body.quantity) {
        return Err(AppError::unprocessable(format!(
            "quantity: send 1 to {MAX_QUANTITY} (remove an item with DELETE)"
        )));
    }
    // Inserting from a SELECT inserts nothing for an unknown product: no row is the 404,
    // with no window between a check and the insert.
    let added = sqlx::query(
        "INSERT INTO cart_items (user_id, product_id, quantity)
         SELECT $1, id, $3 FROM products WHERE id = $2
         ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity",
    )
    .bind(me.id)
    .bind(product_id)
    .bind(body.quantity)
    .execute(&state.pool)
    .await?;
    if added.rows_affected() == 0 {
        return Err(no_such_product());
    }
    Ok(Json(load(&state.pool, me.id).await?))
}

/// `DELETE /api/cart/items/{product_id}`: the product leaves the cart (if it was there).
#[utoipa::path(
    delete,
    path = "/cart/items/{product_id}",
    tag = "cart",
    params(("product_id" = i64, Path, description = "the product's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "the cart"),
        (status = 401, description = "no valid token")
    )
)]
pub async fn remove_item(
    State(state): State<AppState>,
    me: AuthUser,
    Path(product_id): Path<i64>,
) -> Result<Json<Cart>, AppError> {
    sqlx::query("DELETE FROM cart_items WHERE user_id = $1 AND product_id = $2")
        .bind(me.id)
        .bind(product_id)
        .execute(&state.pool)
        .await?;
    Ok(Json(load(&state.pool, me.id).await?))
}
