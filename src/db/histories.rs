//! Payment attempts ("histories"), as read back; they are stored by `db::reservations`.

use crate::db::Db;
use crate::domain::attempt::{AttemptStatus, PaymentFlag};
use crate::domain::ids::{AccountId, AttemptId, LinkId, MerchantId};
use crate::domain::Rupiah;
use crate::error::AppError;
use crate::model::PaymentAttempt;
use crate::on_db;

#[derive(sqlx::FromRow)]
pub(crate) struct AttemptRow {
    id: AttemptId,
    reff_no: String,
    payment_link_id: LinkId,
    payment_method_code: String,
    payment_method_name: String,
    payment_method_value: String,
    payment_method_additional: Option<String>,
    amount: i64,
    fee: i64,
    net_amount: i64,
    status: String,
    expired_at: i64,
    payment_date: Option<i64>,
    customer_name: Option<String>,
    customer_email: Option<String>,
    customer_phone: Option<String>,
    created_at: i64,
    updated_at: i64,
    payment_link_reff_no: String,
    processed_timestamp: Option<i64>,
    ip_address: Option<String>,
    has_settle: bool,
    settle_at: Option<i64>,
    flag: Option<String>,
    gateway_connection_id: Option<i64>,
    gateway_reference: Option<String>,
    refund_reserved: i64,
    refunded_amount: i64,
    payer_lang: String,
    units: i64,
    quantities: Option<String>,
    custom_values: Option<String>,
}

impl TryFrom<AttemptRow> for PaymentAttempt {
    type Error = AppError;
    fn try_from(row: AttemptRow) -> Result<Self, AppError> {
        Ok(PaymentAttempt {
            units: row.units,
            custom_values: row
                .custom_values
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(AppError::internal)?
                .unwrap_or_default(),
            quantities: row
                .quantities
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(AppError::internal)?,
            gateway_connection_id: row.gateway_connection_id,
            gateway_reference: row.gateway_reference,
            refund_reserved: Rupiah(row.refund_reserved),
            refunded: Rupiah(row.refunded_amount),
            payer_lang: crate::domain::lang::Lang::parse(&row.payer_lang).unwrap_or_default(),
            status: AttemptStatus::parse(&row.status).map_err(AppError::internal)?,
            id: row.id,
            reff_no: row.reff_no,
            payment_link_id: row.payment_link_id,
            method_code: row.payment_method_code,
            method_name: row.payment_method_name,
            value: Some(row.payment_method_value).filter(|value| !value.is_empty()),
            additional: row.payment_method_additional,
            amount: Rupiah(row.amount),
            fee: Rupiah(row.fee),
            net_amount: Rupiah(row.net_amount),
            expired_at: row.expired_at,
            payment_date: row.payment_date,
            customer_name: row.customer_name,
            customer_email: row.customer_email,
            customer_phone: row.customer_phone,
            created_at: row.created_at,
            updated_at: row.updated_at,
            payment_link_reff_no: row.payment_link_reff_no,
            processed_timestamp: row.processed_timestamp,
            ip_address: row.ip_address,
            has_settle: row.has_settle,
            settle_at: row.settle_at,
            flag: row
                .flag
                .as_deref()
                .map(PaymentFlag::parse)
                .transpose()
                .map_err(AppError::internal)?,
        })
    }
}

pub(crate) const ATTEMPT_COLUMNS: &str = "id, reff_no, payment_link_id, payment_method_code,
    payment_method_name, payment_method_value, payment_method_additional, amount, fee,
    net_amount, status, expired_at, payment_date, customer_name, customer_email, customer_phone,
    created_at, updated_at, payment_link_reff_no, processed_timestamp, ip_address, has_settle,
    settle_at, flag, gateway_connection_id, gateway_reference, refund_reserved, refunded_amount,
    payer_lang, units, quantities, custom_values";

/// When the first place held by a live pending attempt on the link frees if left unpaid.
pub async fn first_hold_ends(
    db: &Db,
    link_id: LinkId,
    now_ms: i64,
) -> Result<Option<i64>, AppError> {
    let (ends,): (Option<i64>,) = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT MIN(expired_at) FROM payment_link_histories
             WHERE payment_link_id = $1 AND status = 'pending' AND expired_at > $2",
        )
        .bind(link_id)
        .bind(now_ms)
        .fetch_one(pool)
        .await?
    });
    Ok(ends)
}

/// An attempt of the given link by its reference (the payer's view).
pub async fn find_on_link(
    db: &Db,
    link_id: LinkId,
    reff_no: &str,
) -> Result<PaymentAttempt, AppError> {
    let sql = format!(
        "SELECT {ATTEMPT_COLUMNS} FROM payment_link_histories
         WHERE payment_link_id = $1 AND reff_no = $2"
    );
    let row: Option<AttemptRow> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(link_id).bind(reff_no).fetch_optional(pool).await?
    });
    row.ok_or(AppError::NotFound)?.try_into()
}

/// A link's attempts, newest first.
pub async fn list_for_link(db: &Db, link_id: LinkId) -> Result<Vec<PaymentAttempt>, AppError> {
    let sql = format!(
        "SELECT {ATTEMPT_COLUMNS} FROM payment_link_histories
         WHERE payment_link_id = $1 ORDER BY id DESC LIMIT 200"
    );
    let rows: Vec<AttemptRow> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(link_id).fetch_all(pool).await?
    });
    rows.into_iter().map(PaymentAttempt::try_from).collect()
}

/// The live pending attempt the sandbox issued holding a VA number, QRIS payload or checkout
/// (the sandbox bank's view: payers pay a number, not an attempt). A gateway's attempts are
/// paid at that gateway only.
pub async fn find_pending_by_value(
    db: &Db,
    value: &str,
    now_ms: i64,
) -> Result<PaymentAttempt, AppError> {
    let sql = format!(
        "SELECT {ATTEMPT_COLUMNS} FROM payment_link_histories
         WHERE payment_method_value = $1 AND status = 'pending' AND expired_at > $2
           AND gateway_connection_id IS NULL
         ORDER BY id LIMIT 1"
    );
    let row: Option<AttemptRow> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(value).bind(now_ms).fetch_optional(pool).await?
    });
    row.ok_or(AppError::NotFound)?.try_into()
}

/// Which gateway connection issued the attempt (`None`: the sandbox, or no such attempt).
pub async fn issued_by(db: &Db, reff_no: &str) -> Result<Option<i64>, AppError> {
    let issuer: Option<(Option<i64>,)> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT gateway_connection_id FROM payment_link_histories WHERE reff_no = $1",
        )
        .bind(reff_no)
        .fetch_optional(pool)
        .await?
    });
    Ok(issuer.and_then(|(id,)| id))
}

/// A pending attempt a gateway issued, as reconciliation asks about it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GatewayPending {
    pub reff_no: String,
    pub gateway_connection_id: i64,
    pub gateway_reference: Option<String>,
    pub expired_at: i64,
}

/// Pending attempts a gateway issued that are due a question to it: pending for
/// `quiet_for_ms` and not asked for `ask_every_ms`, or past their end and not asked since.
/// Those ending first come first.
pub async fn gateway_due(
    db: &Db,
    now_ms: i64,
    quiet_for_ms: i64,
    ask_every_ms: i64,
    limit: i64,
) -> Result<Vec<GatewayPending>, AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query_as(
            "SELECT reff_no, gateway_connection_id, gateway_reference, expired_at
             FROM payment_link_histories
             WHERE status = 'pending' AND gateway_connection_id IS NOT NULL
               AND ((created_at <= $1 - $2
                     AND (gateway_checked_at IS NULL OR gateway_checked_at <= $1 - $3))
                    OR (expired_at <= $1
                        AND (gateway_checked_at IS NULL OR gateway_checked_at < expired_at)))
             ORDER BY expired_at LIMIT $4",
        )
        .bind(now_ms)
        .bind(quiet_for_ms)
        .bind(ask_every_ms)
        .bind(limit)
        .fetch_all(pool)
        .await?
    }))
}

/// Notes that the gateway was asked about the attempt.
pub async fn gateway_checked(db: &Db, reff_no: &str, now_ms: i64) -> Result<(), AppError> {
    on_db!(db, pool => {
        sqlx::query("UPDATE payment_link_histories SET gateway_checked_at = $2 WHERE reff_no = $1")
            .bind(reff_no)
            .bind(now_ms)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// An attempt by its reference, whatever its link.
pub async fn find_by_reff(db: &Db, reff_no: &str) -> Result<PaymentAttempt, AppError> {
    let sql = format!("SELECT {ATTEMPT_COLUMNS} FROM payment_link_histories WHERE reff_no = $1");
    let row: Option<AttemptRow> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(reff_no).fetch_optional(pool).await?
    });
    row.ok_or(AppError::NotFound)?.try_into()
}

/// Orders the history list may be sorted by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HistorySort {
    #[default]
    Id,
    CreatedAt,
    Amount,
    PaymentDate,
}

impl HistorySort {
    pub(crate) fn column(self) -> &'static str {
        match self {
            HistorySort::Id => "id",
            HistorySort::CreatedAt => "created_at",
            HistorySort::Amount => "amount",
            HistorySort::PaymentDate => "payment_date",
        }
    }
}

/// Inclusive time bounds, Unix ms.
pub type Range = (Option<i64>, Option<i64>);

/// The history list's filters (the API contract's query parameters), all ANDed.
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    pub reff_no: Option<String>,
    pub status: Option<AttemptStatus>,
    pub method_name: Option<String>,
    pub method_value: Option<String>,
    /// Exact method code, e.g. `VA_BRI`.
    pub method_code: Option<String>,
    /// Exact merchant reference of the link.
    pub link_reff_no: Option<String>,
    /// Text found in the reference, VA number or payload, or the customer's name, email or phone.
    pub search: Option<String>,
    pub amount: Option<i64>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub has_settle: Option<bool>,
    pub created_at: Range,
    pub payment_date: Range,
    pub processed_timestamp: Range,
    pub settle_at: Range,
    /// Records older than this are archived from the list (the contract keeps 12 months).
    pub created_since: i64,
    pub sort: HistorySort,
    pub descending: bool,
    pub page: i64,
    pub per_page: i64,
}

pub(crate) fn push_filters<'a, DB>(
    query: &mut sqlx::QueryBuilder<DB>,
    merchant_id: MerchantId,
    account_id: &'a AccountId,
    filter: &'a HistoryFilter,
) where
    DB: sqlx::Database,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    query
        .push(" WHERE merchant_id = ")
        .push_bind(merchant_id)
        .push(" AND account_id = ")
        .push_bind(account_id)
        // Unary plus: the retention bound is no reason to pick an index. Every row but the
        // oldest passes it; the index that serves the sort order is the fast one.
        .push(" AND +created_at >= ")
        .push_bind(filter.created_since);
    let exact = [
        ("payment_method_code", &filter.method_code),
        ("payment_link_reff_no", &filter.link_reff_no),
    ];
    for (column, value) in exact {
        if let Some(value) = value.as_deref() {
            query.push(format!(" AND {column} = ")).push_bind(value);
        }
    }
    if let Some(text) = filter.search.as_deref().filter(|t| !t.trim().is_empty()) {
        let pattern = crate::db::like_pattern(text);
        query.push(" AND (");
        let columns = [
            "reff_no",
            "payment_method_value",
            "customer_name",
            "customer_email",
            "customer_phone",
        ];
        for (i, column) in columns.into_iter().enumerate() {
            if i > 0 {
                query.push(" OR ");
            }
            query
                .push(format!("LOWER({column}) LIKE "))
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\'");
        }
        query.push(")");
    }
    let contains = [
        ("reff_no", &filter.reff_no),
        ("payment_method_name", &filter.method_name),
        ("payment_method_value", &filter.method_value),
    ];
    for (column, text) in contains {
        if let Some(text) = text.as_deref().filter(|t| !t.trim().is_empty()) {
            query
                .push(format!(" AND LOWER({column}) LIKE "))
                .push_bind(crate::db::like_pattern(text))
                .push(" ESCAPE '\\'");
        }
    }
    if let Some(status) = filter.status {
        if DB::NAME == "PostgreSQL" {
            // A range of one value, not `=`, so the planner keeps `status` in the sort order
            // (see `order_by`). Not on SQLite: there it ends the index's seek, and a page
            // deep in the list would be filtered to from the first.
            query
                .push(" AND status >= ")
                .push_bind(status.as_str())
                .push(" AND status <= ")
                .push_bind(status.as_str());
        } else {
            query.push(" AND status = ").push_bind(status.as_str());
        }
    }
    if let Some(amount) = filter.amount {
        query.push(" AND amount = ").push_bind(amount);
    }
    if let Some(min) = filter.amount_min {
        query.push(" AND amount >= ").push_bind(min);
    }
    if let Some(max) = filter.amount_max {
        query.push(" AND amount <= ").push_bind(max);
    }
    if let Some(settled) = filter.has_settle {
        query.push(" AND has_settle = ").push_bind(settled);
    }
    let ranges = [
        ("created_at", filter.created_at),
        ("payment_date", filter.payment_date),
        ("processed_timestamp", filter.processed_timestamp),
        ("settle_at", filter.settle_at),
    ];
    for (column, (from, to)) in ranges {
        if let Some(from) = from {
            query.push(format!(" AND {column} >= ")).push_bind(from);
        }
        if let Some(to) = to {
            query.push(format!(" AND {column} <= ")).push_bind(to);
        }
    }
}

/// The `ORDER BY` of a filter's rows in `direction` (`ASC` or `DESC`).
///
/// Filtered by status and sorted by id or creation, the rows are read in the order of the
/// (account, status, sort, id) index: led by the status, which is one value. Ordered by the
/// sort column alone (`status` compared with `=` drops out of the order as a constant),
/// Postgres prefers walking the whole table's id order and filtering, assuming matches spread
/// evenly; but the newest rows are often a crowd of pending attempts, all read through before
/// the first paid one (150 ms at 60,000 against 0.3 through the index). SQLite reads the
/// same index either way.
pub(crate) fn order_by(filter: &HistoryFilter, direction: &str) -> String {
    let column = filter.sort.column();
    let by_status =
        filter.status.is_some() && matches!(filter.sort, HistorySort::Id | HistorySort::CreatedAt);
    let status = if by_status {
        format!("status {direction}, ")
    } else {
        String::new()
    };
    format!(" ORDER BY {status}{column} {direction}, id {direction}")
}

/// One account's attempts, filtered, sorted and paged, with the total for the pager.
pub async fn search(
    db: &Db,
    merchant_id: MerchantId,
    account_id: &AccountId,
    filter: &HistoryFilter,
) -> Result<crate::model::Page<PaymentAttempt>, AppError> {
    let per_page = filter.per_page.clamp(1, 100);
    let page = filter.page.max(1);
    let total = crate::db::totals::count(db, merchant_id, account_id, filter).await?;
    let rows: Vec<AttemptRow> = on_db!(db, pool => {
        let mut rows = sqlx::QueryBuilder::new(format!(
            "SELECT {ATTEMPT_COLUMNS} FROM payment_link_histories"
        ));
        push_filters(&mut rows, merchant_id, account_id, filter);
        let direction = if filter.descending { "DESC" } else { "ASC" };
        rows.push(order_by(filter, direction))
            .push(" LIMIT ")
            .push_bind(per_page)
            .push(" OFFSET ")
            .push_bind(crate::domain::paging::offset(page, per_page));
        rows.build_query_as().fetch_all(pool).await?
    });
    Ok(crate::model::Page {
        rows: rows
            .into_iter()
            .map(PaymentAttempt::try_from)
            .collect::<Result<_, _>>()?,
        total,
        page,
        per_page,
    })
}

/// One attempt of an account's links by its id.
pub async fn find_in_account(
    db: &Db,
    merchant_id: MerchantId,
    account_id: &AccountId,
    history_id: AttemptId,
) -> Result<PaymentAttempt, AppError> {
    let sql = format!(
        "SELECT {ATTEMPT_COLUMNS} FROM payment_link_histories
         WHERE id = $1 AND payment_link_id IN
             (SELECT id FROM payment_links WHERE merchant_id = $2 AND account_id = $3)"
    );
    let row: Option<AttemptRow> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(history_id)
            .bind(merchant_id)
            .bind(account_id)
            .fetch_optional(pool)
            .await?
    });
    row.ok_or(AppError::NotFound)?.try_into()
}

/// One of the merchant's attempts by its id, in whichever of its accounts.
pub async fn find_for_merchant(
    db: &Db,
    merchant_id: MerchantId,
    history_id: AttemptId,
) -> Result<PaymentAttempt, AppError> {
    let sql = format!(
        "SELECT {ATTEMPT_COLUMNS} FROM payment_link_histories
         WHERE id = $1 AND payment_link_id IN
             (SELECT id FROM payment_links WHERE merchant_id = $2)"
    );
    let row: Option<AttemptRow> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(history_id)
            .bind(merchant_id)
            .fetch_optional(pool)
            .await?
    });
    row.ok_or(AppError::NotFound)?.try_into()
}
