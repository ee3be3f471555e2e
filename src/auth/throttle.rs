//! Log-in throttling, counted in the database so every instance sees the same counts.
//!
//! Each log-in attempt is counted, before its password is checked, per (email, address) and
//! per address in 15-minute windows; one that succeeds is forgiven. Past the pair's limit that
//! address must wait before trying that email again, past the address's limit before trying
//! any. Counting first means parallel guesses cannot all slip in under the limit, and nobody
//! can lock the owner out: guesses from other addresses leave the owner's address free. The
//! second factor has its own count per user, whatever the address.

use std::net::IpAddr;

use sha2::{Digest, Sha256};

use crate::db::login_failures;
use crate::db::Db;
use crate::domain::ids::UserId;
use crate::error::AppError;

/// Log-ins not ending in success that one address may make for one email per window.
pub const PAIR_LIMIT: i64 = 5;
/// The same over all emails.
pub const ADDRESS_LIMIT: i64 = 30;
/// Wrong second-factor codes one user may be sent per window, from anywhere.
pub const SECOND_FACTOR_LIMIT: i64 = 10;
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// The counters one log-in attempt is held to. The email is hashed: the key has a bounded
/// length whatever a client sends as its email.
pub struct LoginKeys {
    pair: String,
    address: String,
}

impl LoginKeys {
    pub fn new(email: &str, address: Option<IpAddr>) -> LoginKeys {
        let address = address.map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
        let pair = Sha256::digest(format!("{} {address}", email.trim().to_lowercase()));
        LoginKeys {
            pair: format!("pair:{}", hex::encode(pair)),
            address: format!("address:{address}"),
        }
    }
}

fn window_start(now_ms: i64) -> i64 {
    now_ms - now_ms.rem_euclid(WINDOW_MS)
}

fn wait(now_ms: i64) -> AppError {
    let minutes = ((window_start(now_ms) + WINDOW_MS - now_ms) / 60_000).max(1);
    AppError::TooManyRequests(crate::tr!(auth.too_many_attempts, minutes))
}

/// Counts this attempt; 429 when either counter is past its limit.
pub async fn admit(db: &Db, keys: &LoginKeys, now_ms: i64) -> Result<(), AppError> {
    let start = window_start(now_ms);
    let pair = login_failures::bump(db, &keys.pair, start).await?;
    let address = login_failures::bump(db, &keys.address, start).await?;
    if pair > PAIR_LIMIT || address > ADDRESS_LIMIT {
        return Err(wait(now_ms));
    }
    Ok(())
}

/// A log-in that succeeded: the pair's count is cleared and the address's forgives this one.
pub async fn succeeded(db: &Db, keys: &LoginKeys, now_ms: i64) -> Result<(), AppError> {
    login_failures::clear(db, &keys.pair).await?;
    login_failures::forgive(db, &keys.address, window_start(now_ms)).await
}

fn second_factor_key(user_id: UserId) -> String {
    format!("second-factor:{user_id}")
}

/// 429 while the user has had too many wrong codes this window.
pub async fn check_second_factor(db: &Db, user_id: UserId, now_ms: i64) -> Result<(), AppError> {
    let key = second_factor_key(user_id);
    if login_failures::count(db, &key, window_start(now_ms)).await? >= SECOND_FACTOR_LIMIT {
        return Err(wait(now_ms));
    }
    Ok(())
}

pub async fn second_factor_failed(db: &Db, user_id: UserId, now_ms: i64) -> Result<(), AppError> {
    login_failures::bump(db, &second_factor_key(user_id), window_start(now_ms)).await?;
    Ok(())
}

/// Windows that have ended count nothing; the job loop deletes them.
pub async fn purge(db: &Db, now_ms: i64) -> Result<u64, AppError> {
    login_failures::purge_before(db, window_start(now_ms)).await
}
