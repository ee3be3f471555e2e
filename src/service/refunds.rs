//! Refunding a paid payment, fully or in parts. The sandbox refunds at once (and fails a
//! refund whose reason carries [`SANDBOX_FAIL_MARK`], to try that path). A gateway's QRIS or
//! e-wallet payment is refunded through the gateway's API: the refund is admitted first, so
//! it holds its amount, and a gateway that does not answer is asked again by the job loop
//! with the same refund key, so it refunds once. A VA cannot be reversed: the merchant
//! transfers the money and confirms it here. A refund never changes its link's usage: the
//! place was used, as Stripe counts it.

use crate::db::gateways::Sealed;
use crate::db::refunds::{self, NewRefund, Settled};
use crate::domain::attempt::AttemptStatus;
use crate::domain::audit::AuditAction;
use crate::domain::ids::{AccountId, AttemptId};
use crate::domain::merchant::Access;
use crate::domain::refund::{
    RefundRequest, RefundStatus, CANCELLED_BY, GATEWAY_KEY_REFUSED, GATEWAY_REFUSED,
    SANDBOX_FAIL_MARK, SANDBOX_REFUSED,
};
use crate::error::AppError;
use crate::model::{PaymentAttempt, Refund};
use crate::payments::{GatewayError, RefundAnswer, RefundCall};
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
        return Err(AppError::Conflict(crate::tr!(
            payments.only_paid_refundable,
            status = payment.status.label()
        )));
    }
    let request = RefundRequest::parse(amount, reason, payment.amount, payment.refund_reserved)
        .map_err(AppError::Validation)?;
    // The connection that took the payment refunds it through its API, when it can.
    // A connection removed since leaves the refund to the merchant.
    let gateway = match payment.gateway_connection_id {
        Some(id) => match crate::db::gateways::find(&state.db, merchant_id, id).await {
            Ok(sealed) => Some(sealed).filter(|sealed| {
                crate::payments::refunds_by_api(sealed.connection.gateway, &payment.method_code)
            }),
            Err(AppError::NotFound) => None,
            Err(other) => return Err(other),
        },
        None => None,
    };
    let manual = payment.gateway_connection_id.is_some() && gateway.is_none();
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
                    crate::domain::FieldErrors::single(
                        "amount",
                        crate::tr!(payments.try_refund_again),
                    )
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
    if payment.gateway_connection_id.is_none() {
        let outcome = if request.reason.contains(SANDBOX_FAIL_MARK) {
            Settled::Failed {
                reason: SANDBOX_REFUSED,
            }
        } else {
            Settled::Succeeded {
                provider_refund_id: None,
            }
        };
        if let Some((settled, payment)) = refunds::settle(
            &mut tx,
            refund.id,
            outcome,
            now_ms,
            &state.settings.public_base_url,
        )
        .await?
        {
            tell_payer(state, &mut tx, &settled, &payment, now_ms).await?;
            refund = settled;
        }
    }
    tx.commit().await?;
    if let Some(sealed) = gateway {
        // Admitted and holding its amount: whatever goes wrong asking, the job asks again.
        let id = refund.id;
        refund = match ask_gateway(state, &sealed, &payment, refund.clone()).await {
            Ok(asked) => asked,
            Err(error) => {
                tracing::error!(%error, refund = id, "asking the gateway for a refund failed");
                refund
            }
        };
    }
    after_change(state);
    Ok(refund)
}

/// Asks the gateway for an admitted refund (again, with the same key, when it did not answer
/// before) and settles it by the answer; one not answered or still pending stays so.
async fn ask_gateway(
    state: &AppState,
    sealed: &Sealed,
    payment: &PaymentAttempt,
    refund: Refund,
) -> Result<Refund, AppError> {
    let connector = crate::service::gateways::connector(state, sealed)?;
    let key = format!("paylinks-refund-{}", refund.id);
    let call = RefundCall {
        attempt_reff_no: &payment.reff_no,
        gateway_reference: payment.gateway_reference.as_deref(),
        refund_key: &key,
        amount: refund.amount,
        reason: &refund.reason,
    };
    let answer = match refund.provider_refund_id.as_deref() {
        Some(id) => connector.refund_status(&call, id).await,
        None => connector.refund(&call).await,
    };
    let now_ms = state.now_ms();
    let refused;
    let outcome = match answer {
        Ok(RefundAnswer::Succeeded(id)) => {
            return settle_now(
                state,
                refund,
                Settled::Succeeded {
                    provider_refund_id: Some(&id),
                },
            )
            .await;
        }
        Ok(RefundAnswer::Pending(id)) => {
            refunds::note_asked(&state.db, refund.id, Some(&id), now_ms).await?;
            return Ok(Refund {
                provider_refund_id: Some(id),
                ..refund
            });
        }
        Err(GatewayError::Unavailable(error)) => {
            tracing::warn!(
                %error,
                refund = refund.id,
                "the gateway did not answer a refund; it is asked again"
            );
            refunds::note_asked(&state.db, refund.id, None, now_ms).await?;
            return Ok(refund);
        }
        Err(GatewayError::Refused(why)) => {
            refused = format!("{GATEWAY_REFUSED}{why}");
            Settled::Failed { reason: &refused }
        }
        Err(GatewayError::Unauthorized) => Settled::Failed {
            reason: GATEWAY_KEY_REFUSED,
        },
    };
    settle_now(state, refund, outcome).await
}

async fn settle_now(
    state: &AppState,
    refund: Refund,
    outcome: Settled<'_>,
) -> Result<Refund, AppError> {
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    let settled = refunds::settle(
        &mut tx,
        refund.id,
        outcome,
        now_ms,
        &state.settings.public_base_url,
    )
    .await?;
    if let Some((settled, payment)) = &settled {
        tell_payer(state, &mut tx, settled, payment, now_ms).await?;
    }
    tx.commit().await?;
    Ok(settled.map_or(refund, |(settled, _)| settled))
}

/// With mail on, the payer hears of a refund that went through, in its transaction.
async fn tell_payer(
    state: &AppState,
    tx: &mut crate::db::Tx,
    refund: &Refund,
    payment: &PaymentAttempt,
    now_ms: i64,
) -> Result<(), AppError> {
    if state.mailer.is_none() || refund.status != RefundStatus::Succeeded {
        return Ok(());
    }
    crate::db::emails::queue_refund_notice(tx, refund, payment, now_ms).await?;
    state.mail_wakeup.notify_one();
    Ok(())
}

/// Refunds asked of a gateway and not settled are asked again after this, a batch per pass.
const ASK_AGAIN_AFTER_MS: i64 = 60_000;
const FOLLOW_UP_BATCH: i64 = 20;

/// The job loop: asks the gateways again about the refunds they left pending or never
/// answered. Returns how many were asked.
pub async fn follow_up(state: &AppState) -> Result<usize, AppError> {
    let due = refunds::due_at_gateways(
        &state.db,
        state.now_ms() - ASK_AGAIN_AFTER_MS,
        FOLLOW_UP_BATCH,
    )
    .await?;
    let asked = due.len();
    for refund in due {
        let merchant_id = refund.merchant_id;
        let payment =
            crate::db::histories::find_for_merchant(&state.db, merchant_id, refund.history_id)
                .await?;
        let Some(connection_id) = payment.gateway_connection_id else {
            continue;
        };
        let sealed = crate::db::gateways::find(&state.db, merchant_id, connection_id).await?;
        if let Err(error) = ask_gateway(state, &sealed, &payment, refund).await {
            tracing::error!(%error, "following a refund up failed");
        }
    }
    if asked > 0 {
        after_change(state);
    }
    Ok(asked)
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
        return Err(AppError::Conflict(crate::tr!(
            payments.refund_not_waiting,
            status = refund.status.label()
        )));
    }
    let now_ms = state.now_ms();
    let cancelled = format!("{CANCELLED_BY}{}.", actor.describe());
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
        return Err(AppError::Conflict(crate::tr!(payments.refund_ended)));
    };
    tell_payer(state, &mut tx, &ended, &payment, now_ms).await?;
    let detail = format!("{}, {}", payment.reff_no, ended.amount);
    actor.audit(&mut tx, action, &detail, now_ms).await?;
    tx.commit().await?;
    after_change(state);
    Ok(ended)
}

fn after_change(state: &AppState) {
    state.webhook_wakeup.notify_one();
}
