//! The service as it is today: one handler that does everything. Given, working, and not to be
//! edited: it is the behaviour your refactoring must keep (milestone 4 runs the same requests
//! against it and against your `app`, and expects the same answers and the same mails).
//!
//! Read it as you would read legacy code at work: find the rules buried in it (the validation
//! and its messages, the prices, the mail's text, the JSON), and notice what makes it hard to
//! test: the time comes from `Utc::now()` in the middle of the pricing, so happy hour can only
//! be tested between 17:00 and 18:00; the mail goes out through a real HTTP call, so a test
//! needs a mail server; the SQL needs PostgreSQL; and nothing can be replaced from outside.

use std::collections::HashMap;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Timelike, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::{PgPool, Row};

#[derive(Clone)]
struct Legacy {
    pool: PgPool,
    mail_api_url: String,
    http: reqwest::Client,
}

/// The legacy service: `POST /api/orders`, `GET /api/orders/{id}`, `GET /api/orders?email=`,
/// on the tables of `schema::migrate` (run it first), sending its mails to
/// `{mail_api_url}/v1/messages`.
pub fn app(pool: PgPool, mail_api_url: String) -> Router {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(3))
        .build()
        .expect("a reqwest client with a timeout");
    Router::new()
        .route("/api/orders", post(create_order).get(list_orders))
        .route("/api/orders/{id}", get(get_order))
        .with_state(Legacy {
            pool,
            mail_api_url,
            http,
        })
}

fn err(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "error": message }))).into_response()
}

async fn create_order(State(st): State<Legacy>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    struct L {
        sku: String,
        quantity: i64,
        unit_price_cents: i64,
    }
    #[derive(Deserialize)]
    struct B {
        email: String,
        lines: Vec<L>,
        coupon: Option<String>,
    }
    let b: B = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(_) => return err(StatusCode::BAD_REQUEST, "the body is not a valid order"),
    };
    let email = b.email.trim().to_string();
    if email.is_empty() || !email.contains('@') {
        return err(StatusCode::UNPROCESSABLE_ENTITY, "email is not valid");
    }
    if b.lines.is_empty() {
        return err(
            StatusCode::UNPROCESSABLE_ENTITY,
            "an order needs at least one line",
        );
    }
    if b.lines.len() > 100 {
        return err(
            StatusCode::UNPROCESSABLE_ENTITY,
            "an order has at most 100 lines",
        );
    }
    let mut n = 0;
    for l in &b.lines {
        n += 1;
        if l.sku.trim().is_empty() {
            return err(
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("line {n}: sku is empty"),
            );
        } else {
            if l.quantity < 1 || l.quantity > 999 {
                return err(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &format!("line {n}: quantity must be between 1 and 999"),
                );
            } else {
                if l.unit_price_cents < 0 || l.unit_price_cents > 1000000 {
                    return err(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        &format!("line {n}: unit price must be between 0 and 1000000 cents"),
                    );
                }
            }
        }
    }

    // Prices.
    let now = Utc::now();
    let mut subtotal = 0i64;
    let mut qd = 0i64;
    for l in &b.lines {
        let s = l.quantity * l.unit_price_cents;
        subtotal += s;
        if l.quantity >= 10 {
            qd += s * 10;
        } else if l.quantity >= 5 {
            qd += s * 5;
        }
    }
    let qd = (qd + 50) / 100;
    let mut amount = subtotal - qd;
    let mut cd = 0;
    if let Some(c) = &b.coupon {
        if c == "SAVE10" {
            cd = (amount * 10 + 50) / 100;
        } else if c == "FIVEOFF" {
            if amount < 500 {
                cd = amount;
            } else {
                cd = 500;
            }
        } else {
            return err(
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("unknown coupon: {c}"),
            );
        }
    }
    amount -= cd;
    let mut hh = 0;
    if now.hour() == 17 {
        hh = (amount * 10 + 50) / 100;
    }
    amount -= hh;
    let tax = (amount * 20 + 50) / 100;
    let total = amount + tax;
    let discount = qd + cd + hh;

    // Storage.
    let mut tx = match st.pool.begin().await {
        Ok(tx) => tx,
        Err(e) => {
            tracing::error!("legacy: {e}");
            return err(StatusCode::INTERNAL_SERVER_ERROR, "storage failed");
        }
    };
    let row = sqlx::query(
        "INSERT INTO customer_orders (email, coupon, subtotal_cents, discount_cents, tax_cents, \
         total_cents, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, created_at",
    )
    .bind(&email)
    .bind(&b.coupon)
    .bind(subtotal)
    .bind(discount)
    .bind(tax)
    .bind(total)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let (id, created_at): (i64, DateTime<Utc>) = match row {
        Ok(r) => (r.get("id"), r.get("created_at")),
        Err(e) => {
            tracing::error!("legacy: {e}");
            return err(StatusCode::INTERNAL_SERVER_ERROR, "storage failed");
        }
    };
    let mut pos = 0;
    for l in &b.lines {
        pos += 1;
        let r = sqlx::query(
            "INSERT INTO customer_order_lines (order_id, position, sku, quantity, unit_price_cents) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(pos)
        .bind(&l.sku)
        .bind(l.quantity)
        .bind(l.unit_price_cents)
        .execute(&mut *tx)
        .await;
        if let Err(e) = r {
            tracing::error!("legacy: {e}");
            return err(StatusCode::INTERNAL_SERVER_ERROR, "storage failed");
        }
    }
    if let Err(e) = tx.commit().await {
        tracing::error!("legacy: {e}");
        return err(StatusCode::INTERNAL_SERVER_ERROR, "storage failed");
    }

    // The confirmation mail.
    let mut text = format!("Thank you for your order #{id}.\n\n");
    for l in &b.lines {
        text += &format!(
            "{} x {} at {}.{:02} EUR\n",
            l.quantity,
            l.sku,
            l.unit_price_cents / 100,
            l.unit_price_cents % 100
        );
    }
    text += &format!("\nSubtotal: {}.{:02} EUR\n", subtotal / 100, subtotal % 100);
    if discount > 0 {
        text += &format!("Discount: -{}.{:02} EUR\n", discount / 100, discount % 100);
    }
    text += &format!("Tax: {}.{:02} EUR\n", tax / 100, tax % 100);
    text += &format!("Total: {}.{:02} EUR\n", total / 100, total % 100);
    let sent = st
        .http
        .post(format!("{}/v1/messages", st.mail_api_url))
        .json(&json!({ "to": email, "subject": format!("Your order #{id}"), "text": text }))
        .send()
        .await;
    let mail = match sent {
        Ok(r) if r.status().is_success() => "sent",
        Ok(r) => {
            tracing::warn!("legacy: the mail API answered {}", r.status());
            "pending"
        }
        Err(e) => {
            tracing::warn!("legacy: the mail API failed: {e}");
            "pending"
        }
    };

    let lines: Vec<Value> = b
        .lines
        .iter()
        .map(|l| json!({ "sku": l.sku, "quantity": l.quantity, "unit_price_cents": l.unit_price_cents }))
        .collect();
    (
        StatusCode::CREATED,
        axum::Json(json!({
            "id": id,
            "email": email,
            "lines": lines,
            "coupon": b.coupon,
            "subtotal_cents": subtotal,
            "discount_cents": discount,
            "tax_cents": tax,
            "total_cents": total,
            "created_at": created_at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            "mail": mail,
        })),
    )
        .into_response()
}

async fn get_order(State(st): State<Legacy>, Path(id): Path<i64>) -> Response {
    let r = sqlx::query("SELECT * FROM customer_orders WHERE id = $1")
        .bind(id)
        .fetch_optional(&st.pool)
        .await;
    let r = match r {
        Ok(Some(r)) => r,
        Ok(None) => return err(StatusCode::NOT_FOUND, &format!("order {id} not found")),
        Err(e) => {
            tracing::error!("legacy: {e}");
            return err(StatusCode::INTERNAL_SERVER_ERROR, "storage failed");
        }
    };
    match load_json(&st.pool, &r).await {
        Ok(v) => (StatusCode::OK, axum::Json(v)).into_response(),
        Err(e) => {
            tracing::error!("legacy: {e}");
            err(StatusCode::INTERNAL_SERVER_ERROR, "storage failed")
        }
    }
}

async fn list_orders(
    State(st): State<Legacy>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(email) = q.get("email") else {
        return err(
            StatusCode::BAD_REQUEST,
            "give the customer's email: /api/orders?email=...",
        );
    };
    let rows = sqlx::query(
        "SELECT * FROM customer_orders WHERE email = $1 ORDER BY created_at DESC, id DESC",
    )
    .bind(email.trim())
    .fetch_all(&st.pool)
    .await;
    let rows = match rows {
        Ok(rows) => rows,
        Err(e) => {
            tracing::error!("legacy: {e}");
            return err(StatusCode::INTERNAL_SERVER_ERROR, "storage failed");
        }
    };
    let mut orders = vec![];
    for r in &rows {
        match load_json(&st.pool, r).await {
            Ok(v) => orders.push(v),
            Err(e) => {
                tracing::error!("legacy: {e}");
                return err(StatusCode::INTERNAL_SERVER_ERROR, "storage failed");
            }
        }
    }
    (StatusCode::OK, axum::Json(json!({ "orders": orders }))).into_response()
}

// One query for the lines of each order: the N+1 queries of a list, kept because it works.
async fn load_json(pool: &PgPool, r: &sqlx::postgres::PgRow) -> Result<Value, sqlx::Error> {
    let id: i64 = r.get("id");
    let lines = sqlx::query(
        "SELECT sku, quantity, unit_price_cents FROM customer_order_lines WHERE order_id = $1 \
         ORDER BY position",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let lines: Vec<Value> = lines
        .iter()
        .map(|l| {
            json!({
                "sku": l.get::<String, _>("sku"),
                "quantity": l.get::<i64, _>("quantity"),
                "unit_price_cents": l.get::<i64, _>("unit_price_cents"),
            })
        })
        .collect();
    let created_at: DateTime<Utc> = r.get("created_at");
    Ok(json!({
        "id": id,
        "email": r.get::<String, _>("email"),
        "lines": lines,
        "coupon": r.get::<Option<String>, _>("coupon"),
        "subtotal_cents": r.get::<i64, _>("subtotal_cents"),
        "discount_cents": r.get::<i64, _>("discount_cents"),
        "tax_cents": r.get::<i64, _>("tax_cents"),
        "total_cents": r.get::<i64, _>("total_cents"),
        "created_at": created_at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
    }))
}
