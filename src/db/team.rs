//! The merchant's team: members, their roles, and invitations.

use crate::db::{is_unique_violation, Db, Tx};
use crate::domain::ids::{MerchantId, UserId};
use crate::domain::merchant::Role;
use crate::error::AppError;
use crate::model::{Invitation, Member};
use crate::{on_db, on_tx};

pub async fn members(db: &Db, merchant_id: MerchantId) -> Result<Vec<Member>, AppError> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Member>(
            "SELECT id AS user_id, email, role, created_at FROM users
             WHERE merchant_id = $1 ORDER BY created_at, id",
        )
        .bind(merchant_id)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}

/// Invitations neither accepted, withdrawn nor expired.
pub async fn open_invitations(
    db: &Db,
    merchant_id: MerchantId,
    now_ms: i64,
) -> Result<Vec<Invitation>, AppError> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Invitation>(
            "SELECT id, email, role, created_at, expires_at FROM invitations
             WHERE merchant_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
               AND expires_at > $2
             ORDER BY id DESC",
        )
        .bind(merchant_id)
        .bind(now_ms)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}

pub struct NewInvitation<'a> {
    pub merchant_id: MerchantId,
    pub email: &'a str,
    pub role: Role,
    pub token_hash: &'a str,
    pub invited_by: UserId,
    pub now_ms: i64,
    pub expires_at: i64,
}

/// Whether an email already has a user: a person belongs to one merchant.
pub async fn email_taken(tx: &mut Tx, email: &str) -> Result<bool, AppError> {
    let taken: Option<(i64,)> = on_tx!(tx, conn => {
        sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(conn)
            .await?
    });
    Ok(taken.is_some())
}

/// Records an invitation; an earlier open one for the same email is withdrawn.
pub async fn invite(tx: &mut Tx, new: NewInvitation<'_>) -> Result<(), AppError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE invitations SET revoked_at = $1
             WHERE merchant_id = $2 AND email = $3 AND accepted_at IS NULL AND revoked_at IS NULL",
        )
        .bind(new.now_ms)
        .bind(new.merchant_id)
        .bind(new.email)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO invitations (merchant_id, email, role, token_hash, invited_by,
                created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new.merchant_id)
        .bind(new.email)
        .bind(new.role.as_str())
        .bind(new.token_hash)
        .bind(new.invited_by)
        .bind(new.now_ms)
        .bind(new.expires_at)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Withdraws an open invitation; returns the email it was for.
pub async fn revoke_invitation(
    tx: &mut Tx,
    merchant_id: MerchantId,
    invitation_id: i64,
    now_ms: i64,
) -> Result<String, AppError> {
    let revoked: Option<(String,)> = on_tx!(tx, conn => {
        sqlx::query_as(
            "UPDATE invitations SET revoked_at = $1
             WHERE id = $2 AND merchant_id = $3 AND accepted_at IS NULL AND revoked_at IS NULL
             RETURNING email",
        )
        .bind(now_ms)
        .bind(invitation_id)
        .bind(merchant_id)
        .fetch_optional(conn)
        .await?
    });
    revoked.map(|(email,)| email).ok_or(AppError::NotFound)
}

/// An open invitation as its link shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenInvitation {
    pub id: i64,
    pub merchant_name: String,
    pub email: String,
    pub role: String,
}

pub async fn find_open(db: &Db, token_hash: &str, now_ms: i64) -> Result<OpenInvitation, AppError> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, OpenInvitation>(
            "SELECT i.id, m.name AS merchant_name, i.email, i.role
             FROM invitations i JOIN merchants m ON m.id = i.merchant_id
             WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL
               AND i.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_ms)
        .fetch_optional(pool)
        .await?
    });
    row.ok_or(AppError::NotFound)
}

/// Turns an open invitation into a user of its merchant, once. Returns the user's id.
pub async fn accept(
    db: &Db,
    token_hash: &str,
    password_hash: &str,
    now_ms: i64,
) -> Result<UserId, AppError> {
    let created: Result<Option<UserId>, sqlx::Error> = on_db!(db, pool => async {
        let mut tx = pool.begin().await?;
        let invitation: Option<(i64, String, String)> = sqlx::query_as(
            "UPDATE invitations SET accepted_at = $1
             WHERE token_hash = $2 AND accepted_at IS NULL AND revoked_at IS NULL
               AND expires_at > $1
             RETURNING merchant_id, email, role",
        )
        .bind(now_ms)
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((merchant_id, email, role)) = invitation else {
            return Ok(None);
        };
        let (user_id,): (UserId,) = sqlx::query_as(
            "INSERT INTO users (merchant_id, email, password_hash, role, created_at,
                 email_verified_at)
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(merchant_id)
        .bind(&email)
        .bind(password_hash)
        .bind(&role)
        .bind(now_ms)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(user_id))
    }
    .await);
    match created {
        Ok(Some(user_id)) => Ok(user_id),
        Ok(None) => Err(AppError::NotFound),
        Err(e) if is_unique_violation(&e, "email") => {
            Err(AppError::duplicate("email", crate::tr!(team.email_taken)))
        }
        Err(e) => Err(e.into()),
    }
}

/// The merchant's members with their roles, as this transaction sees them. It also takes
/// the merchant's row, so changes to one team run one after another on Postgres (SQLite holds
/// its write lock anyway): two owners demoting each other cannot both pass the owner count.
pub async fn lock_members(tx: &mut Tx, merchant_id: MerchantId) -> Result<Vec<Member>, AppError> {
    let rows = on_tx!(tx, conn => {
        sqlx::query("UPDATE merchants SET name = name WHERE id = $1")
            .bind(merchant_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query_as::<_, Member>(
            "SELECT id AS user_id, email, role, created_at FROM users
             WHERE merchant_id = $1 ORDER BY created_at, id",
        )
        .bind(merchant_id)
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows)
}

/// Gives a member of the merchant another role.
pub async fn set_role(
    tx: &mut Tx,
    merchant_id: MerchantId,
    user_id: UserId,
    role: Role,
) -> Result<(), AppError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("UPDATE users SET role = $1 WHERE id = $2 AND merchant_id = $3")
            .bind(role.as_str())
            .bind(user_id)
            .bind(merchant_id)
            .execute(conn)
            .await?
            .rows_affected()
    });
    crate::db::accounts::found(changed)
}

/// Removes a member of the merchant.
pub async fn remove(tx: &mut Tx, merchant_id: MerchantId, user_id: UserId) -> Result<(), AppError> {
    let changed = on_tx!(tx, conn => {
        sqlx::query("DELETE FROM users WHERE id = $1 AND merchant_id = $2")
            .bind(user_id)
            .bind(merchant_id)
            .execute(conn)
            .await?
            .rows_affected()
    });
    crate::db::accounts::found(changed)
}

/// What the user chose to hear of by email, in [`crate::domain::notify::Topic::ALL`]'s order.
pub async fn notify_choices(
    db: &Db,
    user_id: UserId,
) -> Result<crate::domain::notify::Choices, AppError> {
    let (payments, exhausted, webhooks, exports): (bool, bool, bool, bool) = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT notify_payments, notify_exhausted, notify_webhooks, notify_exports
             FROM users WHERE id = $1",
        )
        .bind(user_id)
        .fetch_one(pool)
        .await?
    });
    Ok(crate::domain::notify::Choices([
        payments, exhausted, webhooks, exports,
    ]))
}

pub async fn set_notify_choices(
    db: &Db,
    user_id: UserId,
    choices: crate::domain::notify::Choices,
) -> Result<(), AppError> {
    let [payments, exhausted, webhooks, exports] = choices.0;
    on_db!(db, pool => {
        sqlx::query(
            "UPDATE users SET notify_payments = $1, notify_exhausted = $2, notify_webhooks = $3,
                 notify_exports = $4
             WHERE id = $5",
        )
        .bind(payments)
        .bind(exhausted)
        .bind(webhooks)
        .bind(exports)
        .bind(user_id)
        .execute(pool)
        .await?;
    });
    Ok(())
}
