//! Figures of the overview page: revenue and conversion over a window, revenue per WIB day,
//! per method and per link. Revenue counts paid attempts by their payment date.

use crate::db::Db;
use crate::domain::ids::{AccountId, MerchantId};
use crate::domain::time::{DAY_MS, WIB_OFFSET_SECONDS};
use crate::error::AppError;
use crate::model::{DayRevenue, GroupRevenue, WindowFigures};
use crate::on_db;

/// Revenue of payments made since `since_ms`, and conversion of attempts made since then.
pub async fn window(
    db: &Db,
    merchant_id: MerchantId,
    account_id: &AccountId,
    since_ms: i64,
) -> Result<WindowFigures, AppError> {
    let (paid, gross, net, refunded): (i64, i64, i64, i64) = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(amount), 0) AS BIGINT),
                    CAST(COALESCE(SUM(net_amount), 0) AS BIGINT),
                    CAST(COALESCE(SUM(refunded_amount), 0) AS BIGINT)
             FROM payment_link_histories
             WHERE account_id = $1 AND merchant_id = $2 AND payment_date >= $3
               AND status = 'paid'",
        )
        .bind(account_id)
        .bind(merchant_id)
        .bind(since_ms)
        .fetch_one(pool)
        .await?
    });
    let (attempts, attempts_paid): (i64, i64) = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN status = 'paid' THEN 1 ELSE 0 END), 0)
                                   AS BIGINT)
             FROM payment_link_histories
             WHERE account_id = $1 AND merchant_id = $2 AND created_at >= $3",
        )
        .bind(account_id)
        .bind(merchant_id)
        .bind(since_ms)
        .fetch_one(pool)
        .await?
    });
    Ok(WindowFigures {
        paid,
        gross,
        net,
        refunded,
        attempts,
        attempts_paid,
    })
}

/// Revenue per WIB day since `since_ms`, only days with payments, oldest first. `day` is the
/// day's number since 1970-01-01 in WIB.
pub async fn daily(
    db: &Db,
    merchant_id: MerchantId,
    account_id: &AccountId,
    since_ms: i64,
) -> Result<Vec<DayRevenue>, AppError> {
    let offset = i64::from(WIB_OFFSET_SECONDS) * 1000;
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, DayRevenue>(
            "SELECT (payment_date + $1) / $2 AS day, COUNT(*) AS count,
                    CAST(SUM(amount) AS BIGINT) AS gross
             FROM payment_link_histories
             WHERE account_id = $3 AND merchant_id = $4 AND payment_date >= $5
               AND status = 'paid'
             GROUP BY (payment_date + $1) / $2 ORDER BY day",
        )
        .bind(offset)
        .bind(DAY_MS)
        .bind(account_id)
        .bind(merchant_id)
        .bind(since_ms)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}

/// Revenue since `since_ms` per payment method, largest first.
pub async fn by_method(
    db: &Db,
    merchant_id: MerchantId,
    account_id: &AccountId,
    since_ms: i64,
) -> Result<Vec<GroupRevenue>, AppError> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, GroupRevenue>(
            "SELECT payment_method_name AS label, '' AS detail, COUNT(*) AS count,
                    CAST(SUM(amount) AS BIGINT) AS gross
             FROM payment_link_histories
             WHERE account_id = $1 AND merchant_id = $2 AND payment_date >= $3
               AND status = 'paid'
             GROUP BY payment_method_name ORDER BY gross DESC, label",
        )
        .bind(account_id)
        .bind(merchant_id)
        .bind(since_ms)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}

/// The links that earned most since `since_ms`: title and reference, up to `limit`.
pub async fn top_links(
    db: &Db,
    merchant_id: MerchantId,
    account_id: &AccountId,
    since_ms: i64,
    limit: i64,
) -> Result<Vec<GroupRevenue>, AppError> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, GroupRevenue>(
            "SELECT l.title AS label, l.reff_no AS detail, t.count, t.gross
             FROM (SELECT payment_link_id, COUNT(*) AS count, CAST(SUM(amount) AS BIGINT) AS gross
                   FROM payment_link_histories
                   WHERE account_id = $1 AND merchant_id = $2 AND payment_date >= $3
                     AND status = 'paid'
                   GROUP BY payment_link_id) t
             JOIN payment_links l ON l.id = t.payment_link_id
             ORDER BY t.gross DESC, l.id LIMIT $4",
        )
        .bind(account_id)
        .bind(merchant_id)
        .bind(since_ms)
        .bind(limit)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}
