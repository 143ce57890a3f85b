//! # Exercise 15: ORM relations with sea-orm (and the N+1 problem)
//!
//! Tables point at each other with foreign keys: every post has an `author_id`. An ORM turns
//! that into *relations* between entities, so that you can ask for "the authors with their
//! posts" or "posts whose author is called A…" and let it write the `JOIN`.
//!
//! **The N+1 problem.** The obvious code loads the authors (1 query), then, in a loop, the
//! posts of each author (N queries). With 50 authors on a page that is 51 round trips to the
//! database, each a few hundred microseconds at best: the page gets slower with every row, and
//! nothing in the code looks wrong. It is the most common performance bug of ORM code (Rails,
//! Django and Hibernate users know it well). The fixes are *eager loading*:
//! - one query with a `JOIN`: `author::Entity::find().find_with_related(post::Entity)`
//!   (`SELECT … FROM authors LEFT JOIN posts …`; sea-orm groups the rows into
//!   `Vec<(author::Model, Vec<post::Model>)>`). Authors with no post come back with `[]`;
//!   each author's columns are repeated on every one of its posts' rows.
//! - two queries, the *data loader* way: load the authors, then
//!   `authors.load_many(post::Entity, db)` (trait `LoaderTrait`) runs one
//!   `SELECT … FROM posts WHERE author_id IN (…)` and returns the posts of each author in the
//!   same order as `authors`. No repeated columns; this is also what GraphQL servers do.
//!
//! **Declaring relations (sea-orm's "compact" entity format).** Each entity's `Relation` enum
//! lists its relations, and `Related<Other>` says which one to use to reach `Other`:
//!
//! ```text
//! // in post:   the foreign key is here
//! #[sea_orm(belongs_to = "super::author::Entity", from = "Column::AuthorId", to = "super::author::Column::Id")]
//! Author,
//! impl Related<super::author::Entity> for Entity { fn to() -> RelationDef { Relation::Author.def() } }
//!
//! // in author: the other side
//! #[sea_orm(has_many = "super::post::Entity")]
//! Post,
//! impl Related<super::post::Entity> for Entity { fn to() -> RelationDef { Relation::Post.def() } }
//! ```
//!
//! With those, queries cross the relation: `post::Entity::find().inner_join(author::Entity)`
//! joins the authors (their columns can then appear in `.filter(…)` and `.order_by_…(…)`),
//! `find_also_related(author::Entity)` also returns each post's author (a `LEFT JOIN`, so an
//! `Option`), and `find_both_related(author::Entity)` does it with an `INNER JOIN`.
//! (sea-orm 2 also has a "dense" entity format, `#[sea_orm::model]` with relation fields such
//! as `pub posts: HasMany<super::post::Entity>` and an entity loader,
//! `author::Entity::load().with(post::Entity)`. The compact format used here is what most
//! existing code and sea-orm-cli's default output look like, and sea-orm 2 fully supports it.)
//!
//! Docs: <https://www.sea-ql.org/SeaORM/docs/relation/one-to-many/>,
//! <https://www.sea-ql.org/SeaORM/docs/relation/data-loader/>,
//! <https://docs.rs/sea-orm/2/sea_orm/query/struct.Select.html#method.find_with_related>,
//! <https://docs.rs/sea-orm/2/sea_orm/trait.LoaderTrait.html>.
//!
//! Your task: declare the relation on both entities, then write the two queries without N+1.
//!
//! Run `cargo xtask check 15_orm_relations` to check your work; `cargo xtask hint 15_orm_relations` gives a hint.

use sea_orm::entity::prelude::*;
use sea_orm::{DatabaseConnection, LoaderTrait, QueryOrder};

pub mod author {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "authors")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
    }

    // TODO: an author has many posts: a `Post` variant with `#[sea_orm(has_many = …)]`.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    // TODO: `impl Related<super::post::Entity> for Entity`.

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod post {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "posts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub author_id: i32,
        pub title: String,
        pub published_at: DateTimeUtc,
    }

    // TODO: a post belongs to an author: an `Author` variant with
    // `#[sea_orm(belongs_to = …, from = …, to = …)]`.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    // TODO: `impl Related<super::author::Entity> for Entity`.

    impl ActiveModelBehavior for ActiveModel {}
}

/// Creates the two tables (provided). The index on `posts.author_id` is what makes
/// "the posts of these authors" fast, whichever way it is asked.
pub async fn create_tables(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared(
        "CREATE TABLE authors (
             id serial PRIMARY KEY,
             name text NOT NULL
         );
         CREATE TABLE posts (
             id serial PRIMARY KEY,
             author_id integer NOT NULL REFERENCES authors (id),
             title text NOT NULL,
             published_at timestamptz NOT NULL
         );
         CREATE INDEX posts_author_id_idx ON posts (author_id);",
    )
    .await?;
    Ok(())
}

/// Every author in id order, each with its posts in id order (`[]` for an author with none),
/// in at most two statements however many authors there are.
pub async fn authors_with_posts(
    db: &DatabaseConnection,
) -> Result<Vec<(author::Model, Vec<post::Model>)>, DbErr> {
    // TODO: eager loading: find_with_related (one query) or load_many (two).
    todo!("load the authors with their posts, without a query per author")
}

/// The posts whose author's name starts with `prefix` (case-sensitive, like SQL's `LIKE`),
/// newest first, each with its author.
pub async fn posts_by_authors_starting_with(
    db: &DatabaseConnection,
    prefix: &str,
) -> Result<Vec<(post::Model, author::Model)>, DbErr> {
    // TODO: join the authors, filter on author::Column::Name, order by post::Column::PublishedAt.
    todo!("find the posts of the authors whose name starts with the prefix, newest first")
}
