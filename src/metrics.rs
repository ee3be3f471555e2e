//! Operating figures in Prometheus's text format at `/metrics`, for a scraper holding
//! `METRICS_TOKEN` (without it, 401 to everyone and nothing is recorded): requests per route with their latency, attempts
//! started, payments credited, attempts expired, and at each scrape the backlogs read from
//! the database (webhook events and their oldest, mail, kept notifications) and the pool.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::state::AppState;

pub const ATTEMPTS_STARTED: &str = "paylinks_attempts_started_total";
pub const PAYMENTS_CREDITED: &str = "paylinks_payments_credited_total";
pub const ATTEMPTS_EXPIRED: &str = "paylinks_attempts_expired_total";
pub const JOB_RUN_SECONDS: &str = "paylinks_job_run_duration_seconds";
pub const JOB_LAST_RUN: &str = "paylinks_job_last_run_timestamp_seconds";
pub const JOB_LOOP_LAG: &str = "paylinks_job_loop_lag_seconds";

/// The process's recorder, installed once (every app of a test process shares it).
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&[
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
            ])
            .expect("buckets are given")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder already installed (it cannot be here) would keep its own.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// A path as a series label: segments that hold an id (a digit, or longer than an English
/// word gets) read `:id`, and only the first four count, so the series stay few whatever the
/// paths (`/pay/:id`, `/accounts/:id/links`, `/fn/link_create`).
pub fn route_label(path: &str) -> String {
    let segments: Vec<&str> = path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .take(4)
        .map(|segment| {
            if segment.len() > 24 || segment.bytes().any(|b| b.is_ascii_digit()) {
                ":id"
            } else {
                segment
            }
        })
        .collect();
    format!("/{}", segments.join("/"))
}

/// Counts and times each request by its route (see [`route_label`]).
pub async fn measure(request: Request, next: Next) -> Response {
    let route = route_label(request.uri().path());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("paylinks_http_requests_total", "route" => route.clone(), "method" => method, "status" => status).increment(1);
    metrics::histogram!("paylinks_http_request_duration_seconds", "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics` with `Authorization: Bearer <METRICS_TOKEN>`.
pub async fn scrape(State(state): State<AppState>, request: Request) -> Response {
    let expected = state.settings.metrics_token.as_deref().unwrap_or_default();
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let matches = given.is_some_and(|given| {
        use subtle::ConstantTimeEq;
        !expected.is_empty() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
    });
    if !matches {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if let Err(error) = read_backlogs(&state).await {
        tracing::warn!(%error, "reading the backlogs for /metrics failed");
    }
    let handle = handle();
    handle.run_upkeep();
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle.render(),
    )
        .into_response()
}

/// Sets the gauges read from the database at scrape time.
async fn read_backlogs(state: &AppState) -> Result<(), crate::error::AppError> {
    let now = state.now_ms();
    let (webhooks, oldest, mail, kept): (i64, Option<i64>, i64, i64) = crate::on_db!(&state.db, pool => {
        sqlx::query_as(
            "SELECT
                    (SELECT COUNT(*) FROM webhook_events WHERE status = 'pending'),
                    (SELECT MIN(created_at) FROM webhook_events WHERE status = 'pending'),
                    (SELECT COUNT(*) FROM outbound_emails WHERE status = 'pending'),
                    (SELECT COUNT(*) FROM inbound_notifications WHERE status = 'received')",
        )
        .fetch_one(pool)
        .await?
    });
    metrics::gauge!("paylinks_webhook_backlog").set(webhooks as f64);
    metrics::gauge!("paylinks_webhook_oldest_pending_age_seconds")
        .set(oldest.map_or(0.0, |oldest| (now - oldest).max(0) as f64 / 1000.0));
    metrics::gauge!("paylinks_email_backlog").set(mail as f64);
    metrics::gauge!("paylinks_notification_backlog").set(kept as f64);
    let (size, idle) = crate::on_db!(&state.db, pool => (pool.size(), pool.num_idle()));
    metrics::gauge!("paylinks_db_pool_connections").set(f64::from(size));
    metrics::gauge!("paylinks_db_pool_idle_connections").set(idle as f64);
    Ok(())
}

/// Installs the recorder before the first request is counted.
pub fn install() {
    handle();
}

#[cfg(test)]
mod tests {
    use super::route_label;

    #[test]
    fn ids_do_not_make_series() {
        assert_eq!(route_label("/pay/35FoDdHXjbJ0PVTXWHo26K"), "/pay/:id");
        assert_eq!(
            route_label("/accounts/01M90Z150KQ83BPXJBTDQXP3G5/links/12"),
            "/accounts/:id/links/:id"
        );
        assert_eq!(route_label("/fn/link_create"), "/fn/link_create");
        assert_eq!(
            route_label("/api/v1.0/payment-link-histories/01M9/7/refunds"),
            "/api/:id/payment-link-histories/:id"
        );
        assert_eq!(route_label("/"), "/");
    }
}
