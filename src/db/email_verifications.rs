//! Links that confirm a user's email address, kept as the hashes of their tokens.

use crate::db::{Db, Tx};
use crate::domain::ids::UserId;
use crate::error::AppError;
use crate::{on_db, on_tx};

pub async fn create(
    tx: &mut Tx,
    token_hash: &str,
    user_id: UserId,
    now_ms: i64,
    expires_at: i64,
) -> Result<(), AppError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO email_verifications (token_hash, user_id, created_at, expires_at)
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

/// Uses a link: the user's address is confirmed when the link was unused and unexpired.
/// The user, or `None`.
pub async fn confirm(db: &Db, token_hash: &str, now_ms: i64) -> Result<Option<UserId>, AppError> {
    let confirmed: Option<UserId> = on_db!(db, pool => async {
        let mut tx = pool.begin().await?;
        let used: Vec<(UserId,)> = sqlx::query_as(
            "UPDATE email_verifications SET used_at = $1
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
             RETURNING user_id",
        )
        .bind(now_ms)
        .bind(token_hash)
        .fetch_all(&mut *tx)
        .await?;
        let user = used.into_iter().next().map(|(id,)| id);
        if let Some(user_id) = user {
            sqlx::query(
                "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1)
                 WHERE id = $2",
            )
            .bind(now_ms)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok::<_, AppError>(user)
    }
    .await)?;
    Ok(confirmed)
}

/// Whether the user's address is confirmed.
pub async fn is_verified(db: &Db, user_id: UserId) -> Result<bool, AppError> {
    let (at,): (Option<i64>,) = on_db!(db, pool => {
        sqlx::query_as("SELECT email_verified_at FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await?
    });
    Ok(at.is_some())
}

/// A member who accepted an invitation: its link reached them.
pub async fn mark_verified(tx: &mut Tx, user_id: UserId, now_ms: i64) -> Result<(), AppError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2",
        )
        .bind(now_ms)
        .bind(user_id)
        .execute(conn)
        .await?;
    });
    Ok(())
}
