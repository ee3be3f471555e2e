//! v1.0 history endpoints: list (with the contract's filters and sorts), show, and the
//! sandbox's simulate-payment.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};

use crate::api::auth::ApiCaller;
use crate::api::envelope::{ok, ok_page, ApiResult, Pagination};
use crate::api::link_json::parse_expired_at;
use crate::api::schema::{HistoryListResponse, HistoryResponse};
use crate::db::accounts;
use crate::db::histories::{self, HistoryFilter, HistorySort};
use crate::domain::attempt::AttemptStatus;
use crate::domain::ids::{AccountId, AttemptId};
use crate::domain::time::{wib_day_number, wib_day_start};
use crate::domain::FieldErrors;
use crate::state::AppState;
use crate::wire::history::HistoryJson;

/// The contract lists only the last 12 months.
const RETENTION_MS: i64 = 365 * 24 * 3600 * 1000;

/// Whole rupiah; "1200000.00" is accepted, a real fraction is not.
fn parse_amount(s: &str) -> Result<i64, String> {
    let (whole, fraction) = s.trim().split_once('.').unwrap_or((s.trim(), ""));
    if !fraction.bytes().all(|b| b == b'0') {
        return Err("must be whole rupiah".into());
    }
    whole
        .parse()
        .map_err(|_| "must be a number of rupiah".into())
}

/// Reads the query parameters into a filter, naming every bad one.
fn filter_from(query: &HashMap<String, String>, now_ms: i64) -> Result<HistoryFilter, FieldErrors> {
    let mut errors = FieldErrors::new();
    let text = |k: &str| {
        query
            .get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut amount = |k: &str| {
        text(k).and_then(|v| {
            parse_amount(&v)
                .map_err(|e| errors.add(k, format!("{k} {e}")))
                .ok()
        })
    };
    let (amount_exact, amount_min, amount_max) =
        (amount("amount"), amount("amount_min"), amount("amount_max"));
    let mut time = |k: &str| {
        text(k).and_then(|v| {
            parse_expired_at(&serde_json::Value::String(v))
                .map_err(|_| errors.add(k, format!("{k} must be an ISO-8601 date-time")))
                .ok()
                .flatten()
        })
    };
    let mut range = |name: &str| (time(&format!("{name}_from")), time(&format!("{name}_to")));
    let (created_at, payment_date, processed_timestamp, settle_at) = (
        range("created_at"),
        range("payment_date"),
        range("processed_timestamp"),
        range("settle_at"),
    );
    let status = match text("status") {
        Some(s) => AttemptStatus::parse(&s)
            .map_err(|m| errors.add("status", m))
            .ok(),
        None => None,
    };
    let has_settle = match text("has_settle").as_deref() {
        None => None,
        Some("true" | "1") => Some(true),
        Some("false" | "0") => Some(false),
        Some(_) => {
            errors.add("has_settle", "has_settle must be true or false");
            None
        }
    };
    let sort = match text("sort_by").as_deref() {
        None | Some("id") => HistorySort::Id,
        Some("created_at") => HistorySort::CreatedAt,
        Some("amount") => HistorySort::Amount,
        Some("payment_date") => HistorySort::PaymentDate,
        Some(_) => {
            errors.add(
                "sort_by",
                "sort_by must be id, created_at, amount or payment_date",
            );
            HistorySort::Id
        }
    };
    let descending = match text("sort_order").as_deref() {
        None | Some("desc") => true,
        Some("asc") => false,
        Some(_) => {
            errors.add("sort_order", "sort_order must be asc or desc");
            true
        }
    };
    let number = |k: &str, default: i64| {
        text(k)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(default)
    };
    let page = crate::domain::paging::parse_page(Some(number("page", 1)))
        .map_err(|m| errors.add("page", m))
        .unwrap_or(1);
    errors.into_result(HistoryFilter {
        reff_no: text("reff_no"),
        status,
        method_name: text("payment_method_name"),
        method_value: text("payment_method_value"),
        amount: amount_exact,
        amount_min,
        amount_max,
        has_settle,
        created_at,
        payment_date,
        processed_timestamp,
        settle_at,
        // From the start of that WIB day: whole days are counted from the day buckets.
        created_since: wib_day_start(wib_day_number(now_ms - RETENTION_MS)),
        sort,
        descending,
        page,
        per_page: number("per_page", 25),
        ..HistoryFilter::default()
    })
}

#[utoipa::path(
    get,
    path = "/api/v1.0/payment-link-histories/{account_id}",
    operation_id = "list_payment_link_histories",
    tag = "histories",
    params(
        ("account_id" = String, Path, description = "Account id (ULID)"),
        ("status" = Option<AttemptStatus>, Query, description = "Only attempts in this status"),
        ("reff_no" = Option<String>, Query, description = "The attempt's or its link's reference"),
        ("payment_method_name" = Option<String>, Query, description = "e.g. VA BRI"),
        ("payment_method_value" = Option<String>, Query, description = "A VA number or QRIS payload"),
        ("amount" = Option<i64>, Query, description = "Exactly this amount (rupiah)"),
        ("amount_min" = Option<i64>, Query, description = "At least this amount"),
        ("amount_max" = Option<i64>, Query, description = "At most this amount"),
        ("has_settle" = Option<bool>, Query, description = "Settled or not"),
        ("created_at_from" = Option<String>, Query, description = "ISO-8601; also created_at_to, payment_date_from/_to, processed_timestamp_from/_to, settle_at_from/_to"),
        ("sort_by" = Option<String>, Query, description = "id (default), created_at, amount or payment_date"),
        ("sort_order" = Option<String>, Query, description = "desc (default) or asc"),
        ("page" = Option<i64>, Query, description = "Page, from 1", minimum = 1, maximum = 1_000_000),
        ("per_page" = Option<i64>, Query, description = "At most 100 (default 25)"),
    ),
    responses((status = 200, description = "A page of attempts of the last 12 months", body = HistoryListResponse), (status = 401, description = "Missing or invalid token or credential"), (status = 404, description = "Not found, or not this merchant's"), (status = 422, description = "Field errors, by field"))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(account_id): Path<AccountId>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    caller.may_use(&account_id)?;
    accounts::well_formed(&account_id)?;
    let now = state.now_ms();
    let filter = filter_from(&query, now)?;
    let page = histories::search(&state.db, caller.merchant_id, &account_id, &filter).await?;
    if page.rows.is_empty() {
        // Rows are read within the merchant's account: only an empty page can mean an
        // account that is not theirs (404), so only then is it looked up.
        accounts::find(&state.db, caller.merchant_id, &account_id).await?;
    }
    let data: Vec<_> = page.rows.iter().map(|a| HistoryJson::new(a, now)).collect();
    let base = format!(
        "{}/api/v1.0/payment-link-histories/{}",
        state.settings.public_base_url, account_id
    );
    let pagination = Pagination::new(
        page.total,
        data.len() as i64,
        page.page,
        page.per_page,
        &base,
    );
    Ok(ok_page(data, pagination))
}

#[utoipa::path(
    get,
    path = "/api/v1.0/payment-link-histories/{account_id}/{history_id}",
    operation_id = "show_payment_link_history",
    tag = "histories",
    params(("account_id" = String, Path, description = "Account id (ULID)"), ("history_id" = i64, Path, description = "History (attempt) id")),
    responses((status = 200, description = "The attempt", body = HistoryResponse), (status = 401, description = "Missing or invalid token or credential"), (status = 404, description = "Not found, or not this merchant's"))
)]
pub async fn show(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((account_id, history_id)): Path<(AccountId, AttemptId)>,
) -> ApiResult {
    caller.may_use(&account_id)?;
    let attempt =
        histories::find_in_account(&state.db, caller.merchant_id, &account_id, history_id).await?;
    Ok(ok(HistoryJson::new(&attempt, state.now_ms())))
}

/// Sandbox only: pays a pending attempt in full through the signed provider callback.
#[utoipa::path(
    post,
    path = "/api/v1.0/payment-link-histories/{account_id}/{history_id}/simulate-payment",
    operation_id = "simulate_payment",
    tag = "histories",
    params(("account_id" = String, Path, description = "Account id (ULID)"), ("history_id" = i64, Path, description = "History (attempt) id")),
    responses((status = 200, description = "The attempt, paid", body = HistoryResponse), (status = 401, description = "Missing or invalid token or credential"), (status = 404, description = "Not found, or not this merchant's"), (status = 409, description = "Not payable: already paid, failed or expired"))
)]
pub async fn simulate_payment(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((account_id, history_id)): Path<(AccountId, AttemptId)>,
) -> ApiResult {
    caller.may_use(&account_id)?;
    let attempt =
        histories::find_in_account(&state.db, caller.merchant_id, &account_id, history_id).await?;
    crate::service::payments::simulate(&state, &caller.actor(), &attempt).await?;
    let paid =
        histories::find_in_account(&state.db, caller.merchant_id, &account_id, history_id).await?;
    Ok(ok(HistoryJson::new(&paid, state.now_ms())))
}
