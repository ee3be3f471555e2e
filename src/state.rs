//! What every handler and server function can reach: passed to axum as state and provided to
//! Leptos as context by `leptos_routes_with_context`.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;

use crate::cache::PayerCache;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::methods::CachedCatalogue;
use crate::db::Db;
use crate::error::AppError;
use crate::payments::PaymentProvider;
use crate::rate_limit::RateLimiter;

/// Cloned for every request by each layer that holds it, so a clone is one reference count.
#[derive(Clone)]
pub struct AppState(Arc<AppServices>);

pub struct AppServices {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    /// Where payers' reservations go (on SQLite, committed together).
    pub reservations: crate::db::reservations::Reservations,
    pub settings: Arc<Settings>,
    pub clock: Arc<dyn Clock>,
    pub provider: Arc<dyn PaymentProvider>,
    pub api_rate_limiter: Arc<RateLimiter>,
    /// New payment attempts per payer address (10-minute windows) and per link (per minute).
    pub payer_ip_limiter: Arc<RateLimiter<String>>,
    pub payer_link_limiter: Arc<RateLimiter>,
    /// The Redis the limits above count in, with `REDIS_URL`.
    pub shared_counts: Option<Arc<crate::rate_limit::SharedCounts>>,
    /// Wakes the webhook worker when new events are written, so they go out at once.
    pub webhook_wakeup: Arc<tokio::sync::Notify>,
    /// Sends the mail outbox; `None` without `SMTP_URL` (then nothing is queued).
    pub mailer: Option<Arc<crate::mail::Mailer>>,
    /// Wakes the mail worker when messages are queued.
    pub mail_wakeup: Arc<tokio::sync::Notify>,
    /// The method catalogue for the payer pages.
    pub catalogue: Arc<CachedCatalogue>,
    /// Payer pages and their links as last read; writers of links call `changed()`.
    pub payer_cache: Arc<PayerCache>,
    /// Seals and opens merchants' gateway keys; `None` without `PAYLINKS_SECRET_KEY`.
    pub secrets: Option<Arc<crate::secrets::SecretBox>>,
    /// The sandbox acquirer's HTTP client for its callbacks to this app: one per app, so its
    /// connections are reused, with a timeout so a hung callback fails the simulation.
    pub sandbox_http: reqwest::Client,
}

impl AppState {
    pub fn new(services: AppServices) -> AppState {
        AppState(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = AppServices;

    fn deref(&self) -> &AppServices {
        &self.0
    }
}

/// leptos_axum renders with the options it takes from the state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos_options.clone()
    }
}

impl AppServices {
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The public URL a payer opens for a link.
    pub fn payer_url(&self, slug: &str) -> String {
        format!("{}/pay/{slug}", self.settings.public_base_url)
    }
}

/// The state inside a server function or a page render.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}
