//! HTTP endpoints the payment providers call: the notification that money arrived, and the
//! sandbox's stand-ins for banks and wallets.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::db::notifications::{self, Record};
use crate::error::AppError;
use crate::payments::callback::{verify, PaymentNotice, SIGNATURE_HEADER};
use crate::service::payments::{apply, Applied};
use crate::state::AppState;

/// The provider name kept notifications carry.
const PROVIDER: &str = "sandbox";

#[derive(Serialize)]
struct Answer {
    status: &'static str,
}

/// `POST /callbacks/sandbox`: anything unsigned or altered is refused; a verified notice is
/// credited, or kept to be applied later (202).
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
    // A gateway's attempt is paid at that gateway only, never by the sandbox's bank.
    match crate::db::histories::issued_by(&state.db, &notice.attempt_reff_no).await {
        Ok(None) => {}
        Ok(Some(_)) => return AppError::NotFound.into_response(),
        Err(error) => return error.into_response(),
    }
    // It parsed as JSON, so it is UTF-8.
    let body = String::from_utf8_lossy(&body);
    let record = Record {
        provider: PROVIDER,
        transaction_id: &notice.transaction_id,
        attempt_reff_no: &notice.attempt_reff_no,
        amount: notice.amount,
        body: &body,
        received_at: state.now_ms(),
    };
    credit(&state, record).await
}

/// `POST /callbacks/{gateway}/{connection id}`: a merchant's Midtrans or Xendit account
/// telling of a payment. Verified with that connection's key or token (401 otherwise); a
/// payment is credited like the sandbox's (once per gateway payment, for the exact amount);
/// any other status is acknowledged, since the attempt's own expiry ends it.
pub async fn receive_gateway(
    State(state): State<AppState>,
    Path((gateway, connection_id)): Path<(String, i64)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let token = headers
        .get(crate::payments::xendit::callback::TOKEN_HEADER)
        .and_then(|v| v.to_str().ok());
    let heard =
        match crate::service::gateways::hear(&state, &gateway, connection_id, token, &body).await {
            Ok(heard) => heard,
            Err(error) => return error.into_response(),
        };
    if !heard.paid {
        return Json(Answer { status: "noted" }).into_response();
    }
    let body = String::from_utf8_lossy(&body);
    let record = Record {
        provider: heard.gateway.as_str(),
        transaction_id: &heard.transaction_id,
        attempt_reff_no: &heard.attempt_reff_no,
        amount: heard.amount,
        body: &body,
        received_at: state.now_ms(),
    };
    credit(&state, record).await
}

/// Records a verified payment notice and credits it, answering as a gateway expects: 200 once
/// credited (or credited before), 202 when kept to be applied later, a refusal otherwise.
async fn credit(state: &AppState, mut record: Record<'_>) -> Response {
    match notifications::first_arrival(&state.db, &record).await {
        Ok(first) => record.received_at = first.unwrap_or(record.received_at),
        Err(error) => return error.into_response(),
    }
    match apply(state, &record, 0).await {
        Applied::Credited => Json(Answer { status: "credited" }).into_response(),
        Applied::AlreadyCredited => Json(Answer {
            status: "already_credited",
        })
        .into_response(),
        Applied::Refused(AppError::Validation(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, errors.to_string()).into_response()
        }
        Applied::Refused(error) => error.into_response(),
        Applied::Kept => {
            (StatusCode::ACCEPTED, Json(Answer { status: "received" })).into_response()
        }
        // Not even kept: only now may the provider be asked to send it again.
        Applied::Lost => AppError::Busy.into_response(),
    }
}
