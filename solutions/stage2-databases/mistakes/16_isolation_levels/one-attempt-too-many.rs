//! mistake: the loop runs MAX_ATTEMPTS + 1 attempts (0..=MAX_ATTEMPTS)
//! # Exercise 16: isolation levels — SERIALIZABLE and a retry on 40001
//!
//! Reference solution. The lesson is in `stage2-databases/exercises/16_isolation_levels.rs`.
//!
//! The check and the update run in one SERIALIZABLE transaction, so PostgreSQL refuses one of
//! two overlapping requests with 40001 instead of letting both take their doctor off call; the
//! refused one runs again from the top, sees the other's commit, and answers `LastOnCall`.

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
    for _ in 0..=MAX_ATTEMPTS {
        match attempt(pool, doctor).await {
            // PostgreSQL refused this attempt: what it read is out of date, so read again.
            Err(error) if is_serialization_failure(&error) => continue,
            outcome => return outcome,
        }
    }
    Err(OffCallError::TooManyRetries(MAX_ATTEMPTS))
}

/// One attempt, one transaction.
async fn attempt(pool: &PgPool, doctor: &str) -> Result<(), OffCallError> {
    let mut tx = pool
        .begin_with("BEGIN ISOLATION LEVEL SERIALIZABLE")
        .await?;

    let shift: Option<String> =
        sqlx::query_scalar("SELECT shift FROM doctors WHERE name = $1 AND on_call")
            .bind(doctor)
            .fetch_optional(&mut *tx)
            .await?;
    let shift = shift.ok_or_else(|| OffCallError::NotOnCall(doctor.to_string()))?;

    let on_call: i64 =
        sqlx::query_scalar("SELECT count(*) FROM doctors WHERE shift = $1 AND on_call")
            .bind(&shift)
            .fetch_one(&mut *tx)
            .await?;
    if on_call < 2 {
        // Dropping `tx` rolls back.
        return Err(OffCallError::LastOnCall(doctor.to_string()));
    }

    sqlx::query("UPDATE doctors SET on_call = false WHERE name = $1")
        .bind(doctor)
        .execute(&mut *tx)
        .await?;
    // PostgreSQL may refuse the transaction here too, as late as the commit.
    tx.commit().await?;
    Ok(())
}

/// Whether an error is PostgreSQL's serialization failure (40001).
fn is_serialization_failure(error: &OffCallError) -> bool {
    match error {
        OffCallError::Database(e) => e
            .as_database_error()
            .and_then(|e| e.code())
            .is_some_and(|code| code == "40001"),
        _ => false,
    }
}
