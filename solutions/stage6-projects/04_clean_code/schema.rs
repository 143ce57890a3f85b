//! The tables, the legacy service's and so yours: a refactoring keeps the data it finds, so
//! your `PgOrderRepository` reads and writes these very tables (milestone 4 checks that your
//! app reads the orders the legacy one wrote). Given.

use sqlx::PgPool;

/// Creates the tables if they are not there yet; run it once at start, before either app.
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::Error> {
    // Several statements in one simple query: sqlx sends it as is when nothing is bound.
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS customer_orders (
             id bigserial PRIMARY KEY,
             email text NOT NULL,
             coupon text,
             subtotal_cents bigint NOT NULL,
             discount_cents bigint NOT NULL,
             tax_cents bigint NOT NULL,
             total_cents bigint NOT NULL,
             created_at timestamptz NOT NULL
         );
         CREATE INDEX IF NOT EXISTS customer_orders_by_email ON customer_orders (email, created_at DESC, id DESC);
         CREATE TABLE IF NOT EXISTS customer_order_lines (
             order_id bigint NOT NULL REFERENCES customer_orders (id) ON DELETE CASCADE,
             position int NOT NULL,
             sku text NOT NULL,
             quantity bigint NOT NULL,
             unit_price_cents bigint NOT NULL,
             PRIMARY KEY (order_id, position)
         );",
    )
    .execute(pool)
    .await?;
    Ok(())
}
