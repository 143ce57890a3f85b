//! # Exercise 10: GraphQL — one endpoint, a typed schema, and a DataLoader against N+1
//!
//! A REST API has a URL per resource and the server decides what each answer holds. A
//! **GraphQL** API has one endpoint, `POST /graphql`, a typed **schema** that lists every type,
//! field and argument, and the client writes a query that names exactly the fields it wants:
//!
//! ```graphql
//! query Shelf($id: Int!) {
//!   author(id: $id) { name }
//!   books { title author { name } }
//! }
//! ```
//!
//! The request is JSON: `{"query": "...", "variables": {"id": 3}}` (and an optional
//! `"operationName"`). The answer is JSON too, shaped like the query: `{"data": {"author":
//! {"name": "Butler"}, "books": [...]}}`. The server checks the query against the schema
//! before running anything, so a field that does not exist is a **validation error**, and a
//! variable of the wrong type too: nothing runs, and the client is told where it went wrong.
//!
//! **Errors have a shape of their own.** A GraphQL answer is HTTP `200 OK` even when something
//! failed: what went wrong is in the answer's `errors` array, beside whatever `data` could
//! still be computed, because one query may ask for ten things and nine may succeed. Each
//! error has a `message`, the `locations` in the query text, the `path` of the field that
//! failed (`["addBook"]`, `["books", 3, "author"]`), and `extensions`, where servers put a
//! machine-readable `code` (`BAD_USER_INPUT`, `NOT_FOUND`, `INTERNAL_SERVER_ERROR`) that
//! clients branch on. A field whose type is non-null (`Book!`) and that fails makes its parent
//! `null`: a failed `addBook` answers `{"data": null, "errors": [...]}`. A 4xx or 5xx status is
//! left to what GraphQL cannot even read: a body that is not JSON answers `400 Bad Request`.
//!
//! **The N+1 problem comes back, worse.** Each field has its own resolver, run for each object
//! on its own: `books { author { name } }` over 50 books calls `Book.author` 50 times, and a
//! resolver that runs `SELECT ... FROM authors WHERE id = $1` makes 51 queries, and no query
//! text in the server shows it (the client chose the shape). The cure is a **DataLoader**: the
//! resolver asks the loader for *one* key (`load_one(author_id)`), the loader gathers the keys
//! that all the resolvers ask for in the same moment, then calls your [`Loader::load`] *once*
//! with all of them, without duplicates, and hands each resolver its own value. `load` answers
//! a map from key to value: the rows of `WHERE id = ANY($1)` come back in whatever order
//! PostgreSQL likes, so map them by their id, never by their position. Keys with no row are
//! simply missing from the map. Two queries for the whole page instead of 1 + N.
//!
//! In Rust, `async-graphql` derives the schema from your types: `#[derive(SimpleObject)]` makes
//! a struct's fields GraphQL fields (`author_id` becomes `authorId`; `#[graphql(skip)]` hides
//! one), `#[ComplexObject]` adds computed fields to it, `#[Object]` turns an `impl` block's
//! `async fn`s into fields with arguments. A resolver reaches shared things (the pool, the
//! loader) through `ctx.data::<T>()`, put there by `Schema::build(...).data(value)`. It returns
//! `async_graphql::Result<T>`; an `async_graphql::Error` built with `Error::new(message)` and
//! given a code with `.extend_with(|_, e| e.set("code", "NOT_FOUND"))` (trait
//! `ErrorExtensions`) becomes one entry of `errors`, with its path and location filled in by
//! the library. `async_graphql_axum::GraphQL::new(schema)` is a tower service that reads the
//! request, runs it and writes the answer: route it with `post_service`.
//!
//! What production GraphQL adds: limits on query depth and complexity
//! (`SchemaBuilder::limit_depth`, `limit_complexity`), because one small query can ask for a
//! huge tree; a loader per request when it caches (so that one user's request never sees
//! another's cached rows); internal errors logged in full and sent as a bare "internal error";
//! persisted queries, so that clients send a hash instead of the text.
//!
//! - <https://spec.graphql.org/October2021/#sec-Errors>
//! - <https://graphql.github.io/graphql-over-http/draft/>
//! - <https://async-graphql.github.io/async-graphql/en/dataloader.html>
//! - <https://docs.rs/async-graphql/7/async_graphql/dataloader/index.html>
//! - <https://docs.rs/async-graphql-axum/7/async_graphql_axum/struct.GraphQL.html>
//!
//! The tests create these tables:
//!
//! ```sql
//! CREATE TABLE authors (id int PRIMARY KEY, name text NOT NULL);
//! CREATE TABLE books (
//!     id        int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
//!     title     text NOT NULL,
//!     year      int NOT NULL,
//!     author_id int NOT NULL REFERENCES authors
//! );
//! ```
//!
//! Your task: `coded`, the resolvers of `Query` and `Mutation`, `Book.author` through the
//! loader, `AuthorLoader::load`, then `schema` and `app`.
//!
//! Run `cargo xtask check 10_graphql` to check your work; `cargo xtask hint 10_graphql` gives
//! a hint.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{
    ComplexObject, Context, EmptySubscription, Error, ErrorExtensions, Object, Result, Schema,
    SimpleObject,
};
use async_graphql_axum::GraphQL;
use axum::Router;
use axum::routing::post_service;
use sqlx::PgPool;

/// The schema served at `/graphql`: queries, mutations, no subscriptions.
pub type LibrarySchema = Schema<Query, Mutation, EmptySubscription>;

/// `type Author { id: Int!, name: String! }`
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
pub struct Author {
    pub id: i32,
    pub name: String,
}

/// `type Book { id: Int!, title: String!, year: Int!, author: Author! }`: the row's
/// `author_id` stays out of the schema; `author` is computed in the `ComplexObject` below.
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct Book {
    pub id: i32,
    pub title: String,
    pub year: i32,
    #[graphql(skip)]
    pub author_id: i32,
}

#[ComplexObject]
impl Book {
    /// The book's author, loaded in one batch with the authors of every other book of the
    /// answer.
    async fn author(&self, ctx: &Context<'_>) -> Result<Author> {
        // TODO: ask the schema's `DataLoader<AuthorLoader>` for this one author; never query
        // the database here (this runs once per book). No author is an internal error.
        todo!("load the author of book {} through the loader", self.id)
    }
}

/// Loads authors by id, many at a time.
pub struct AuthorLoader {
    pub pool: PgPool,
}

impl Loader<i32> for AuthorLoader {
    type Value = Author;
    type Error = Error;

    /// The authors whose ids are in `ids` (each id once), in one query, mapped by id.
    async fn load(&self, ids: &[i32]) -> Result<HashMap<i32, Author>, Error> {
        // TODO: one query for all the ids, and each row filed under its own id.
        todo!("load the authors {ids:?} in one query")
    }
}

/// The root of every query.
pub struct Query;

#[Object]
impl Query {
    /// Every author, by id.
    async fn authors(&self, ctx: &Context<'_>) -> Result<Vec<Author>> {
        // TODO: the pool is in the schema's data; a database error is `internal`.
        todo!("list every author")
    }

    /// The author with this id, or `null`.
    async fn author(&self, ctx: &Context<'_>, id: i32) -> Result<Option<Author>> {
        // TODO: `None` becomes `null` in the answer.
        todo!("find author {id}")
    }

    /// Every book, by id.
    async fn books(&self, ctx: &Context<'_>) -> Result<Vec<Book>> {
        // TODO: the books only; each book's `author` field resolves itself.
        todo!("list every book")
    }
}

/// The root of every mutation.
pub struct Mutation;

#[Object]
impl Mutation {
    /// Adds a book and answers it, its new id included.
    ///
    /// - a title that is empty or only spaces: the error `title must not be blank`, code
    ///   `BAD_USER_INPUT`, and nothing is stored;
    /// - an `authorId` with no author: the error `author 99 not found` (its id), code
    ///   `NOT_FOUND`, and nothing is stored.
    async fn add_book(
        &self,
        ctx: &Context<'_>,
        title: String,
        year: i32,
        author_id: i32,
    ) -> Result<Book> {
        // TODO: refuse a blank title, insert, and tell an unknown author (the foreign key
        // knows) from any other database error.
        todo!("add the book {title:?} ({year}) by author {author_id}")
    }
}

/// The schema, with the pool and an author loader in its data for the resolvers.
pub fn schema(pool: PgPool) -> LibrarySchema {
    // TODO: `Schema::build`, with the pool and a `DataLoader` of an `AuthorLoader` as data.
    todo!("build the schema")
}

/// The app: the schema served at `POST /graphql`.
pub fn app(pool: PgPool) -> Router {
    // TODO: route POST /graphql to the schema, served by `async_graphql_axum::GraphQL`.
    todo!("serve the schema at POST /graphql")
}

/// An error for the client, with a machine-readable `code` in its `extensions`.
fn coded(message: &str, code: &'static str) -> Error {
    // TODO: an `Error` with `message`, extended with `code` under "code".
    todo!("an error {message:?} with code {code}")
}

/// An internal error as the client sees it: `internal error`, code `INTERNAL_SERVER_ERROR`.
/// The details go to the log; they may show SQL or the schema to a stranger.
fn internal(error: impl std::fmt::Display) -> Error {
    tracing::error!(%error, "a resolver failed");
    coded("internal error", "INTERNAL_SERVER_ERROR")
}
