//! HTTP endpoints the payment providers call: the notification that money arrived, and the
//! sandbox's stand-ins for banks and wallets.

use axum::body::Bytes;
use axum::extract::State;
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
    // It parsed as JSON, so it is UTF-8.
    let body = String::from_utf8_lossy(&body);
    let mut record = Record {
        provider: PROVIDER,
        transaction_id: &notice.transaction_id,
        attempt_reff_no: &notice.attempt_reff_no,
        amount: notice.amount,
        body: &body,
        received_at: state.now_ms(),
    };
    match notifications::first_arrival(&state.db, &record).await {
        Ok(first) => record.received_at = first.unwrap_or(record.received_at),
        Err(error) => return error.into_response(),
    }
    match apply(&state, &record, 0).await {
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
