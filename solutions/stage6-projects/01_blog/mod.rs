//! # Project 01: the blog — the RealWorld "Conduit" API, milestone by milestone
//!
//! **RealWorld** is one app written hundreds of times: "Conduit", a Medium-like blog where
//! people register, write articles with tags, follow each other, favorite and comment. Its
//! back ends all speak one API, written down as an OpenAPI file
//! (<https://github.com/gothinkster/realworld>, `api/openapi.yml`, version 1.1.0, copied to
//! `stage6-projects/specs/realworld-openapi.yml`;
//! <https://realworld-docs.netlify.app/> explains it), and its front ends, in every framework
//! (<https://codebase.show/projects/realworld>), work with any of them. So when your API is
//! done, a real front end runs on it. This project is that API in Rust: axum, PostgreSQL
//! through sqlx, argon2 passwords and JWTs, the things stages 2 to 5 taught one at a time,
//! now in one app of several files, the way a real service is laid out.
//!
//! ## How it goes: eight milestones
//!
//! The tests (`tests/01_blog/`) are one file a milestone, and `cargo xtask check 01_blog`
//! reports them one at a time: "milestone 2/8 profiles: 3/9 tests pass". Do them in order;
//! each builds on the ones before.
//!
//! 1. **users** (`users.rs`, `auth.rs`): register, log in, the current user, update it.
//! 2. **profiles** (`profiles.rs`): get one, follow, unfollow.
//! 3. **articles** (`articles.rs`): create, get, update, delete (only the author).
//! 4. **listing** (`listing.rs`): filters by tag, author and favorited; limit and offset.
//! 5. **comments** (`comments.rs`): add, list, delete (only the comment's author).
//! 6. **favorites** (`favorites.rs`): favorite, unfavorite, counts under concurrency.
//! 7. **feed and tags** (`listing.rs`'s feed, `tags.rs`).
//! 8. **beyond the spec** (`openapi.rs`, `images.rs`, `observe.rs`): what a production API
//!    has that the spec does not ask for. The API describes itself: an OpenAPI document
//!    derived from your handlers with utoipa, served at `GET /api/openapi.json`, and Swagger
//!    UI at `/api/docs` to read and try it; articles get cover images, uploaded with
//!    `PUT /api/articles/{slug}/image` and stored in an S3 bucket (`Config::with_storage`);
//!    and operators get `GET /metrics` (requests by route template) and a request id on
//!    every log line.
//!
//! What is given: this file (the routes, [`app`], which runs your migrations), `config.rs`,
//! `openapi.rs`'s document header (its title, servers, tags, the token's security scheme),
//! `error.rs` (the error type and its response in the spec's shape) and `extract.rs` (`Json`
//! and `Query` whose rejections are that error). Every route answers 501 "not implemented
//! yet: ... (milestone N, topic)" until you write its handler; each file's first lines say
//! what its milestone needs. The tables are yours too: add sqlx migrations to `migrations/`
//! (`0001_users.sql`, `0002_...`), one or more per milestone. They are read when the app
//! starts, so an edited migration needs no rebuild, but sqlx refuses to start when an
//! applied migration was changed: add a new one rather than editing an old one (each test
//! starts from an empty database, so there you may edit freely).
//!
//! ## Run it
//!
//! - `cargo xtask check 01_blog`: the tests, milestone by milestone. They need PostgreSQL
//!   (the course's, at `127.0.0.1:5432`); each test gets a database of its own, calls [`app`]
//!   and talks HTTP to it, like a front end would.
//! - `cargo run -p stage6-projects --bin blog`: the app as a server at
//!   `http://127.0.0.1:3000/api` (`PORT`, `HOST`, `DATABASE_URL` — by default
//!   `postgres://postgres@127.0.0.1:5432/postgres` — and `JWT_SECRET` change it; see
//!   `src/bin/blog.rs`). Try `curl -s localhost:3000/api/tags`.
//! - A front end: take any of <https://codebase.show/projects/realworld>, set its API URL to
//!   `http://127.0.0.1:3000/api` (each README says where: an `.env`, a config file, a
//!   constant), start it, and sign up. CORS is on in [`app`], so a page served from another
//!   port may call the API.
//! - After milestone 8: <http://127.0.0.1:3000/api/docs> is Swagger UI on your API, and
//!   `S3_ENDPOINT`, `S3_BUCKET`, `S3_ACCESS_KEY`, `S3_SECRET_KEY` give it a bucket for covers.
//!
//! ## What the tests hold you to, beyond the spec's text
//!
//! - **Tokens.** `Authorization: Token <jwt>` (not `Bearer`), HS256 with
//!   `Config::jwt_secret`, with an `exp` claim `Config::token_ttl` after issue. A bad
//!   signature, an expired token or a malformed header is a 401 wherever auth is required;
//!   where it is optional (GET a profile, an article, lists, comments), no header is
//!   anonymous but a bad token is still a 401.
//! - **Errors.** Always `{"errors": {"body": ["..."]}}`: 422 for a missing or blank field, a
//!   body that is not the JSON expected (also without `Content-Type: application/json`), a
//!   bad `limit`/`offset`, a taken email or username ("email has already been taken"); 401
//!   unauthenticated (and a wrong password); 403 not the author; 404 unknown slug, username
//!   or comment. Never a 500 for bad input: text that goes into an index needs a length
//!   limit, since PostgreSQL refuses an index entry over about 2.7 kB with an error (the
//!   reference allows 100 characters in a username or a tag, 254 in an email, 255 in a
//!   title), and text with a NUL character, which PostgreSQL refuses too, is stopped by
//!   `extract.rs` already.
//! - **Users.** Passwords as argon2id hashes; changing the password re-hashes it. Emails are
//!   unique whatever their case (`Ada@x.org` and `ada@x.org` are one), usernames exactly.
//!   `bio` and `image` are strings, `""` until set. Register answers 201.
//! - **Articles.** The slug is the title in lowercase, every run of characters that are not
//!   letters or digits one `-`, none at the ends (`"How to Train Your Dragon!"` is
//!   `how-to-train-your-dragon`); a second article with the same title gets another slug that
//!   starts with that one (`-2`, `-a3f09c`: your choice), decided by a unique index, so two at
//!   once never get a 500. A new title makes a new slug. `tagList` is sorted, each tag once
//!   (RealWorld's own test collection expects `["dragons", "training"]`).
//!   Timestamps are UTC with milliseconds: `2026-12-02T10:20:30.123Z`; an update moves
//!   `updatedAt`. Deleting an article deletes its comments and favorites. Create answers 201.
//! - **Lists.** Newest first, `limit` (default 20, at least 1) and `offset` (default 0),
//!   `articlesCount` the number matching in all, not on this page. List items have no `body`
//!   (the spec's `MultipleArticlesResponse`). `following` and `favorited` are the viewer's,
//!   false for anonymous viewers.
//! - **Favorites.** `favoritesCount` stays exact when twenty users favorite at once: a row per
//!   (article, user) with a primary key, inserted with `ON CONFLICT DO NOTHING` and counted,
//!   never a count read, incremented in Rust and written back.
//! - **The OpenAPI document** has exactly the spec's 19 operations and the cover image's, with
//!   the spec's paths and parameter names (relative to `servers: [{url: "/api"}]`), each one
//!   routed; `openapi::document()` is what `GET /api/openapi.json` serves.
//! - **Cover images.** Multipart, field `image`; JPEG, PNG or WebP known by their first bytes,
//!   never by the declared type; at most 1 MiB (413 above); only the author. The article's
//!   `image` is then the object's URL, `{endpoint}/{bucket}/{key}`, and absent before.
//! - **Metrics and logs.** `http_requests_total{method="GET",route="/api/articles/{slug}",
//!   status="404"}`, one series per route template; `x-request-id` (the client's, or new) in
//!   every response and in the span of every log line of that request.
//!
//! ## How it is built
//!
//! One module per resource, each a set of handlers `(State, extractors) -> Result<_,
//! AppError>`; SQL with runtime queries, `sqlx::query_as::<_, Row>("... $1 ...").bind(..)`
//! (the `query!` macros would need a database at compile time); the request and response
//! types next to their handlers, with serde's `rename_all = "camelCase"` for `tagList` and
//! friends; an `AuthUser` extractor (`FromRequestParts`, and `OptionalFromRequestParts` so
//! that a handler may take `Option<AuthUser>`); password hashing in `spawn_blocking`.
//!
//! - <https://docs.rs/axum/0.8/axum/> (`Router`, `extract::FromRequestParts`,
//!   `extract::OptionalFromRequestParts`)
//! - <https://docs.rs/sqlx/0.9/sqlx/> (`query_as`, `FromRow`, `migrate::Migrator`,
//!   `error::DatabaseError::is_unique_violation`)
//! - <https://docs.rs/jsonwebtoken/11/jsonwebtoken/> and <https://docs.rs/argon2/0.6/argon2/>
//! - <https://docs.rs/tower-http/0.7/tower_http/cors/> (CORS)
//! - <https://www.postgresql.org/docs/current/sql-insert.html#SQL-ON-CONFLICT>
//! - <https://docs.rs/utoipa/5/utoipa/> (`OpenApi`, `path`) and
//!   <https://docs.rs/utoipa-swagger-ui/9/utoipa_swagger_ui/> (`SwaggerUi`)
//! - <https://docs.rs/object_store/0.14/object_store/> (`aws::AmazonS3Builder`, `put`) and
//!   <https://docs.rs/axum/0.8/axum/extract/struct.Multipart.html>
//!
//! Run `cargo xtask check 01_blog` to check your work; `cargo xtask hint 01_blog` gives a hint.

mod articles;
mod auth;
mod comments;
mod config;
mod error;
mod extract;
mod favorites;
mod images;
mod listing;
mod observe;
pub mod openapi;
mod profiles;
mod tags;
mod users;

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::http::Method;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::middleware;
use axum::routing::{delete, get, post, put};
use sqlx::PgPool;
use sqlx::migrate::{MigrateError, Migrator};
use tower_http::cors::{Any, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use config::{Config, Storage};

/// What every handler can reach: the database and the token keys.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub tokens: Arc<auth::Tokens>,
    /// The bucket of cover images, when the config has one.
    pub images: Option<images::Images>,
    /// The counters `GET /metrics` shows.
    pub metrics: observe::Metrics,
}

/// Runs the app's migrations on `pool`, then returns the whole API (every route under `/api`,
/// CORS for browser front ends included). Errors: a migration that fails.
pub async fn app(pool: PgPool, config: Config) -> Result<Router, MigrateError> {
    // Read at run time, not embedded with `sqlx::migrate!`: an edited migration is picked up
    // without cargo noticing anything.
    let migrations = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../solutions/stage6-projects/01_blog/migrations"
    ));
    Migrator::new(migrations).await?.run(&pool).await?;
    let state = AppState {
        pool,
        tokens: Arc::new(auth::Tokens::new(&config)),
        metrics: observe::Metrics::new(),
        images: config
            .storage
            .as_ref()
            .map(images::Images::connect)
            .transpose()
            .map_err(|e| {
                MigrateError::Source(format!("the storage settings are refused: {e}").into())
            })?,
    };
    Ok(routes(state))
}

/// The spec's routes, relative to `/api`.
fn routes(state: AppState) -> Router {
    let api = Router::new()
        // Milestone 1: users.
        .route("/users", post(users::register))
        .route("/users/login", post(users::login))
        .route("/user", get(users::current).put(users::update))
        // Milestone 2: profiles.
        .route("/profiles/{username}", get(profiles::get))
        .route(
            "/profiles/{username}/follow",
            post(profiles::follow).delete(profiles::unfollow),
        )
        // Milestones 3 and 4: articles, and lists of them.
        .route("/articles", get(listing::articles).post(articles::create))
        .route(
            "/articles/{slug}",
            get(articles::get)
                .put(articles::update)
                .delete(articles::delete),
        )
        // Milestone 5: comments.
        .route(
            "/articles/{slug}/comments",
            get(comments::list).post(comments::add),
        )
        .route("/articles/{slug}/comments/{id}", delete(comments::delete))
        // Milestone 6: favorites.
        .route(
            "/articles/{slug}/favorite",
            post(favorites::favorite).delete(favorites::unfavorite),
        )
        // Milestone 7: the feed and tags. A fixed segment wins over `{slug}`.
        .route("/articles/feed", get(listing::feed))
        // Milestone 8: cover images.
        .route("/articles/{slug}/image", put(images::upload))
        .route("/tags", get(tags::list));
    Router::new()
        .nest("/api", api)
        // Milestone 8: the API's description, and a page to read and try it.
        .merge(openapi::routes())
        .fallback(error::no_route)
        .method_not_allowed_fallback(error::no_method)
        .route("/metrics", get(observe::exposition))
        .layer(middleware::from_fn(extract::refuse_nul))
        // Any origin may call the API from a browser: it is authenticated by a header a page
        // must set on purpose, not by cookies a browser sends on its own. `Authorization`
        // is named: browsers never let a `*` stand for it.
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
                .allow_headers([AUTHORIZATION, CONTENT_TYPE]),
        )
        // Counted outside of everything else: a request refused by a layer counts too.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            observe::count,
        ))
        // One log line a request, when its answer is ready, in a span that carries the
        // request's id: every line logged while answering it can be found by that id.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::extract::Request| {
                    let id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|id| id.to_str().ok())
                        .unwrap_or_default();
                    tracing::info_span!(
                        "request",
                        request_id = %id,
                        method = %request.method(),
                        uri = %request.uri(),
                    )
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO))
                .on_eos(()),
        )
        // The client's `x-request-id`, or a new UUID, set before the span is made and sent
        // back in the response.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}
