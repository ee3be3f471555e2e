//! Who is calling: `Authorization: Bearer …` plus the `X-PARTNER-ID` of the same credential.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::api::envelope::ApiError;
use crate::api::tokens::{header, token_digest};
use crate::db::credentials;
use crate::domain::ids::{AccountId, MerchantId};
use crate::error::AppError;
use crate::state::AppState;

/// The merchant behind a valid token. Every API query is scoped by its `merchant_id`.
#[derive(Debug, Clone)]
pub struct ApiCaller {
    pub merchant_id: MerchantId,
    pub credential_id: i64,
    /// Accounts the credential is bound to; `None` reaches every account of the merchant.
    pub accounts: Option<Arc<[String]>>,
    /// Its API key, which names the caller in the audit log.
    pub api_key: String,
}

impl ApiCaller {
    /// The credential as the service layer's actor, named by its API key in the audit log.
    pub fn actor(&self) -> crate::service::Actor {
        crate::service::Actor::Credential {
            merchant_id: self.merchant_id,
            api_key: self.api_key.clone(),
        }
    }

    /// 403 for an account of the merchant that this credential is not bound to.
    pub fn may_use(&self, account_id: &AccountId) -> Result<(), ApiError> {
        match &self.accounts {
            Some(bound) if !bound.iter().any(|a| a == account_id.as_str()) => {
                Err(ApiError::new(AppError::Forbidden)
                    .with_message("This credential is not bound to that account."))
            }
            _ => Ok(()),
        }
    }
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // Already identified (and counted) by the idempotency layer for this request.
        if let Some(caller) = parts.extensions.get::<ApiCaller>() {
            return Ok(caller.clone());
        }
        let unauthorized = || ApiError::new(AppError::Unauthorized);
        let token = header(&parts.headers, "authorization")?
            .strip_prefix("Bearer ")
            .ok_or_else(unauthorized)?;
        let partner = header(&parts.headers, "x-partner-id")?;
        let owner = credentials::find_token(&state.db, &token_digest(token.trim()), state.now_ms())
            .await?
            .ok_or_else(unauthorized)?;
        if owner.api_key != partner {
            return Err(unauthorized());
        }
        state
            .api_rate_limiter
            .check(owner.credential_id, state.now_ms())
            .await
            .map_err(ApiError::rate_limited)?;
        let bound = owner.bound_accounts;
        let caller = ApiCaller {
            merchant_id: owner.merchant_id,
            credential_id: owner.credential_id,
            accounts: (!bound.is_empty()).then(|| bound.into()),
            api_key: owner.api_key,
        };
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}
