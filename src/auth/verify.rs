//! Confirming a new merchant's email address: a link valid for a week, sent at sign-up (and
//! again on request, throttled), used once. Until then the dashboard reminds them, and no
//! production gateway keys can be connected: real money waits for a confirmed address.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::db::{email_verifications, login_failures};
use crate::domain::ids::{MerchantId, UserId};
use crate::error::AppError;
use crate::state::AppState;

const VALID_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// Links one user may ask for per throttle window.
const PER_USER: i64 = 3;

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

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
    let now = state.now_ms();
    let window = now - now.rem_euclid(crate::auth::throttle::WINDOW_MS);
    if login_failures::bump(&state.db, &format!("verify:{user_id}"), window).await? > PER_USER {
        return Err(AppError::TooManyRequests(
            "Too many links asked for. Try again in a few minutes.".into(),
        ));
    }
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let hash = token_hash(&token);
    let link = format!(
        "{}/verify-email?token={token}",
        state.settings.public_base_url
    );
    let message = crate::domain::email::verify_email(&link);
    let mut tx = state.db.begin().await?;
    email_verifications::create(&mut tx, &hash, user_id, now, now + VALID_MS).await?;
    let key = format!("verify:{hash}");
    crate::db::emails::queue(
        &mut tx,
        merchant_id,
        "verify_email",
        &key,
        email,
        &message,
        now,
    )
    .await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(())
}

/// Confirms the address a link was sent to, once, within its week.
pub async fn confirm(state: &AppState, token: &str) -> Result<(), AppError> {
    match email_verifications::confirm(&state.db, &token_hash(token), state.now_ms()).await? {
        Some(_) => Ok(()),
        None => Err(AppError::field(
            "form",
            "This link has expired or was used already. Ask for a new one from the dashboard.",
        )),
    }
}

/// Whether the user still has to confirm their address (only asked when mail is on).
pub async fn pending(state: &AppState, user_id: UserId) -> Result<bool, AppError> {
    Ok(state.mailer.is_some() && !email_verifications::is_verified(&state.db, user_id).await?)
}
