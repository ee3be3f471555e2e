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

pub struct Claim<'a> {
    pub credential_id: i64,
    pub key: &'a str,
    pub request_hash: &'a str,
    pub now_ms: i64,
    /// Finished responses stored before this are forgotten.
    pub finished_since: i64,
    /// Claims still unfinished from before this are abandoned (their request died).
    pub in_flight_since: i64,
}

/// Claims the key for this request, or says what holds it. Expired rows (finished ones past
/// their keeping, unfinished ones past their lease) are replaced.
pub async fn claim(db: &Db, claim: Claim<'_>) -> Result<Earlier, AppError> {
    let row: Option<(String, Option<i64>, Option<String>)> = on_db!(db, pool => async {
        sqlx::query(
            "DELETE FROM api_idempotency_keys
             WHERE credential_id = $1 AND idempotency_key = $2
               AND (created_at < $3 OR (status_code IS NULL AND created_at < $4))",
        )
        .bind(claim.credential_id)
        .bind(claim.key)
        .bind(claim.finished_since)
        .bind(claim.in_flight_since)
        .execute(pool)
        .await?;
        let claimed = sqlx::query(
            "INSERT INTO api_idempotency_keys (credential_id, idempotency_key, request_hash, created_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT (credential_id, idempotency_key) DO NOTHING",
        )
        .bind(claim.credential_id)
        .bind(claim.key)
        .bind(claim.request_hash)
        .bind(claim.now_ms)
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
        .bind(claim.credential_id)
        .bind(claim.key)
        .fetch_optional(pool)
        .await
    }
    .await)?;
    let request_hash = claim.request_hash;
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
