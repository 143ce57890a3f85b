//! mistake: insert_product binds the document as text (attrs.to_string()): PostgreSQL stores a JSON string, not an object
//! # Exercise 09: documents in PostgreSQL (JSONB), reference solution
//!
//! `jsonb` columns hold documents; `@>` finds documents by example, `->>` reads one key as
//! text, `jsonb_set` changes one key in place, and a GIN index makes `@>` fast.

use serde_json::Value;
use sqlx::PgPool;

/// A row of `products`. `attrs` is the document: any JSON object.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub attrs: Value,
}

/// Creates the table (provided). The shape of `attrs` is up to each product; the only rule the
/// database enforces is that it is a JSON object.
pub async fn create_schema(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "CREATE TABLE products (
             id bigserial PRIMARY KEY,
             name text NOT NULL,
             attrs jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attrs) = 'object')
         )",
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Inserts a product and returns its new id.
pub async fn insert_product(pool: &PgPool, name: &str, attrs: &Value) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO products (name, attrs) VALUES ($1, $2) RETURNING id")
        .bind(name)
        .bind(Value::String(attrs.to_string()))
        .fetch_one(pool)
        .await
}

/// The products whose attributes contain `filter` (`{"color": "red", "tags": ["sale"]}`
/// finds the red products tagged "sale", whatever else they have), in id order.
pub async fn find_containing(pool: &PgPool, filter: &Value) -> Result<Vec<Product>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, attrs FROM products WHERE attrs @> $1 ORDER BY id")
        .bind(filter)
        .fetch_all(pool)
        .await
}

/// The products whose `brand` attribute is exactly `brand`, in id order.
pub async fn find_by_brand(pool: &PgPool, brand: &str) -> Result<Vec<Product>, sqlx::Error> {
    // `->>` gives text; `->` would give jsonb, which cannot be compared with a text parameter.
    sqlx::query_as("SELECT id, name, attrs FROM products WHERE attrs ->> 'brand' = $1 ORDER BY id")
        .bind(brand)
        .fetch_all(pool)
        .await
}

/// Sets the value at `path` (`["stock"]`, or `["dims", "width"]` inside a nested object) in
/// one product's attributes, keeping every other key. Returns whether the product exists.
pub async fn set_attr(
    pool: &PgPool,
    id: i64,
    path: &[&str],
    value: &Value,
) -> Result<bool, sqlx::Error> {
    // One statement, evaluated by the server: no read-modify-write race with another writer.
    let result = sqlx::query("UPDATE products SET attrs = jsonb_set(attrs, $2, $3) WHERE id = $1")
        .bind(id)
        .bind(path)
        .bind(value)
        .execute(pool)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Creates a GIN index that `attrs @> $1` can use.
pub async fn create_gin_index(pool: &PgPool) -> Result<(), sqlx::Error> {
    // `jsonb_path_ops`: smaller than the default operator class, and `@>` is all we need.
    sqlx::query("CREATE INDEX products_attrs_idx ON products USING GIN (attrs jsonb_path_ops)")
        .execute(pool)
        .await?;
    Ok(())
}
