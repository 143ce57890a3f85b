//! # Exercise 14: ORM entities and CRUD with sea-orm
//!
//! So far you wrote every statement yourself with sqlx. An ORM (object-relational mapper)
//! writes the common ones for you from a description of the table: you say *what* (this row,
//! these columns changed) and it produces the `INSERT … RETURNING`, the `UPDATE … SET` of
//! exactly the changed columns, the `SELECT … WHERE … ORDER BY`. In Rust the main ORMs are
//! sea-orm (async, on top of sqlx, used here) and Diesel (sync, checks queries at compile time).
//! Rails' ActiveRecord, Django's ORM and Hibernate are the same idea in other languages.
//!
//! sea-orm's vocabulary (version 2):
//! - **Entity**: the table. `#[derive(DeriveEntityModel)]` on a `Model` struct inside a module
//!   generates the rest: `Entity` (the table, for queries), `Column` (an enum with one variant
//!   per field: `Column::Done`), `PrimaryKey`, and `ActiveModel`. Names follow conventions
//!   (field `due` is column `due`) unless an attribute says otherwise:
//!   `#[sea_orm(table_name = "tasks")]`, `#[sea_orm(primary_key)]`,
//!   `#[sea_orm(column_name = "due_on")]`. sea-orm-cli generates these modules from an
//!   existing database (`sea-orm-cli generate entity`).
//! - **Model**: a plain struct, one row as read. What queries return.
//! - **ActiveModel**: a row being written. Every field is an `ActiveValue`: `Set(v)` (write
//!   this), `NotSet` (leave it to the database, e.g. a `serial` id or a `DEFAULT`) or
//!   `Unchanged(v)` (known, not written). `task::ActiveModel { title: Set(..), ..Default::default() }`
//!   starts all fields as `NotSet`. `model.into_active_model()` (or `.into()`) turns a
//!   `Model` into an `ActiveModel` with every field `Unchanged`; after `active.done = Set(true)`,
//!   `active.update(db)` sends `UPDATE tasks SET done = $1 WHERE id = $2 RETURNING …`: only the
//!   column you set, so it cannot overwrite a concurrent change to another column.
//! - **Queries**: `task::Entity::find()` is a `SELECT`; `.filter(task::Column::Done.eq(false))`
//!   (trait `ColumnTrait`), `.order_by_asc(task::Column::Id)` (trait `QueryOrder`), then
//!   `.all(db)`, `.one(db)`. `find_by_id(id)` and `delete_by_id(id)` use the primary key.
//!   Writes: `active.insert(db)` returns the inserted `Model` (PostgreSQL's `RETURNING`);
//!   `delete_by_id(id).exec(db)` returns a `DeleteResult` with `rows_affected`.
//! - **Connection**: a `DatabaseConnection`, which wraps a sqlx pool. The tests make it with
//!   `SqlxPostgresConnector::from_sqlx_postgres_pool(pool)` (or `Database::connect(url)`).
//!   Errors are `DbErr`.
//! - **"Not found" is not an error, and an error is not "not found".** `.one(db)` answers
//!   `Ok(None)` when no row matches; `update` on an `ActiveModel` whose row is missing fails
//!   with the one variant `DbErr::RecordNotUpdated`. Every other `DbErr` (a constraint the
//!   statement breaks, a missing table, a lost connection) means the database could not do
//!   it. Code that turns those into `None` or `false` (`.ok()`, `unwrap_or(false)`,
//!   `Err(_) => Ok(None)`) tells the caller "no such task" while the database is failing: a
//!   404 instead of a 500, and nobody is paged. Match the one variant you expect and pass
//!   the rest on.
//!
//! Most methods come from traits: `use sea_orm::entity::prelude::*;` brings `EntityTrait`,
//! `ActiveModelTrait`, `ColumnTrait` and friends; `QueryOrder` and `ActiveValue::Set` are
//! imported below.
//!
//! Docs: <https://www.sea-ql.org/SeaORM/docs/generate-entity/entity-structure/>,
//! <https://www.sea-ql.org/SeaORM/docs/basic-crud/basic-schema/>,
//! <https://docs.rs/sea-orm/2/sea_orm/entity/trait.ActiveModelTrait.html>,
//! <https://docs.rs/sea-orm/2/sea_orm/entity/trait.EntityTrait.html>.
//!
//! Your task: finish the entity (one attribute), then write the five functions.
//!
//! Run `cargo xtask check 14_orm_entities` to check your work; `cargo xtask hint 14_orm_entities` gives a hint.

use sea_orm::ActiveValue::{NotSet, Set, Unchanged};
use sea_orm::entity::prelude::*;
use sea_orm::{DatabaseConnection, QueryOrder};

/// The `tasks` table as sea-orm sees it.
pub mod task {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "tasks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub title: String,
        pub done: bool,
        // TODO: the column in the table is called `due_on`, not `due`: tell sea-orm the
        // column's name (the Rust side keeps `due` and `Column::Due`).
        pub due: Option<Date>,
    }

    /// Relations to other entities: none here (the next exercise is about them).
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    /// Hooks around saving (`before_save`, `after_save`…); the defaults do nothing.
    impl ActiveModelBehavior for ActiveModel {}
}

/// Creates the table the entity maps (provided). `execute_unprepared` runs raw SQL.
pub async fn create_table(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared(
        "CREATE TABLE tasks (
             id serial PRIMARY KEY,
             title text NOT NULL,
             done boolean NOT NULL DEFAULT false,
             due_on date
         )",
    )
    .await?;
    Ok(())
}

/// Inserts an open task and returns it as stored (with its new id).
pub async fn create_task(
    db: &DatabaseConnection,
    title: &str,
    due: Option<Date>,
) -> Result<task::Model, DbErr> {
    // TODO: insert an open task with this title and due date; the database chooses the id.
    // Return the row as PostgreSQL stored it.
    todo!("insert a task with an ActiveModel")
}

/// The task with this id, if any.
pub async fn find_task(db: &DatabaseConnection, id: i32) -> Result<Option<task::Model>, DbErr> {
    // TODO: look the task up by its primary key. `None` means only "no row has this id": a
    // failing database is an error.
    todo!("find a task by its primary key")
}

/// The tasks that are not done, in id order.
pub async fn open_tasks(db: &DatabaseConnection) -> Result<Vec<task::Model>, DbErr> {
    // TODO: the tasks that are not done, in id order whatever order the table keeps its rows in.
    todo!("list the open tasks")
}

/// Marks the task done and returns it as stored now; `None` if there is no such task.
pub async fn complete_task(db: &DatabaseConnection, id: i32) -> Result<Option<task::Model>, DbErr> {
    // TODO: set `done` on this one task, writing no other column, and return the row as it is
    // now. No such task is `Ok(None)`; any other failure (a constraint the update breaks, a
    // lost connection) is an error the caller must see.
    todo!("mark a task done")
}

/// Deletes the task; returns whether there was one.
pub async fn delete_task(db: &DatabaseConnection, id: i32) -> Result<bool, DbErr> {
    // TODO: delete the task by its id; `true` if a row was deleted. A failing database is an
    // error, not `false`.
    todo!("delete a task")
}
