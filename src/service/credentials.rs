//! API credentials: issuing, rotating and revoking them. The secret is shown once, when
//! issued or rotated, and never logged.

use crate::db::credentials::{self, IssuedCredential};
use crate::db::{accounts, Db};
use crate::domain::audit::AuditAction;
use crate::domain::ids::AccountId;
use crate::domain::merchant::Access;
use crate::error::AppError;
use crate::service::Actor;

/// Issues a credential bound to `bound_to` (accounts of the merchant; empty means all).
pub async fn create(
    db: &Db,
    actor: &Actor,
    bound_to: &[String],
    now_ms: i64,
) -> Result<IssuedCredential, AppError> {
    actor.require(Access::Write)?;
    let mut names = Vec::new();
    for account_id in bound_to {
        let account = accounts::find(
            db,
            actor.merchant_id(),
            &AccountId::from(account_id.as_str()),
        )
        .await
        .map_err(|_| {
            AppError::field(
                "accounts",
                crate::tr!(developers.unknown_account, account = account_id),
            )
        })?;
        names.push(format!("“{}”", account.name));
    }
    let issued = IssuedCredential {
        api_key: uuid::Uuid::new_v4().to_string(),
        client_id: uuid::Uuid::new_v4().to_string(),
        client_secret: new_secret(),
    };
    let mut tx = db.begin().await?;
    credentials::create(&mut tx, actor.merchant_id(), &issued, bound_to, now_ms).await?;
    let reach = if names.is_empty() {
        "every account".to_string()
    } else {
        names.join(", ")
    };
    let detail = format!("API key {}, for {reach}", issued.api_key);
    actor
        .audit(&mut tx, AuditAction::CredentialCreated, &detail, now_ms)
        .await?;
    tx.commit().await?;
    Ok(issued)
}

/// Replaces a live credential's secret; its tokens stop working at once.
pub async fn rotate(
    db: &Db,
    actor: &Actor,
    credential_id: i64,
    now_ms: i64,
) -> Result<IssuedCredential, AppError> {
    actor.require(Access::Write)?;
    let secret = new_secret();
    let mut tx = db.begin().await?;
    let (api_key, client_id) =
        credentials::rotate_secret(&mut tx, actor.merchant_id(), credential_id, &secret).await?;
    let detail = format!("API key {api_key}");
    actor
        .audit(&mut tx, AuditAction::SecretRotated, &detail, now_ms)
        .await?;
    tx.commit().await?;
    Ok(IssuedCredential {
        api_key,
        client_id,
        client_secret: secret,
    })
}

/// Revokes a credential for good.
pub async fn revoke(
    db: &Db,
    actor: &Actor,
    credential_id: i64,
    now_ms: i64,
) -> Result<(), AppError> {
    actor.require(Access::Write)?;
    let mut tx = db.begin().await?;
    let api_key = credentials::revoke(&mut tx, actor.merchant_id(), credential_id, now_ms).await?;
    let detail = format!("API key {api_key}");
    actor
        .audit(&mut tx, AuditAction::CredentialRevoked, &detail, now_ms)
        .await?;
    tx.commit().await
}

/// 256 random bits, hex-encoded.
fn new_secret() -> String {
    use rand::Rng;
    hex::encode(rand::thread_rng().gen::<[u8; 32]>())
}
