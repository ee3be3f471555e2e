//! Per-credential rate limit: a fixed one-minute window, in memory (one process).

use std::collections::HashMap;
use std::sync::Mutex;

const WINDOW_MS: i64 = 60_000;

pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<i64, (i64, u32)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request; `Err(seconds)` to wait when the credential is over its limit.
    pub fn check(&self, credential_id: i64, now_ms: i64) -> Result<(), u64> {
        let mut windows = self.windows.lock().expect("rate limiter lock");
        let window_start = now_ms - now_ms.rem_euclid(WINDOW_MS);
        let entry = windows.entry(credential_id).or_insert((window_start, 0));
        if entry.0 != window_start {
            *entry = (window_start, 0);
        }
        if entry.1 >= self.per_minute {
            let wait_ms = window_start + WINDOW_MS - now_ms;
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
    fn the_limit_resets_each_minute_and_says_how_long_to_wait() {
        let limiter = RateLimiter::new(2);
        assert!(limiter.check(1, 60_000).is_ok());
        assert!(limiter.check(1, 60_500).is_ok());
        assert_eq!(limiter.check(1, 61_000), Err(59));
        assert!(limiter.check(2, 61_000).is_ok(), "per credential");
        assert!(limiter.check(1, 120_000).is_ok(), "a new window");
    }
}
