//! The merchant's webhook settings, the test event and resending deliveries.

use crate::db::webhooks::{self as outbox, Attempt};
use crate::db::{accounts, Db};
use crate::domain::audit::AuditAction;
use crate::domain::merchant::Access;
use crate::domain::webhook::parse_target_url;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::model::WebhookSettings;
use crate::service::Actor;
use crate::state::AppState;

/// The settings as a form or body gives them, not yet checked.
pub struct SettingsInput<'a> {
    pub transaction_url: &'a str,
    /// Blank means no inquiry notifications.
    pub inquiry_url: &'a str,
    pub enabled: bool,
}

/// Checks both URLs (public HTTPS unless private targets are allowed) and saves them.
pub async fn save_settings(
    state: &AppState,
    actor: &Actor,
    input: SettingsInput<'_>,
) -> Result<(), AppError> {
    actor.require(Access::Write)?;
    let allow_private = state.settings.webhook_allow_private_targets;
    let mut errors = FieldErrors::default();
    let transaction_url = parse_target_url(input.transaction_url, allow_private)
        .map_err(|e| errors.add("transaction_url", e))
        .ok();
    let inquiry_url = match input.inquiry_url.trim() {
        "" => None,
        url => parse_target_url(url, allow_private)
            .map_err(|e| errors.add("inquiry_url", e))
            .ok(),
    };
    errors.into_result(())?;
    let now_ms = state.now_ms();
    let settings = WebhookSettings {
        transaction_url: transaction_url.map(String::from).unwrap_or_default(),
        inquiry_url: inquiry_url.map(String::from),
        enabled: input.enabled,
        updated_at: now_ms,
    };
    let mut tx = state.db.begin().await?;
    outbox::save_settings(&mut tx, actor.merchant_id(), &settings).await?;
    let detail = format!(
        "Transactions to {}; inquiries to {}; {}",
        settings.transaction_url,
        settings.inquiry_url.as_deref().unwrap_or("nowhere"),
        if settings.enabled { "on" } else { "off" }
    );
    actor
        .audit(
            &mut tx,
            AuditAction::WebhookSettingsChanged,
            &detail,
            now_ms,
        )
        .await?;
    tx.commit().await?;
    // The payer memory keeps whether the merchant hears of each attempt.
    state.payer_cache.changed();
    Ok(())
}

/// Sends a test event for the merchant's first account right away; returns its event id and
/// how the delivery went.
pub async fn send_test(state: &AppState, actor: &Actor) -> Result<(String, Attempt), AppError> {
    let (event_id, row_id) = queue_test(&state.db, actor, state.now_ms()).await?;
    let attempt = crate::webhooks::deliver_now(state, row_id)
        .await?
        .ok_or_else(|| AppError::Conflict(crate::tr!(webhooks.test_already_sending)))?;
    Ok((event_id, attempt))
}

async fn queue_test(db: &Db, actor: &Actor, now_ms: i64) -> Result<(String, i64), AppError> {
    actor.require(Access::Write)?;
    if outbox::find_settings(db, actor.merchant_id())
        .await?
        .is_none()
    {
        return Err(AppError::field(
            "transaction_url",
            crate::tr!(webhooks.save_url_first),
        ));
    }
    let account = accounts::list(db, actor.merchant_id())
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    let event = crate::wire::events::test_event(&account.id, now_ms);
    let mut tx = db.begin().await?;
    let row_id = outbox::insert_event(&mut tx, actor.merchant_id(), &event, now_ms).await?;
    let detail = format!("Event {}", event.event_id);
    actor
        .audit(&mut tx, AuditAction::WebhookTestSent, &detail, now_ms)
        .await?;
    tx.commit().await?;
    Ok((event.event_id, row_id))
}

/// Sends one event again with a fresh retry schedule.
pub async fn resend(state: &AppState, actor: &Actor, event_id: &str) -> Result<(), AppError> {
    actor.require(Access::Write)?;
    // Unknown to this merchant and unknown at all look the same.
    let (event, _) = outbox::find_event(&state.db, actor.merchant_id(), event_id).await?;
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    if !outbox::resend(&mut tx, actor.merchant_id(), event_id, now_ms).await? {
        return Err(AppError::Conflict(crate::tr!(webhooks.being_sent)));
    }
    let detail = format!("{} event {event_id}", event.event_type);
    actor
        .audit(&mut tx, AuditAction::WebhookResent, &detail, now_ms)
        .await?;
    tx.commit().await?;
    state.webhook_wakeup.notify_one();
    Ok(())
}

/// Sends every failed event again; returns how many were queued.
pub async fn resend_failed(state: &AppState, actor: &Actor) -> Result<u64, AppError> {
    actor.require(Access::Write)?;
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    let queued = outbox::resend_failed(&mut tx, actor.merchant_id(), now_ms).await?;
    let detail = format!("{queued} events");
    actor
        .audit(&mut tx, AuditAction::FailedWebhooksResent, &detail, now_ms)
        .await?;
    tx.commit().await?;
    state.webhook_wakeup.notify_one();
    Ok(queued)
}
