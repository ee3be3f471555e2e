//! Providers' notifications and how applying each went (see `service::payments`). A
//! notification is recorded in the transaction that credits it, or on its own when it could
//! not be applied (to be tried again) or was refused.

use crate::db::Db;
use crate::error::AppError;
use crate::model::ProviderNotification;
use crate::on_db;

/// A verified notice, and what became of it.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    pub provider: &'a str,
    pub transaction_id: &'a str,
    pub attempt_reff_no: &'a str,
    pub amount: i64,
    /// The notice as received.
    pub body: &'a str,
    pub received_at: i64,
}

/// Where a notification stands after a try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing<'a> {
    Applied(&'a str),
    Refused(&'a str),
    /// Applying failed with this error; try again from `next_try_at`.
    Retry {
        error: &'a str,
        next_try_at: i64,
    },
}

impl Standing<'_> {
    /// (status, outcome, next_try_at) as stored.
    pub(crate) fn columns_for(&self, now_ms: i64) -> (&'static str, &str, i64) {
        match *self {
            Standing::Applied(outcome) => ("applied", outcome, now_ms),
            Standing::Refused(outcome) => ("refused", outcome, now_ms),
            Standing::Retry { error, next_try_at } => ("received", error, next_try_at),
        }
    }
}

/// Records a try of `record` (one row per provider transaction, attempt and amount). A
/// notification once applied stays applied, whatever a later repeat of it meets. Written as a
/// macro so the crediting transaction and a lone write share it.
macro_rules! record_try {
    ($executor:expr, $record:expr, $standing:expr, $now_ms:expr) => {{
        let record: &$crate::db::notifications::Record<'_> = $record;
        let (status, outcome, next_try_at) = $standing.columns_for($now_ms);
        sqlx::query(
            "INSERT INTO inbound_notifications (provider, transaction_id, attempt_reff_no,
                 amount, body, status, outcome, tries, next_try_at, received_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10)
             ON CONFLICT (provider, transaction_id, attempt_reff_no, amount) DO UPDATE
             SET status = excluded.status, outcome = excluded.outcome,
                 tries = inbound_notifications.tries + 1, next_try_at = excluded.next_try_at,
                 updated_at = excluded.updated_at
             WHERE inbound_notifications.status <> 'applied'",
        )
        .bind(record.provider)
        .bind(record.transaction_id)
        .bind(record.attempt_reff_no)
        .bind(record.amount)
        .bind(record.body)
        .bind(status)
        .bind(outcome)
        .bind(next_try_at)
        .bind(record.received_at)
        .bind($now_ms)
        .execute($executor)
        .await
    }};
}
pub(crate) use record_try;

/// Records a try on its own (the notification was not applied in a crediting transaction).
pub async fn record(
    db: &Db,
    record: &Record<'_>,
    standing: Standing<'_>,
    now_ms: i64,
) -> Result<(), AppError> {
    on_db!(db, pool => {
        record_try!(pool, record, standing, now_ms)?;
    });
    Ok(())
}

/// When this notice first reached us, if it did before: a repeat is judged by the first
/// arrival, or a repeat sent after the attempt's expiry would refuse money that came in time.
pub async fn first_arrival(db: &Db, record: &Record<'_>) -> Result<Option<i64>, AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query_scalar(
            "SELECT received_at FROM inbound_notifications WHERE provider = $1
               AND transaction_id = $2 AND attempt_reff_no = $3 AND amount = $4",
        )
        .bind(record.provider)
        .bind(record.transaction_id)
        .bind(record.attempt_reff_no)
        .bind(record.amount)
        .fetch_optional(pool)
        .await?
    }))
}

/// A notification still to apply, as the job loop claims it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Pending {
    pub provider: String,
    pub transaction_id: String,
    pub attempt_reff_no: String,
    pub amount: i64,
    pub body: String,
    pub tries: i64,
    pub received_at: i64,
}

/// Claims up to `limit` notifications due by `now_ms`: each is held until `lease_until`, so
/// two instances running the jobs do not apply it at the same moment (applying twice would
/// be harmless anyway: a provider transaction credits once).
pub async fn claim_due(
    db: &Db,
    now_ms: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<Pending>, AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query_as(
            "UPDATE inbound_notifications SET next_try_at = $2
             WHERE id IN (SELECT id FROM inbound_notifications
                          WHERE status = 'received' AND next_try_at <= $1
                          ORDER BY next_try_at LIMIT $3)
               AND status = 'received' AND next_try_at <= $1
             RETURNING provider, transaction_id, attempt_reff_no, amount, body, tries,
                 received_at",
        )
        .bind(now_ms)
        .bind(lease_until)
        .bind(limit)
        .fetch_all(pool)
        .await?
    }))
}

/// An attempt's notifications, newest first.
pub async fn for_attempt(
    db: &Db,
    attempt_reff_no: &str,
) -> Result<Vec<ProviderNotification>, AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query_as(
            "SELECT transaction_id, amount, status, outcome, tries, received_at
             FROM inbound_notifications WHERE attempt_reff_no = $1 ORDER BY id DESC",
        )
        .bind(attempt_reff_no)
        .fetch_all(pool)
        .await?
    }))
}
