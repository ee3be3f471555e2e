//! Two-factor sign-in rows: a user's TOTP secret (pending and confirmed), the last step a
//! code was accepted for, recovery codes, and the team's rule.

use crate::db::{Db, Tx};
use crate::domain::ids::{MerchantId, UserId};
use crate::error::AppError;
use crate::{on_db, on_tx};

/// A user's two-factor state: (confirmed secret, secret being set up).
pub async fn secrets(
    db: &Db,
    user_id: UserId,
) -> Result<(Option<String>, Option<String>), AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query_as("SELECT totp_secret, totp_pending_secret FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?
            .ok_or(AppError::NotFound)?
    }))
}

pub async fn begin(db: &Db, user_id: UserId, secret: &str) -> Result<(), AppError> {
    on_db!(db, pool => {
        sqlx::query("UPDATE users SET totp_pending_secret = $1 WHERE id = $2")
            .bind(secret)
            .bind(user_id)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// Makes `secret`, the pending one a code was just checked against, the user's, its code's
/// `step` used, with new recovery codes (as hashes) replacing any old ones: one transaction.
/// Refused when another setup replaced the pending secret meanwhile (another tab).
pub async fn enable(
    tx: &mut Tx,
    user_id: UserId,
    secret: &str,
    step: i64,
    recovery_hashes: &[String],
) -> Result<(), AppError> {
    on_tx!(tx, conn => {
        let enabled = sqlx::query(
            "UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL,
                 totp_last_step = $1
             WHERE id = $2 AND totp_pending_secret = $3",
        )
        .bind(step)
        .bind(user_id)
        .bind(secret)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if enabled == 0 {
            return Err(AppError::field("code", crate::tr!(security.start_again)));
        }
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        for hash in recovery_hashes {
            sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind(user_id)
                .bind(hash)
                .execute(&mut *conn)
                .await?;
        }
    });
    Ok(())
}

pub async fn disable(tx: &mut Tx, user_id: UserId) -> Result<(), AppError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL,
                 totp_last_step = NULL
             WHERE id = $1",
        )
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Accepts a code's time step once: false when that step (or a later one) was used already.
pub async fn use_step(db: &Db, user_id: UserId, step: i64) -> Result<bool, AppError> {
    let used = on_db!(db, pool => {
        sqlx::query(
            "UPDATE users SET totp_last_step = $1
             WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(user_id)
        .execute(pool)
        .await?
        .rows_affected()
    });
    Ok(used == 1)
}

/// Spends a recovery code: false when the user has no such unused code.
pub async fn use_recovery_code(
    db: &Db,
    user_id: UserId,
    code_hash: &str,
) -> Result<bool, AppError> {
    let spent = on_db!(db, pool => {
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1 AND code_hash = $2")
            .bind(user_id)
            .bind(code_hash)
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(spent == 1)
}

pub async fn recovery_codes_left(db: &Db, user_id: UserId) -> Result<i64, AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await?
    }))
}

pub async fn set_required(
    tx: &mut Tx,
    merchant_id: MerchantId,
    required: bool,
) -> Result<(), AppError> {
    on_tx!(tx, conn => {
        sqlx::query("UPDATE merchants SET require_two_factor = $1 WHERE id = $2")
            .bind(required)
            .bind(merchant_id)
            .execute(conn)
            .await?;
    });
    Ok(())
}
