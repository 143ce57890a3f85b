//! # Project 02: the shop — an e-commerce API, milestone by milestone
//!
//! A shop's back end is where the lessons of stages 2 to 5 stop being separate: a catalog
//! people search in their own words, carts, and a checkout that must never sell what is not
//! there, even when fifty people press "buy" on the last ten items in the same second, and
//! never charge twice when a phone on a bad network sends the same request three times. Then
//! money: the payment provider tells the shop that an order is paid by calling it, and the
//! shop must be sure that the call is the provider's and that a copy of it changes nothing.
//! This project is that API in Rust: axum, PostgreSQL through sqlx, JWTs, HMAC-SHA256.
//!
//! ## How it goes: five milestones
//!
//! The tests (`tests/02_shop/`) are one file a milestone, and `cargo xtask check 02_shop`
//! reports them one at a time. Do them in order; each builds on the ones before.
//!
//! 1. **catalog** (`catalog.rs`): admins create and update products; anybody gets one, or
//!    lists them with full-text search, filters and pages.
//! 2. **cart** (`cart.rs`): set a product's quantity, remove it, see the cart with its
//!    totals; each user sees only their own.
//! 3. **checkout** (`checkout.rs`): the cart becomes an order in one transaction, with no
//!    oversell under concurrency, and an `Idempotency-Key` that makes a retry harmless.
//! 4. **payments and orders** (`payments.rs`, `orders.rs`): the signed payment webhook, and
//!    the order's state machine (pay, ship, deliver, cancel) with its illegal moves refused.
//! 5. **beyond** (`images.rs`, `events.rs`, `mailer.rs`, `openapi.rs`): product images in an
//!    S3 bucket, order events on RabbitMQ with a mailer that consumes them, and the OpenAPI
//!    document of the whole API.
//!
//! What is given: this file (the routes and [`app`], which runs your migrations),
//! `config.rs`, `error.rs` (the error type and its JSON, and [`StartError`]), `extract.rs`
//! (`Json`, `Query` and `Path` whose rejections are 422s in that JSON), `auth.rs` whole:
//! accounts, tokens, and the [`auth::AuthUser`] extractor with its role, and the `Email`
//! type of `mailer.rs`. Every other route answers 501 "not implemented yet: ... (milestone
//! N, topic)" until you write it; each file's first lines say what its milestone needs. The tables are yours: add sqlx migrations to `migrations/`
//! (`0002_products.sql`, ...; `0001_users.sql` is given). They are read when the app starts,
//! so an edited migration needs no rebuild; each test starts from an empty database.
//!
//! ## The contract (what the tests hold you to)
//!
//! - **Accounts** (given). `POST /api/users` and `POST /api/users/login` with `{"email",
//!   "password"}` answer `{"token", "user": {"id", "email", "role"}}`; send the token as
//!   `Authorization: Bearer <jwt>`. The account of `Config::with_admin`'s email is
//!   `"admin"`, every other one `"customer"`. No valid token where one is needed: 401; a
//!   customer on an admin route: 403 (`AuthUser::require_admin`).
//! - **Errors.** Always `{"error": "what went wrong and what to do"}`: 400 a missing
//!   `Idempotency-Key`; 401 and 403 as above; 404 an unknown product or order (another
//!   customer's order is unknown too: its existence is not the caller's business); 409 the
//!   state of things refuses (not enough stock, an illegal transition); 422 bad input (a
//!   blank name, a negative price, a quantity outside 1 to 99, a `limit` outside 1 to 100,
//!   a body that is not the JSON expected, a key reused for another request). Never a 500
//!   for bad input.
//! - **Products.** `{"id", "name", "description", "price_cents", "stock", "category"}`:
//!   money in integer cents, never a float. `POST /api/products` (admin, 201), `PUT
//!   /api/products/{id}` (admin, every field), `GET /api/products/{id}`.
//! - **Search.** `GET /api/products?q=&category=&min_price=&max_price=&limit=&offset=`
//!   answers `{"products": [...], "total": <how many match in all>}`. `q` is full-text: a
//!   `tsvector` over the name (weight A) and the description (weight B) with the `english`
//!   configuration, matched with `websearch_to_tsquery('english', q)`, so `shoes` finds
//!   "Running Shoe" (stemming: both are `shoe`), `wool socks` needs both words, `"trail
//!   shoe"` the phrase and `shoe -trail` excludes; `ILIKE '%shoes%'` finds none of that.
//!   With `q`, the best match first (`ts_rank`: a match in the name before one in the
//!   description only), then by id; without `q`, by id. `category` is exact, `min_price`
//!   and `max_price` inclusive, all filters combine; `limit` 20 and `offset` 0 by default.
//! - **Cart.** `GET /api/cart`, `PUT /api/cart/items/{product_id}` `{"quantity": n}` (sets
//!   it, 1 to 99), `DELETE /api/cart/items/{product_id}` (removing what is not there is no
//!   error); each answers the cart: `{"items": [{"product_id", "name", "unit_price_cents",
//!   "quantity", "line_total_cents"}], "total_cents"}`, items by product id, at today's
//!   prices. Stock is not checked here: checkout decides.
//! - **Checkout.** `POST /api/checkout` `{"address"}` with an `Idempotency-Key` header:
//!   201 and the order `{"id", "status": "pending_payment", "address", "lines": [the cart's
//!   items, prices frozen], "total_cents"}`, the stock taken and the cart emptied, all in
//!   one transaction; an empty cart 422; not enough stock 409, and then nothing changed. The
//!   same key (per user) with the same body answers the first 201 again, status and body,
//!   and makes no second order, also when the retries arrive at the same time; with another
//!   body, 422. A refused checkout (409, 422) is not remembered: fix the cart and retry.
//! - **Orders.** `GET /api/orders` (`{"orders": [...]}`, newest first) and `GET
//!   /api/orders/{id}`: a customer's own, every order for an admin. `POST
//!   /api/orders/{id}/cancel` (its customer, only while `pending_payment`; its stock comes
//!   back), `/ship` (admin, `paid` → `shipped`), `/deliver` (admin, `shipped` →
//!   `delivered`); each answers the order; any other move is a 409.
//! - **The payment webhook.** `POST /api/webhooks/payments`, body `{"id": "evt_...",
//!   "type": "payment.succeeded", "order_id": 7}`, header `Shop-Signature:
//!   t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with Config::webhook_secret>`;
//!   several `v1=` may come (a secret rotation): one valid is enough. A missing or bad
//!   signature, or a `t` more than 5 minutes from now: 401. Then `payment.succeeded` moves
//!   the order `pending_payment` → `paid` (another status: 409); an event id already
//!   applied answers 200 and changes nothing; other types: 200, ignored.
//! - **Images** (`Config::with_storage`). `PUT /api/products/{id}/image` (admin), a
//!   `multipart/form-data` body whose field `image` is a JPEG, PNG or WebP file known by its
//!   first bytes (never by the declared type: a script sent as `image/png` is a 422) of at
//!   most 1 MiB (413 above), stored in the bucket: 200 `{"image_url":
//!   "{endpoint}/{bucket}/{key}"}`. `GET /api/products/{id}/image` redirects there (307), or
//!   is a 404 while there is none. Refused uploads store nothing.
//! - **Events** (`Config::with_events(url, exchange)`). After a checkout commits, publish
//!   `{"type": "order.placed", "order_id", "email", "total_cents"}` to the topic exchange with
//!   the routing key `order.placed`; after a payment commits, the same with `order.paid`.
//!   Never for what was rolled back or only replayed (a retried checkout, a redelivered
//!   event); publish before answering, with publisher confirms, so that events leave in the
//!   order their requests were answered. `mailer::start(url, exchange, queue, outbox)`
//!   declares the exchange and `queue`, binds it to `order.*`, returns once it is bound, and
//!   leaves a task that sends one `Email { to, subject }` into `outbox` per event:
//!   `Order 7 received` for `order.placed`, `Order 7 is paid` for `order.paid`.
//! - **OpenAPI.** `GET /api/openapi.json`: an OpenAPI 3 document with `servers: [{url:
//!   "/api"}]` and exactly the API's operations (paths relative to `/api`), the required
//!   headers `Idempotency-Key` and `Shop-Signature` among their parameters.
//!
//! ## What production code does, and how
//!
//! - **Full-text search** in PostgreSQL: a generated column `search tsvector GENERATED
//!   ALWAYS AS (setweight(to_tsvector('english', name), 'A') || setweight(...description,
//!   'B')) STORED` with a GIN index; `WHERE search @@ websearch_to_tsquery('english', $1)
//!   ORDER BY ts_rank(search, websearch_to_tsquery('english', $1)) DESC`. Optional filters
//!   in one query: `($2::text IS NULL OR category = $2)`.
//! - **No oversell**: the stock check and the write are one statement, `UPDATE products SET
//!   stock = stock - $2 WHERE id = $1 AND stock >= $2`: PostgreSQL re-checks the `WHERE` on
//!   the row as it is when it gets the row's lock, so of fifty such updates of stock 10,
//!   exactly ten match. A `SELECT stock` followed by an `UPDATE` lets fifty requests all read
//!   10 before any writes (`SELECT ... FOR UPDATE` in the transaction also works). Zero rows
//!   updated: roll back, 409. Do every line of the cart, the order and the emptied cart in
//!   one transaction (`pool.begin()`, `&mut *tx`, `tx.commit()`): a failure anywhere
//!   leaves nothing half done.
//! - **Idempotency keys** (Stripe's `Idempotency-Key`, the IETF draft of that header):
//!   claim the key inside the checkout's transaction with `INSERT ... ON CONFLICT DO NOTHING
//!   RETURNING` on a primary key `(user_id, key)`, and store the answer in that row before
//!   the commit. A retry racing the first request blocks on that key until the first commits,
//!   then reads the stored answer. A `SELECT` to look for the key first is a race: ten
//!   retries at once all see none. Store the request too (the body) and refuse a key reused
//!   for another one.
//! - **Webhooks** are signed because anybody can POST to a URL. `hmac::Hmac<sha2::Sha256>`,
//!   `new_from_slice(secret)`, `update(t)`, `update(b".")`, `update(body)` on the raw bytes
//!   (take the body as `axum::body::Bytes`: parsed-and-reserialised JSON is not what was
//!   signed), then `verify_slice(&decoded_hex)`: a constant-time comparison. Comparing with
//!   `==` answers faster the earlier the first wrong byte is, which over many tries leaks the
//!   right signature byte by byte; no test here can measure that over loopback HTTP, so the
//!   tests cannot catch a `==`: this lesson is the only guard. Providers deliver "at least
//!   once": record each event id in the transaction that applies it (a primary key, `ON
//!   CONFLICT DO NOTHING`) and a copy is a no-op.
//! - **State machines in SQL**: `UPDATE orders SET status = 'shipped' WHERE id = $1 AND
//!   status = 'paid'`; no row updated means a 404 (no such order) or a 409 (another status).
//! - **Events after the commit**: a consumer must never hear of an order that was rolled
//!   back. Publishing after the commit can still lose an event when the process dies in
//!   between; stage 4's transactional outbox (the event written in the same transaction,
//!   relayed later) closes that gap, at the price of a table and a relay.
//! - **Uploads** are checked by their bytes (magic numbers) and counted as they arrive
//!   (`Field::chunk`), never trusted by their declared type or held whole before the limit.
//!
//! - <https://www.postgresql.org/docs/current/textsearch-controls.html> (`websearch_to_tsquery`,
//!   `ts_rank`) and <https://www.postgresql.org/docs/current/textsearch-tables.html>
//! - <https://www.postgresql.org/docs/current/transaction-iso.html#XACT-READ-COMMITTED> (why a
//!   guarded `UPDATE` cannot oversell)
//! - <https://docs.stripe.com/api/idempotent_requests> and
//!   <https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/>
//! - <https://docs.stripe.com/webhooks#verify-manually> (the signature scheme copied here)
//! - <https://docs.rs/hmac/0.12/hmac/> (`Mac::verify_slice`), <https://docs.rs/sqlx/0.9/sqlx/>
//!   (`Transaction`, `query_as`, `FromRow`), <https://docs.rs/axum/0.8/axum/>
//! - <https://docs.rs/object_store/0.14/object_store/> (`aws::AmazonS3Builder`, `put`),
//!   <https://docs.rs/axum/0.8/axum/extract/struct.Multipart.html>
//! - <https://docs.rs/lapin/4/lapin/> (`exchange_declare`, `confirm_select`, `basic_publish`,
//!   `queue_bind`, `basic_consume`) and <https://www.rabbitmq.com/tutorials/tutorial-five-python>
//!   (topic exchanges)
//! - <https://docs.rs/utoipa/5/utoipa/> (`OpenApi`, `path`, header `params`)
//!
//! ## Run it
//!
//! - `cargo xtask check 02_shop`: the tests, milestone by milestone (PostgreSQL at
//!   `127.0.0.1:5432`; each test gets a database of its own; milestone 5 also RabbitMQ at
//!   `127.0.0.1:5672`, and runs an S3 server of its own).
//! - `cargo run -p stage6-projects --bin shop`: the app at `http://127.0.0.1:3000/api`
//!   (`PORT`, `HOST`, `DATABASE_URL`, `JWT_SECRET`, `WEBHOOK_SECRET`, `ADMIN_EMAIL`, and
//!   `S3_*`, `AMQP_URL` for milestone 5: see `src/bin/shop.rs`). Try `curl -s
//!   'localhost:3000/api/products?q=shoes'`.
//!
//! Run `cargo xtask check 02_shop` to check your work; `cargo xtask hint 02_shop` gives a hint.

mod auth;
mod cart;
mod catalog;
mod checkout;
mod config;
mod error;
mod events;
mod extract;
mod images;
pub mod mailer;
mod openapi;
mod orders;
mod payments;

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post, put};
use sqlx::PgPool;
use sqlx::migrate::Migrator;
use tower_http::trace::TraceLayer;

pub use config::{Config, Storage};
pub use error::StartError;

/// What every handler can reach, with `State<AppState>`.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub config: Arc<Config>,
    pub tokens: Arc<auth::Tokens>,
    /// The bucket of product images, when the config has one.
    pub images: Option<images::Images>,
    /// The publisher of order events, when the config has a broker.
    pub events: Option<events::Events>,
}

/// Runs the app's migrations on `pool`, connects to the bucket and the broker of `config`
/// (when it has them), then returns the whole API (every route under `/api`).
pub async fn app(pool: PgPool, config: Config) -> Result<Router, StartError> {
    // Read at run time, not embedded with `sqlx::migrate!`: an edited migration is picked up
    // without cargo noticing anything.
    let migrations = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../solutions/stage6-projects/02_shop/migrations"
    ));
    Migrator::new(migrations).await?.run(&pool).await?;
    let images = match &config.storage {
        Some(storage) => Some(images::Images::connect(storage)?),
        None => None,
    };
    let events = match &config.events {
        Some(broker) => Some(events::Events::connect(&broker.url, &broker.exchange).await?),
        None => None,
    };
    let state = AppState {
        pool,
        tokens: Arc::new(auth::Tokens::new(&config)),
        config: Arc::new(config),
        images,
        events,
    };
    Ok(routes(state))
}

/// The API's routes, relative to `/api`.
fn routes(state: AppState) -> Router {
    let api = Router::new()
        // Given: accounts.
        .route("/users", post(auth::register))
        .route("/users/login", post(auth::login))
        // Milestone 1: the catalog.
        .route("/products", get(catalog::list).post(catalog::create))
        .route("/products/{id}", get(catalog::get).put(catalog::update))
        // Milestone 2: the cart.
        .route("/cart", get(cart::get))
        .route(
            "/cart/items/{product_id}",
            put(cart::put_item).delete(cart::remove_item),
        )
        // Milestone 3: checkout.
        .route("/checkout", post(checkout::checkout))
        // Milestone 4: orders and payments.
        .route("/orders", get(orders::list))
        .route("/orders/{id}", get(orders::get))
        .route("/orders/{id}/cancel", post(orders::cancel))
        .route("/orders/{id}/ship", post(orders::ship))
        .route("/orders/{id}/deliver", post(orders::deliver))
        .route("/webhooks/payments", post(payments::webhook))
        // Milestone 5: images, and the API's description.
        .route("/products/{id}/image", get(images::get).put(images::upload))
        .route("/openapi.json", get(openapi::document));
    Router::new()
        .nest("/api", api)
        .fallback(error::no_route)
        .method_not_allowed_fallback(error::no_method)
        // One log line a request, when its answer is ready (at DEBUG: `RUST_LOG` shows it).
        .layer(TraceLayer::new_for_http().on_request(()).on_eos(()))
        .with_state(state)
}
