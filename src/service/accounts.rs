//! The merchant's accounts: creating, renaming, deactivating and reactivating them.

use crate::db::accounts;
use crate::domain::account::{parse_account_name, AccountStatus};
use crate::domain::audit::AuditAction;
use crate::domain::ids::AccountId;
use crate::domain::merchant::Access;
use crate::error::AppError;
use crate::model::Account;
use crate::service::Actor;
use crate::state::AppState;

/// Creates an active account; returns its id.
pub async fn create(state: &AppState, actor: &Actor, name: &str) -> Result<AccountId, AppError> {
    actor.require(Access::Write)?;
    let name = parse_account_name(name).map_err(|m| AppError::field("name", m))?;
    let id = AccountId(ulid::Ulid::new().to_string());
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    accounts::create(&mut tx, actor.merchant_id(), &id, &name, now_ms).await?;
    let detail = format!("“{name}”");
    actor
        .audit(&mut tx, AuditAction::AccountCreated, &detail, now_ms)
        .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn rename(
    state: &AppState,
    actor: &Actor,
    account_id: &AccountId,
    name: &str,
) -> Result<(), AppError> {
    actor.require(Access::Write)?;
    let name = parse_account_name(name).map_err(|m| AppError::field("name", m))?;
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    let before = one_of(
        accounts::lock_all(&mut tx, actor.merchant_id()).await?,
        account_id,
    )?;
    accounts::rename(&mut tx, actor.merchant_id(), account_id, &name, now_ms).await?;
    let detail = format!("“{}” to “{name}”", before.name);
    actor
        .audit(&mut tx, AuditAction::AccountRenamed, &detail, now_ms)
        .await?;
    tx.commit().await
}

/// Deactivates or reactivates an account; the last active one stays active.
pub async fn set_status(
    state: &AppState,
    actor: &Actor,
    account_id: &AccountId,
    status: AccountStatus,
) -> Result<(), AppError> {
    actor.require(Access::Write)?;
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    let all = accounts::lock_all(&mut tx, actor.merchant_id()).await?;
    let active = all
        .iter()
        .filter(|a| a.status == AccountStatus::Active)
        .count();
    let account = one_of(all, account_id)?;
    if status == AccountStatus::Inactive && account.status == AccountStatus::Active && active <= 1 {
        return Err(AppError::Conflict(crate::tr!(accounts.last_active)));
    }
    accounts::set_status(&mut tx, actor.merchant_id(), account_id, status, now_ms).await?;
    let verb = match status {
        AccountStatus::Active => "Reactivated",
        AccountStatus::Inactive => "Deactivated",
    };
    let detail = format!("{verb} “{}”", account.name);
    actor
        .audit(&mut tx, AuditAction::AccountStatusChanged, &detail, now_ms)
        .await?;
    tx.commit().await
}

/// The account with this id among the merchant's, or 404.
fn one_of(all: Vec<Account>, account_id: &AccountId) -> Result<Account, AppError> {
    all.into_iter()
        .find(|a| &a.id == account_id)
        .ok_or(AppError::NotFound)
}
