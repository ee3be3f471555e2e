//! Counts and money of a history filter. Filters on nothing but the stored status, the method
//! and whole WIB days of creation are read from `payment_totals` (buckets the database keeps in
//! step with every write), so an account's totals cost the same at a million attempts as at
//! ten. Any other filter is counted over the matching attempts.

use crate::db::histories::{push_filters, HistoryFilter, HistorySort};
use crate::db::Db;
use crate::domain::ids::{AccountId, MerchantId};
use crate::domain::time::{wib_day_number, wib_day_start};
use crate::error::AppError;
use crate::model::PaymentTotals;
use crate::on_db;

/// Which rows a total covers beyond the filter itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    /// Only attempts with a payment date (the payments table sorted by it lists no others).
    WithPaymentDate,
}

impl Scope {
    /// The rows the payments table lists in this order.
    pub fn listed_by(sort: HistorySort) -> Scope {
        match sort {
            HistorySort::PaymentDate => Scope::WithPaymentDate,
            _ => Scope::All,
        }
    }
}

/// Count of the filter's attempts, and the money of its paid ones.
pub async fn totals(
    db: &Db,
    merchant_id: MerchantId,
    account_id: &AccountId,
    filter: &HistoryFilter,
    scope: Scope,
) -> Result<PaymentTotals, AppError> {
    if let Some(buckets) = Buckets::of(filter, scope) {
        return from_buckets(db, merchant_id, account_id, &buckets).await;
    }
    let select = format!(
        "SELECT COUNT(*) AS count, {} AS paid_count, {} AS gross, {} AS fee, {} AS net,
             {} AS refunded
         FROM payment_link_histories",
        paid_sum("1"),
        paid_sum("amount"),
        paid_sum("fee"),
        paid_sum("net_amount"),
        paid_sum("refunded_amount"),
    );
    Ok(on_db!(db, pool => {
        let mut query = sqlx::QueryBuilder::new(select);
        push_filters(&mut query, merchant_id, account_id, filter);
        if scope == Scope::WithPaymentDate {
            query.push(" AND payment_date IS NOT NULL");
        }
        query.build_query_as().fetch_one(pool).await?
    }))
}

/// Number of attempts the filter matches (the API's pagination total).
pub async fn count(
    db: &Db,
    merchant_id: MerchantId,
    account_id: &AccountId,
    filter: &HistoryFilter,
) -> Result<i64, AppError> {
    if let Some(buckets) = Buckets::of(filter, Scope::All) {
        return Ok(from_buckets(db, merchant_id, account_id, &buckets)
            .await?
            .count);
    }
    let (total,): (i64,) = on_db!(db, pool => {
        let mut count = sqlx::QueryBuilder::new("SELECT COUNT(*) FROM payment_link_histories");
        push_filters(&mut count, merchant_id, account_id, filter);
        count.build_query_as().fetch_one(pool).await?
    });
    Ok(total)
}

async fn from_buckets(
    db: &Db,
    merchant_id: MerchantId,
    account_id: &AccountId,
    buckets: &Buckets<'_>,
) -> Result<PaymentTotals, AppError> {
    let select = format!(
        "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) AS count, {} AS paid_count,
             {} AS gross, {} AS fee, {} AS net, {} AS refunded FROM payment_totals",
        paid_sum("count"),
        paid_sum("amount"),
        paid_sum("fee"),
        paid_sum("net_amount"),
        paid_sum("refunded"),
    );
    Ok(on_db!(db, pool => {
        let mut query = sqlx::QueryBuilder::new(select);
        buckets.push_where(&mut query, merchant_id, account_id.as_str());
        query.build_query_as().fetch_one(pool).await?
    }))
}

/// The sum of `column` over paid attempts (or paid buckets), 0 when there are none.
fn paid_sum(column: &str) -> String {
    format!("CAST(COALESCE(SUM(CASE WHEN status = 'paid' THEN {column} ELSE 0 END), 0) AS BIGINT)")
}

/// A filter expressed over the buckets' keys.
#[derive(Debug, PartialEq)]
struct Buckets<'a> {
    first_day: Option<i64>,
    last_day: Option<i64>,
    status: Option<&'static str>,
    method_code: Option<&'a str>,
    method_name_pattern: Option<String>,
}

impl<'a> Buckets<'a> {
    /// `None` when the filter needs anything the buckets do not record.
    fn of(filter: &'a HistoryFilter, scope: Scope) -> Option<Buckets<'a>> {
        let blank = |text: &Option<String>| text.as_deref().is_none_or(|t| t.trim().is_empty());
        let unbounded = |(from, to): (Option<i64>, Option<i64>)| from.is_none() && to.is_none();
        let only_bucket_keys = scope == Scope::All
            && blank(&filter.reff_no)
            && blank(&filter.method_value)
            && blank(&filter.link_reff_no)
            && blank(&filter.search)
            && filter.amount.is_none()
            && filter.amount_min.is_none()
            && filter.amount_max.is_none()
            && filter.has_settle.is_none()
            && unbounded(filter.payment_date)
            && unbounded(filter.processed_timestamp)
            && unbounded(filter.settle_at);
        if !only_bucket_keys {
            return None;
        }
        // Day buckets answer only for bounds on whole WIB days.
        let starts_day = |ms: i64| ms == wib_day_start(wib_day_number(ms));
        let first_day = |from: i64| starts_day(from).then(|| wib_day_number(from));
        let since = match filter.created_since {
            since if since <= 0 => None,
            since => Some(first_day(since)?),
        };
        let from = match filter.created_at.0 {
            Some(from) => Some(first_day(from)?),
            None => None,
        };
        let last_day = match filter.created_at.1 {
            Some(to) => Some(first_day(to + 1)? - 1),
            None => None,
        };
        Some(Buckets {
            first_day: since.max(from),
            last_day,
            status: filter.status.map(|s| s.as_str()),
            method_code: filter.method_code.as_deref(),
            method_name_pattern: filter
                .method_name
                .as_deref()
                .filter(|t| !t.trim().is_empty())
                .map(crate::db::like_pattern),
        })
    }

    /// The buckets of this filter in `account_id`, which must be `merchant_id`'s: every
    /// query names its merchant, so no caller's slip can read another's totals.
    fn push_where<'q, DB>(
        &self,
        query: &mut sqlx::QueryBuilder<DB>,
        merchant_id: MerchantId,
        account_id: &'q str,
    ) where
        DB: sqlx::Database,
        i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    {
        query.push(" WHERE account_id = ").push_bind(account_id);
        query
            .push(" AND account_id IN (SELECT id FROM accounts WHERE merchant_id = ")
            .push_bind(merchant_id)
            .push(")");
        if let Some(day) = self.first_day {
            query.push(" AND day >= ").push_bind(day);
        }
        if let Some(day) = self.last_day {
            query.push(" AND day <= ").push_bind(day);
        }
        if let Some(status) = self.status {
            query.push(" AND status = ").push_bind(status);
        }
        if let Some(code) = self.method_code {
            query
                .push(" AND payment_method_code = ")
                .push_bind(code.to_string());
        }
        if let Some(pattern) = &self.method_name_pattern {
            query
                .push(" AND LOWER(payment_method_name) LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\'");
        }
    }
}

/// Folds the stripes of Postgres's total buckets (migration 0034) of days before `before_day`
/// (WIB day number) into stripe 0, so reading a range of days visits one row per bucket, not
/// one per connection that wrote it. Today's buckets are left to their writers. The fold
/// waits for no writer: should a bucket be locked, it gives up until the next pass.
pub async fn fold_stripes(db: &Db, before_day: i64) -> Result<(), AppError> {
    let Db::Postgres(pool) = db else {
        return Ok(());
    };
    let fold = async {
        let mut tx = pool.begin().await?;
        sqlx::query("SET LOCAL lock_timeout = '100ms'")
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "WITH moved AS (
                 DELETE FROM payment_totals WHERE stripe <> 0 AND day < $1
                 RETURNING account_id, day, status, payment_method_code, payment_method_name,
                     count, amount, fee, net_amount, refunded)
             INSERT INTO payment_totals AS t (account_id, day, status, payment_method_code,
                 payment_method_name, stripe, count, amount, fee, net_amount, refunded)
             SELECT account_id, day, status, payment_method_code, payment_method_name, 0,
                 SUM(count), SUM(amount), SUM(fee), SUM(net_amount), SUM(refunded)
             FROM moved GROUP BY 1, 2, 3, 4, 5
             ON CONFLICT (account_id, day, status, payment_method_code, payment_method_name,
                 stripe)
             DO UPDATE SET count = t.count + EXCLUDED.count, amount = t.amount + EXCLUDED.amount,
                 fee = t.fee + EXCLUDED.fee, net_amount = t.net_amount + EXCLUDED.net_amount,
                 refunded = t.refunded + EXCLUDED.refunded",
        )
        .bind(before_day)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    };
    match fold.await {
        Ok(()) => Ok(()),
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("55P03") => {
            tracing::debug!("a total bucket was being written: folding waits for the next pass");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::attempt::AttemptStatus;
    use crate::domain::time::DAY_MS;

    const DAY_START: i64 = 1_795_626_000_000; // 2026-11-26 00:00 WIB

    #[test]
    fn whole_wib_days_status_and_method_are_read_from_buckets() {
        let filter = HistoryFilter {
            status: Some(AttemptStatus::Paid),
            method_name: Some("qris".into()),
            created_since: DAY_START,
            created_at: (Some(DAY_START + DAY_MS), Some(DAY_START + 3 * DAY_MS - 1)),
            ..HistoryFilter::default()
        };
        let buckets = Buckets::of(&filter, Scope::All).expect("bucket filter");
        let day = wib_day_number(DAY_START);
        assert_eq!(buckets.first_day, Some(day + 1));
        assert_eq!(buckets.last_day, Some(day + 2));
        assert_eq!(buckets.status, Some("paid"));
        assert_eq!(buckets.method_name_pattern.as_deref(), Some("%qris%"));
    }

    #[test]
    fn anything_else_is_counted_over_the_rows() {
        let part_of_a_day = HistoryFilter {
            created_since: DAY_START + 1,
            ..HistoryFilter::default()
        };
        let ends_mid_day = HistoryFilter {
            created_at: (None, Some(DAY_START + 3_600_000)),
            ..HistoryFilter::default()
        };
        let by_amount = HistoryFilter {
            amount_min: Some(10_000),
            ..HistoryFilter::default()
        };
        let by_text = HistoryFilter {
            search: Some("budi".into()),
            ..HistoryFilter::default()
        };
        for filter in [part_of_a_day, ends_mid_day, by_amount, by_text] {
            assert_eq!(Buckets::of(&filter, Scope::All), None, "{filter:?}");
        }
        assert_eq!(
            Buckets::of(&HistoryFilter::default(), Scope::WithPaymentDate),
            None
        );
        assert!(Buckets::of(&HistoryFilter::default(), Scope::All).is_some());
    }
}
