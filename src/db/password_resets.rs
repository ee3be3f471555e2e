//! Single-use password reset links, kept as the hashes of their tokens.

use crate::db::{Db, Tx};
use crate::domain::ids::{MerchantId, UserId};
use crate::error::AppError;
use crate::{on_db, on_tx};

/// The user an email belongs to, with their merchant (for the mail outbox).
pub async fn user_by_email(db: &Db, email: &str) -> Result<Option<(UserId, MerchantId)>, AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query_as("SELECT id, merchant_id FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(pool)
            .await?
    }))
}

/// Stores a new link's token hash, valid until `expires_at`.
pub async fn create(
    tx: &mut Tx,
    token_hash: &str,
    user_id: UserId,
    now_ms: i64,
    expires_at: i64,
) -> Result<(), AppError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now_ms)
        .bind(expires_at)
        .execute(conn)
        .await?;
    });
    Ok(())
}

/// Uses a link: its user when it was unused and unexpired, and it is used from now on.
pub async fn consume(
    tx: &mut Tx,
    token_hash: &str,
    now_ms: i64,
) -> Result<Option<UserId>, AppError> {
    let used: Vec<(UserId,)> = on_tx!(tx, conn => {
        sqlx::query_as(
            "UPDATE password_resets SET used_at = $1
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
             RETURNING user_id",
        )
        .bind(now_ms)
        .bind(token_hash)
        .fetch_all(conn)
        .await?
    });
    Ok(used.into_iter().next().map(|(id,)| id))
}

/// Sets the user's password hash and ends every other link of theirs.
pub async fn set_password(
    tx: &mut Tx,
    user_id: UserId,
    password_hash: &str,
    now_ms: i64,
) -> Result<(), AppError> {
    on_tx!(tx, conn => {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL",
        )
        .bind(now_ms)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}
