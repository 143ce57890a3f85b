//! # Exercise 16: isolation levels — SERIALIZABLE and a retry on 40001
//!
//! A hospital keeps doctors on call, and one rule: every shift has at least one doctor on
//! call. A doctor who feels ill asks to go off call, and the code is the obvious one: in a
//! transaction, count the doctors on call on the shift; if there are two or more, take this
//! one off; commit. Alice and Bob, the two doctors of the night shift, both feel ill and press
//! the button at the same moment. Each transaction counts two doctors on call, each takes its
//! own doctor off, both commit: nobody is on call tonight. No row was written twice and no
//! statement failed; the rule broke because each transaction *decided* on a row the other one
//! changed. This anomaly is called **write skew** (the example is from Martin Kleppmann's
//! *Designing Data-Intensive Applications*, chapter 7).
//!
//! **Isolation levels** say how much of each other concurrent transactions may see.
//! PostgreSQL implements three (it accepts READ UNCOMMITTED, and runs it as READ COMMITTED):
//!
//! - **READ COMMITTED**, the default: each *statement* sees what was committed before it
//!   began. Two transactions can both read, both decide, both write: lost updates and write
//!   skew. Exercise 05 fixed its race by locking the rows it was about to change
//!   (`SELECT … FOR UPDATE`), but here each transaction changes a row the other one only
//!   *reads*, and "lock every row you read" is rarely what you want.
//! - **REPEATABLE READ**: the whole transaction sees one snapshot, taken at its first
//!   statement. It stops lost updates on one row (the second writer gets an error), but not
//!   write skew: Alice's and Bob's snapshots both show two doctors, and they write different
//!   rows.
//! - **SERIALIZABLE**: the outcome is the same as if the transactions had run one after
//!   the other, in some order. PostgreSQL does not make them wait for each other to get there
//!   (Serializable Snapshot Isolation): it runs them as in REPEATABLE READ, watches what each
//!   one reads and writes, and when a pattern of reads and writes could not have happened in
//!   any serial order, it aborts one of the transactions with SQLSTATE **40001**,
//!   `serialization_failure`: "could not serialize access due to read/write dependencies
//!   among transactions". The error can come from any statement, or from `COMMIT`.
//!
//! **A 40001 is not a bug; it is an instruction: run the transaction again.** The retry
//! starts a new transaction and runs it from the top, reads included: the first attempt's
//! decisions were taken on data that is now out of date. Production code wraps the whole
//! transaction in a loop: try; on 40001, try again (many add a short, random sleep first);
//! on any other error, stop, because trying again does not fix a broken query or a violated
//! constraint; and give up after a few attempts with an error that says so, rather than
//! spinning forever under contention. (Drivers and ORMs rarely do it for you: the code that
//! knows the transaction is safe to repeat is yours. Side effects outside the database, such
//! as an email, belong after the commit, or they run once per attempt.)
//!
//! In sqlx, `pool.begin_with("BEGIN ISOLATION LEVEL …")` starts a transaction at a chosen
//! level (or run `SET TRANSACTION ISOLATION LEVEL …` as its first statement). An error from
//! PostgreSQL is a `sqlx::Error::Database`: `err.as_database_error()` gives it, and its
//! `code()` is the SQLSTATE, an `Option<Cow<str>>`. Everything else that runs
//! in the transaction is as in exercise 05: statements on `&mut *tx`, `tx.commit().await?`,
//! and a transaction dropped without a commit rolls back.
//!
//! SERIALIZABLE has a price: PostgreSQL keeps track of what each transaction read, and busy
//! tables see more retries (the tracking is coarser without an index). Use it where an
//! invariant spans several rows; keep those transactions short.
//!
//! - <https://www.postgresql.org/docs/15/transaction-iso.html>
//! - <https://www.postgresql.org/docs/15/mvcc-serialization-failure-handling.html>
//! - <https://www.postgresql.org/docs/15/errcodes-appendix.html>
//! - <https://wiki.postgresql.org/wiki/SSI>
//! - <https://docs.rs/sqlx/latest/sqlx/struct.Pool.html#method.begin_with>
//!
//! The tests create and fill this table:
//!
//! ```sql
//! CREATE TABLE doctors (
//!     name    text PRIMARY KEY,
//!     shift   text NOT NULL,
//!     on_call boolean NOT NULL
//! );
//! ```
//!
//! Your task: write `go_off_call`. Two requests that overlap must never leave a shift with
//! nobody on call; a transaction that PostgreSQL refuses with 40001 runs again, at most
//! `MAX_ATTEMPTS` times in all.
//!
//! Run `cargo xtask check 16_isolation_levels` to check your work; `cargo xtask hint
//! 16_isolation_levels` gives a hint.

use sqlx::PgPool;

/// How many times `go_off_call` runs its transaction before it gives up.
pub const MAX_ATTEMPTS: u32 = 5;

/// Why a doctor did not go off call. In every case, nothing changed.
#[derive(Debug, thiserror::Error)]
pub enum OffCallError {
    /// No doctor of this name is on call (none exists, or they are off call already).
    #[error("{0} is not on call")]
    NotOnCall(String),
    /// Taking this doctor off call would leave their shift with nobody on call.
    #[error("{0} is the last doctor on call for the shift")]
    LastOnCall(String),
    /// Every one of the attempts was refused with a serialization failure (40001).
    #[error("gave up after {0} attempts: the transaction kept conflicting with others")]
    TooManyRetries(u32),
    /// Any other error from the database, returned after one attempt.
    #[error("database error")]
    Database(#[from] sqlx::Error),
}

/// Takes `doctor` off call, unless they are the last doctor on call for their shift.
///
/// Runs as one transaction that PostgreSQL may refuse with a serialization failure
/// (SQLSTATE 40001) when a concurrent transaction changed what it read; each refusal starts
/// the transaction again, up to [`MAX_ATTEMPTS`] attempts in all, then gives up with
/// `TooManyRetries(MAX_ATTEMPTS)`. Any other error ends it at once as `Database`.
pub async fn go_off_call(pool: &PgPool, doctor: &str) -> Result<(), OffCallError> {
    // TODO: run `attempt` until it no longer fails with a serialization failure, at most
    // MAX_ATTEMPTS times; return any other outcome as it is; after the last refused attempt,
    // return TooManyRetries.
    todo!("take {doctor} off call, running the transaction again when PostgreSQL refuses it")
}

/// A suggested helper: one attempt, one transaction.
async fn attempt(pool: &PgPool, doctor: &str) -> Result<(), OffCallError> {
    // TODO: in one transaction, at an isolation level that rules out write skew: find the
    // doctor's shift (NotOnCall if they are not on call), count the doctors on call on that
    // shift (LastOnCall if only this one), take the doctor off call, commit.
    todo!("check the shift and take {doctor} off call, in one transaction")
}

/// A suggested helper: whether an error is PostgreSQL's serialization failure (40001).
fn is_serialization_failure(error: &OffCallError) -> bool {
    // TODO: only a database error whose SQLSTATE is 40001.
    todo!("is {error:?} a serialization failure?")
}
