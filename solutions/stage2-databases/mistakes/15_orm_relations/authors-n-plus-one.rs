//! mistake: authors_with_posts queries the posts of each author in a loop: 1 + N statements
//! # Exercise 15: ORM relations with sea-orm, reference solution
//!
//! `belongs_to` / `has_many` plus `Related` impls let sea-orm write the joins; eager loading
//! (`load_many`, or `find_with_related`) fetches the authors with their posts in a fixed
//! number of queries instead of one per author.

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

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        // The foreign key is on the other side; sea-orm finds it through post's `belongs_to`.
        #[sea_orm(has_many = "super::post::Entity")]
        Post,
    }

    impl Related<super::post::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Post.def()
        }
    }

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

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "super::author::Entity",
            from = "Column::AuthorId",
            to = "super::author::Column::Id"
        )]
        Author,
    }

    impl Related<super::author::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Author.def()
        }
    }

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
    // The data loader: one query for the authors, one `WHERE author_id IN (…)` for all their
    // posts (ordered by id when given the bare entity). `find_with_related` would do it in one
    // query with a LEFT JOIN.
    let authors = author::Entity::find()
        .order_by_asc(author::Column::Id)
        .all(db)
        .await?;
    let mut loaded = Vec::new();
    for author in authors {
        let posts = author
            .find_related(post::Entity)
            .order_by_asc(post::Column::Id)
            .all(db)
            .await?;
        loaded.push((author, posts));
    }
    Ok(loaded)
}

/// The posts whose author's name starts with `prefix` (case-sensitive, like SQL's `LIKE`),
/// newest first, each with its author.
pub async fn posts_by_authors_starting_with(
    db: &DatabaseConnection,
    prefix: &str,
) -> Result<Vec<(post::Model, author::Model)>, DbErr> {
    // One query: posts INNER JOIN authors, filtered and ordered in the database.
    post::Entity::find()
        .find_both_related(author::Entity)
        .filter(author::Column::Name.like(LikeExpr::new(like_prefix(prefix)).escape('\\')))
        .order_by_desc(post::Column::PublishedAt)
        .order_by_desc(post::Column::Id)
        .all(db)
        .await
}

/// The LIKE pattern of the names that start with `prefix` itself: `%` and `_` are wildcards
/// in a pattern, so each one the user typed (and the escape character) is escaped.
/// sea-orm's `starts_with` does not do this.
fn like_prefix(prefix: &str) -> String {
    let mut pattern = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}
