//! Single-use links mailed to a user (a password reset, an address to confirm), kept as the
//! hashes of their tokens, and the user changes they make.

use crate::db::{Db, Tx};
use crate::domain::ids::{MerchantId, UserId};
use crate::error::AppError;
use crate::{on_db, on_tx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    PasswordReset,
    VerifyEmail,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::PasswordReset => "password_reset",
            Purpose::VerifyEmail => "verify_email",
        }
    }
}

/// Stores a new link's token hash, valid until `expires_at`.
pub async fn create(
    tx: &mut Tx,
    purpose: Purpose,
    token_hash: &str,
    user_id: UserId,
    now_ms: i64,
    expires_at: i64,
) -> Result<(), AppError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO user_links (token_hash, purpose, user_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(purpose.as_str())
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
    purpose: Purpose,
    token_hash: &str,
    now_ms: i64,
) -> Result<Option<UserId>, AppError> {
    let used: Vec<(UserId,)> = on_tx!(tx, conn => {
        sqlx::query_as(
            "UPDATE user_links SET used_at = $1
             WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1
             RETURNING user_id",
        )
        .bind(now_ms)
        .bind(token_hash)
        .bind(purpose.as_str())
        .fetch_all(conn)
        .await?
    });
    Ok(used.into_iter().next().map(|(id,)| id))
}

/// The user an email belongs to, with their merchant (for the mail outbox).
pub async fn user_by_email(db: &Db, email: &str) -> Result<Option<(UserId, MerchantId)>, AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query_as("SELECT id, merchant_id FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(pool)
            .await?
    }))
}

/// Sets the user's password hash and ends their other reset links.
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
            "UPDATE user_links SET used_at = $1
             WHERE user_id = $2 AND purpose = 'password_reset' AND used_at IS NULL",
        )
        .bind(now_ms)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// The user's address is confirmed (kept at its first confirmation).
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
