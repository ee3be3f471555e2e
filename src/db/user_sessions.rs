//! Signed-in browsers (see `auth::session`): a session is signed in while its row exists.

use crate::db::{Db, Tx};
use crate::domain::ids::UserId;
use crate::error::AppError;
use crate::model::SignedInSession;
use crate::{on_db, on_tx};

pub struct NewSession<'a> {
    pub login_id: &'a str,
    pub user_id: UserId,
    pub now_ms: i64,
    pub user_agent: Option<&'a str>,
    pub ip_address: Option<&'a str>,
}

pub async fn start(db: &Db, new: NewSession<'_>) -> Result<(), AppError> {
    on_db!(db, pool => {
        sqlx::query(
            "INSERT INTO user_sessions (login_id, user_id, created_at, user_agent, ip_address)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(new.login_id)
        .bind(new.user_id)
        .bind(new.now_ms)
        .bind(new.user_agent)
        .bind(new.ip_address)
        .execute(pool)
        .await?;
    });
    Ok(())
}

/// Ends one of the user's sessions and returns the browser it was in; 404 when it is not
/// theirs (or already ended).
pub async fn end(tx: &mut Tx, user_id: UserId, login_id: &str) -> Result<Option<String>, AppError> {
    let ended: Option<(Option<String>,)> = on_tx!(tx, conn => {
        sqlx::query_as(
            "DELETE FROM user_sessions WHERE user_id = $1 AND login_id = $2
             RETURNING user_agent",
        )
        .bind(user_id)
        .bind(login_id)
        .fetch_optional(conn)
        .await?
    });
    ended
        .map(|(user_agent,)| user_agent)
        .ok_or(AppError::NotFound)
}

/// Ends every session of the user but `keep`; returns how many ended.
pub async fn end_others(tx: &mut Tx, user_id: UserId, keep: &str) -> Result<u64, AppError> {
    Ok(on_tx!(tx, conn => {
        sqlx::query("DELETE FROM user_sessions WHERE user_id = $1 AND login_id <> $2")
            .bind(user_id)
            .bind(keep)
            .execute(conn)
            .await?
            .rows_affected()
    }))
}

/// Ends sign-ins made before `before` (a sign-in lasts at most `auth::session::MAX_AGE_MS`);
/// returns how many.
pub async fn end_older_than(db: &Db, before: i64) -> Result<u64, AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query("DELETE FROM user_sessions WHERE created_at < $1")
            .bind(before)
            .execute(pool)
            .await?
            .rows_affected()
    }))
}

/// The user's sessions, newest first.
pub async fn list(db: &Db, user_id: UserId) -> Result<Vec<SignedInSession>, AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query_as(
            "SELECT login_id, created_at, user_agent, ip_address FROM user_sessions
             WHERE user_id = $1 ORDER BY created_at DESC, login_id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?
    }))
}
