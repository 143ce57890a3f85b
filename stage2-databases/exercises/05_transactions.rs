//! # Exercise 05: transactions and row locks
//!
//! Moving money is two updates: take it from one account, give it to another. Between them
//! anything can happen: the process crashes, the second statement fails, another request runs
//! the same code at the same moment. A backend has to make such multi-step changes correct
//! anyway, and the database gives it two tools.
//!
//! **A transaction** makes several statements one unit: after `BEGIN`, either `COMMIT` makes all
//! their changes visible at once, or `ROLLBACK` (or a dropped connection) undoes all of them.
//! That is the A of ACID, atomicity. In sqlx, `pool.begin().await?` returns a `Transaction`
//! that holds one connection; run statements on it with `.execute(&mut *tx)`, finish with
//! `tx.commit().await?`. A `Transaction` dropped without `commit` rolls back, so an early
//! `return Err(…)` or a `?` undoes everything, which is exactly what you want.
//!
//! **A transaction alone does not stop races.** PostgreSQL's default isolation level, READ
//! COMMITTED, lets two transactions read the same balance of 100, both decide that 80 can be
//! taken, and both take it: the balance ends at -60 (check-then-act), or, if each writes the
//! value it computed in Rust, one of the updates is silently lost (a lost update). The fix is
//! to lock the rows you are about to change before you read them: `SELECT … FOR UPDATE` makes
//! any other transaction that wants to lock or change the same rows wait until you commit, and
//! then see your result.
//!
//! **Locks can deadlock.** If one transfer locks account 1 then waits for account 2, while
//! another locks 2 then waits for 1, neither can continue. PostgreSQL notices after a second
//! (`deadlock_timeout`) and aborts one of them with `deadlock detected` (error code 40P01).
//! The standard cure: every transaction takes its locks in one agreed order, e.g. by
//! ascending id, whatever the order of its arguments. Mind that a query returns rows in
//! whatever order its plan finds them unless it says `ORDER BY`, and locks them in that order.
//! (The other common design is `SERIALIZABLE` isolation with a retry loop on error 40001.)
//!
//! Production code also adds `CHECK (balance_cents >= 0)` to the table as a last line of
//! defence; this exercise's table has none, so that the tests see every overdraft your code
//! lets through.
//!
//! - <https://docs.rs/sqlx/latest/sqlx/struct.Transaction.html>
//! - <https://www.postgresql.org/docs/15/transaction-iso.html>
//! - <https://www.postgresql.org/docs/15/explicit-locking.html#LOCKING-ROWS>
//! - <https://www.postgresql.org/docs/15/sql-select.html#SQL-FOR-UPDATE-SHARE>
//!
//! The tests create and fill this table:
//!
//! ```sql
//! CREATE TABLE accounts (
//!     id            bigint PRIMARY KEY,
//!     owner         text NOT NULL,
//!     balance_cents bigint NOT NULL
//! );
//! ```
//!
//! Your task: write `transfer`. It must be atomic (all or nothing), never overdraw an account,
//! lose no update when 200 transfers run at once on 10 connections, and never deadlock. The
//! tests play the other transfers themselves: they hold an account's lock and watch what
//! yours does meanwhile.
//!
//! Run `cargo xtask check 05_transactions` to check your work; `cargo xtask hint 05_transactions`
//! gives a hint.

use sqlx::PgPool;

/// One row of the `accounts` table.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub owner: String,
    pub balance_cents: i64,
}

/// Why a transfer did not happen. In every case, no balance changed.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// The source account holds less than the amount.
    #[error("insufficient funds")]
    InsufficientFunds,
    /// No account has this id (the source or the destination).
    #[error("unknown account {0}")]
    UnknownAccount(i64),
    /// The database refused a statement, or the connection failed.
    #[error("database error")]
    Database(#[from] sqlx::Error),
}

/// Moves `amount_cents` (> 0) from account `from` to account `to`, all or nothing.
///
/// Errors: `UnknownAccount(id)` if either account does not exist (the source is checked
/// first), `InsufficientFunds` if `from` holds less than `amount_cents` (holding exactly the
/// amount is enough), `Database` for anything the database refuses.
pub async fn transfer(
    pool: &PgPool,
    from: i64,
    to: i64,
    amount_cents: i64,
) -> Result<(), TransferError> {
    // TODO: check that both accounts exist (the source first) and that the source holds the
    // amount, then debit one and credit the other: all of it or nothing. Other transfers run
    // at the same moment, between the same accounts, in both directions; none may decide on a
    // balance that another is changing, and none may end up waiting for another that waits
    // for it.
    todo!("move amount_cents from one account to another in one transaction")
}
