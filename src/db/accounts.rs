//! Sub-accounts. Every query is scoped by merchant, so another merchant's id finds nothing.

use crate::db::{Db, Tx};
use crate::domain::account::AccountStatus;
use crate::domain::ids::{AccountId, MerchantId};
use crate::error::AppError;
use crate::model::Account;
use crate::{on_db, on_tx};

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: AccountId,
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
pub async fn list(db: &Db, merchant_id: MerchantId) -> Result<Vec<Account>, AppError> {
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

/// Account ids are ULIDs: anything else names no account (404), and needs no query.
pub fn well_formed(account_id: &AccountId) -> Result<(), AppError> {
    match account_id.as_str().parse::<ulid::Ulid>() {
        Ok(_) => Ok(()),
        Err(_) => Err(AppError::NotFound),
    }
}

pub async fn find(
    db: &Db,
    merchant_id: MerchantId,
    account_id: &AccountId,
) -> Result<Account, AppError> {
    well_formed(account_id)?;
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
    tx: &mut Tx,
    merchant_id: MerchantId,
    account_id: &AccountId,
    name: &str,
    now_ms: i64,
) -> Result<(), AppError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO accounts (id, merchant_id, name, status, created_at, updated_at)
             VALUES ($1, $2, $3, 'active', $4, $4)",
        )
        .bind(account_id)
        .bind(merchant_id)
        .bind(name)
        .bind(now_ms)
        .execute(conn)
        .await?;
    });
    Ok(())
}

/// The merchant's accounts as this transaction sees them, oldest first. On Postgres their rows
/// stay locked until it ends, so two changes that count the active accounts (the last one
/// must stay active) take turns instead of both passing the count.
pub async fn lock_all(tx: &mut Tx, merchant_id: MerchantId) -> Result<Vec<Account>, AppError> {
    let lock = if tx.locks_rows() { " FOR UPDATE" } else { "" };
    let sql = format!(
        "SELECT id, name, status, created_at FROM accounts
         WHERE merchant_id = $1 ORDER BY created_at, id{lock}"
    );
    let rows: Vec<AccountRow> = on_tx!(tx, conn => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(merchant_id).fetch_all(conn).await?
    });
    rows.into_iter().map(Account::try_from).collect()
}

pub async fn rename(
    tx: &mut Tx,
    merchant_id: MerchantId,
    account_id: &AccountId,
    name: &str,
    now_ms: i64,
) -> Result<(), AppError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE accounts SET name = $1, updated_at = $2 WHERE merchant_id = $3 AND id = $4",
        )
        .bind(name)
        .bind(now_ms)
        .bind(merchant_id)
        .bind(account_id)
        .execute(conn)
        .await?
        .rows_affected()
    });
    found(changed)
}

pub async fn set_status(
    tx: &mut Tx,
    merchant_id: MerchantId,
    account_id: &AccountId,
    status: AccountStatus,
    now_ms: i64,
) -> Result<(), AppError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE accounts SET status = $1, updated_at = $2 WHERE merchant_id = $3 AND id = $4",
        )
        .bind(status.as_str())
        .bind(now_ms)
        .bind(merchant_id)
        .bind(account_id)
        .execute(conn)
        .await?
        .rows_affected()
    });
    found(changed)
}

/// Maps "no row changed" to 404, the answer for another merchant's id too.
pub(crate) fn found(rows_affected: u64) -> Result<(), AppError> {
    if rows_affected == 0 {
        Err(AppError::NotFound)
    } else {
        Ok(())
    }
}
