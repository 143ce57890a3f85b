//! Milestone 4 (with `payments.rs`): orders and their states.
//!
//! ```text
//! pending_payment ──payment.succeeded──▶ paid ──ship──▶ shipped ──deliver──▶ delivered
//!        │
//!        └──cancel (its customer; the stock comes back)──▶ cancelled
//! ```
//!
//! Every move is one guarded `UPDATE ... WHERE status = <from>`: two moves at once (a cancel
//! and a payment) cannot both win, and any move the diagram lacks is a 409.

use axum::extract::State;
use serde::Serialize;
use sqlx::PgConnection;

use super::AppState;
use super::auth::{AuthUser, Role};
use super::cart::Line;
use super::error::AppError;
use super::extract::{Json, Path};

pub const PENDING_PAYMENT: &str = "pending_payment";
pub const PAID: &str = "paid";
pub const SHIPPED: &str = "shipped";
pub const DELIVERED: &str = "delivered";
pub const CANCELLED: &str = "cancelled";

/// An order as answered.
#[derive(Serialize)]
pub struct Order {
    pub id: i64,
    pub status: String,
    pub address: String,
    pub lines: Vec<Line>,
    pub total_cents: i64,
}

/// A list of orders as answered.
#[derive(Serialize)]
pub struct Orders {
    pub orders: Vec<Order>,
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: i64,
    status: String,
    address: String,
    total_cents: i64,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    order_id: i64,
    #[sqlx(flatten)]
    line: Line,
}

/// The orders `owner` may see (`None`: all), newest first, or only `id` among them.
async fn load(
    conn: &mut PgConnection,
    owner: Option<i64>,
    id: Option<i64>,
) -> Result<Vec<Order>, AppError> {
    let rows = sqlx::query_as::<_, OrderRow>(
        "SELECT id, status, address, total_cents FROM orders
         WHERE ($1::bigint IS NULL OR user_id = $1) AND ($2::bigint IS NULL OR id = $2)
         ORDER BY id DESC",
    )
    .bind(owner)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let lines = sqlx::query_as::<_, LineRow>(
        "SELECT order_id, product_id, name, unit_price_cents, quantity,
                unit_price_cents * quantity AS line_total_cents
         FROM order_lines WHERE order_id = ANY($1) ORDER BY order_id, product_id",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Order {
            id: row.id,
            lines: lines
                .iter()
                .filter(|line| line.order_id == row.id)
                .map(|line| line.line.clone())
                .collect(),
            status: row.status,
            address: row.address,
            total_cents: row.total_cents,
        })
        .collect())
}

/// Whose orders `me` may see: their own, or all for an admin.
fn visible_to(me: &AuthUser) -> Option<i64> {
    match me.role {
        Role::Admin => None,
        Role::Customer => Some(me.id),
    }
}

/// Order `id`, as `owner` may see it (404 otherwise: another customer's order is as
/// unknown as one that does not exist).
async fn one(conn: &mut PgConnection, owner: Option<i64>, id: i64) -> Result<Order, AppError> {
    load(conn, owner, Some(id))
        .await?
        .pop()
        .ok_or_else(|| AppError::not_found(format!("no order {id} of yours")))
}

/// Moves order `id` (among `owner`'s: `None` for any) from `from` to `to`, in `conn`'s
/// transaction: 404 for an order that is not there, 409 for one in another status.
pub async fn advance(
    conn: &mut PgConnection,
    owner: Option<i64>,
    id: i64,
    from: &str,
    to: &str,
) -> Result<(), AppError> {
    let moved = sqlx::query(
        "UPDATE orders SET status = $4
         WHERE id = $1 AND ($2::bigint IS NULL OR user_id = $2) AND status = $3",
    )
    .bind(id)
    .bind(owner)
    .bind(from)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    if moved.rows_affected() == 1 {
        return Ok(());
    }
    let status: Option<String> = sqlx::query_scalar(
        "SELECT status FROM orders WHERE id = $1 AND ($2::bigint IS NULL OR user_id = $2)",
    )
    .bind(id)
    .bind(owner)
    .fetch_optional(&mut *conn)
    .await?;
    match status {
        None => Err(AppError::not_found(format!("no order {id} of yours"))),
        Some(status) => Err(AppError::conflict(format!(
            "order {id} is {status}: only a {from} order can become {to}"
        ))),
    }
}

/// `GET /api/orders`: the caller's orders (an admin's: everybody's), newest first.
#[utoipa::path(
    get,
    path = "/orders",
    tag = "orders",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "`{\"orders\": [...]}`, newest first"),
        (status = 401, description = "no valid token"),
    )
)]
pub async fn list(State(state): State<AppState>, me: AuthUser) -> Result<Json<Orders>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let orders = load(&mut conn, visible_to(&me), None).await?;
    Ok(Json(Orders { orders }))
}

/// `GET /api/orders/{id}`: one of the caller's orders (an admin: any).
#[utoipa::path(
    get,
    path = "/orders/{id}",
    tag = "orders",
    params(("id" = i64, Path, description = "the order's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "the order"),
        (status = 401, description = "no valid token"),
        (status = 404, description = "no such order of yours")
    )
)]
pub async fn get(
    State(state): State<AppState>,
    me: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Order>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(one(&mut conn, visible_to(&me), id).await?))
}

/// `POST /api/orders/{id}/cancel`: the customer's own order, while it waits for payment; its
/// stock comes back, in the same transaction.
#[utoipa::path(
    post,
    path = "/orders/{id}/cancel",
    tag = "orders",
    params(("id" = i64, Path, description = "the order's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "the order, cancelled"),
        (status = 401, description = "no valid token"),
        (status = 404, description = "no such order of yours"),
        (status = 409, description = "not pending payment")
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    me: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Order>, AppError> {
    let mut tx = state.pool.begin().await?;
    advance(&mut tx, Some(me.id), id, PENDING_PAYMENT, CANCELLED).await?;
    sqlx::query(
        "UPDATE products p SET stock = p.stock + l.quantity
         FROM order_lines l WHERE l.order_id = $1 AND p.id = l.product_id",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let order = one(&mut tx, Some(me.id), id).await?;
    tx.commit().await?;
    Ok(Json(order))
}

/// `POST /api/orders/{id}/ship`: admins, a paid order.
#[utoipa::path(
    post,
    path = "/orders/{id}/ship",
    tag = "orders",
    params(("id" = i64, Path, description = "the order's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "the order, shipped"),
        (status = 401, description = "no valid token"),
        (status = 403, description = "not an admin"),
        (status = 404, description = "no such order"),
        (status = 409, description = "not paid")
    )
)]
pub async fn ship(
    State(state): State<AppState>,
    me: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Order>, AppError> {
    me.require_admin()?;
    let mut conn = state.pool.acquire().await?;
    advance(&mut conn, None, id, PAID, SHIPPED).await?;
    Ok(Json(one(&mut conn, None, id).await?))
}

/// `POST /api/orders/{id}/deliver`: admins, a shipped order.
#[utoipa::path(
    post,
    path = "/orders/{id}/deliver",
    tag = "orders",
    params(("id" = i64, Path, description = "the order's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "the order, delivered"),
        (status = 401, description = "no valid token"),
        (status = 403, description = "not an admin"),
        (status = 404, description = "no such order"),
        (status = 409, description = "not shipped")
    )
)]
pub async fn deliver(
    State(state): State<AppState>,
    me: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Order>, AppError> {
    me.require_admin()?;
    let mut conn = state.pool.acquire().await?;
    advance(&mut conn, None, id, SHIPPED, DELIVERED).await?;
    Ok(Json(one(&mut conn, None, id).await?))
}
