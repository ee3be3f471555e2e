//! Fixed-window rate limits in memory (one process): API calls per credential, new payment
//! attempts per payer address and per link.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};

pub const MINUTE_MS: i64 = 60_000;

/// Keys held before stale windows are swept, so many one-off visitors cannot grow the map
/// without bound.
const SWEEP_AT: usize = 10_000;

pub struct RateLimiter<K = i64> {
    limit: u32,
    window_ms: i64,
    windows: Mutex<HashMap<K, (i64, u32)>>,
}

impl<K: Eq + Hash> RateLimiter<K> {
    /// `limit` events per minute.
    pub fn new(limit: u32) -> Self {
        Self::per_window(limit, MINUTE_MS)
    }

    pub fn per_window(limit: u32, window_ms: i64) -> Self {
        RateLimiter {
            limit,
            window_ms,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an event; `Err(seconds)` to wait when the key is over its limit.
    pub fn check(&self, key: K, now_ms: i64) -> Result<(), u64> {
        // A panic while counting left nothing half-done worth refusing every later request for.
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        let window_start = now_ms - now_ms.rem_euclid(self.window_ms);
        if windows.len() >= SWEEP_AT {
            windows.retain(|_, (start, _)| *start == window_start);
        }
        let entry = windows.entry(key).or_insert((window_start, 0));
        if entry.0 != window_start {
            *entry = (window_start, 0);
        }
        if entry.1 >= self.limit {
            let wait_ms = window_start + self.window_ms - now_ms;
            return Err(u64::try_from((wait_ms + 999) / 1000).unwrap_or(1).max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_resets_each_window_and_says_how_long_to_wait() {
        let limiter = RateLimiter::new(2);
        assert!(limiter.check(1, 60_000).is_ok());
        assert!(limiter.check(1, 60_500).is_ok());
        assert_eq!(limiter.check(1, 61_000), Err(59));
        assert!(limiter.check(2, 61_000).is_ok(), "per key");
        assert!(limiter.check(1, 120_000).is_ok(), "a new window");
    }

    #[test]
    fn a_panic_while_counting_does_not_refuse_every_later_request() {
        let limiter = std::sync::Arc::new(RateLimiter::new(5));
        let poisoner = limiter.clone();
        let _ = std::thread::spawn(move || {
            let _held = poisoner.windows.lock().unwrap();
            panic!("a bug while the window is held");
        })
        .join();
        assert!(limiter.windows.is_poisoned());
        assert!(limiter.check(1, 60_000).is_ok());
    }

    #[test]
    fn text_keys_and_longer_windows() {
        let limiter = RateLimiter::per_window(1, 10 * MINUTE_MS);
        assert!(limiter.check("10.0.0.1".to_string(), 0).is_ok());
        assert_eq!(limiter.check("10.0.0.1".to_string(), 60_000), Err(540));
        assert!(limiter.check("10.0.0.2".to_string(), 60_000).is_ok());
    }
}
