//! The endpoint a provider calls when money arrives: `POST /callbacks/sandbox`. The body is
//! signed with HMAC-SHA256 over its exact bytes; anything unsigned or altered is refused.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::db::outcomes::{self, Credit, PaidNotice};
use crate::error::AppError;
use crate::state::AppState;

pub const SIGNATURE_HEADER: &str = "x-sandbox-signature";
pub const CALLBACK_PATH: &str = "/callbacks/sandbox";

/// What the acquirer reports: this transaction paid this attempt this amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentNotice {
    pub transaction_id: String,
    pub attempt_reff_no: String,
    pub amount: i64,
}

/// Hex HMAC-SHA256 of `body` under `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Constant-time check of a hex signature.
pub fn verify(secret: &str, body: &[u8], signature_hex: &str) -> bool {
    let Ok(signature) = hex::decode(signature_hex.trim()) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    mac.verify_slice(&signature).is_ok()
}

#[derive(Serialize)]
struct Answer {
    status: &'static str,
}

pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let signature = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !verify(&state.settings.sandbox_callback_secret, &body, signature) {
        tracing::warn!("refused a provider callback with a bad signature");
        return (StatusCode::UNAUTHORIZED, "bad signature").into_response();
    }
    let notice: PaymentNotice = match serde_json::from_slice(&body) {
        Ok(notice) => notice,
        Err(error) => return (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
    };
    let credited = outcomes::credit(
        &state.db,
        PaidNotice {
            provider_transaction_id: &notice.transaction_id,
            attempt_reff_no: &notice.attempt_reff_no,
            amount: notice.amount,
            now_ms: state.now_ms(),
            public_base_url: &state.settings.public_base_url,
        },
    )
    .await;
    match credited {
        Ok(Credit::Credited) => {
            tracing::info!(attempt = %notice.attempt_reff_no, "payment credited");
            // The link's usage grew: it may be full now.
            state.payer_cache.changed();
            state.webhook_wakeup.notify_one();
            Json(Answer { status: "credited" }).into_response()
        }
        Ok(Credit::AlreadyCredited) => Json(Answer {
            status: "already_credited",
        })
        .into_response(),
        Err(AppError::Validation(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, errors.to_string()).into_response()
        }
        Err(error) => error.into_response(),
    }
}
