//! `Idempotency-Key` on API POSTs: the same key with the same request replays the first
//! response (for 24 hours); the same key with a different request is refused.

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::api::auth::ApiCaller;
use crate::api::envelope::ApiError;
use crate::db::idempotency::{self, Earlier};
use crate::error::AppError;
use crate::state::AppState;

pub const HEADER: &str = "idempotency-key";
const KEPT_MS: i64 = 24 * 3600 * 1000;
/// A claim whose request never finished (the process died, or the request was cut off at the
/// request timeout) is given up after this, so a retry can run: twice the request timeout,
/// long after any live request with the key has ended.
const IN_FLIGHT_LEASE_MS: i64 = 2 * crate::config::REQUEST_TIMEOUT.as_millis() as i64;
/// Request and response bodies larger than this are not kept (nor accepted).
const MAX_BODY: usize = crate::security::MAX_BODY_BYTES;

pub async fn idempotent(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let key = request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty());
    let Some(key) = key.filter(|_| request.method() == Method::POST) else {
        return next.run(request).await;
    };
    if key.len() > 255 {
        return ApiError::new(AppError::field(
            "Idempotency-Key",
            "Idempotency-Key is too long.",
        ))
        .into_response();
    }
    let (mut parts, body) = request.into_parts();
    let caller = match ApiCaller::from_request_parts(&mut parts, &state).await {
        Ok(caller) => caller,
        Err(error) => return error.into_response(),
    };
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response();
    };
    let mut hasher = Sha256::new();
    hasher.update(parts.uri.path().as_bytes());
    hasher.update([0]);
    hasher.update(&bytes);
    let request_hash = hex::encode(hasher.finalize());
    let now = state.now_ms();
    let claimed = idempotency::claim(
        &state.db,
        idempotency::Claim {
            credential_id: caller.credential_id,
            key: &key,
            request_hash: &request_hash,
            now_ms: now,
            finished_since: now - KEPT_MS,
            in_flight_since: now - IN_FLIGHT_LEASE_MS,
        },
    )
    .await;
    match claimed {
        Err(error) => ApiError::new(error).into_response(),
        Ok(Earlier::Different) => ApiError::new(AppError::field(
            "Idempotency-Key",
            "This Idempotency-Key was used with a different request.",
        ))
        .into_response(),
        Ok(Earlier::InFlight) => ApiError::new(AppError::Conflict(
            "A request with this Idempotency-Key is still being processed.".into(),
        ))
        .into_response(),
        Ok(Earlier::Finished { status, body }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut response = (status, body).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
            response
        }
        Ok(Earlier::None) => {
            let response = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            remember(&state, caller.credential_id, &key, response).await
        }
    }
}

/// Stores the response for replays, unless it failed on our side (a retry may succeed).
async fn remember(state: &AppState, credential_id: i64, key: &str, response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        let _ = idempotency::release(&state.db, credential_id, key).await;
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    let stored = if parts.status.is_server_error() {
        idempotency::release(&state.db, credential_id, key).await
    } else {
        let text = String::from_utf8_lossy(&bytes);
        idempotency::finish(&state.db, credential_id, key, parts.status.as_u16(), &text).await
    };
    if let Err(error) = stored {
        tracing::error!(%error, "could not store an idempotent response");
    }
    Response::from_parts(parts, Body::from(bytes))
}
