//! Typed settings, read from the environment once at start-up.

use std::net::SocketAddr;

use crate::db::{backend_of, Backend};
use crate::error::AppError;
use crate::payments::sandbox::va::VaPrefixes;

pub const DEFAULT_DATABASE_URL: &str = "sqlite:data/paylinks.db";
pub const DEFAULT_SITE_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_EXPORT_DIR: &str = "data/exports";
/// The sender of receipts and notices when `MAIL_FROM` is not set.
pub const DEFAULT_MAIL_FROM: &str = "paylinks <no-reply@localhost>";
/// The longest any request may run before it is answered 408.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct Settings {
    /// `sqlite:path/to/file.db` (default) or `postgres://…`.
    pub database_url: String,
    pub site_addr: SocketAddr,
    /// Origin payer URLs are built from, without a trailing slash, e.g. `https://pay.example.com`.
    pub public_base_url: String,
    /// `Secure` on the session cookie; off only for plain-http development.
    pub cookie_secure: bool,
    pub log_filter: String,
    /// `RUST_LOG_FORMAT=json`: one JSON object per log line, with the request's id.
    pub log_json: bool,
    /// `METRICS_TOKEN`: `/metrics` answers a scraper sending it as a bearer token (`None`:
    /// it answers nobody, and nothing is recorded).
    pub metrics_token: Option<String>,
    /// Key the sandbox acquirer signs its payment callbacks with (HMAC-SHA256).
    pub sandbox_callback_secret: String,
    /// How long after payment a paid attempt is settled to the merchant.
    pub settlement_delay_ms: i64,
    /// The sandbox's VA number prefixes per bank.
    pub va_prefixes: VaPrefixes,
    /// API requests a credential may make per minute.
    pub api_rate_limit_per_minute: u32,
    /// Lets webhooks go to private, loopback and link-local addresses: for local
    /// development and the tests only, since it lets merchants probe the internal network.
    pub webhook_allow_private_targets: bool,
    /// How long a webhook worker holds an event it is sending; a crashed worker's events are
    /// sent again once it runs out.
    pub webhook_claim_lease_ms: i64,
    /// Folder finished exports are kept in.
    pub export_dir: std::path::PathBuf,
    /// Where rate limits are counted when several instances must share them (`REDIS_URL`);
    /// `None`: in each process.
    pub redis_url: Option<String>,
    /// Names this deployment's keys in that Redis (`REDIS_PREFIX`).
    pub redis_prefix: String,
    /// New payment attempts one payer address may start per 10 minutes.
    pub payer_attempts_per_ip: u32,
    /// New payment attempts one link accepts per minute.
    pub payer_attempts_per_link: u32,
    /// How many proxies of ours stand in front and append to `X-Forwarded-For` (0: the
    /// connection's peer is the client). See [`crate::client_addr`].
    pub trusted_proxy_hops: usize,
    /// How long a client may take to send a request's headers (and an idle connection is
    /// kept); see [`crate::serve::HEADER_READ_TIMEOUT`].
    pub header_read_timeout: std::time::Duration,
    /// How often each instance looks for due background work (expiry, settlement, purges).
    pub job_interval: std::time::Duration,
    /// Seals merchants' gateway keys at rest (`PAYLINKS_SECRET_KEY`, the base64 of 32 random
    /// bytes); without it no gateway can be connected.
    pub secret_key: Option<String>,
    /// Stand-ins for the gateways' APIs (`MIDTRANS_BASE_URL`, `XENDIT_BASE_URL`): any server
    /// that speaks the documented API, e.g. the tests' simulators.
    pub midtrans_base_url: Option<String>,
    pub xendit_base_url: Option<String>,
    /// Outbound mail: the SMTP server (`None`: mail is off) and the sender.
    pub smtp_url: Option<String>,
    pub mail_from: String,
}

impl Settings {
    pub fn from_env() -> Result<Self, AppError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let site_addr: SocketAddr = var("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| DEFAULT_SITE_ADDR.to_string())
            .parse()
            .map_err(|_| AppError::config("LEPTOS_SITE_ADDR must look like 127.0.0.1:3000"))?;
        let public_base_url = var("PUBLIC_BASE_URL")
            .unwrap_or_else(|| format!("http://{site_addr}"))
            .trim_end_matches('/')
            .to_string();
        url::Url::parse(&public_base_url)
            .map_err(|_| AppError::config("PUBLIC_BASE_URL must be an absolute http(s) URL"))?;
        let flag = |name: &str, default: bool| match var(name).as_deref() {
            None => Ok(default),
            Some("true" | "1" | "yes") => Ok(true),
            Some("false" | "0" | "no") => Ok(false),
            Some(_) => Err(AppError::config(format!("{name} must be true or false"))),
        };
        let positive = |name: &str, default: u32| {
            var(name)
                .map(|v| v.parse::<u32>())
                .unwrap_or(Ok(default))
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| AppError::config(format!("{name} must be a positive number")))
        };
        let cookie_secure = flag("COOKIE_SECURE", public_base_url.starts_with("https://"))?;
        let settlement_delay_seconds: i64 = var("SETTLEMENT_DELAY_SECONDS")
            .map(|v| v.parse())
            .unwrap_or(Ok(3600))
            .ok()
            .filter(|s| *s >= 0)
            .ok_or_else(|| AppError::config("SETTLEMENT_DELAY_SECONDS must be whole seconds"))?;
        let settings = Settings {
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            site_addr,
            public_base_url,
            cookie_secure,
            log_filter: var("RUST_LOG").unwrap_or_else(|| "info,paylinks=debug".into()),
            metrics_token: var("METRICS_TOKEN"),
            log_json: match var("RUST_LOG_FORMAT").as_deref() {
                None | Some("text") => false,
                Some("json") => true,
                Some(other) => {
                    return Err(AppError::config(format!(
                        "RUST_LOG_FORMAT: expected text or json, got {other:?}"
                    )))
                }
            },
            // A fresh key per start unless one is given: only this process signs and checks.
            sandbox_callback_secret: var("SANDBOX_CALLBACK_SECRET").unwrap_or_else(|| {
                use rand::Rng;
                let bytes: [u8; 32] = rand::thread_rng().gen();
                hex::encode(bytes)
            }),
            settlement_delay_ms: settlement_delay_seconds * 1000,
            api_rate_limit_per_minute: positive("API_RATE_LIMIT_PER_MINUTE", 600)?,
            webhook_allow_private_targets: flag("WEBHOOK_ALLOW_PRIVATE_TARGETS", false)?,
            webhook_claim_lease_ms: i64::from(positive("WEBHOOK_LEASE_SECONDS", 60)?) * 1000,
            redis_url: var("REDIS_URL"),
            redis_prefix: var("REDIS_PREFIX").unwrap_or_else(|| "paylinks".to_string()),
            payer_attempts_per_ip: positive("PAYER_ATTEMPTS_PER_IP", 30)?,
            payer_attempts_per_link: positive("PAYER_ATTEMPTS_PER_LINK", 120)?,
            trusted_proxy_hops: match var("TRUST_PROXY").as_deref() {
                None | Some("false" | "no") => 0,
                Some("true" | "yes") => 1,
                Some(hops) => hops.parse().map_err(|_| {
                    AppError::config("TRUST_PROXY must be true, false or a number of proxies")
                })?,
            },
            header_read_timeout: std::time::Duration::from_secs(
                positive(
                    "HEADER_READ_TIMEOUT_SECONDS",
                    crate::serve::HEADER_READ_TIMEOUT.as_secs() as u32,
                )?
                .into(),
            ),
            job_interval: std::time::Duration::from_secs(
                positive("JOB_INTERVAL_SECONDS", 30)?.into(),
            ),
            export_dir: var("EXPORT_DIR")
                .unwrap_or_else(|| DEFAULT_EXPORT_DIR.into())
                .into(),
            secret_key: var("PAYLINKS_SECRET_KEY"),
            midtrans_base_url: var("MIDTRANS_BASE_URL"),
            xendit_base_url: var("XENDIT_BASE_URL"),
            smtp_url: var("SMTP_URL"),
            mail_from: var("MAIL_FROM").unwrap_or_else(|| DEFAULT_MAIL_FROM.into()),
            va_prefixes: VaPrefixes::with_overrides(
                &var("SANDBOX_VA_PREFIXES").unwrap_or_default(),
            )
            .map_err(|e| AppError::config(format!("SANDBOX_VA_PREFIXES: {e}")))?,
        };
        settings.backend()?;
        if let Some(key) = &settings.secret_key {
            crate::secrets::SecretBox::from_base64(key)?;
        }
        if let Some(url) = &settings.smtp_url {
            crate::mail::Mailer::new(url, &settings.mail_from)?;
        }
        if let Some(url) = &settings.redis_url {
            crate::rate_limit::SharedCounts::new(url, &settings.redis_prefix)?;
        }
        Ok(settings)
    }

    pub fn backend(&self) -> Result<Backend, AppError> {
        backend_of(&self.database_url)
    }
}
