//! The audit log: who changed what, and when.

use crate::db::{Db, Tx};
use crate::domain::audit::AuditAction;
use crate::domain::ids::MerchantId;
use crate::domain::ids::UserId;
use crate::error::AppError;
use crate::model::AuditEntry;
use crate::{on_db, on_tx};

pub struct NewEntry<'a> {
    pub merchant_id: MerchantId,
    pub user_id: Option<UserId>,
    pub actor: &'a str,
    pub action: AuditAction,
    pub detail: &'a str,
    pub now_ms: i64,
}

/// Writes the entry in the transaction of the change it records, so one is never kept
/// without the other.
pub async fn record(tx: &mut Tx, entry: NewEntry<'_>) -> Result<(), AppError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO audit_log (merchant_id, user_id, actor, action, detail, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(entry.merchant_id)
        .bind(entry.user_id)
        .bind(entry.actor)
        .bind(entry.action.label())
        .bind(entry.detail)
        .bind(entry.now_ms)
        .execute(conn)
        .await?;
    });
    Ok(())
}

/// What the log page filters by; empty means any.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Part of the actor's email or API key.
    pub actor: String,
    /// Part of the action's name.
    pub action: String,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Entries older than this id (the next page).
    pub before_id: Option<i64>,
}

/// A page of the merchant's log, newest first.
pub async fn list(
    db: &Db,
    merchant_id: MerchantId,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditEntry>, AppError> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, AuditEntry>(
            "SELECT id, actor, action, detail, created_at FROM audit_log
             WHERE merchant_id = $1 AND id < $2
               AND LOWER(actor) LIKE $3 ESCAPE '\\' AND LOWER(action) LIKE $4 ESCAPE '\\'
               AND created_at >= $5 AND created_at <= $6
             ORDER BY id DESC LIMIT $7",
        )
        .bind(merchant_id)
        .bind(filter.before_id.unwrap_or(i64::MAX))
        .bind(crate::db::like_pattern(&filter.actor))
        .bind(crate::db::like_pattern(&filter.action))
        .bind(filter.from_ms.unwrap_or(i64::MIN))
        .bind(filter.to_ms.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}
