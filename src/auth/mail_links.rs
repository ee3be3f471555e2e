//! The single-use links paylinks mails to its users (a password reset, an address to
//! confirm): a random token in the link, only its SHA-256 stored, used once before it ends.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::db::user_links::{self, Purpose};
use crate::domain::email::Rendered;
use crate::domain::ids::{MerchantId, UserId};
use crate::error::AppError;
use crate::state::AppState;

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new link for `purpose` to the user at `email`, valid `valid_ms`, mailed with the message
/// `compose` writes around its URL (`<base><path>?token=…`).
pub async fn send(
    state: &AppState,
    purpose: Purpose,
    user: (UserId, MerchantId),
    email: &str,
    path: &str,
    valid_ms: i64,
    compose: impl FnOnce(&str) -> Rendered,
) -> Result<(), AppError> {
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let hash = token_hash(&token);
    let message = compose(&format!(
        "{}{path}?token={token}",
        state.settings.public_base_url
    ));
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    user_links::create(&mut tx, purpose, &hash, user.0, now, now + valid_ms).await?;
    let key = format!("{}:{hash}", purpose.as_str());
    crate::db::emails::queue(
        &mut tx,
        user.1,
        purpose.as_str(),
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

/// One more ask of a throttled kind (`key` names who asks) in this window: 429 past `limit`.
pub async fn throttle(state: &AppState, key: &str, limit: i64) -> Result<(), AppError> {
    let now = state.now_ms();
    let window = now - now.rem_euclid(crate::auth::throttle::WINDOW_MS);
    if crate::db::login_failures::bump(&state.db, key, window).await? > limit {
        return Err(AppError::TooManyRequests(crate::tr!(auth.too_many_links)));
    }
    Ok(())
}
