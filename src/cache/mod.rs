//! The payer page as last read and rendered, kept for a moment. A link shared on WhatsApp is
//! opened by many payers at once; serving their page views from memory keeps the database
//! for payments and the CPU for everyone else. A change made on this instance shows at once
//! (`service` calls [`PayerCache::changed`] after each change); one made on another instance within `ttl`.
//! Starting a payment uses the same read: whether the link still takes payments (status,
//! expiry, usage) is decided again by the reservation's own statement, so a stale read can
//! never take a payment it should not.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::db::{links, Db};
use crate::error::AppError;
use crate::model::PaymentLink;

mod page;

pub use page::{accepts_gzip, PageKey, RenderedPage};

/// Links kept at most; past that, entries older than `ttl` are dropped.
const MAX_LINKS: usize = 10_000;
/// Rendered pages kept at most (a page is some 20 KB).
const MAX_PAGES: usize = 1_000;

pub struct PayerCache {
    ttl: Duration,
    /// Bumped by every change to a link on this instance; older entries are not served.
    generation: AtomicU64,
    links: Memo<String, PayerLinkRead>,
    pages: Memo<PageKey, RenderedPage>,
}

pub struct PayerLinkRead {
    pub link: PaymentLink,
    pub merchant_name: String,
    /// The merchant's logo and colour on the payer pages.
    pub brand: crate::db::branding::Brand,
    /// The merchant's inquiry URL hears of each attempt issued on the link (saving the
    /// webhook settings forgets what is kept, as a link change does).
    pub announces_attempts: bool,
    /// Whether the sandbox issues the methods no gateway connection issues, and the methods
    /// routed to one (so starting an attempt asks for the connections only for those).
    pub sandbox_issues: bool,
    pub routed: Vec<String>,
}

impl PayerLinkRead {
    /// Whether the method is routed to one of the merchant's gateway connections.
    pub fn routed(&self, method_code: &str) -> bool {
        self.routed.iter().any(|code| code == method_code)
    }

    /// Whether a payer may be offered the method: a gateway issues it, or the sandbox does.
    pub fn can_issue(&self, method_code: &str) -> bool {
        self.sandbox_issues || self.routed(method_code)
    }
}

impl PayerCache {
    pub fn new(ttl: Duration) -> PayerCache {
        PayerCache {
            ttl,
            generation: AtomicU64::new(0),
            links: Memo::new(MAX_LINKS),
            pages: Memo::new(MAX_PAGES),
        }
    }

    /// A link changed (settings, status, usage): no page is served from an earlier read.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Read before reading or rendering: what is kept is stamped with it, so a change made
    /// meanwhile wins.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// The link with this slug, its merchant's name and whether the merchant hears of each
    /// attempt, from memory when read lately.
    pub async fn link(&self, db: &Db, slug: &str) -> Result<Arc<PayerLinkRead>, AppError> {
        let generation = self.generation();
        if let Some(read) = self.links.fresh(slug, generation, self.ttl) {
            return Ok(read);
        }
        let link = links::find_by_slug(db, slug).await?;
        let (merchant_name, brand) = crate::db::branding::merchant_of_link(db, link.id).await?;
        let announces_attempts = crate::db::webhooks::inquiry_wanted(db, link.id).await?;
        let (sandbox_issues, routed) = crate::db::gateways::issuing_for_link(db, link.id).await?;
        let read = Arc::new(PayerLinkRead {
            link,
            merchant_name,
            brand,
            announces_attempts,
            sandbox_issues,
            routed,
        });
        self.links
            .keep(slug.to_string(), read.clone(), generation, self.ttl);
        Ok(read)
    }

    pub fn page(&self, key: &PageKey) -> Option<Arc<RenderedPage>> {
        self.pages.fresh(key, self.generation(), self.ttl)
    }

    pub fn keep_page(&self, key: PageKey, page: RenderedPage, generation: u64) {
        self.pages.keep(key, Arc::new(page), generation, self.ttl);
    }
}

/// A bounded map of values stamped with when and at which generation they were made.
struct Memo<K, V> {
    max_entries: usize,
    entries: Mutex<HashMap<K, Stamped<V>>>,
}

struct Stamped<V> {
    made_at: Instant,
    generation: u64,
    value: Arc<V>,
}

impl<K: Eq + Hash, V> Memo<K, V> {
    fn new(max_entries: usize) -> Memo<K, V> {
        Memo {
            max_entries,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn fresh<Q>(&self, key: &Q, generation: u64, ttl: Duration) -> Option<Arc<V>>
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        let entries = self.lock();
        let entry = entries.get(key)?;
        (entry.generation == generation && entry.made_at.elapsed() < ttl)
            .then(|| entry.value.clone())
    }

    fn keep(&self, key: K, value: Arc<V>, generation: u64, ttl: Duration) {
        let mut entries = self.lock();
        if entries.len() >= self.max_entries {
            entries.retain(|_, entry| entry.made_at.elapsed() < ttl);
            if entries.len() >= self.max_entries {
                return;
            }
        }
        entries.insert(
            key,
            Stamped {
                made_at: Instant::now(),
                generation,
                value,
            },
        );
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Stamped<V>>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}
