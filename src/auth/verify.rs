//! Confirming a new merchant's email address: a link valid for a week, sent at sign-up (and
//! again on request, throttled), used once. Until then the dashboard reminds them, and no
//! production gateway keys can be connected: real money waits for a confirmed address.

use crate::auth::mail_links::{self, token_hash};
use crate::db::user_links::{self, Purpose};
use crate::domain::ids::{MerchantId, UserId};
use crate::error::AppError;
use crate::state::AppState;

const VALID_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// Links one user may ask for per throttle window.
const PER_USER: i64 = 3;

/// Sends a confirmation link to the user's address; nothing without mail.
pub async fn send(
    state: &AppState,
    user_id: UserId,
    merchant_id: MerchantId,
    email: &str,
) -> Result<(), AppError> {
    if state.mailer.is_none() {
        return Ok(());
    }
    mail_links::throttle(state, &format!("verify:{user_id}"), PER_USER).await?;
    let lang = crate::mail::user_language(&state.db, user_id).await?;
    mail_links::send(
        state,
        Purpose::VerifyEmail,
        (user_id, merchant_id),
        email,
        "/verify-email",
        VALID_MS,
        |link| crate::domain::email::verify_email(lang, link),
    )
    .await
}

/// Confirms the address a link was sent to, once, within its week.
pub async fn confirm(state: &AppState, token: &str) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let hash = token_hash(token);
    let used = user_links::consume(&mut tx, Purpose::VerifyEmail, &hash, now).await?;
    let Some(user_id) = used else {
        return Err(AppError::field("form", crate::tr!(auth.verify_link_used)));
    };
    user_links::mark_verified(&mut tx, user_id, now).await?;
    tx.commit().await
}

/// Whether the user still has to confirm their address (only asked when mail is on).
pub async fn pending(state: &AppState, user_id: UserId) -> Result<bool, AppError> {
    Ok(state.mailer.is_some() && !user_links::is_verified(&state.db, user_id).await?)
}
