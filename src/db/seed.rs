//! Demo data at scale: attempts generated inside the database in one statement per batch,
//! for demos, benchmarks and the export tests.

use crate::db::Db;
use crate::domain::ids::LinkId;
use crate::error::AppError;
use crate::on_db;

/// Rows one statement inserts.
const CHUNK: i64 = 100_000;

/// Adds `count` attempts spread over `links` (ids of one account), created over the 90 days
/// before `now_ms`, with realistic mixes of methods, statuses, customers and settlement, as a
/// running server would have left them: attempts past their expiry are expired and payments
/// older than `settlement_delay_ms` settled, so a server started on the data has
/// no backlog for its jobs (which would otherwise run through tens of thousands of rows while
/// it is being measured).
/// References are `9` followed by the row number, so they never meet the payer page's.
pub async fn histories(
    db: &Db,
    links: &[LinkId],
    count: i64,
    now_ms: i64,
    settlement_delay_ms: i64,
    mut progress: impl FnMut(i64),
) -> Result<(), AppError> {
    if links.is_empty() {
        return Err(AppError::internal("seeding needs at least one link"));
    }
    let start = next_number(db).await?;
    let link_list = links
        .iter()
        .map(LinkId::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let sql = insert_sql(db, &link_list, links.len() as i64);
    // Through one connection: on Postgres each connection writes its own stripe of the total
    // buckets (migration 0034), and a seeded account should read as one that grew over time.
    on_db!(db, pool => {
        let mut conn = pool.acquire().await?;
        let mut done = 0;
        while done < count {
            let chunk = CHUNK.min(count - done);
            let from = start + done;
            sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(from)
                .bind(from + chunk - 1)
                .bind(now_ms)
                .bind(settlement_delay_ms)
                .execute(&mut *conn)
                .await?;
            done += chunk;
            progress(done);
        }
    });
    let recount = format!(
        "UPDATE payment_links SET current_usage = (SELECT COUNT(*) FROM payment_link_histories h
             WHERE h.payment_link_id = payment_links.id AND h.status = 'paid')
         WHERE id IN ({link_list})"
    );
    on_db!(db, pool => {
        sqlx::query(sqlx::AssertSqlSafe(recount.as_str())).execute(pool).await?;
    });
    if let Db::Postgres(pool) = db {
        // After a bulk load the planner's statistics are stale until autovacuum comes by, and
        // the total buckets carry a dead version per seeded row: a million rows written in a
        // minute leave the few thousand live buckets spread over a hundred megabytes of pages
        // (every count read visited them all: 15 ms, not 0.6), which autovacuum at a live
        // system's pace never lets happen. Compact the buckets and refresh the statistics; and
        // vacuum the attempts now, not in the middle of a measurement (a million new rows set
        // autovacuum off soon after).
        for sql in [
            "VACUUM (FULL, ANALYZE) payment_totals",
            "VACUUM (ANALYZE) payment_link_histories",
        ] {
            sqlx::query(sql).execute(pool).await?;
        }
    }
    Ok(())
}

/// The first free row number of earlier seeding runs.
async fn next_number(db: &Db) -> Result<i64, AppError> {
    let (seeded,): (i64,) = on_db!(db, pool => {
        sqlx::query_as("SELECT COUNT(*) FROM payment_link_histories WHERE reff_no LIKE '9%'")
            .fetch_one(pool)
            .await?
    });
    Ok(seeded + 1)
}

/// `$1..=$2` are the row numbers, `$3` now, `$4` the settlement delay. Every derived value
/// is a function of the row number `n`, so the data is varied yet repeatable.
fn insert_sql(db: &Db, link_list: &str, link_count: i64) -> String {
    let reff = match db {
        Db::Sqlite(_) => "'9' || printf('%022d', n)",
        Db::Postgres(_) => "'9' || lpad(n::text, 22, '0')",
    };
    format!(
        "WITH RECURSIVE seq(n) AS (SELECT CAST($1 AS BIGINT) UNION ALL SELECT n + 1 FROM seq WHERE n < $2),
         links(id, pos) AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 FROM payment_links
                            WHERE id IN ({link_list})),
         rows AS (
            SELECT n, l.id AS link_id,
                   CASE n % 8 WHEN 0 THEN 'VA_BRI' WHEN 1 THEN 'VA_BNI' WHEN 2 THEN 'VA_BCA'
                        WHEN 3 THEN 'QRIS' WHEN 4 THEN 'QRIS' WHEN 5 THEN 'GOPAY'
                        WHEN 6 THEN 'VA_MAYBANK' ELSE 'DANA' END AS method,
                   CASE n % 20 WHEN 0 THEN 'failed' WHEN 1 THEN 'pending'
                        WHEN 2 THEN 'expired' WHEN 3 THEN 'expired' WHEN 4 THEN 'expired'
                        ELSE 'paid' END AS status,
                   $3 - (n * 7919 % 7776000) * 1000 AS created,
                   CASE n % 6 WHEN 0 THEN 'Budi Santoso' WHEN 1 THEN 'Siti Rahma'
                        WHEN 2 THEN 'Agus Wijaya' WHEN 3 THEN 'Dewi Lestari'
                        WHEN 4 THEN 'Rizky Pratama' ELSE 'Putri Ayu' END AS customer
            FROM seq JOIN links l ON l.pos = n % {link_count}
         ),
         timed AS (
            SELECT r.*, r.created + 86400000 AS expires,
                   CASE WHEN r.status = 'paid' THEN r.created + (n % 50) * 60000 END AS paid_at
            FROM rows r
         )
         INSERT INTO payment_link_histories (payment_link_id, merchant_id, account_id, reff_no,
             payment_link_reff_no, payment_method_code, payment_method_name, payment_method_value,
             amount, fee, net_amount, status, expired_at, payment_date, processed_timestamp,
             has_settle, settle_at, customer_name, customer_email, customer_phone,
             created_at, updated_at)
         SELECT pl.id, pl.merchant_id, pl.account_id, {reff}, pl.reff_no, m.code, m.name,
             CASE WHEN m.method_group = 'va' THEN '88' || CAST(1000000000 + n AS TEXT) ELSE '' END,
             pl.total_amount, m.fee_flat + pl.total_amount * m.fee_percent_bps / 10000,
             pl.total_amount - m.fee_flat - pl.total_amount * m.fee_percent_bps / 10000,
             CASE WHEN r.status = 'pending' AND r.expires <= $3 THEN 'expired'
                  ELSE r.status END,
             r.expires, r.paid_at, r.paid_at,
             COALESCE(r.paid_at <= $3 - $4, FALSE),
             CASE WHEN r.paid_at <= $3 - $4 THEN r.paid_at + $4 END,
             r.customer, LOWER(REPLACE(r.customer, ' ', '.')) || '@mail.id',
             '0812' || CAST(10000000 + n % 90000000 AS TEXT),
             r.created, r.created
         FROM timed r
         JOIN payment_links pl ON pl.id = r.link_id
         JOIN payment_methods m ON m.code = r.method"
    )
}
