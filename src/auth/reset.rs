//! "Forgot password?": a single-use link by email, valid for an hour. Asking answers the same
//! whether or not the email has an account, and is throttled per email and per address; using
//! the link sets the new password and ends every session of the user.

use std::net::IpAddr;

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::db::{login_failures, password_resets};
use crate::domain::merchant::check_password;
use crate::error::AppError;
use crate::state::AppState;

const VALID_MS: i64 = 60 * 60 * 1000;
/// Links one email may be sent, and asks one address may make, per throttle window.
const PER_EMAIL: i64 = 3;
const PER_ADDRESS: i64 = 10;

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Sends a reset link to `email` if it has an account; answers alike either way.
pub async fn request(
    state: &AppState,
    email: &str,
    address: Option<IpAddr>,
) -> Result<(), AppError> {
    if state.mailer.is_none() {
        return Err(AppError::field(
            "form",
            "Email is off on this server, so no reset link can be sent. Ask whoever runs paylinks.",
        ));
    }
    let email = crate::domain::merchant::Email::parse(email)
        .map_err(|message| AppError::field("email", message))?;
    let now = state.now_ms();
    let window = now - now.rem_euclid(crate::auth::throttle::WINDOW_MS);
    let by_email = format!("reset:{}", hex::encode(Sha256::digest(email.as_str())));
    let by_address = format!(
        "reset-address:{}",
        address.map_or_else(|| "unknown".into(), |ip| ip.to_string())
    );
    let sent = login_failures::bump(&state.db, &by_email, window).await?;
    let asked = login_failures::bump(&state.db, &by_address, window).await?;
    if sent > PER_EMAIL || asked > PER_ADDRESS {
        return Err(AppError::TooManyRequests(
            "Too many reset requests. Try again in a few minutes.".into(),
        ));
    }
    let Some((user_id, merchant_id)) =
        password_resets::user_by_email(&state.db, email.as_str()).await?
    else {
        return Ok(());
    };
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let hash = token_hash(&token);
    let link = format!(
        "{}/reset-password?token={token}",
        state.settings.public_base_url
    );
    let message = crate::domain::email::password_reset(&link);
    let mut tx = state.db.begin().await?;
    password_resets::create(&mut tx, &hash, user_id, now, now + VALID_MS).await?;
    let key = format!("password-reset:{hash}");
    crate::db::emails::queue(
        &mut tx,
        merchant_id,
        "password_reset",
        &key,
        email.as_str(),
        &message,
        now,
    )
    .await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(())
}

/// Sets a new password with a link's token, once, within its hour; every session of the user
/// ends with it.
pub async fn complete(state: &AppState, token: &str, password: &str) -> Result<(), AppError> {
    check_password(password).map_err(|message| AppError::field("password", message))?;
    let password_hash = crate::auth::password::hash(password.to_string()).await?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let Some(user_id) = password_resets::consume(&mut tx, &token_hash(token), now).await? else {
        return Err(AppError::field(
            "form",
            "This link has expired or was used already. Ask for a new one.",
        ));
    };
    password_resets::set_password(&mut tx, user_id, &password_hash, now).await?;
    crate::db::user_sessions::end_others(&mut tx, user_id, "").await?;
    tx.commit().await
}
