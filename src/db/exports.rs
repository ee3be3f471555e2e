//! Payments exports and their progress.

use crate::db::{Db, Tx};
use crate::domain::export::ExportStatus;
use crate::domain::ids::{AccountId, MerchantId};
use crate::error::AppError;
use crate::model::Export;
use crate::{on_db, on_tx};

const EXPORT_COLUMNS: &str = "id, account_id, format, status, total_rows, done_rows, size_bytes,
    error, created_at, finished_at";

pub struct NewExport<'a> {
    pub id: &'a str,
    pub merchant_id: MerchantId,
    pub account_id: &'a AccountId,
    pub format: &'a str,
    pub query_json: &'a str,
    pub total_rows: i64,
    pub now_ms: i64,
    /// The dashboard user who started it (`None`: an API credential or the command line).
    pub requested_by: Option<crate::domain::ids::UserId>,
}

pub async fn create(tx: &mut Tx, new: NewExport<'_>) -> Result<(), AppError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO exports (id, merchant_id, account_id, format, query, status, total_rows,
                created_at, updated_at, requested_by)
             VALUES ($1, $2, $3, $4, $5, 'running', $6, $7, $7, $8)",
        )
        .bind(new.id)
        .bind(new.merchant_id)
        .bind(new.account_id)
        .bind(new.format)
        .bind(new.query_json)
        .bind(new.total_rows)
        .bind(new.now_ms)
        .bind(new.requested_by)
        .execute(conn)
        .await?;
    });
    Ok(())
}

/// One of the merchant's exports.
pub async fn find(db: &Db, merchant_id: MerchantId, id: &str) -> Result<Export, AppError> {
    let sql = format!("SELECT {EXPORT_COLUMNS} FROM exports WHERE merchant_id = $1 AND id = $2");
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Export>(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(merchant_id)
            .bind(id)
            .fetch_optional(pool)
            .await?
    });
    row.ok_or(AppError::NotFound)
}

/// An account's latest exports, newest first.
pub async fn list(
    db: &Db,
    merchant_id: MerchantId,
    account_id: &AccountId,
) -> Result<Vec<Export>, AppError> {
    let sql = format!(
        "SELECT {EXPORT_COLUMNS} FROM exports WHERE merchant_id = $1 AND account_id = $2
         ORDER BY created_at DESC, id DESC LIMIT 50"
    );
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Export>(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(merchant_id)
            .bind(account_id)
            .fetch_all(pool)
            .await?
    });
    Ok(rows)
}

pub async fn progress(db: &Db, id: &str, done_rows: i64, now_ms: i64) -> Result<(), AppError> {
    on_db!(db, pool => {
        sqlx::query("UPDATE exports SET done_rows = $1, updated_at = $2 WHERE id = $3")
            .bind(done_rows)
            .bind(now_ms)
            .bind(id)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// Records the end of an export: its size when it worked, its error when not.
pub async fn finish(
    db: &Db,
    id: &str,
    outcome: Result<(i64, i64), String>,
    now_ms: i64,
) -> Result<(), AppError> {
    let (status, done_rows, size, error) = match outcome {
        Ok((rows, size)) => (ExportStatus::Done, Some(rows), Some(size), None),
        Err(error) => (ExportStatus::Failed, None, None, Some(error)),
    };
    on_db!(db, pool => {
        sqlx::query(
            "UPDATE exports SET status = $1, done_rows = COALESCE($2, done_rows),
                size_bytes = $3, error = $4, finished_at = $5, updated_at = $5
             WHERE id = $6",
        )
        .bind(status.as_str())
        .bind(done_rows)
        .bind(size)
        .bind(error)
        .bind(now_ms)
        .bind(id)
        .execute(pool)
        .await?;
    });
    Ok(())
}

/// Exports whose writer stopped reporting (the process ended mid-way) are failed, so nobody
/// waits for them. Returns how many.
pub async fn fail_abandoned(db: &Db, now_ms: i64, silent_for_ms: i64) -> Result<u64, AppError> {
    let changed = on_db!(db, pool => {
        sqlx::query(
            "UPDATE exports SET status = 'failed', error = 'Interrupted; start it again.',
                finished_at = $1, updated_at = $1
             WHERE status = 'running' AND updated_at < $2",
        )
        .bind(now_ms)
        .bind(now_ms - silent_for_ms)
        .execute(pool)
        .await?
        .rows_affected()
    });
    Ok(changed)
}
