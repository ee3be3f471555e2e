//! API credentials and bearer tokens.

use crate::db::{Db, Tx};
use crate::domain::ids::{AccountId, MerchantId};
use crate::error::AppError;
use crate::{on_db, on_tx};

/// A credential as issued: the only moment the secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IssuedCredential {
    pub api_key: String,
    pub client_id: String,
    pub client_secret: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credential {
    pub id: i64,
    pub merchant_id: MerchantId,
    pub api_key: String,
    pub client_id: String,
    pub client_secret: String,
}

/// Stores a credential bound to `accounts` (ids the caller checked are the merchant's); empty
/// means every account.
pub async fn create(
    tx: &mut Tx,
    merchant_id: MerchantId,
    issued: &IssuedCredential,
    accounts: &[String],
    now_ms: i64,
) -> Result<(), AppError> {
    on_tx!(tx, conn => {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO api_credentials (merchant_id, api_key, client_id, client_secret, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(merchant_id)
        .bind(&issued.api_key)
        .bind(&issued.client_id)
        .bind(&issued.client_secret)
        .bind(now_ms)
        .fetch_one(&mut *conn)
        .await?;
        for account_id in accounts {
            sqlx::query(
                "INSERT INTO api_credential_accounts (credential_id, account_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(account_id)
            .execute(&mut *conn)
            .await?;
        }
    });
    Ok(())
}

/// The live credential with this API key and client id.
pub async fn find_active(
    db: &Db,
    api_key: &str,
    client_id: &str,
) -> Result<Option<Credential>, AppError> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Credential>(
            "SELECT id, merchant_id, api_key, client_id, client_secret FROM api_credentials
             WHERE api_key = $1 AND client_id = $2 AND revoked_at IS NULL",
        )
        .bind(api_key)
        .bind(client_id)
        .fetch_optional(pool)
        .await?
    });
    Ok(row)
}

pub async fn store_token(
    db: &Db,
    credential_id: i64,
    token_hash: &str,
    expires_at: i64,
    now_ms: i64,
) -> Result<(), AppError> {
    on_db!(db, pool => {
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, credential_id, expires_at, created_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(credential_id)
        .bind(expires_at)
        .bind(now_ms)
        .execute(pool)
        .await?;
    });
    Ok(())
}

/// The credential a live token belongs to.
pub struct TokenOwner {
    pub credential_id: i64,
    pub merchant_id: MerchantId,
    pub api_key: String,
    /// The accounts it is bound to; empty when it reaches all of the merchant's.
    pub bound_accounts: Vec<String>,
}

/// Who a live token belongs to, with the credential's bound accounts: one query, as every API
/// request asks it (one row per bound account, or one with none).
pub async fn find_token(
    db: &Db,
    token_hash: &str,
    now_ms: i64,
) -> Result<Option<TokenOwner>, AppError> {
    let rows: Vec<(i64, MerchantId, String, Option<String>)> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT c.id, c.merchant_id, c.api_key, b.account_id FROM api_tokens t
             JOIN api_credentials c ON c.id = t.credential_id
             LEFT JOIN api_credential_accounts b ON b.credential_id = c.id
             WHERE t.token_hash = $1 AND t.expires_at > $2 AND c.revoked_at IS NULL",
        )
        .bind(token_hash)
        .bind(now_ms)
        .fetch_all(pool)
        .await?
    });
    let Some((credential_id, merchant_id, api_key, _)) = rows.first().cloned() else {
        return Ok(None);
    };
    Ok(Some(TokenOwner {
        credential_id,
        merchant_id,
        api_key,
        bound_accounts: rows
            .into_iter()
            .filter_map(|(.., account)| account)
            .collect(),
    }))
}

/// A credential as the dashboard lists it: never the secret.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct CredentialSummary {
    pub id: i64,
    pub api_key: String,
    pub client_id: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

pub async fn list(db: &Db, merchant_id: MerchantId) -> Result<Vec<CredentialSummary>, AppError> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, CredentialSummary>(
            "SELECT id, api_key, client_id, created_at, revoked_at FROM api_credentials
             WHERE merchant_id = $1 ORDER BY id DESC",
        )
        .bind(merchant_id)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}

/// Replaces a live credential's secret; its tokens stop working at once. Returns its API key
/// and client id.
pub async fn rotate_secret(
    tx: &mut Tx,
    merchant_id: MerchantId,
    credential_id: i64,
    secret: &str,
) -> Result<(String, String), AppError> {
    let row: Option<(String, String)> = on_tx!(tx, conn => {
        let row = sqlx::query_as(
            "UPDATE api_credentials SET client_secret = $1
             WHERE id = $2 AND merchant_id = $3 AND revoked_at IS NULL
             RETURNING api_key, client_id",
        )
        .bind(secret)
        .bind(credential_id)
        .bind(merchant_id)
        .fetch_optional(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM api_tokens WHERE credential_id = $1")
            .bind(credential_id)
            .execute(&mut *conn)
            .await?;
        row
    });
    row.ok_or(AppError::NotFound)
}

/// Revokes a credential for good; its tokens stop working at once. Returns its API key.
pub async fn revoke(
    tx: &mut Tx,
    merchant_id: MerchantId,
    credential_id: i64,
    now_ms: i64,
) -> Result<String, AppError> {
    let revoked: Option<(String,)> = on_tx!(tx, conn => {
        sqlx::query_as(
            "UPDATE api_credentials SET revoked_at = $1
             WHERE id = $2 AND merchant_id = $3 AND revoked_at IS NULL
             RETURNING api_key",
        )
        .bind(now_ms)
        .bind(credential_id)
        .bind(merchant_id)
        .fetch_optional(conn)
        .await?
    });
    revoked.map(|(api_key,)| api_key).ok_or(AppError::NotFound)
}

/// The accounts a credential is bound to; empty means all of its merchant's.
pub async fn bound_accounts(db: &Db, credential_id: i64) -> Result<Vec<String>, AppError> {
    let rows: Vec<(String,)> = on_db!(db, pool => {
        sqlx::query_as("SELECT account_id FROM api_credential_accounts WHERE credential_id = $1")
            .bind(credential_id)
            .fetch_all(pool)
            .await?
    });
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The newest live credential that reaches an account (the one webhooks are signed with).
/// Returns its API key (sent as X-PARTNER-ID) and client secret.
pub async fn newest_reaching(
    db: &Db,
    merchant_id: MerchantId,
    account_id: &AccountId,
) -> Result<Option<(String, String)>, AppError> {
    let row = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT c.api_key, c.client_secret FROM api_credentials c
             WHERE c.merchant_id = $1 AND c.revoked_at IS NULL
               AND (NOT EXISTS (SELECT 1 FROM api_credential_accounts b
                                WHERE b.credential_id = c.id)
                    OR EXISTS (SELECT 1 FROM api_credential_accounts b
                               WHERE b.credential_id = c.id AND b.account_id = $2))
             ORDER BY c.id DESC LIMIT 1",
        )
        .bind(merchant_id)
        .bind(account_id)
        .fetch_optional(pool)
        .await?
    });
    Ok(row)
}
