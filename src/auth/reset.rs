//! "Forgot password?": a single-use link by email, valid for an hour. Asking answers the same
//! whether or not the email has an account, and is throttled per email and per address; using
//! the link sets the new password and ends every session of the user.

use std::net::IpAddr;

use sha2::{Digest, Sha256};

use crate::auth::mail_links::{self, token_hash};
use crate::db::user_links::{self, Purpose};
use crate::domain::merchant::check_password;
use crate::error::AppError;
use crate::state::AppState;

const VALID_MS: i64 = 60 * 60 * 1000;
/// Links one email may be sent, and asks one address may make, per throttle window.
const PER_EMAIL: i64 = 3;
const PER_ADDRESS: i64 = 10;

/// Sends a reset link to `email` if it has an account; answers alike either way.
pub async fn request(
    state: &AppState,
    email: &str,
    address: Option<IpAddr>,
) -> Result<(), AppError> {
    if state.mailer.is_none() {
        return Err(AppError::field("form", crate::tr!(auth.mail_off)));
    }
    let email = crate::domain::merchant::Email::parse(email)
        .map_err(|message| AppError::field("email", message))?;
    let by_email = format!("reset:{}", hex::encode(Sha256::digest(email.as_str())));
    let by_address = format!(
        "reset-address:{}",
        address.map_or_else(|| "unknown".into(), |ip| ip.to_string())
    );
    mail_links::throttle(state, &by_email, PER_EMAIL).await?;
    mail_links::throttle(state, &by_address, PER_ADDRESS).await?;
    let Some(user) = user_links::user_by_email(&state.db, email.as_str()).await? else {
        return Ok(());
    };
    let lang = crate::mail::user_language(&state.db, user.0).await?;
    mail_links::send(
        state,
        Purpose::PasswordReset,
        user,
        email.as_str(),
        "/reset-password",
        VALID_MS,
        |link| crate::domain::email::password_reset(lang, link),
    )
    .await
}

/// Sets a new password with a link's token, once, within its hour; every session of the user
/// ends with it.
pub async fn complete(state: &AppState, token: &str, password: &str) -> Result<(), AppError> {
    check_password(password).map_err(|message| AppError::field("password", message))?;
    let password_hash = crate::auth::password::hash(password.to_string()).await?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let hash = token_hash(token);
    let used = user_links::consume(&mut tx, Purpose::PasswordReset, &hash, now).await?;
    let Some(user_id) = used else {
        return Err(AppError::field("form", crate::tr!(auth.reset_link_used)));
    };
    user_links::set_password(&mut tx, user_id, &password_hash, now).await?;
    crate::db::user_sessions::end_others(&mut tx, user_id, "").await?;
    tx.commit().await
}
