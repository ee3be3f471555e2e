//! Fixed-window rate limits: API calls per credential, new payment attempts per payer
//! address and per link. Counted in this process, or with `REDIS_URL` in Redis, where every
//! instance adds to the same counts: N instances then hold a client to the limit, not to N
//! times it.

use std::collections::HashMap;
use std::fmt::Display;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::error::AppError;

pub const MINUTE_MS: i64 = 60_000;

/// Keys held before stale windows are swept, so many one-off visitors cannot grow the map
/// without bound.
const SWEEP_AT: usize = 10_000;

/// How long a limit waits for Redis before counting in this process instead: a slow Redis
/// must not hold payers and API clients up.
const REDIS_WAIT: Duration = Duration::from_millis(250);

/// Counts kept in Redis, shared by every instance pointed at it.
pub struct SharedCounts {
    client: redis::Client,
    /// Connected on first use (and reconnected by the manager after), so an instance starts
    /// while Redis is still coming up.
    connection: tokio::sync::OnceCell<ConnectionManager>,
    /// Names this deployment's keys, so deployments (or test runs) can share one Redis.
    prefix: String,
}

impl SharedCounts {
    pub fn new(url: &str, prefix: &str) -> Result<SharedCounts, AppError> {
        let client = redis::Client::open(url)
            .map_err(|error| AppError::config(format!("REDIS_URL: {error}")))?;
        Ok(SharedCounts {
            client,
            connection: tokio::sync::OnceCell::new(),
            prefix: prefix.to_string(),
        })
    }

    async fn connection(&self) -> redis::RedisResult<ConnectionManager> {
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(REDIS_WAIT))
            .set_response_timeout(Some(REDIS_WAIT));
        let connection = self
            .connection
            .get_or_try_init(|| self.client.get_connection_manager_with_config(config))
            .await?;
        Ok(connection.clone())
    }

    /// Adds one to the count of `key` and returns the count after; the key lapses once its
    /// window is over.
    async fn add(&self, key: &str, window_ms: i64) -> redis::RedisResult<u64> {
        let mut connection = self.connection().await?;
        let key = format!("{}:{key}", self.prefix);
        let (count,): (u64,) = redis::pipe()
            .atomic()
            .incr(&key, 1)
            .pexpire(&key, window_ms + 1000)
            .ignore()
            .query_async(&mut connection)
            .await?;
        Ok(count)
    }

    /// Whether Redis answers, for `/ready`.
    pub async fn answers(&self, within: Duration) -> bool {
        let ping = async {
            let mut connection = self.connection().await?;
            redis::cmd("PING")
                .query_async::<String>(&mut connection)
                .await
        };
        matches!(tokio::time::timeout(within, ping).await, Ok(Ok(_)))
    }
}

pub struct RateLimiter<K = i64> {
    /// Names the limit's keys in Redis.
    name: &'static str,
    limit: u32,
    window_ms: i64,
    windows: Mutex<HashMap<K, (i64, u32)>>,
    shared: Option<Arc<SharedCounts>>,
}

impl<K: Eq + Hash + Display> RateLimiter<K> {
    /// `limit` events per minute.
    pub fn new(name: &'static str, limit: u32, shared: Option<Arc<SharedCounts>>) -> Self {
        Self::per_window(name, limit, MINUTE_MS, shared)
    }

    pub fn per_window(
        name: &'static str,
        limit: u32,
        window_ms: i64,
        shared: Option<Arc<SharedCounts>>,
    ) -> Self {
        RateLimiter {
            name,
            limit,
            window_ms,
            windows: Mutex::new(HashMap::new()),
            shared,
        }
    }

    /// Counts an event; `Err(seconds)` to wait when the key is over its limit. Counted in
    /// Redis when there is one; should it not answer, in this process, so a Redis outage
    /// loosens the limits to per instance rather than refusing or admitting everyone.
    pub async fn check(&self, key: K, now_ms: i64) -> Result<(), u64> {
        let window_start = now_ms - now_ms.rem_euclid(self.window_ms);
        if let Some(shared) = &self.shared {
            let shared_key = format!("{}:{key}:{window_start}", self.name);
            match shared.add(&shared_key, self.window_ms).await {
                Ok(count) if count > u64::from(self.limit) => {
                    return Err(self.wait(window_start, now_ms))
                }
                Ok(_) => return Ok(()),
                Err(error) => {
                    tracing::warn!(%error, limit = self.name, "Redis did not count; counting here")
                }
            }
        }
        self.count_here(key, now_ms)
    }

    /// Counts an event in this process.
    pub fn count_here(&self, key: K, now_ms: i64) -> Result<(), u64> {
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
            return Err(self.wait(window_start, now_ms));
        }
        entry.1 += 1;
        Ok(())
    }

    /// Whole seconds until the window that refused an event ends (at least one).
    fn wait(&self, window_start: i64, now_ms: i64) -> u64 {
        let wait_ms = window_start + self.window_ms - now_ms;
        u64::try_from((wait_ms + 999) / 1000).unwrap_or(1).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_resets_each_window_and_says_how_long_to_wait() {
        let limiter = RateLimiter::new("test", 2, None);
        assert!(limiter.count_here(1, 60_000).is_ok());
        assert!(limiter.count_here(1, 60_500).is_ok());
        assert_eq!(limiter.count_here(1, 61_000), Err(59));
        assert!(limiter.count_here(2, 61_000).is_ok(), "per key");
        assert!(limiter.count_here(1, 120_000).is_ok(), "a new window");
    }

    #[test]
    fn a_panic_while_counting_does_not_refuse_every_later_request() {
        let limiter = std::sync::Arc::new(RateLimiter::new("test", 5, None));
        let poisoner = limiter.clone();
        let _ = std::thread::spawn(move || {
            let _held = poisoner.windows.lock().unwrap();
            panic!("a bug while the window is held");
        })
        .join();
        assert!(limiter.windows.is_poisoned());
        assert!(limiter.count_here(1, 60_000).is_ok());
    }

    #[test]
    fn text_keys_and_longer_windows() {
        let limiter = RateLimiter::per_window("test", 1, 10 * MINUTE_MS, None);
        assert!(limiter.count_here("10.0.0.1".to_string(), 0).is_ok());
        assert_eq!(limiter.count_here("10.0.0.1".to_string(), 60_000), Err(540));
        assert!(limiter.count_here("10.0.0.2".to_string(), 60_000).is_ok());
    }
}
