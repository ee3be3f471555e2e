//! Sub-accounts. Every query is scoped by merchant, so another merchant's id finds nothing.

use crate::db::Db;
use crate::domain::account::AccountStatus;
use crate::error::AppError;
use crate::model::Account;
use crate::on_db;

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: String,
    name: String,
    status: String,
    created_at: i64,
}

impl TryFrom<AccountRow> for Account {
    type Error = AppError;
    fn try_from(row: AccountRow) -> Result<Self, AppError> {
        Ok(Account {
            status: AccountStatus::parse(&row.status).map_err(AppError::internal)?,
            id: row.id,
            name: row.name,
            created_at: row.created_at,
        })
    }
}

/// Oldest first, so the default account leads the list.
pub async fn list(db: &Db, merchant_id: i64) -> Result<Vec<Account>, AppError> {
    let rows: Vec<AccountRow> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT id, name, status, created_at FROM accounts
             WHERE merchant_id = $1 ORDER BY created_at, id",
        )
        .bind(merchant_id)
        .fetch_all(pool)
        .await?
    });
    rows.into_iter().map(Account::try_from).collect()
}

pub async fn find(db: &Db, merchant_id: i64, account_id: &str) -> Result<Account, AppError> {
    // Account ids are ULIDs: anything else names no account, and needs no query.
    if account_id.parse::<ulid::Ulid>().is_err() {
        return Err(AppError::NotFound);
    }
    let row: Option<AccountRow> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT id, name, status, created_at FROM accounts WHERE merchant_id = $1 AND id = $2",
        )
        .bind(merchant_id)
        .bind(account_id)
        .fetch_optional(pool)
        .await?
    });
    row.ok_or(AppError::NotFound)?.try_into()
}

pub async fn create(
    db: &Db,
    merchant_id: i64,
    account_id: &str,
    name: &str,
    now_ms: i64,
) -> Result<(), AppError> {
    on_db!(db, pool => {
        sqlx::query(
            "INSERT INTO accounts (id, merchant_id, name, status, created_at, updated_at)
             VALUES ($1, $2, $3, 'active', $4, $4)",
        )
        .bind(account_id)
        .bind(merchant_id)
        .bind(name)
        .bind(now_ms)
        .execute(pool)
        .await?;
    });
    Ok(())
}

pub async fn rename(
    db: &Db,
    merchant_id: i64,
    account_id: &str,
    name: &str,
    now_ms: i64,
) -> Result<(), AppError> {
    let changed = on_db!(db, pool => {
        sqlx::query(
            "UPDATE accounts SET name = $1, updated_at = $2 WHERE merchant_id = $3 AND id = $4",
        )
        .bind(name)
        .bind(now_ms)
        .bind(merchant_id)
        .bind(account_id)
        .execute(pool)
        .await?
        .rows_affected()
    });
    found(changed)
}

pub async fn set_status(
    db: &Db,
    merchant_id: i64,
    account_id: &str,
    status: AccountStatus,
    now_ms: i64,
) -> Result<(), AppError> {
    let changed = on_db!(db, pool => {
        sqlx::query(
            "UPDATE accounts SET status = $1, updated_at = $2 WHERE merchant_id = $3 AND id = $4",
        )
        .bind(status.as_str())
        .bind(now_ms)
        .bind(merchant_id)
        .bind(account_id)
        .execute(pool)
        .await?
        .rows_affected()
    });
    found(changed)
}

pub async fn count_active(db: &Db, merchant_id: i64) -> Result<i64, AppError> {
    let (count,): (i64,) = on_db!(db, pool => {
        sqlx::query_as("SELECT COUNT(*) FROM accounts WHERE merchant_id = $1 AND status = 'active'")
            .bind(merchant_id)
            .fetch_one(pool)
            .await?
    });
    Ok(count)
}

/// Maps "no row changed" to 404, the answer for another merchant's id too.
pub(crate) fn found(rows_affected: u64) -> Result<(), AppError> {
    if rows_affected == 0 {
        Err(AppError::NotFound)
    } else {
        Ok(())
    }
}
