//! Refunding a paid payment, fully or in parts. The sandbox refunds at once (and fails a
//! refund whose reason carries [`SANDBOX_FAIL_MARK`], to try that path); a payment a gateway
//! took is refunded by the merchant at the gateway or by transfer, and confirmed here. A
//! refund never changes its link's usage: the place was used, as Stripe counts it.

use crate::db::refunds::{self, NewRefund, Settled};
use crate::domain::attempt::AttemptStatus;
use crate::domain::audit::AuditAction;
use crate::domain::ids::{AccountId, AttemptId};
use crate::domain::merchant::Access;
use crate::domain::refund::{RefundRequest, RefundStatus, SANDBOX_FAIL_MARK};
use crate::error::AppError;
use crate::model::Refund;
use crate::service::Actor;
use crate::state::AppState;

/// Refunds `amount` of one of the account's paid payments, for `reason`.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    account_id: &AccountId,
    history_id: AttemptId,
    amount: i64,
    reason: &str,
) -> Result<Refund, AppError> {
    actor.require(Access::Write)?;
    let merchant_id = actor.merchant_id();
    let payment =
        crate::db::histories::find_in_account(&state.db, merchant_id, account_id, history_id)
            .await?;
    if payment.status != AttemptStatus::Paid {
        return Err(AppError::Conflict(format!(
            "Only a paid payment can be refunded; this one is {}.",
            payment.status.as_str()
        )));
    }
    let request = RefundRequest::parse(amount, reason, payment.amount, payment.refund_reserved)
        .map_err(AppError::Validation)?;
    let manual = payment.gateway_connection_id.is_some();
    let now_ms = state.now_ms();
    let requested_by = actor.describe();
    let mut tx = state.db.begin().await?;
    let admitted = refunds::admit(
        &mut tx,
        &NewRefund {
            merchant_id,
            history_id,
            amount: request.amount,
            reason: &request.reason,
            manual,
            requested_by: &requested_by,
            now_ms,
        },
    )
    .await?;
    // Another refund was admitted since the payment was read: say how much is left now.
    let Some(mut refund) = admitted else {
        drop(tx);
        let now =
            crate::db::histories::find_in_account(&state.db, merchant_id, account_id, history_id)
                .await?;
        return Err(AppError::Validation(
            RefundRequest::parse(amount, reason, now.amount, now.refund_reserved)
                .err()
                .unwrap_or_else(|| {
                    crate::domain::FieldErrors::single("amount", "Try the refund again.")
                }),
        ));
    };
    let detail = format!(
        "{}, {} of {}",
        payment.reff_no, request.amount, payment.amount
    );
    actor
        .audit(&mut tx, AuditAction::RefundRequested, &detail, now_ms)
        .await?;
    if !manual {
        let outcome = if request.reason.contains(SANDBOX_FAIL_MARK) {
            Settled::Failed {
                reason: "The sandbox refused the refund, as its reason asked.",
            }
        } else {
            Settled::Succeeded {
                provider_refund_id: None,
            }
        };
        if let Some((settled, _)) = refunds::settle(
            &mut tx,
            refund.id,
            outcome,
            now_ms,
            &state.settings.public_base_url,
        )
        .await?
        {
            refund = settled;
        }
    }
    tx.commit().await?;
    after_change(state);
    Ok(refund)
}

/// The merchant transferred a manual refund's money back: it succeeded.
pub async fn confirm(state: &AppState, actor: &Actor, refund_id: i64) -> Result<Refund, AppError> {
    end_manual(state, actor, refund_id, true).await
}

/// The merchant will not transfer a manual refund: it failed, and its amount can be
/// refunded again.
pub async fn cancel(state: &AppState, actor: &Actor, refund_id: i64) -> Result<Refund, AppError> {
    end_manual(state, actor, refund_id, false).await
}

async fn end_manual(
    state: &AppState,
    actor: &Actor,
    refund_id: i64,
    transferred: bool,
) -> Result<Refund, AppError> {
    actor.require(Access::Write)?;
    let refund = refunds::find(&state.db, actor.merchant_id(), refund_id).await?;
    if !refund.manual || refund.status != RefundStatus::Pending {
        return Err(AppError::Conflict(format!(
            "This refund is {} and waits for nobody.",
            refund.status.as_str()
        )));
    }
    let now_ms = state.now_ms();
    let cancelled = format!("Cancelled by {}.", actor.describe());
    let (outcome, action) = if transferred {
        (
            Settled::Succeeded {
                provider_refund_id: None,
            },
            AuditAction::RefundConfirmed,
        )
    } else {
        (
            Settled::Failed { reason: &cancelled },
            AuditAction::RefundCancelled,
        )
    };
    let mut tx = state.db.begin().await?;
    let Some((ended, payment)) = refunds::settle(
        &mut tx,
        refund.id,
        outcome,
        now_ms,
        &state.settings.public_base_url,
    )
    .await?
    else {
        return Err(AppError::Conflict(
            "This refund has ended meanwhile.".into(),
        ));
    };
    let detail = format!("{}, {}", payment.reff_no, ended.amount);
    actor.audit(&mut tx, action, &detail, now_ms).await?;
    tx.commit().await?;
    after_change(state);
    Ok(ended)
}

fn after_change(state: &AppState) {
    state.webhook_wakeup.notify_one();
}
