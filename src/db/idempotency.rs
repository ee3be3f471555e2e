//! Stored API responses behind `Idempotency-Key`.

use crate::db::Db;
use crate::error::AppError;
use crate::on_db;

/// What an earlier request with the same key left.
pub enum Earlier {
    /// First use: this request now owns the key.
    None,
    /// Same key, same request, finished: replay this.
    Finished { status: u16, body: String },
    /// Same key, same request, still running.
    InFlight,
    /// Same key, another request.
    Different,
}

/// Claims the key for this request, or says what holds it. Rows older than `since` are
/// expired and replaced.
pub async fn claim(
    db: &Db,
    credential_id: i64,
    key: &str,
    request_hash: &str,
    now_ms: i64,
    since: i64,
) -> Result<Earlier, AppError> {
    let row: Option<(String, Option<i64>, Option<String>)> = on_db!(db, pool => async {
        sqlx::query(
            "DELETE FROM api_idempotency_keys
             WHERE credential_id = $1 AND idempotency_key = $2 AND created_at < $3",
        )
        .bind(credential_id)
        .bind(key)
        .bind(since)
        .execute(pool)
        .await?;
        let claimed = sqlx::query(
            "INSERT INTO api_idempotency_keys (credential_id, idempotency_key, request_hash, created_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT (credential_id, idempotency_key) DO NOTHING",
        )
        .bind(credential_id)
        .bind(key)
        .bind(request_hash)
        .bind(now_ms)
        .execute(pool)
        .await?
        .rows_affected();
        if claimed == 1 {
            return Ok::<_, sqlx::Error>(None);
        }
        sqlx::query_as(
            "SELECT request_hash, status_code, response_body FROM api_idempotency_keys
             WHERE credential_id = $1 AND idempotency_key = $2",
        )
        .bind(credential_id)
        .bind(key)
        .fetch_optional(pool)
        .await
    }
    .await)?;
    Ok(match row {
        None => Earlier::None,
        Some((hash, _, _)) if hash != request_hash => Earlier::Different,
        Some((_, Some(status), Some(body))) => Earlier::Finished {
            status: u16::try_from(status).unwrap_or(500),
            body,
        },
        Some(_) => Earlier::InFlight,
    })
}

pub async fn finish(
    db: &Db,
    credential_id: i64,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), AppError> {
    on_db!(db, pool => {
        sqlx::query(
            "UPDATE api_idempotency_keys SET status_code = $1, response_body = $2
             WHERE credential_id = $3 AND idempotency_key = $4",
        )
        .bind(i64::from(status))
        .bind(body)
        .bind(credential_id)
        .bind(key)
        .execute(pool)
        .await?;
    });
    Ok(())
}

/// Forgets a claim whose request failed on our side, so a retry can run.
pub async fn release(db: &Db, credential_id: i64, key: &str) -> Result<(), AppError> {
    on_db!(db, pool => {
        sqlx::query(
            "DELETE FROM api_idempotency_keys WHERE credential_id = $1 AND idempotency_key = $2",
        )
        .bind(credential_id)
        .bind(key)
        .execute(pool)
        .await?;
    });
    Ok(())
}
