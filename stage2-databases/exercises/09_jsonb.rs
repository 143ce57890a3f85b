//! # Exercise 09: documents in PostgreSQL (JSONB)
//!
//! Some data has no fixed shape: a shirt has a size and a color, a laptop has a CPU and a
//! screen, a mug has neither. A document store (MongoDB, CouchDB) keeps each record as a JSON
//! document. PostgreSQL does this too, in a column of type `jsonb`, next to your ordinary
//! columns, inside the same transactions, with indexes. Before adding a second database for
//! "flexible attributes", a backend engineer reaches for `jsonb`.
//!
//! `jsonb` stores JSON parsed into a binary form: keys are deduplicated and sorted, whitespace
//! is gone, and the server can look inside. (`json`, the other type, keeps the text as it was
//! and must re-parse it on every access; prefer `jsonb`.) The operators you need:
//!
//! - `attrs @> '{"color": "red"}'`: *containment*. True when the right-hand document is
//!   contained in the left one: every key present with an equal value, recursively; for arrays,
//!   every element on the right appears somewhere on the left (`["sale"]` is contained in
//!   `["new", "sale"]`). This is the document-store "find by example" query.
//! - `attrs -> 'dims'` returns the value under a key as `jsonb`; `attrs ->> 'brand'` returns it
//!   as `text`, which is what you compare with a string parameter. Paths: `attrs #> '{dims,width}'`
//!   (jsonb) and `attrs #>> '{dims,width}'` (text).
//! - `jsonb_set(attrs, '{dims,width}', '42')` returns a copy of the document with the value at
//!   that path replaced (or added, if only the last key is missing). The other keys stay.
//!   Computed by the server inside an `UPDATE`, it changes one key of the row as the row is
//!   when the UPDATE gets it. Reading the document into the application, changing it there
//!   and writing it all back instead loses whatever another transaction changed in between
//!   (a *lost update*): the write carries the old copy of every other key.
//!
//! Indexes: a B-tree cannot answer "does this document contain …?". A GIN index (Generalized
//! Inverted iNdex) maps every key and value inside the documents to the rows that have it,
//! like a book's index: `CREATE INDEX … ON products USING GIN (attrs jsonb_path_ops)`.
//! `jsonb_path_ops` is smaller and faster but serves only `@>` (and the jsonpath operators);
//! the default operator class (`USING GIN (attrs)`) also serves the key-existence operators
//! `?`, `?|`, `?&`. Neither helps `attrs ->> 'brand' = $1`: for that, index the expression,
//! `CREATE INDEX … ON products ((attrs ->> 'brand'))`, a normal B-tree. The planner shows
//! what it chose in `EXPLAIN`: a `Bitmap Index Scan` on the GIN index, then a `Bitmap Heap
//! Scan` that fetches the matching rows.
//!
//! In Rust, sqlx (feature `json`) binds and reads `serde_json::Value` as `jsonb`, and
//! `sqlx::types::Json<T>` does the same for any `T: Serialize + Deserialize`, so a typed struct
//! can go in and out of a `jsonb` column.
//!
//! Your task: write the four queries and the index below.
//!
//! Docs: <https://www.postgresql.org/docs/15/datatype-json.html> (containment and indexing),
//! <https://www.postgresql.org/docs/15/functions-json.html> (operators, `jsonb_set`),
//! <https://www.postgresql.org/docs/15/gin-builtin-opclasses.html>,
//! <https://docs.rs/sqlx/latest/sqlx/types/struct.Json.html>.
//!
//! Run `cargo xtask check 09_jsonb` to check your work; `cargo xtask hint 09_jsonb` gives a hint.

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
    // TODO: insert the product and return the id PostgreSQL gave it. `attrs` must arrive as a
    // JSON object, not as a string that holds JSON.
    todo!("insert the product and return its id")
}

/// The products whose attributes contain `filter` (`{"color": "red", "tags": ["sale"]}`
/// finds the red products tagged "sale", whatever else they have), in id order.
pub async fn find_containing(pool: &PgPool, filter: &Value) -> Result<Vec<Product>, sqlx::Error> {
    // TODO: find by example: the products whose attrs contain `filter`, in id order.
    todo!("find the products whose attrs contain the filter")
}

/// The products whose `brand` attribute is exactly `brand`, in id order.
pub async fn find_by_brand(pool: &PgPool, brand: &str) -> Result<Vec<Product>, sqlx::Error> {
    // TODO: the products whose `brand` is exactly `brand` ("ACME" is another brand), in id
    // order.
    todo!("find the products of one brand")
}

/// Sets the value at `path` (`["stock"]`, or `["dims", "width"]` inside a nested object) in
/// one product's attributes, keeping every other key. Returns whether the product exists.
pub async fn set_attr(
    pool: &PgPool,
    id: i64,
    path: &[&str],
    value: &Value,
) -> Result<bool, sqlx::Error> {
    // TODO: change the one value at `path` and keep every other key, including one that another
    // transaction changes while this runs. (sqlx binds `path`, a slice of &str, as a text[].)
    todo!("set one key of a product's attrs with jsonb_set")
}

/// Creates a GIN index that `attrs @> $1` can use.
pub async fn create_gin_index(pool: &PgPool) -> Result<(), sqlx::Error> {
    // TODO: an index that a containment query on the whole document (`attrs @> $1`) can use.
    todo!("create a GIN index on products.attrs")
}
