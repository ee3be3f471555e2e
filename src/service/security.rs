//! A member guarding their own sign-in: two-factor on and off, and ending sessions. Every
//! member may, viewers included; an API credential may not.

use crate::auth::two_factor;
use crate::db::{two_factor as rows, user_sessions};
use crate::domain::audit::AuditAction;
use crate::domain::ids::UserId;
use crate::error::AppError;
use crate::service::Actor;
use crate::state::AppState;

/// The member behind the actor: these operations are about a person's own sign-in.
fn member(actor: &Actor) -> Result<UserId, AppError> {
    match actor {
        Actor::Member { user_id, .. } | Actor::CommandLine { user_id, .. } => Ok(*user_id),
        Actor::Credential { .. } => Err(AppError::Forbidden),
    }
}

/// Confirms the setup with a code from the pending secret; returns the recovery codes, to be
/// shown once. Neither the code nor the recovery codes reach the log.
pub async fn enable_two_factor(
    state: &AppState,
    actor: &Actor,
    code: &str,
) -> Result<Vec<String>, AppError> {
    let user_id = member(actor)?;
    let (_, pending) = rows::secrets(&state.db, user_id).await?;
    let pending =
        pending.ok_or_else(|| AppError::field("code", crate::tr!(security.start_again)))?;
    let now_ms = state.now_ms();
    let step = two_factor::matching_step(&pending, code, now_ms)?
        .ok_or_else(|| AppError::field("code", crate::tr!(security.code_mismatch)))?;
    let codes = two_factor::new_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| two_factor::hash_recovery_code(c))
        .collect();
    let mut tx = state.db.begin().await?;
    rows::enable(&mut tx, user_id, &pending, step, &hashes).await?;
    let detail = format!("{} recovery codes issued", codes.len());
    actor
        .audit(&mut tx, AuditAction::TwoFactorOn, &detail, now_ms)
        .await?;
    tx.commit().await?;
    Ok(codes)
}

/// Turns two-factor sign-in off, with a current code (or a recovery code) as proof; not while
/// the team requires it.
pub async fn disable_two_factor(
    state: &AppState,
    actor: &Actor,
    team_requires_it: bool,
    code: &str,
) -> Result<(), AppError> {
    let user_id = member(actor)?;
    if team_requires_it {
        return Err(AppError::Conflict(crate::tr!(security.stays_on)));
    }
    let (secret, _) = rows::secrets(&state.db, user_id).await?;
    let secret = secret.ok_or_else(|| AppError::Conflict(crate::tr!(security.is_off)))?;
    let now_ms = state.now_ms();
    if !two_factor::accept(&state.db, user_id, &secret, code, now_ms).await? {
        return Err(AppError::field("code", crate::tr!(security.code_not_right)));
    }
    let mut tx = state.db.begin().await?;
    rows::disable(&mut tx, user_id).await?;
    actor
        .audit(&mut tx, AuditAction::TwoFactorOff, "", now_ms)
        .await?;
    tx.commit().await
}

/// Ends one of the member's own sessions (the current one included: that is a log-out).
pub async fn end_session(state: &AppState, actor: &Actor, login_id: &str) -> Result<(), AppError> {
    let user_id = member(actor)?;
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    let browser = user_sessions::end(&mut tx, user_id, login_id).await?;
    let detail = browser.unwrap_or_else(|| "An unknown browser".into());
    actor
        .audit(&mut tx, AuditAction::BrowserSignedOut, &detail, now_ms)
        .await?;
    tx.commit().await
}

/// Ends every session of the member but `keep` (the one asking); returns how many ended.
pub async fn end_other_sessions(
    state: &AppState,
    actor: &Actor,
    keep: &str,
) -> Result<u64, AppError> {
    let user_id = member(actor)?;
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    let ended = user_sessions::end_others(&mut tx, user_id, keep).await?;
    let detail = format!("{ended} other sessions");
    actor
        .audit(&mut tx, AuditAction::SignedOutElsewhere, &detail, now_ms)
        .await?;
    tx.commit().await?;
    Ok(ended)
}
