//! mistake: delete_task turns a database error into false ("there was none")
//! # Exercise 14: ORM entities and CRUD with sea-orm, reference solution
//!
//! The entity maps the table; an `ActiveModel` says which columns to write (`Set`), which to
//! leave to the database (`NotSet`) and which are only known (`Unchanged`).

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
        // The column's name differs from the field's.
        #[sea_orm(column_name = "due_on")]
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
    let task = task::ActiveModel {
        // `serial`: the database picks the id, and RETURNING hands it back.
        id: NotSet,
        title: Set(title.to_string()),
        done: Set(false),
        due: Set(due),
    };
    task.insert(db).await
}

/// The task with this id, if any.
pub async fn find_task(db: &DatabaseConnection, id: i32) -> Result<Option<task::Model>, DbErr> {
    task::Entity::find_by_id(id).one(db).await
}

/// The tasks that are not done, in id order.
pub async fn open_tasks(db: &DatabaseConnection) -> Result<Vec<task::Model>, DbErr> {
    task::Entity::find()
        .filter(task::Column::Done.eq(false))
        .order_by_asc(task::Column::Id)
        .all(db)
        .await
}

/// Marks the task done and returns it as stored now; `None` if there is no such task.
pub async fn complete_task(db: &DatabaseConnection, id: i32) -> Result<Option<task::Model>, DbErr> {
    // The id is `Unchanged`: known (it goes into the WHERE), not written. Only `done` is Set,
    // so the statement is `UPDATE tasks SET done = $1 WHERE id = $2 RETURNING …`.
    let task = task::ActiveModel {
        id: Unchanged(id),
        done: Set(true),
        ..Default::default()
    };
    match task.update(db).await {
        Ok(model) => Ok(Some(model)),
        // No row had that id.
        Err(DbErr::RecordNotUpdated) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Deletes the task; returns whether there was one.
pub async fn delete_task(db: &DatabaseConnection, id: i32) -> Result<bool, DbErr> {
    let result = task::Entity::delete_by_id(id).exec(db).await;
    Ok(result.is_ok_and(|r| r.rows_affected == 1))
}
