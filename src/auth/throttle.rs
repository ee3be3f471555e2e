//! Log-in throttling: after repeated failures for one email, further attempts are refused for
//! a while, whatever the password. Kept in memory: it protects one process, which is the
//! deployment this product ships as.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

pub const MAX_FAILURES: u32 = 5;
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, Failures>>,
}

#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    first_at: i64,
}

impl LoginThrottle {
    /// `Some(minutes)` while the key is locked out.
    pub fn locked_for(&self, key: &str, now_ms: i64) -> Option<i64> {
        let failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = failures.get(key)?;
        let until = entry.first_at + WINDOW_MS;
        (entry.count >= MAX_FAILURES && now_ms < until).then(|| ((until - now_ms) / 60_000).max(1))
    }

    pub fn record_failure(&self, key: &str, now_ms: i64) {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = failures.entry(key.to_string()).or_insert(Failures {
            count: 0,
            first_at: now_ms,
        });
        if now_ms - entry.first_at >= WINDOW_MS {
            *entry = Failures {
                count: 0,
                first_at: now_ms,
            };
        }
        entry.count += 1;
        // Bound memory under a flood of distinct emails: forget windows that have passed.
        if failures.len() > 10_000 {
            failures.retain(|_, f| now_ms - f.first_at < WINDOW_MS);
        }
    }

    pub fn clear(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(key);
    }
}
