//! Log-in throttling, counted in the database so every instance sees the same counts.
//!
//! Failures are counted per (email, address) and per address, in 15-minute windows. Past the
//! pair's limit that address must wait before trying that email again; past the address's
//! limit it must wait before trying any. Nobody can lock the owner out: guesses made from
//! other addresses leave the owner's own address free to log in.

use std::net::IpAddr;

use crate::db::login_failures;
use crate::db::Db;
use crate::error::AppError;

/// Failed log-ins one address may make for one email per window.
pub const PAIR_LIMIT: i64 = 5;
/// Failed log-ins one address may make over all emails per window.
pub const ADDRESS_LIMIT: i64 = 30;
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// The counters one log-in attempt is held to.
pub struct LoginKeys {
    pair: String,
    address: String,
}

impl LoginKeys {
    pub fn new(email: &str, address: Option<IpAddr>) -> LoginKeys {
        let address = address.map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
        LoginKeys {
            pair: format!("pair:{} {address}", email.trim().to_lowercase()),
            address: format!("address:{address}"),
        }
    }

    fn both(&self) -> [&str; 2] {
        [&self.pair, &self.address]
    }
}

fn window_start(now_ms: i64) -> i64 {
    now_ms - now_ms.rem_euclid(WINDOW_MS)
}

/// 429 with how long to wait while either counter is at its limit.
pub async fn check(db: &Db, keys: &LoginKeys, now_ms: i64) -> Result<(), AppError> {
    let start = window_start(now_ms);
    let pair = login_failures::count(db, &keys.pair, start).await?;
    let address = login_failures::count(db, &keys.address, start).await?;
    if pair >= PAIR_LIMIT || address >= ADDRESS_LIMIT {
        let minutes = ((start + WINDOW_MS - now_ms) / 60_000).max(1);
        return Err(AppError::TooManyRequests(format!(
            "Too many failed attempts. Try again in {minutes} minute(s)."
        )));
    }
    Ok(())
}

pub async fn record_failure(db: &Db, keys: &LoginKeys, now_ms: i64) -> Result<(), AppError> {
    for key in keys.both() {
        login_failures::record(db, key, window_start(now_ms)).await?;
    }
    Ok(())
}

/// A successful log-in forgets that pair's failures (the address's count stays: it guards
/// every other email).
pub async fn clear(db: &Db, keys: &LoginKeys) -> Result<(), AppError> {
    login_failures::clear(db, &keys.pair).await
}

/// Windows that have ended count nothing; the job loop deletes them.
pub async fn purge(db: &Db, now_ms: i64) -> Result<u64, AppError> {
    login_failures::purge_before(db, window_start(now_ms)).await
}
