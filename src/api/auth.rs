//! Who is calling: `Authorization: Bearer …` plus the `X-PARTNER-ID` of the same credential.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::api::envelope::ApiError;
use crate::api::tokens::{header, token_digest};
use crate::db::credentials;
use crate::error::AppError;
use crate::state::AppState;

/// The merchant behind a valid token. Every API query is scoped by its `merchant_id`.
#[derive(Debug, Clone, Copy)]
pub struct ApiCaller {
    pub merchant_id: i64,
    pub credential_id: i64,
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // Already identified (and counted) by the idempotency layer for this request.
        if let Some(caller) = parts.extensions.get::<ApiCaller>() {
            return Ok(*caller);
        }
        let unauthorized = || ApiError::new(AppError::Unauthorized);
        let token = header(&parts.headers, "authorization")?
            .strip_prefix("Bearer ")
            .ok_or_else(unauthorized)?;
        let partner = header(&parts.headers, "x-partner-id")?;
        let (credential_id, merchant_id, api_key) =
            credentials::find_token(&state.db, &token_digest(token.trim()), state.now_ms())
                .await?
                .ok_or_else(unauthorized)?;
        if api_key != partner {
            return Err(unauthorized());
        }
        state
            .api_rate_limiter
            .check(credential_id, state.now_ms())
            .map_err(ApiError::rate_limited)?;
        let caller = ApiCaller {
            merchant_id,
            credential_id,
        };
        parts.extensions.insert(caller);
        Ok(caller)
    }
}
