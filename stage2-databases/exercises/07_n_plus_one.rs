//! # Exercise 07: the N+1 query problem
//!
//! A feed page shows 50 posts, each with its author and its comments. The straightforward code
//! loads the posts (1 query), then, for each post, its author (N queries) and its comments (N
//! more): 101 queries for one page. Each one is a network round trip, a parse and a plan on
//! the server, and a connection held from the pool, so the page's latency grows with its size,
//! and ten users reading the feed at once run a thousand queries. It never shows on a laptop
//! with three rows, and it is the most common reason a backend is slow in production.
//!
//! ORMs make it easy to write by accident: `post.author()` that looks like a field access but
//! runs a query (lazy loading). Every ORM has the cure, loading a relation for many parents at
//! once: Rails' `includes`, Django's `select_related` / `prefetch_related`, sea-orm's
//! `find_also_related` and `LoaderTrait::load_many`, GraphQL's DataLoader (async-graphql's
//! `dataloader`). In SQL, there are two tools, and the number of queries stops depending on N:
//!
//! - **to-one relations: JOIN.** Each post has one author, so `posts JOIN authors` returns one
//!   row per post with the author's columns alongside (name them: `a.name AS author_name`).
//! - **to-many relations: one batched query.** Collect the ids of the page's posts and load all
//!   their comments at once: `WHERE post_id = ANY($1)`, binding a `Vec<i32>` (sqlx sends it as
//!   a PostgreSQL array). Then group them by `post_id` in Rust, e.g. in a
//!   `HashMap<i32, Vec<Comment>>`. (Joining comments too would repeat every post once per
//!   comment; PostgreSQL's `json_agg` can nest them into one row per post instead.)
//!
//! Counting queries is half the story. `SELECT … FROM comments` without a `WHERE` is one query
//! too, and it ships every comment of the table over the network to throw nearly all of them
//! away in Rust: a page must ask only for the rows it shows.
//!
//! Order is part of the result: SQL returns rows in no particular order without `ORDER BY`,
//! so sort the batched comments in the query, and keep the posts' order when you assemble.
//!
//! - <https://docs.rs/sqlx/latest/sqlx/postgres/types/index.html> (arrays: `Vec<T>` binds as `T[]`)
//! - <https://www.postgresql.org/docs/15/functions-comparisons.html> (`expression = ANY (array)`)
//! - <https://www.sea-ql.org/SeaORM/docs/relation/data-loader/>
//!
//! The tests create and fill these tables (60 posts by 5 authors, 0 to 3 comments each):
//!
//! ```sql
//! CREATE TABLE authors  (id int PRIMARY KEY, name text NOT NULL);
//! CREATE TABLE posts    (id int PRIMARY KEY, author_id int NOT NULL REFERENCES authors,
//!                        title text NOT NULL);
//! CREATE TABLE comments (id int PRIMARY KEY, post_id int NOT NULL REFERENCES posts,
//!                        body text NOT NULL);
//! ```
//!
//! Your task: write `load_feed`, which returns exactly what `load_feed_naive` returns, in at
//! most 3 statements whatever the limit, and receives only the rows the page shows. The tests
//! count the statements that reach the server and the rows that come back.
//!
//! Run `cargo xtask check 07_n_plus_one` to check your work; `cargo xtask hint 07_n_plus_one`
//! gives a hint.

use sqlx::PgPool;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Author {
    pub id: i32,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Comment {
    pub id: i32,
    pub body: String,
}

/// A post as the feed shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostWithDetails {
    pub id: i32,
    pub title: String,
    pub author: Author,
    /// Oldest first (by id); empty if nobody commented.
    pub comments: Vec<Comment>,
}

/// The feed the slow way, given for contrast: 1 query for the posts, then 2 per post.
pub async fn load_feed_naive(
    pool: &PgPool,
    limit: i64,
) -> Result<Vec<PostWithDetails>, sqlx::Error> {
    let posts: Vec<(i32, i32, String)> =
        sqlx::query_as("SELECT id, author_id, title FROM posts ORDER BY id DESC LIMIT $1")
            .bind(limit)
            .fetch_all(pool)
            .await?;
    let mut feed = Vec::with_capacity(posts.len());
    for (id, author_id, title) in posts {
        let author: Author = sqlx::query_as("SELECT id, name FROM authors WHERE id = $1")
            .bind(author_id)
            .fetch_one(pool)
            .await?;
        let comments: Vec<Comment> =
            sqlx::query_as("SELECT id, body FROM comments WHERE post_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(pool)
                .await?;
        feed.push(PostWithDetails {
            id,
            title,
            author,
            comments,
        });
    }
    Ok(feed)
}

/// The `limit` newest posts (highest id first), each with its author and its comments, in at
/// most 3 statements.
pub async fn load_feed(pool: &PgPool, limit: i64) -> Result<Vec<PostWithDetails>, sqlx::Error> {
    // TODO: the same feed as `load_feed_naive`, posts newest first and each post's comments
    // oldest first, in a number of statements that does not grow with `limit` (3 at most),
    // asking the database only for the page's posts, their authors and their comments.
    todo!("load the feed in a constant number of queries")
}
