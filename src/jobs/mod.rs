//! Background work: expiring pending attempts (which frees their slots) and settling paid
//! ones after a delay. Each job's UPDATEs are guarded, so two app instances on one database
//! can run them at once without processing a row twice.

use crate::db::Db;
use crate::domain::time::wib_day_number;
use crate::error::AppError;
use crate::on_db;
use crate::state::AppState;

/// Pending attempts past their expiry become `expired`, with their webhook events.
pub async fn expire_attempts(db: &Db, now_ms: i64, public_base_url: &str) -> Result<u64, AppError> {
    crate::db::outcomes::expire_due(db, now_ms, public_base_url).await
}

/// Paid attempts older than `delay_ms` are settled to the merchant. Returns how many.
pub async fn settle_payments(db: &Db, now_ms: i64, delay_ms: i64) -> Result<u64, AppError> {
    let settled = on_db!(db, pool => {
        sqlx::query(
            "UPDATE payment_link_histories SET has_settle = TRUE, settle_at = $1, updated_at = $1
             WHERE status = 'paid' AND has_settle = FALSE AND payment_date <= $2",
        )
        .bind(now_ms)
        .bind(now_ms - delay_ms)
        .execute(pool)
        .await?
        .rows_affected()
    });
    Ok(settled)
}

/// Forgets API tokens past their expiry and idempotent responses older than a day.
pub async fn purge_api_leftovers(db: &Db, now_ms: i64) -> Result<u64, AppError> {
    let purged = on_db!(db, pool => {
        let tokens = sqlx::query("DELETE FROM api_tokens WHERE expires_at <= $1")
            .bind(now_ms)
            .execute(pool)
            .await?
            .rows_affected();
        let keys = sqlx::query("DELETE FROM api_idempotency_keys WHERE created_at < $1")
            .bind(now_ms - 24 * 3600 * 1000)
            .execute(pool)
            .await?
            .rows_affected();
        tokens + keys
    });
    Ok(purged)
}

/// One pass of every job, timed for `/metrics`: how long passes take and when the last one
/// ended tell an operator the loop is keeping up (or has stopped).
pub async fn run_due(state: &AppState) -> Result<(), AppError> {
    let started = std::time::Instant::now();
    let outcome = run_every_job(state).await;
    metrics::histogram!(crate::metrics::JOB_RUN_SECONDS).record(started.elapsed().as_secs_f64());
    metrics::gauge!(crate::metrics::JOB_LAST_RUN).set(state.now_ms() as f64 / 1000.0);
    outcome
}

async fn run_every_job(state: &AppState) -> Result<(), AppError> {
    // Payments first: a kept notification is credited before its attempt could expire.
    // A failure here must not hold up the other jobs; its notifications stay kept.
    if let Err(error) = crate::service::payments::apply_due(state).await {
        tracing::error!(%error, "applying kept notifications failed");
    }
    // Then the gateways are asked about their attempts, before any of them expires here.
    if let Err(error) = crate::service::gateways::reconcile(state).await {
        tracing::error!(%error, "reconciling with the gateways failed");
    }
    if let Err(error) = crate::service::refunds::follow_up(state).await {
        tracing::error!(%error, "following refunds up with the gateways failed");
    }
    let now = state.now_ms();
    let base = &state.settings.public_base_url;
    let expired = expire_attempts(&state.db, now, base).await?
        + crate::db::outcomes::fail_unissued(&state.db, now, base).await?;
    if expired > 0 {
        metrics::counter!(crate::metrics::ATTEMPTS_EXPIRED).increment(expired);
        state.webhook_wakeup.notify_one();
    }
    let settled = settle_payments(&state.db, now, state.settings.settlement_delay_ms).await?;
    crate::db::totals::fold_stripes(&state.db, wib_day_number(now)).await?;
    purge_api_leftovers(&state.db, now).await?;
    crate::auth::throttle::purge(&state.db, now).await?;
    crate::db::user_sessions::end_older_than(&state.db, now - crate::auth::session::MAX_AGE_MS)
        .await?;
    crate::db::exports::fail_abandoned(&state.db, now, crate::exports::ABANDONED_AFTER_MS).await?;
    if expired + settled > 0 {
        tracing::info!(expired, settled, "background jobs ran");
    }
    Ok(())
}

/// Runs the jobs every `job_interval` until the task is aborted at shutdown.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(state.settings.job_interval);
        loop {
            // How late this pass starts: a loop whose passes outlast the interval falls behind.
            let scheduled = interval.tick().await;
            metrics::gauge!(crate::metrics::JOB_LOOP_LAG).set(scheduled.elapsed().as_secs_f64());
            if let Err(error) = run_due(&state).await {
                tracing::error!(%error, "background jobs failed; retrying next tick");
            }
        }
    })
}
