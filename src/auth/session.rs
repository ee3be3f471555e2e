//! The signed-in user lives in the tower-sessions session: the user's id and the id of this
//! sign-in, which has a row in `user_sessions` for as long as it lasts. Ending that row (from
//! this browser or any other) signs the session out.

use tower_sessions::Session;

use crate::db::user_sessions::{self, NewSession};
use crate::db::{merchants, Db};
use crate::domain::ids::UserId;
use crate::error::AppError;
use crate::model::CurrentUser;

/// The longest a sign-in lasts, however active: its row is then deleted by the job loop (a
/// session idle for 7 days ends before that, and its row with it at this age).
pub const MAX_AGE_MS: i64 = 30 * 24 * 3600 * 1000;

const USER_ID_KEY: &str = "user_id";
const LOGIN_ID_KEY: &str = "login_id";

/// Where a sign-in comes from, as the sessions list shows it.
pub struct SignInFrom<'a> {
    pub user_agent: Option<&'a str>,
    pub ip_address: Option<&'a str>,
    pub now_ms: i64,
}

/// Starts an authenticated session. The id is cycled so a session fixed before log-in is useless.
pub async fn log_in(
    db: &Db,
    session: &Session,
    user_id: UserId,
    from: SignInFrom<'_>,
) -> Result<(), AppError> {
    use rand::Rng;
    let login_id = hex::encode(rand::thread_rng().gen::<[u8; 16]>());
    let user_agent = from
        .user_agent
        .map(|ua| ua.chars().take(200).collect::<String>());
    user_sessions::start(
        db,
        NewSession {
            login_id: &login_id,
            user_id,
            now_ms: from.now_ms,
            user_agent: user_agent.as_deref(),
            ip_address: from.ip_address,
        },
    )
    .await?;
    session.cycle_id().await?;
    session.insert(USER_ID_KEY, user_id).await?;
    session.insert(LOGIN_ID_KEY, &login_id).await?;
    Ok(())
}

pub async fn log_out(db: &Db, session: &Session) -> Result<(), AppError> {
    if let (Some(user_id), Some(login_id)) = (
        session.get::<UserId>(USER_ID_KEY).await?,
        login_id(session).await?,
    ) {
        let mut tx = db.begin().await?;
        match user_sessions::end(&mut tx, user_id, &login_id).await {
            // Ended from another browser already: signing out still clears this one.
            Ok(_) | Err(AppError::NotFound) => tx.commit().await?,
            Err(other) => return Err(other),
        }
    }
    session.flush().await?;
    Ok(())
}

/// This session's sign-in, if it is signed in.
pub async fn login_id(session: &Session) -> Result<Option<String>, AppError> {
    Ok(session.get::<String>(LOGIN_ID_KEY).await?)
}

pub async fn current_user(db: &Db, session: &Session) -> Result<Option<CurrentUser>, AppError> {
    let user_id = session.get::<UserId>(USER_ID_KEY).await?;
    match (user_id, login_id(session).await?) {
        (Some(user_id), Some(login_id)) => merchants::find_signed_in(db, user_id, &login_id).await,
        _ => Ok(None),
    }
}

pub async fn require_user(db: &Db, session: &Session) -> Result<CurrentUser, AppError> {
    current_user(db, session)
        .await?
        .ok_or(AppError::Unauthorized)
}
