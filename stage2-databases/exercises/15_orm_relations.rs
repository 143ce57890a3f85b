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
//! A filter across the relation falls into the same trap: finding the matching authors, then
//! asking for each one's posts, is 1 + N again. Let the database join and filter in one
//! statement (below), or load the posts of all the matching authors at once.
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
//! **A prefix typed by a user is not a pattern.** In `LIKE`, `%` matches any run of characters
//! and `_` any one character, so `name LIKE 'A_a%'` finds "Ada", and a search for `%` finds
//! everyone. sea-orm's `Column::starts_with(p)` is exactly `LIKE 'p%'`, with `p` as given: to
//! find names that start with what the user typed, put a `\` before each `%`, `_` and `\` of
//! it (backslash is PostgreSQL's LIKE escape; `LikeExpr::new(pattern).escape('\\')` says so
//! explicitly) and pass the pattern to `Column::like`. (PostgreSQL also has a function,
//! `starts_with(name, 'A')`, that takes its argument literally.) Forgetting this is how a
//! search box becomes a "list every user" button.
//!
//! Docs: <https://www.sea-ql.org/SeaORM/docs/relation/one-to-many/>,
//! <https://www.sea-ql.org/SeaORM/docs/relation/data-loader/>,
//! <https://docs.rs/sea-orm/2/sea_orm/query/struct.Select.html#method.find_with_related>,
//! <https://docs.rs/sea-orm/2/sea_orm/trait.LoaderTrait.html>,
//! <https://www.postgresql.org/docs/15/functions-matching.html#FUNCTIONS-LIKE>.
//!
//! Your task: declare the relation on both entities, then write the two queries, each in a
//! number of statements that does not grow with the number of authors.
//!
//! Run `cargo xtask check 15_orm_relations` to check your work; `cargo xtask hint 15_orm_relations` gives a hint.

use sea_orm::entity::prelude::*;
use sea_orm::sea_query::LikeExpr;
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

    // TODO: an author has many posts (the other side of post's foreign key).
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    // TODO: say that an author reaches its posts through that relation (`Related`).

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

    // TODO: a post belongs to an author, through `author_id` → `authors.id`.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    // TODO: say that a post reaches its author through that relation (`Related`).

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
    // TODO: every author with their posts, both in id order, in one or two statements
    // whether there are 6 authors or 6 000.
    todo!("load the authors with their posts, without a query per author")
}

/// The posts whose author's name starts with `prefix`, taken literally and case-sensitively
/// (`"A_a"` does not find "Ada"), newest first, each with its author.
pub async fn posts_by_authors_starting_with(
    db: &DatabaseConnection,
    prefix: &str,
) -> Result<Vec<(post::Model, author::Model)>, DbErr> {
    // TODO: the posts of the authors whose name starts with `prefix` as typed (a `%` or `_` in
    // it is just a character), newest first, each with its author; one or two statements
    // however many authors match.
    todo!("find the posts of the authors whose name starts with the prefix, newest first")
}
