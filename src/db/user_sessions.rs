//! Signed-in browsers (see `auth::session`): a session is signed in while its row exists.

use crate::db::Db;
use crate::error::AppError;
use crate::model::SignedInSession;
use crate::on_db;

pub struct NewSession<'a> {
    pub login_id: &'a str,
    pub user_id: i64,
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

/// Ends one of the user's sessions; false when it is not theirs (or already ended).
pub async fn end(db: &Db, user_id: i64, login_id: &str) -> Result<bool, AppError> {
    let ended = on_db!(db, pool => {
        sqlx::query("DELETE FROM user_sessions WHERE user_id = $1 AND login_id = $2")
            .bind(user_id)
            .bind(login_id)
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(ended == 1)
}

/// Ends every session of the user but `keep`; returns how many ended.
pub async fn end_others(db: &Db, user_id: i64, keep: &str) -> Result<u64, AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query("DELETE FROM user_sessions WHERE user_id = $1 AND login_id <> $2")
            .bind(user_id)
            .bind(keep)
            .execute(pool)
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
pub async fn list(db: &Db, user_id: i64) -> Result<Vec<SignedInSession>, AppError> {
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
