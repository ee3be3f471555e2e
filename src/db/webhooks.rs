//! Webhook settings, the event outbox and its delivery log.
//!
//! Events are written by [`write_events!`] inside the transaction of the change that causes
//! them. Workers claim due events with a lease: the claim is one guarded UPDATE, so two app
//! instances never hold the same event, and an event whose worker died is due again once its
//! lease runs out (at-least-once delivery).

use crate::db::{Db, Tx};
use crate::domain::ids::{AccountId, AttemptId, LinkId, MerchantId};
use crate::domain::webhook::{next_retry_delay_ms, DeliveryStatus, EventType};
use crate::error::AppError;
use crate::model::{WebhookDelivery, WebhookEvent, WebhookSettings};
use crate::wire::events::NewEvent;
use crate::{on_db, on_tx};

#[derive(sqlx::FromRow)]
pub(crate) struct SettingsRow {
    pub transaction_url: String,
    pub inquiry_url: Option<String>,
    pub enabled: bool,
    pub updated_at: i64,
}

impl From<SettingsRow> for WebhookSettings {
    fn from(row: SettingsRow) -> Self {
        WebhookSettings {
            transaction_url: row.transaction_url,
            inquiry_url: row.inquiry_url,
            enabled: row.enabled,
            updated_at: row.updated_at,
        }
    }
}

pub(crate) const SETTINGS_SQL: &str = "SELECT transaction_url, inquiry_url, enabled, updated_at
    FROM webhook_settings WHERE merchant_id = $1";

pub(crate) const INSERT_EVENT_SQL: &str = "INSERT INTO webhook_events (event_id, merchant_id,
    account_id, event_type, target, history_id, payment_link_id, payload, status,
    next_attempt_at, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $9, $9)";

/// Inside an open transaction `$tx`: reads the merchant's settings and, when notifications
/// are on, writes the events `$build` makes from them (`|settings| -> Vec<NewEvent>`).
/// A macro because the transaction's type differs per backend inside [`on_db!`].
#[macro_export]
macro_rules! write_events {
    ($tx:expr, $merchant_id:expr, $now_ms:expr, |$settings:ident| $build:expr) => {{
        let settings: Option<$crate::db::webhooks::SettingsRow> =
            sqlx::query_as($crate::db::webhooks::SETTINGS_SQL)
                .bind($merchant_id)
                .fetch_optional(&mut *$tx)
                .await?;
        if let Some($settings) = settings.filter(|s| s.enabled) {
            let events: Vec<$crate::wire::events::NewEvent> = $build;
            for event in &events {
                sqlx::query($crate::db::webhooks::INSERT_EVENT_SQL)
                    .bind(&event.event_id)
                    .bind($merchant_id)
                    .bind(&event.account_id)
                    .bind(event.event_type.as_str())
                    .bind(event.target.as_str())
                    .bind(event.history_id)
                    .bind(event.payment_link_id)
                    .bind(&event.payload)
                    .bind($now_ms)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
    }};
}

/// Whether the merchant owning the link hears of each attempt issued on it (notifications on,
/// an inquiry URL set).
pub async fn inquiry_wanted(db: &Db, link_id: LinkId) -> Result<bool, AppError> {
    let row: Option<(i64,)> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT l.id FROM webhook_settings s JOIN payment_links l ON l.merchant_id = s.merchant_id
             WHERE l.id = $1 AND s.enabled AND s.inquiry_url IS NOT NULL",
        )
        .bind(link_id)
        .fetch_optional(pool)
        .await?
    });
    Ok(row.is_some())
}

pub async fn find_settings(
    db: &Db,
    merchant_id: MerchantId,
) -> Result<Option<WebhookSettings>, AppError> {
    let row: Option<SettingsRow> = on_db!(db, pool => {
        sqlx::query_as(SETTINGS_SQL).bind(merchant_id).fetch_optional(pool).await?
    });
    Ok(row.map(WebhookSettings::from))
}

/// Creates or replaces the merchant's settings; URLs are validated by the caller.
pub async fn save_settings(
    tx: &mut Tx,
    merchant_id: MerchantId,
    settings: &WebhookSettings,
) -> Result<(), AppError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO webhook_settings (merchant_id, transaction_url, inquiry_url, enabled,
                updated_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (merchant_id) DO UPDATE SET transaction_url = excluded.transaction_url,
                inquiry_url = excluded.inquiry_url, enabled = excluded.enabled,
                updated_at = excluded.updated_at",
        )
        .bind(merchant_id)
        .bind(&settings.transaction_url)
        .bind(&settings.inquiry_url)
        .bind(settings.enabled)
        .bind(settings.updated_at)
        .execute(conn)
        .await?;
    });
    Ok(())
}

/// Writes one event that no payment change caused (the dashboard's test event). Returns its
/// row id.
pub async fn insert_event(
    tx: &mut Tx,
    merchant_id: MerchantId,
    event: &NewEvent,
    now_ms: i64,
) -> Result<i64, AppError> {
    let sql = format!("{INSERT_EVENT_SQL} RETURNING id");
    let (id,): (i64,) = on_tx!(tx, conn => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(&event.event_id)
            .bind(merchant_id)
            .bind(&event.account_id)
            .bind(event.event_type.as_str())
            .bind(event.target.as_str())
            .bind(event.history_id)
            .bind(event.payment_link_id)
            .bind(&event.payload)
            .bind(now_ms)
            .fetch_one(conn)
            .await?
    });
    Ok(id)
}

/// An event a worker holds until `locked_until`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedEvent {
    pub id: i64,
    pub event_id: String,
    pub merchant_id: MerchantId,
    pub account_id: AccountId,
    pub event_type: String,
    pub target: String,
    pub payload: String,
    pub attempts: i64,
    pub claim_token: String,
}

const CLAIM_SQL: &str = "UPDATE webhook_events
    SET claim_token = $1, locked_until = $2, updated_at = $3
    WHERE id IN (SELECT id FROM webhook_events
                 WHERE status = 'pending' AND next_attempt_at <= $3
                   AND (locked_until IS NULL OR locked_until <= $3) AND ($5 = 0 OR id = $5)
                 ORDER BY next_attempt_at, id LIMIT $4)
      AND status = 'pending' AND (locked_until IS NULL OR locked_until <= $3)
    RETURNING id, event_id, merchant_id, account_id, event_type, target, payload, attempts,
        claim_token";

/// Claims up to `limit` due events for `lease_ms`. The outer guard is checked again on each
/// row after any concurrent claim commits, so a row is claimed by one worker only.
pub async fn claim_due(
    db: &Db,
    now_ms: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<ClaimedEvent>, AppError> {
    claim(db, now_ms, lease_ms, limit, 0).await
}

/// Claims one event by row id if it is due (the dashboard's "send now").
pub async fn claim_one(
    db: &Db,
    id: i64,
    now_ms: i64,
    lease_ms: i64,
) -> Result<Option<ClaimedEvent>, AppError> {
    Ok(claim(db, now_ms, lease_ms, 1, id).await?.pop())
}

async fn claim(
    db: &Db,
    now_ms: i64,
    lease_ms: i64,
    limit: i64,
    only_id: i64,
) -> Result<Vec<ClaimedEvent>, AppError> {
    let token = ulid::Ulid::new().to_string();
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, ClaimedEvent>(CLAIM_SQL)
            .bind(&token)
            .bind(now_ms + lease_ms)
            .bind(now_ms)
            .bind(limit)
            .bind(only_id)
            .fetch_all(pool)
            .await?
    });
    Ok(rows)
}

/// What one try at delivering produced.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub url: String,
    pub response_status: Option<u16>,
    pub latency_ms: i64,
    pub response_excerpt: Option<String>,
    pub error: Option<String>,
}

impl Attempt {
    /// Only a 2xx answer delivers.
    pub fn succeeded(&self) -> bool {
        self.error.is_none()
            && self
                .response_status
                .is_some_and(|s| (200..300).contains(&s))
    }
}

/// Logs a try and moves the event on: delivered, due again after the backoff, or failed for
/// good. Only the worker holding the claim may do so; `Ok(false)` means it had lost it.
pub async fn record_attempt(
    db: &Db,
    event: &ClaimedEvent,
    attempt: &Attempt,
    now_ms: i64,
) -> Result<bool, AppError> {
    let tries = event.attempts + 1;
    // A test event is tried once: its sender is watching the answer.
    let retried = event.event_type != EventType::Test.as_str();
    let (status, next_attempt_at, delivered_at) = if attempt.succeeded() {
        (DeliveryStatus::Delivered, now_ms, Some(now_ms))
    } else {
        match next_retry_delay_ms(tries).filter(|_| retried) {
            Some(delay) => (DeliveryStatus::Pending, now_ms + delay, None),
            None => (DeliveryStatus::Failed, now_ms, None),
        }
    };
    let response_status = attempt.response_status.map(i64::from);
    let recorded = on_db!(db, pool => async {
        let mut tx = pool.begin().await?;
        let changed = sqlx::query(
            "UPDATE webhook_events
             SET status = $1, attempts = $2, next_attempt_at = $3, delivered_at = $4,
                 last_response_status = $5, last_error = $6, claim_token = NULL,
                 locked_until = NULL, updated_at = $7
             WHERE id = $8 AND claim_token = $9",
        )
        .bind(status.as_str())
        .bind(tries)
        .bind(next_attempt_at)
        .bind(delivered_at)
        .bind(response_status)
        .bind(&attempt.error)
        .bind(now_ms)
        .bind(event.id)
        .bind(&event.claim_token)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 1 {
            sqlx::query(
                "INSERT INTO webhook_deliveries (event_id, url, attempted_at, response_status,
                    latency_ms, response_excerpt, error)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(event.id)
            .bind(&attempt.url)
            .bind(now_ms)
            .bind(response_status)
            .bind(attempt.latency_ms)
            .bind(&attempt.response_excerpt)
            .bind(&attempt.error)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(changed == 1)
    }
    .await)?;
    Ok(recorded)
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    event_id: String,
    event_type: String,
    account_id: AccountId,
    history_id: Option<AttemptId>,
    payment_link_id: Option<LinkId>,
    status: String,
    attempts: i64,
    next_attempt_at: i64,
    last_response_status: Option<i64>,
    last_error: Option<String>,
    delivered_at: Option<i64>,
    created_at: i64,
}

const EVENT_COLUMNS: &str = "id, event_id, event_type, account_id, history_id, payment_link_id,
    status, attempts, next_attempt_at, last_response_status, last_error, delivered_at,
    created_at";

impl TryFrom<EventRow> for WebhookEvent {
    type Error = AppError;
    fn try_from(row: EventRow) -> Result<Self, AppError> {
        Ok(WebhookEvent {
            status: DeliveryStatus::parse(&row.status).map_err(AppError::internal)?,
            id: row.id,
            event_id: row.event_id,
            event_type: row.event_type,
            account_id: row.account_id,
            history_id: row.history_id,
            payment_link_id: row.payment_link_id,
            attempts: row.attempts,
            next_attempt_at: row.next_attempt_at,
            last_response_status: row.last_response_status,
            last_error: row.last_error,
            delivered_at: row.delivered_at,
            created_at: row.created_at,
        })
    }
}

/// A page of the merchant's events, newest first: those older than `before_id` when given.
/// Fetches one extra row so the caller knows whether another page follows.
pub async fn list_events(
    db: &Db,
    merchant_id: MerchantId,
    status: Option<DeliveryStatus>,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<WebhookEvent>, AppError> {
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM webhook_events
         WHERE merchant_id = $1 AND ($2 = '' OR status = $2) AND id < $3
         ORDER BY id DESC LIMIT $4"
    );
    let rows: Vec<EventRow> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(merchant_id)
            .bind(status.map_or("", DeliveryStatus::as_str))
            .bind(before_id.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(pool)
            .await?
    });
    rows.into_iter().map(WebhookEvent::try_from).collect()
}

#[derive(sqlx::FromRow)]
struct EventWithPayload {
    #[sqlx(flatten)]
    event: EventRow,
    payload: String,
}

/// One of the merchant's events by its public id, with its body.
pub async fn find_event(
    db: &Db,
    merchant_id: MerchantId,
    event_id: &str,
) -> Result<(WebhookEvent, String), AppError> {
    let sql = format!(
        "SELECT {EVENT_COLUMNS}, payload FROM webhook_events
         WHERE merchant_id = $1 AND event_id = $2"
    );
    let row: Option<EventWithPayload> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(merchant_id).bind(event_id).fetch_optional(pool).await?
    });
    let row = row.ok_or(AppError::NotFound)?;
    Ok((row.event.try_into()?, row.payload))
}

/// Every try at delivering an event, oldest first.
pub async fn deliveries(db: &Db, event_row_id: i64) -> Result<Vec<WebhookDelivery>, AppError> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, WebhookDelivery>(
            "SELECT id, url, attempted_at, response_status, latency_ms, response_excerpt, error
             FROM webhook_deliveries WHERE event_id = $1 ORDER BY id",
        )
        .bind(event_row_id)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}

/// Puts one event back in the queue with a fresh retry schedule; an event already in flight
/// is left alone. Returns whether it was queued.
pub async fn resend(
    tx: &mut Tx,
    merchant_id: MerchantId,
    event_id: &str,
    now_ms: i64,
) -> Result<bool, AppError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE webhook_events
             SET status = 'pending', attempts = 0, next_attempt_at = $1, updated_at = $1
             WHERE merchant_id = $2 AND event_id = $3
               AND (locked_until IS NULL OR locked_until <= $1)",
        )
        .bind(now_ms)
        .bind(merchant_id)
        .bind(event_id)
        .execute(conn)
        .await?
        .rows_affected()
    });
    Ok(changed == 1)
}

/// Queues every failed event of the merchant again. Returns how many.
pub async fn resend_failed(
    tx: &mut Tx,
    merchant_id: MerchantId,
    now_ms: i64,
) -> Result<u64, AppError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE webhook_events
             SET status = 'pending', attempts = 0, next_attempt_at = $1, updated_at = $1
             WHERE merchant_id = $2 AND status = 'failed'",
        )
        .bind(now_ms)
        .bind(merchant_id)
        .execute(conn)
        .await?
        .rows_affected()
    });
    Ok(changed)
}
