//! mistake: the batched comments query has no ORDER BY: each post's comments come in storage order
//! # Exercise 07: the N+1 query problem
//!
//! Two statements whatever the page size: the posts JOINed with their authors (to-one), then
//! every comment of those posts in one batch, `WHERE post_id = ANY($1)` (to-many), grouped by
//! post in Rust.
//!
//! - <https://docs.rs/sqlx/latest/sqlx/postgres/types/index.html>
//! - <https://www.postgresql.org/docs/15/functions-comparisons.html>

use std::collections::HashMap;

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

/// One row of the posts-with-authors query.
#[derive(sqlx::FromRow)]
struct PostRow {
    id: i32,
    title: String,
    author_id: i32,
    author_name: String,
}

/// The `limit` newest posts (highest id first), each with its author and its comments, in at
/// most 3 statements.
pub async fn load_feed(pool: &PgPool, limit: i64) -> Result<Vec<PostWithDetails>, sqlx::Error> {
    let posts: Vec<PostRow> = sqlx::query_as(
        "SELECT p.id, p.title, a.id AS author_id, a.name AS author_name
         FROM posts p JOIN authors a ON a.id = p.author_id
         ORDER BY p.id DESC
         LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?;

    let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
    let comments: Vec<(i32, i32, String)> =
        sqlx::query_as("SELECT post_id, id, body FROM comments WHERE post_id = ANY($1)")
            .bind(ids)
            .fetch_all(pool)
            .await?;

    // Pushed in id order, so each post's comments stay oldest first.
    let mut by_post: HashMap<i32, Vec<Comment>> = HashMap::new();
    for (post_id, id, body) in comments {
        by_post
            .entry(post_id)
            .or_default()
            .push(Comment { id, body });
    }

    Ok(posts
        .into_iter()
        .map(|p| PostWithDetails {
            id: p.id,
            title: p.title,
            author: Author {
                id: p.author_id,
                name: p.author_name,
            },
            comments: by_post.remove(&p.id).unwrap_or_default(),
        })
        .collect())
}
