//! Log-in attempts per throttle key and window (see `auth::throttle`).

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

/// Adds one to the key's count in this window and returns the new count, in one statement.
pub async fn bump(db: &Db, key: &str, window_start: i64) -> Result<i64, AppError> {
    // In a transaction (see `reservations::reserve_holding`): committed before we answer.
    let count: i64 = on_db!(db, pool => {
        let mut tx = pool.begin().await?;
        let count = sqlx::query_scalar(
            "INSERT INTO login_failures (throttle_key, window_start, failures) VALUES ($1, $2, 1)
             ON CONFLICT (throttle_key, window_start)
             DO UPDATE SET failures = login_failures.failures + 1
             RETURNING failures",
        )
        .bind(key)
        .bind(window_start)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        count
    });
    Ok(count)
}

/// Takes one back from the key's count in this window (never below one: the row's CHECK).
pub async fn forgive(db: &Db, key: &str, window_start: i64) -> Result<(), AppError> {
    on_db!(db, pool => {
        sqlx::query(
            "UPDATE login_failures SET failures = failures - 1
             WHERE throttle_key = $1 AND window_start = $2 AND failures > 1",
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
