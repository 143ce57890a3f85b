//! mistake: the rows are locked with FOR UPDATE but without ORDER BY: in whatever order the scan finds them
//! # Exercise 05: transactions and row locks
//!
//! One transaction makes the debit and the credit all or nothing; `SELECT … FOR UPDATE` locks
//! both accounts before their balances are read, so concurrent transfers wait for each other
//! instead of overdrawing or losing updates; locking in ascending id order (`ORDER BY id`: the
//! plan's order otherwise, which changes as rows are updated) means two transfers never wait
//! for each other in a circle (a deadlock).
//!
//! - <https://docs.rs/sqlx/latest/sqlx/struct.Transaction.html>
//! - <https://www.postgresql.org/docs/15/explicit-locking.html#LOCKING-ROWS>

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
    let mut tx = pool.begin().await?;

    // Both rows are locked in ascending id order, whichever way the money goes: two transfers
    // between the same accounts queue up instead of deadlocking.
    let locked: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, balance_cents FROM accounts WHERE id = ANY($1) FOR UPDATE")
            .bind(vec![from, to])
            .fetch_all(&mut *tx)
            .await?;
    let balance_of = |id: i64| locked.iter().find(|(i, _)| *i == id).map(|&(_, b)| b);

    let available = balance_of(from).ok_or(TransferError::UnknownAccount(from))?;
    balance_of(to).ok_or(TransferError::UnknownAccount(to))?;
    if available < amount_cents {
        // Dropping `tx` rolls back and releases the locks.
        return Err(TransferError::InsufficientFunds);
    }

    sqlx::query("UPDATE accounts SET balance_cents = balance_cents - $2 WHERE id = $1")
        .bind(from)
        .bind(amount_cents)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE accounts SET balance_cents = balance_cents + $2 WHERE id = $1")
        .bind(to)
        .bind(amount_cents)
        .execute(&mut *tx)
        .await?;

    tx.commit().await?;
    Ok(())
}
