//! Refunds of paid payments. Admitting one and settling it each change the payment's sums in
//! the same transaction as the refund's row and its webhook event.

use crate::db::histories::{AttemptRow, ATTEMPT_COLUMNS};
use crate::db::outcomes::LINK_SNAPSHOT_COLUMNS;
use crate::db::{Db, Tx};
use crate::domain::ids::{AttemptId, MerchantId};
use crate::domain::refund::RefundStatus;
use crate::domain::Rupiah;
use crate::error::AppError;
use crate::model::{LinkSnapshot, PaymentAttempt, Refund};
use crate::wire::events::{self, Subject};
use crate::{on_db, on_tx, write_events};

const REFUND_COLUMNS: &str =
    "id, merchant_id, history_id, amount, reason, status, manual, provider_refund_id, \
    failure_reason, requested_by, created_at, updated_at";

type Row = (
    i64,
    MerchantId,
    AttemptId,
    i64,
    String,
    String,
    bool,
    Option<String>,
    Option<String>,
    String,
    i64,
    i64,
);

fn read(row: Row) -> Result<Refund, AppError> {
    let status = RefundStatus::parse(&row.5)
        .ok_or_else(|| AppError::internal(format!("unknown refund status {}", row.5)))?;
    Ok(Refund {
        id: row.0,
        merchant_id: row.1,
        history_id: row.2,
        amount: Rupiah(row.3),
        reason: row.4,
        status,
        manual: row.6,
        provider_refund_id: row.7,
        failure_reason: row.8,
        requested_by: row.9,
        created_at: row.10,
        updated_at: row.11,
    })
}

pub struct NewRefund<'a> {
    pub merchant_id: MerchantId,
    pub history_id: AttemptId,
    pub amount: Rupiah,
    pub reason: &'a str,
    pub manual: bool,
    pub requested_by: &'a str,
    pub now_ms: i64,
}

/// Holds `amount` of a paid payment for a new pending refund, unless that would take its
/// refunds past what was paid: one conditional update, so refunds asked at the same moment
/// are admitted one after another and never add up to more. `None`: not admitted.
pub async fn admit(tx: &mut Tx, new: &NewRefund<'_>) -> Result<Option<Refund>, AppError> {
    let reserve = "UPDATE payment_link_histories
         SET refund_reserved = refund_reserved + $1, updated_at = $2
         WHERE id = $3 AND status = 'paid' AND refund_reserved + $1 <= amount
         RETURNING id";
    let insert = format!(
        "INSERT INTO refunds (merchant_id, history_id, amount, reason, status, manual,
             requested_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $7)
         RETURNING {REFUND_COLUMNS}"
    );
    let admitted: Vec<(AttemptId,)> = on_tx!(tx, conn => {
        sqlx::query_as(reserve)
            .bind(new.amount.value())
            .bind(new.now_ms)
            .bind(new.history_id)
            .fetch_all(&mut *conn)
            .await?
    });
    if admitted.is_empty() {
        return Ok(None);
    }
    let row: Row = on_tx!(tx, conn => {
        sqlx::query_as(sqlx::AssertSqlSafe(insert.as_str()))
            .bind(new.merchant_id)
            .bind(new.history_id)
            .bind(new.amount.value())
            .bind(new.reason)
            .bind(new.manual)
            .bind(new.requested_by)
            .bind(new.now_ms)
            .fetch_one(&mut *conn)
            .await?
    });
    read(row).map(Some)
}

/// How a pending refund ended.
pub enum Settled<'a> {
    Succeeded { provider_refund_id: Option<&'a str> },
    Failed { reason: &'a str },
}

/// Ends a pending refund: a success adds it to the payment's refunded sum, a failure gives
/// its amount back to what can be refunded; its event is written in the same transaction.
/// `None` when it had already ended.
pub async fn settle(
    tx: &mut Tx,
    refund_id: i64,
    outcome: Settled<'_>,
    now_ms: i64,
    public_base_url: &str,
) -> Result<Option<(Refund, PaymentAttempt)>, AppError> {
    let (status, provider_refund_id, failure_reason) = match outcome {
        Settled::Succeeded { provider_refund_id } => ("succeeded", provider_refund_id, None),
        Settled::Failed { reason } => ("failed", None, Some(reason)),
    };
    let end_refund = format!(
        "UPDATE refunds SET status = $1, provider_refund_id = $2, failure_reason = $3,
             updated_at = $4
         WHERE id = $5 AND status = 'pending'
         RETURNING {REFUND_COLUMNS}"
    );
    let count = if status == "succeeded" {
        "refunded_amount = refunded_amount + $1"
    } else {
        "refund_reserved = refund_reserved - $1"
    };
    let on_payment = format!(
        "UPDATE payment_link_histories SET {count}, updated_at = $2 WHERE id = $3
         RETURNING {ATTEMPT_COLUMNS}"
    );
    let read_link = format!("SELECT {LINK_SNAPSHOT_COLUMNS} FROM payment_links WHERE id = $1");
    on_tx!(tx, conn => {
        let ended: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(end_refund.as_str()))
            .bind(status)
            .bind(provider_refund_id)
            .bind(failure_reason)
            .bind(now_ms)
            .bind(refund_id)
            .fetch_all(&mut *conn)
            .await?;
        let Some(row) = ended.into_iter().next() else {
            return Ok(None);
        };
        let refund = read(row)?;
        let row: AttemptRow = sqlx::query_as(sqlx::AssertSqlSafe(on_payment.as_str()))
            .bind(refund.amount.value())
            .bind(now_ms)
            .bind(refund.history_id)
            .fetch_one(&mut *conn)
            .await?;
        let attempt = PaymentAttempt::try_from(row)?;
        let link: LinkSnapshot = sqlx::query_as(sqlx::AssertSqlSafe(read_link.as_str()))
            .bind(attempt.payment_link_id)
            .fetch_one(&mut *conn)
            .await?;
        write_events!(conn, link.merchant_id, now_ms, |_settings| {
            events::on_refund(
                &Subject {
                    attempt: &attempt,
                    link: &link,
                    public_base_url,
                    now_ms,
                },
                &refund,
            )
        });
        Ok(Some((refund, attempt)))
    })
}

/// A payment's refunds, oldest first.
pub async fn for_history(db: &Db, history_id: AttemptId) -> Result<Vec<Refund>, AppError> {
    let sql = format!("SELECT {REFUND_COLUMNS} FROM refunds WHERE history_id = $1 ORDER BY id");
    let rows: Vec<Row> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(history_id).fetch_all(pool).await?
    });
    rows.into_iter().map(read).collect()
}

/// One of the merchant's refunds; another merchant's is not found.
pub async fn find(db: &Db, merchant_id: MerchantId, refund_id: i64) -> Result<Refund, AppError> {
    let sql = format!("SELECT {REFUND_COLUMNS} FROM refunds WHERE merchant_id = $1 AND id = $2");
    let row: Option<Row> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(merchant_id).bind(refund_id).fetch_optional(pool).await?
    });
    read(row.ok_or(AppError::NotFound)?)
}

/// Records that the gateway was asked about a pending refund (and its id for it, once known),
/// so the job loop asks again only after a while.
pub async fn note_asked(
    db: &Db,
    refund_id: i64,
    provider_refund_id: Option<&str>,
    now_ms: i64,
) -> Result<(), AppError> {
    on_db!(db, pool => {
        sqlx::query(
            "UPDATE refunds SET provider_refund_id = COALESCE($1, provider_refund_id),
                 updated_at = $2
             WHERE id = $3 AND status = 'pending'",
        )
        .bind(provider_refund_id)
        .bind(now_ms)
        .bind(refund_id)
        .execute(pool)
        .await?;
    });
    Ok(())
}

/// Refunds a gateway was asked for and has not settled, last asked before `asked_before_ms`:
/// oldest first.
pub async fn due_at_gateways(
    db: &Db,
    asked_before_ms: i64,
    limit: i64,
) -> Result<Vec<Refund>, AppError> {
    let sql = format!(
        "SELECT {REFUND_COLUMNS} FROM refunds
         WHERE status = 'pending' AND manual = FALSE AND updated_at < $1
         ORDER BY updated_at LIMIT $2"
    );
    let rows: Vec<Row> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(asked_before_ms).bind(limit).fetch_all(pool).await?
    });
    rows.into_iter().map(read).collect()
}
