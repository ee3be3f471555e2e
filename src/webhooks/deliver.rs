//! The delivery worker: claims due events, sends each signed to the merchant's URL with a
//! timeout, and records what came back. Only a 2xx answer counts; anything else is tried
//! again on the backoff schedule of [`crate::domain::webhook::RETRY_DELAYS_MS`].

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use rand::Rng;
use tokio::task::JoinSet;

use crate::db::webhooks::{self as outbox, Attempt, ClaimedEvent};
use crate::domain::webhook::{is_public_ip, parse_target_url};
use crate::error::AppError;
use crate::state::AppState;
use crate::webhooks::signature::{body_hash, path_and_query, sign, string_to_sign};

/// How long a receiver has to answer.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);
/// The usual claim lease (`WEBHOOK_LEASE_SECONDS`): well past the timeout, so a live worker
/// never loses its event, and short enough that a crashed worker's events go out again soon.
pub const CLAIM_LEASE_MS: i64 = 60_000;
/// Events one pass sends at once.
const BATCH: i64 = 32;
/// How often the worker looks when nothing woke it.
const POLL: Duration = Duration::from_secs(5);
/// How much of a receiver's answer the delivery log keeps.
const EXCERPT_CHARS: usize = 500;

pub const EVENT_ID_HEADER: &str = "X-Event-ID";
pub const EVENT_TYPE_HEADER: &str = "X-Event-Type";

/// One pass: claims due events and delivers them concurrently. Returns how many were tried.
pub async fn deliver_due(state: &AppState) -> Result<usize, AppError> {
    let lease = state.settings.webhook_claim_lease_ms;
    let claimed = outbox::claim_due(&state.db, state.now_ms(), lease, BATCH).await?;
    let tried = claimed.len();
    let mut sends = JoinSet::new();
    for event in claimed {
        let state = state.clone();
        sends.spawn(async move { deliver_claimed(&state, &event).await });
    }
    while let Some(sent) = sends.join_next().await {
        match sent {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::error!(%error, "recording a webhook delivery failed"),
            Err(error) => tracing::error!(%error, "a webhook delivery task panicked"),
        }
    }
    Ok(tried)
}

/// Delivers one event right away if it is due and not in flight; returns the try, or `None`
/// when another worker holds it.
pub async fn deliver_now(state: &AppState, event_row_id: i64) -> Result<Option<Attempt>, AppError> {
    let lease = state.settings.webhook_claim_lease_ms;
    let Some(event) = outbox::claim_one(&state.db, event_row_id, state.now_ms(), lease).await?
    else {
        return Ok(None);
    };
    deliver_claimed(state, &event).await.map(Some)
}

async fn deliver_claimed(state: &AppState, event: &ClaimedEvent) -> Result<Attempt, AppError> {
    let attempt = send(state, event).await;
    if !attempt.succeeded() {
        tracing::warn!(
            event = %event.event_id,
            status = ?attempt.response_status,
            error = ?attempt.error,
            "webhook delivery failed"
        );
    }
    outbox::record_attempt(&state.db, event, &attempt, state.now_ms()).await?;
    if !attempt.succeeded() && state.mailer.is_some() {
        if let Err(error) = tell_failing(state, event, &attempt.url).await {
            tracing::error!(%error, "queueing a failing-endpoint notice failed");
        }
    }
    Ok(attempt)
}

/// Deliveries failing for an hour: every event still pending after a failed try, the oldest
/// an hour old. The merchant's users who chose it hear so, once a (WIB) day.
const FAILING_FOR_MS: i64 = 60 * 60 * 1000;

async fn tell_failing(state: &AppState, event: &ClaimedEvent, url: &str) -> Result<(), AppError> {
    let now = state.now_ms();
    let (oldest,): (Option<i64>,) = crate::on_db!(&state.db, pool => {
        sqlx::query_as(
            "SELECT MIN(created_at) FROM webhook_events
             WHERE merchant_id = $1 AND status = 'pending' AND attempts > 0",
        )
        .bind(event.merchant_id)
        .fetch_one(pool)
        .await?
    });
    let Some(oldest) = oldest.filter(|oldest| now - oldest >= FAILING_FOR_MS) else {
        return Ok(());
    };
    let told = crate::domain::email::Bilingual::write(|lang| {
        crate::domain::email::webhook_failing(lang, url, (now - oldest) / 60_000)
    });
    let key = format!(
        "webhook-failing:{}:{}",
        event.merchant_id,
        crate::domain::time::wib_day_number(now)
    );
    let mut tx = state.db.begin().await?;
    crate::on_tx!(&mut tx, conn => {
        crate::queue_members_email!(
            conn,
            event.merchant_id,
            crate::domain::notify::Topic::WebhookFailing,
            &key,
            &told,
            now
        );
    });
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(())
}

/// One try. Never fails: every problem becomes the attempt's error, shown in the log.
async fn send(state: &AppState, event: &ClaimedEvent) -> Attempt {
    let started = Instant::now();
    let mut attempt = Attempt {
        url: String::new(),
        response_status: None,
        latency_ms: 0,
        response_excerpt: None,
        error: None,
    };
    match prepare(state, event).await {
        Ok(request) => {
            attempt.url = request.url.to_string();
            match request.send(event).await {
                Ok((status, body)) => {
                    attempt.response_status = Some(status);
                    attempt.response_excerpt = Some(excerpt(&body));
                }
                Err(error) => attempt.error = Some(error),
            }
        }
        Err((url, error)) => {
            attempt.url = url;
            attempt.error = Some(error);
        }
    }
    attempt.latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    attempt
}

/// A delivery ready to go: where, pinned to which address, signed with what.
struct SignedRequest {
    url: url::Url,
    /// The checked address the host resolved to; the connection goes there and nowhere else,
    /// so a DNS answer that changes between check and connect cannot redirect it.
    pinned: Option<(String, SocketAddr)>,
    api_key: String,
    client_secret: String,
    timestamp: i64,
}

async fn prepare(
    state: &AppState,
    event: &ClaimedEvent,
) -> Result<SignedRequest, (String, String)> {
    let settings = outbox::find_settings(&state.db, event.merchant_id)
        .await
        .map_err(|e| (String::new(), e.to_string()))?
        .ok_or_else(|| (String::new(), "No notification URL is set.".to_string()))?;
    let url = match event.target.as_str() {
        "inquiry" => settings.inquiry_url.clone().unwrap_or_default(),
        _ => settings.transaction_url.clone(),
    };
    let fail = |message: &str| (url.clone(), message.to_string());
    if !settings.enabled {
        return Err(fail("Notifications are turned off."));
    }
    let allow_private = state.settings.webhook_allow_private_targets;
    let parsed = parse_target_url(&url, allow_private).map_err(|e| fail(&e))?;
    let pinned = pin_address(&parsed, allow_private)
        .await
        .map_err(|e| fail(&e))?;
    let (api_key, client_secret) =
        crate::db::credentials::newest_reaching(&state.db, event.merchant_id, &event.account_id)
            .await
            .map_err(|e| fail(&e.to_string()))?
            .ok_or_else(|| {
                fail(
                    "No live API credential reaches this account, so there is no key to sign with.",
                )
            })?;
    Ok(SignedRequest {
        url: parsed,
        pinned,
        api_key,
        client_secret,
        timestamp: state.now_ms().div_euclid(1000),
    })
}

/// Resolves a host name and refuses it when any address it has is not public (unless
/// allowed). IP literals were checked when the URL was parsed.
async fn pin_address(
    url: &url::Url,
    allow_private: bool,
) -> Result<Option<(String, SocketAddr)>, String> {
    let Some(url::Host::Domain(host)) = url.host() else {
        return Ok(None);
    };
    let port = url.port_or_known_default().unwrap_or(443);
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| format!("Could not resolve {host}: {e}"))?
        .collect();
    let first = *addresses
        .first()
        .ok_or_else(|| format!("{host} has no address."))?;
    if !allow_private && addresses.iter().any(|a| !is_public_ip(a.ip())) {
        return Err(format!(
            "Refused: {host} resolves to a private or local address."
        ));
    }
    Ok(Some((host.to_string(), first)))
}

impl SignedRequest {
    async fn send(&self, event: &ClaimedEvent) -> Result<(u16, String), String> {
        let access_token = hex::encode(rand::thread_rng().gen::<[u8; 24]>());
        let hash = body_hash(&event.payload);
        let signed = string_to_sign(
            &path_and_query(&self.url),
            &access_token,
            &hash,
            self.timestamp,
        );
        let mut client = reqwest::Client::builder()
            .timeout(DELIVERY_TIMEOUT)
            // A redirect could lead anywhere, including the private network.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("paylinks-webhooks/1.0");
        if let Some((host, address)) = &self.pinned {
            client = client.resolve(host, *address);
        }
        let client = client.build().map_err(|e| e.to_string())?;
        let mut response = client
            .post(self.url.clone())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("X-PARTNER-ID", &self.api_key)
            .header("Authorization", format!("Bearer {access_token}"))
            .header("X-Timestamp", self.timestamp.to_string())
            .header("X-Signature", sign(&self.client_secret, &signed))
            .header(EVENT_ID_HEADER, &event.event_id)
            .header(EVENT_TYPE_HEADER, &event.event_type)
            .body(event.payload.clone())
            .send()
            .await
            .map_err(describe_send_error)?;
        let status = response.status().as_u16();
        // Only the start is kept, so a huge answer is not read whole.
        let mut body = Vec::new();
        while body.len() < 4 * EXCERPT_CHARS {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                _ => break,
            }
        }
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }
}

fn describe_send_error(error: reqwest::Error) -> String {
    if error.is_timeout() {
        format!("No answer within {} seconds.", DELIVERY_TIMEOUT.as_secs())
    } else if error.is_connect() {
        "Could not connect to the receiver.".to_string()
    } else {
        error.to_string()
    }
}

fn excerpt(body: &str) -> String {
    match body.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &body[..cut]),
        None => body.to_string(),
    }
}

/// Delivers due events until the task is aborted at shutdown: at once when woken after new
/// events are written, and every few seconds for retries and other instances' events.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let _ = tokio::time::timeout(POLL, state.webhook_wakeup.notified()).await;
            loop {
                match deliver_due(&state).await {
                    // A full batch suggests more are waiting.
                    Ok(tried) if tried as i64 == BATCH => continue,
                    Ok(_) => break,
                    Err(error) => {
                        tracing::error!(%error, "webhook worker failed; retrying shortly");
                        break;
                    }
                }
            }
        }
    })
}
