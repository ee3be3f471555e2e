//! The payer page's link as last read, kept for a moment. A link shared on WhatsApp is opened
//! by many payers at once; serving their page views from memory keeps the database for
//! payments. A change made on this instance shows at once (its writers call
//! [`PayerLinkCache::changed`]); one made on another instance within `ttl`. Starting a
//! payment always reads the link afresh, so a stale page can never take a payment it should
//! not.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::db::{links, merchants, Db};
use crate::error::AppError;
use crate::model::PaymentLink;

/// Links kept at most; past that, entries older than `ttl` are dropped.
const MAX_ENTRIES: usize = 10_000;

pub struct PayerLinkCache {
    ttl: Duration,
    /// Bumped by every change to a link on this instance; older entries are not served.
    generation: AtomicU64,
    entries: Mutex<HashMap<String, Entry>>,
}

struct Entry {
    read_at: Instant,
    generation: u64,
    link: Arc<PayerLinkRead>,
}

pub struct PayerLinkRead {
    pub link: PaymentLink,
    pub merchant_name: String,
}

impl PayerLinkCache {
    pub fn new(ttl: Duration) -> PayerLinkCache {
        PayerLinkCache {
            ttl,
            generation: AtomicU64::new(0),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// A link changed (settings, status, usage): no page is served from an earlier read.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The link with this slug and its merchant's name, from memory when read lately.
    pub async fn get(&self, db: &Db, slug: &str) -> Result<Arc<PayerLinkRead>, AppError> {
        let generation = self.generation.load(Ordering::SeqCst);
        if let Some(entry) = self.lock().get(slug) {
            if entry.generation == generation && entry.read_at.elapsed() < self.ttl {
                return Ok(entry.link.clone());
            }
        }
        let link = links::find_by_slug(db, slug).await?;
        let merchant_name = merchants::merchant_name_of_link(db, link.id).await?;
        let read = Arc::new(PayerLinkRead {
            link,
            merchant_name,
        });
        let mut entries = self.lock();
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, entry| entry.read_at.elapsed() < self.ttl);
        }
        // Stamped with the generation seen before reading: a change made meanwhile wins.
        entries.insert(
            slug.to_string(),
            Entry {
                read_at: Instant::now(),
                generation,
                link: read.clone(),
            },
        );
        Ok(read)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}
