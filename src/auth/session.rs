//! The signed-in user lives in the tower-sessions session under one key.

use tower_sessions::Session;

use crate::db::{merchants, Db};
use crate::error::AppError;
use crate::model::CurrentUser;

const USER_ID_KEY: &str = "user_id";

/// Starts an authenticated session. The id is cycled so a session fixed before log-in is useless.
pub async fn log_in(session: &Session, user_id: i64) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.insert(USER_ID_KEY, user_id).await?;
    Ok(())
}

pub async fn log_out(session: &Session) -> Result<(), AppError> {
    session.flush().await?;
    Ok(())
}

pub async fn current_user(db: &Db, session: &Session) -> Result<Option<CurrentUser>, AppError> {
    match session.get::<i64>(USER_ID_KEY).await? {
        Some(user_id) => merchants::find_current_user(db, user_id).await,
        None => Ok(None),
    }
}

pub async fn require_user(db: &Db, session: &Session) -> Result<CurrentUser, AppError> {
    current_user(db, session)
        .await?
        .ok_or(AppError::Unauthorized)
}
