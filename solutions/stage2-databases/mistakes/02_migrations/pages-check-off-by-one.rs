//! mistake: CHECK (pages >= 0) lets a book of 0 pages in
//! # Exercise 02: schema, constraints and migrations
//!
//! **Constraints are rules the database enforces for every writer**: your service, tomorrow's
//! admin script, a colleague in `psql`. Application checks can be skipped or raced; these
//! cannot. PostgreSQL refuses the statement and says which rule broke with a five-character
//! SQLSTATE code (<https://www.postgresql.org/docs/15/errcodes-appendix.html>):
//!
//! | constraint | refuses | SQLSTATE |
//! |---|---|---|
//! | `NOT NULL` | a missing value | `23502` |
//! | `FOREIGN KEY … REFERENCES authors (id)` | a book whose author does not exist | `23503` |
//! | `UNIQUE`, `PRIMARY KEY` | a second row with the same value | `23505` |
//! | `CHECK (pages > 0)` | a row for which the condition is false | `23514` |
//!
//! In sqlx these arrive as `Err(sqlx::Error::Database(e))`; `err.as_database_error()` gives the
//! `e`, whose `code()` is the SQLSTATE and `constraint()` the constraint's name (exercise 08
//! turns them into domain errors). A foreign key also says what happens to the children when
//! the parent row goes. The default, `NO ACTION`, refuses the delete with `23503`, checked at
//! the end of the statement (or at commit, for a key declared `DEFERRABLE INITIALLY DEFERRED`);
//! `ON DELETE RESTRICT` refuses too, but at once and never deferred; `ON DELETE CASCADE` deletes
//! the children too; `ON DELETE SET NULL` empties their column. PostgreSQL indexes primary
//! keys and unique columns by itself but **not** foreign-key columns: without an index on
//! `books (author_id)`, "the books of author 7" and every cascade read the whole table.
//!
//! **Migrations** are how a schema changes over time: numbered SQL scripts, applied in order,
//! each exactly once per database, and never edited after they ran anywhere (you add a new
//! one instead). sqlx's migrator (<https://docs.rs/sqlx/0.9/sqlx/migrate/struct.Migrator.html>)
//! usually reads them from a folder (`sqlx migrate add <name>` creates
//! `migrations/<version>_<name>.sql`, and `sqlx::migrate!()` embeds them in the binary); here
//! they are constants in this file, turned into `sqlx::migrate::Migration` values. When it
//! runs, `Migrator::run` takes a PostgreSQL advisory lock (two instances of the app starting
//! at once do not both migrate), creates its `_sqlx_migrations` table if needed, skips every
//! version already recorded there (and refuses with `VersionMismatch` when an applied one's
//! checksum changed), and applies each new one **in its own transaction together with the
//! row that records it**. PostgreSQL's DDL is transactional, so a migration that fails
//! halfway leaves nothing: neither its tables nor its version. (MySQL's DDL is not, which is
//! why sqlx also knows "dirty" migrations; and a hand-written runner that splits a script on
//! `;` and sends the pieces one by one outside a transaction loses this guarantee.) A few
//! statements refuse to run inside a transaction, above all `CREATE INDEX CONCURRENTLY`, which
//! builds an index without blocking the table's writers (exercise 04): sqlx runs a migration
//! whose file starts with `-- no-transaction` outside one (`no_tx` on a `Migration`), and it
//! then gives up the all-or-nothing guarantee, so such a migration holds that one statement
//! alone. refinery and sea-orm's migrator work the same way with their own history tables.
//!
//! - <https://www.postgresql.org/docs/15/ddl-constraints.html>
//! - <https://docs.rs/sqlx/0.9/sqlx/migrate/struct.Migration.html>
//! - <https://docs.rs/refinery>
//!
//! Your task:
//! 1. Write the SQL of the three migrations in `MIGRATIONS`, so that after all three:
//!    ```text
//!    authors: id         bigint, generated always as identity, primary key
//!             name       text, not null
//!             email      text, not null, unique
//!    books:   id         bigint, generated always as identity, primary key
//!             author_id  bigint, not null, references authors (id); deleting an author
//!                        deletes their books
//!             title      text, not null
//!             isbn       text, not null, unique
//!             pages      integer, not null, more than 0
//!             + an index on books (author_id)
//!    then (migration 3, for a database that already has books):
//!             price_cents integer, not null, 0 for the existing books, never negative
//!    ```
//! 2. Write `migrate`, which applies the given migrations with sqlx's `Migrator`.
//!
//! Run `cargo xtask check 02_migrations` to check your work; `cargo xtask hint 02_migrations`
//! gives a hint.

use sqlx::PgPool;
use sqlx::SqlSafeStr;
use sqlx::migrate::{MigrateError, Migration, MigrationType, Migrator};

/// One migration: its version (they are applied in increasing order), a description, and
/// its SQL (one or more statements separated by `;`).
pub type MigrationDef = (i64, &'static str, &'static str);

/// The application's migrations. Never change one after it was applied: add a new one.
pub const MIGRATIONS: &[MigrationDef] = &[
    (
        1,
        "create authors",
        "CREATE TABLE authors (
             id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
             name  text NOT NULL,
             email text NOT NULL UNIQUE
         );",
    ),
    (
        2,
        "create books",
        "CREATE TABLE books (
             id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
             author_id bigint NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
             title     text NOT NULL,
             isbn      text NOT NULL UNIQUE,
             pages     integer NOT NULL CHECK (pages >= 0)
         );
         CREATE INDEX books_author_id_idx ON books (author_id);",
    ),
    (
        3,
        "add book prices",
        "ALTER TABLE books
             ADD COLUMN price_cents integer NOT NULL DEFAULT 0 CHECK (price_cents >= 0);",
    ),
];

/// Applies `migrations` to the database with sqlx's `Migrator`: versions already recorded in
/// `_sqlx_migrations` are skipped, each new one runs in its own transaction.
pub async fn migrate(pool: &PgPool, migrations: &[MigrationDef]) -> Result<(), MigrateError> {
    let migrations = migrations
        .iter()
        .map(|&(version, description, sql)| {
            Migration::new(
                version,
                description.into(),
                MigrationType::Simple,
                sql.into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations).run(pool).await
}
