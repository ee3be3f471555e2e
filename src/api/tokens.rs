//! Access tokens: `POST /api/v1.1/access-token/b2b` (HMAC-SHA512 signature) and the legacy
//! `POST /api/v1.0/access-token/b2b` (HTTP Basic). Tokens are opaque random strings, kept
//! only as SHA-256 digests.

use axum::extract::State;
use axum::http::HeaderMap;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};

use crate::api::envelope::{ok, ApiError, ApiResult};
use crate::api::schema::{TokenJson, TokenRequest, TokenResponse};
use crate::db::credentials::{self, Credential};
use crate::error::AppError;
use crate::state::AppState;

pub const TOKEN_TTL_SECONDS: i64 = 3600;

pub(crate) fn header<'a>(headers: &'a HeaderMap, name: &str) -> Result<&'a str, ApiError> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::new(AppError::Unauthorized))
}

/// The calendar day in Jakarta, `YYYYMMDD`: the signature's date.
pub fn wib_date(now_ms: i64) -> String {
    crate::domain::time::to_iso_wib(now_ms)[..10].replace('-', "")
}

/// `X-Signature` of the v1.1 token request, lowercase hex.
pub fn token_signature(client_id: &str, client_secret: &str, date: &str) -> String {
    let mut mac = Hmac::<Sha512>::new_from_slice(client_secret.as_bytes()).expect("any key length");
    mac.update(format!("{client_id}_{client_secret}_{date}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[utoipa::path(
    post,
    path = "/api/v1.1/access-token/b2b",
    operation_id = "access_token",
    tag = "auth",
    params(
        ("X-PARTNER-ID" = String, Header, description = "The credential's API key"),
        ("X-CLIENT-ID" = String, Header, description = "The credential's client id"),
        ("X-Signature" = String, Header, description = "Lowercase hex HMAC-SHA512, keyed with the client secret, of `{client_id}_{client_secret}_{YYYYMMDD}` (today in Jakarta)"),
    ),
    request_body(content = TokenRequest, description = "grantType client_credentials"),
    responses((status = 200, description = "A bearer token, valid for an hour", body = TokenResponse), (status = 401, description = "Missing or invalid token or credential"))
)]
pub async fn token_v1_1(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let api_key = header(&headers, "x-partner-id")?;
    let client_id = header(&headers, "x-client-id")?;
    let signature = header(&headers, "x-signature")?;
    let credential = credentials::find_active(&state.db, api_key, client_id)
        .await?
        .ok_or_else(|| ApiError::new(AppError::Unauthorized))?;
    let expected = token_signature(
        client_id,
        &credential.client_secret,
        &wib_date(state.now_ms()),
    );
    if !constant_time_eq(
        expected.as_bytes(),
        signature.to_ascii_lowercase().as_bytes(),
    ) {
        return Err(ApiError::new(AppError::Unauthorized));
    }
    issue(&state, &credential).await
}

#[utoipa::path(
    post,
    path = "/api/v1.0/access-token/b2b",
    operation_id = "access_token_basic",
    tag = "auth",
    params(
        ("X-PARTNER-ID" = String, Header, description = "The credential's API key"),
        ("Authorization" = String, Header, description = "HTTP Basic client_id:client_secret"),
    ),
    request_body(content = TokenRequest, description = "grantType client_credentials"),
    responses((status = 200, description = "A bearer token, valid for an hour", body = TokenResponse), (status = 401, description = "Missing or invalid token or credential"))
)]
pub async fn token_v1_0(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let api_key = header(&headers, "x-partner-id")?;
    let basic = header(&headers, "authorization")?
        .strip_prefix("Basic ")
        .ok_or_else(|| ApiError::new(AppError::Unauthorized))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(basic.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| ApiError::new(AppError::Unauthorized))?;
    let (client_id, secret) = decoded
        .split_once(':')
        .ok_or_else(|| ApiError::new(AppError::Unauthorized))?;
    let credential = credentials::find_active(&state.db, api_key, client_id)
        .await?
        .ok_or_else(|| ApiError::new(AppError::Unauthorized))?;
    if !constant_time_eq(credential.client_secret.as_bytes(), secret.as_bytes()) {
        return Err(ApiError::new(AppError::Unauthorized));
    }
    issue(&state, &credential).await
}

async fn issue(state: &AppState, credential: &Credential) -> ApiResult {
    let token = {
        use rand::Rng;
        hex::encode(rand::thread_rng().gen::<[u8; 32]>())
    };
    let now = state.now_ms();
    credentials::store_token(
        &state.db,
        credential.id,
        &token_digest(&token),
        now + TOKEN_TTL_SECONDS * 1000,
        now,
    )
    .await?;
    Ok(ok(TokenJson {
        access_token: token,
        token_type: "Bearer",
        expires_in: TOKEN_TTL_SECONDS.to_string(),
    }))
}

/// Compares secrets without leaking, through timing, how many leading bytes matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_date_is_the_jakarta_day() {
        // 2026-11-25 18:30 UTC is already 26 November in Jakarta.
        assert_eq!(wib_date(1_795_631_400_000), "20261126");
        assert_eq!(wib_date(1_795_575_600_000), "20261125");
    }

    #[test]
    fn signatures_are_128_lowercase_hex_chars() {
        let s = token_signature("client", "secret", "20261125");
        assert_eq!(s.len(), 128);
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_ne!(s, token_signature("client", "secret", "20261126"));
    }

    #[test]
    fn constant_time_eq_compares_whole_values() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
