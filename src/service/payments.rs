//! Crediting payments from providers' notifications. A verified notice is recorded with the
//! credit it causes, in one transaction; when applying fails (the database busy past its
//! retries) it is kept on its own, the provider is told it was received, and the job loop
//! applies it later. Real acquirers retry a failed notification a few times and then give up;
//! a payment that arrived must not depend on their patience. A notice is judged by when it
//! first arrived: money that came while the attempt was live is credited even if the attempt
//! expired meanwhile.

use crate::db::notifications::{self, Record, Standing};
use crate::db::outcomes::{self, Credit, PaidNotice};
use crate::domain::audit::AuditAction;
use crate::domain::merchant::Access;
use crate::error::AppError;
use crate::model::PaymentAttempt;
use crate::service::Actor;
use crate::state::AppState;

/// Notifications the job loop applies per pass, and how long a claim on one holds.
const APPLY_BATCH: i64 = 100;
const CLAIM_LEASE_MS: i64 = 60_000;
/// Tries before a notification that keeps failing is set aside (about two days of retries).
const MAX_TRIES: i64 = 48;

/// How applying a notification went.
pub enum Applied {
    Credited,
    AlreadyCredited,
    /// It can never be applied (wrong amount, unknown or ended attempt); kept with the reason.
    Refused(AppError),
    /// It failed for now and is kept: the job loop tries again.
    Kept,
    /// It failed and could not even be kept.
    Lost,
}

/// Applies a notification (tried `tries` times before) and records how it went: in the
/// crediting transaction when it credits, on its own otherwise.
pub async fn apply(state: &AppState, record: &Record<'_>, tries: i64) -> Applied {
    let now = state.now_ms();
    let credited = outcomes::credit(
        &state.db,
        PaidNotice {
            provider_transaction_id: record.transaction_id,
            attempt_reff_no: record.attempt_reff_no,
            amount: record.amount,
            now_ms: now,
            arrived_at_ms: record.received_at,
            notification: record,
            public_base_url: &state.settings.public_base_url,
            mail: state.mailer.is_some(),
        },
    )
    .await;
    let refusal;
    let error_text;
    let (applied, standing) = match credited {
        Ok(Credit::Credited) => {
            tracing::info!(attempt = %record.attempt_reff_no, "payment credited");
            metrics::counter!(crate::metrics::PAYMENTS_CREDITED).increment(1);
            // The link's usage grew: it may be full now.
            state.payer_cache.changed();
            state.webhook_wakeup.notify_one();
            state.mail_wakeup.notify_one();
            return Applied::Credited;
        }
        Ok(Credit::AlreadyCredited) => (
            Applied::AlreadyCredited,
            Standing::Applied("already credited"),
        ),
        Err(error @ (AppError::Validation(_) | AppError::Conflict(_) | AppError::NotFound)) => {
            refusal = match &error {
                AppError::Validation(errors) => errors.to_string(),
                AppError::NotFound => "No such attempt.".to_string(),
                other => other.to_string(),
            };
            tracing::warn!(attempt = %record.attempt_reff_no, why = %refusal, "a provider notification was refused");
            (Applied::Refused(error), Standing::Refused(&refusal))
        }
        // Tried for about two days: set aside for a person, so its attempt can end.
        Err(error) if tries + 1 >= MAX_TRIES => {
            tracing::error!(%error, attempt = %record.attempt_reff_no, "a provider notification could not be applied after every try");
            error_text =
                format!("Could not be applied after {MAX_TRIES} tries; needs attention: {error}");
            (Applied::Kept, Standing::Refused(&error_text))
        }
        Err(error) => {
            tracing::error!(%error, attempt = %record.attempt_reff_no, "applying a provider notification failed; it is kept and tried again");
            error_text = error.to_string();
            let retry = Standing::Retry {
                error: &error_text,
                next_try_at: now + retry_delay_ms(tries),
            };
            (Applied::Kept, retry)
        }
    };
    match notifications::record(&state.db, record, standing, now).await {
        Ok(()) => applied,
        Err(error) => {
            tracing::error!(%error, "recording a provider notification failed");
            match applied {
                Applied::Kept => Applied::Lost,
                other => other,
            }
        }
    }
}

/// 30 s after the first failure, doubling, at most an hour.
fn retry_delay_ms(tries: i64) -> i64 {
    30_000_i64
        .saturating_mul(1 << tries.clamp(0, 7))
        .min(3_600_000)
}

/// Applies the kept notifications that are due (the job loop). Returns how many were tried.
pub async fn apply_due(state: &AppState) -> Result<u64, AppError> {
    let now = state.now_ms();
    let due = notifications::claim_due(&state.db, now, now + CLAIM_LEASE_MS, APPLY_BATCH).await?;
    let tried = due.len() as u64;
    for pending in due {
        let record = Record {
            provider: &pending.provider,
            transaction_id: &pending.transaction_id,
            attempt_reff_no: &pending.attempt_reff_no,
            amount: pending.amount,
            body: &pending.body,
            received_at: pending.received_at,
        };
        apply(state, &record, pending.tries).await;
    }
    Ok(tried)
}

/// Sandbox only: a member or credential has the sandbox bank pay an attempt in full. The
/// credit is the bank's callback, in its own transaction as every credit is; the request is
/// logged once the bank's callback was accepted.
pub async fn simulate(
    state: &AppState,
    actor: &Actor,
    attempt: &PaymentAttempt,
) -> Result<(), AppError> {
    actor.require(Access::Read)?;
    crate::sandbox_bank::simulate_paid(state, attempt).await?;
    let now_ms = state.now_ms();
    let detail = format!("{}, {}", attempt.reff_no, attempt.amount);
    let mut tx = state.db.begin().await?;
    actor
        .audit(&mut tx, AuditAction::PaymentSimulated, &detail, now_ms)
        .await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    #[test]
    fn retries_back_off_to_an_hour() {
        use super::retry_delay_ms;
        assert_eq!(retry_delay_ms(0), 30_000);
        assert_eq!(retry_delay_ms(1), 60_000);
        assert_eq!(retry_delay_ms(6), 1_920_000);
        assert_eq!(retry_delay_ms(7), 3_600_000);
        assert_eq!(retry_delay_ms(i64::MAX), 3_600_000);
    }
}
