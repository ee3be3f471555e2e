//! Failed log-ins per throttle key and window (see `auth::throttle`).

use crate::db::Db;
use crate::error::AppError;
use crate::on_db;

pub async fn count(db: &Db, key: &str, window_start: i64) -> Result<i64, AppError> {
    let count: Option<i64> = on_db!(db, pool => {
        sqlx::query_scalar(
            "SELECT failures FROM login_failures WHERE throttle_key = $1 AND window_start = $2",
        )
        .bind(key)
        .bind(window_start)
        .fetch_optional(pool)
        .await?
    });
    Ok(count.unwrap_or(0))
}

pub async fn record(db: &Db, key: &str, window_start: i64) -> Result<(), AppError> {
    on_db!(db, pool => {
        sqlx::query(
            "INSERT INTO login_failures (throttle_key, window_start, failures) VALUES ($1, $2, 1)
             ON CONFLICT (throttle_key, window_start)
             DO UPDATE SET failures = login_failures.failures + 1",
        )
        .bind(key)
        .bind(window_start)
        .execute(pool)
        .await?;
    });
    Ok(())
}

pub async fn clear(db: &Db, key: &str) -> Result<(), AppError> {
    on_db!(db, pool => {
        sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1")
            .bind(key)
            .execute(pool)
            .await?;
    });
    Ok(())
}

pub async fn purge_before(db: &Db, window_start: i64) -> Result<u64, AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query("DELETE FROM login_failures WHERE window_start < $1")
            .bind(window_start)
            .execute(pool)
            .await?
            .rows_affected()
    }))
}
