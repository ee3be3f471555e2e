//! Refunds of a paid history: ours, beside the contract's history endpoints. POST takes an
//! `Idempotency-Key` like every API POST, so a retried request refunds once.

use axum::extract::{Path, State};
use serde::Deserialize;

use crate::api::auth::ApiCaller;
use crate::api::envelope::{ok, ApiJson, ApiResult};
use crate::api::schema::{RefundListResponse, RefundResponse};
use crate::db::histories;
use crate::domain::ids::{AccountId, AttemptId};
use crate::state::AppState;
use crate::wire::refund::RefundJson;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CreateRefundBody {
    /// Rupiah to give back: at most what was paid less the refunds not failed. Required; read
    /// after the payment is found, so another merchant's id answers 404 whatever the body.
    #[schema(example = 50000)]
    amount: Option<i64>,
    /// Why, in the merchant's words (up to 200 characters).
    #[serde(default)]
    #[schema(example = "Item out of stock")]
    reason: String,
}

#[utoipa::path(
    post,
    path = "/api/v1.0/payment-link-histories/{account_id}/{history_id}/refunds",
    operation_id = "create_refund",
    tag = "refunds",
    params(("account_id" = String, Path, description = "Account id (ULID)"), ("history_id" = i64, Path, description = "History (payment) id"), ("Idempotency-Key" = Option<String>, Header, description = "The same key replays the first answer for 24 hours")),
    request_body(content = CreateRefundBody, description = "The amount to refund and why"),
    responses((status = 200, description = "The refund: succeeded or failed at once in the sandbox, pending for the merchant to confirm when a gateway took the payment", body = RefundResponse), (status = 401, description = "Missing or invalid token or credential"), (status = 404, description = "Not found, or not this merchant's"), (status = 409, description = "The payment is not paid"), (status = 422, description = "Field errors: the amount is more than can be refunded, or the reason too long"))
)]
pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((account_id, history_id)): Path<(AccountId, AttemptId)>,
    ApiJson(body): ApiJson<CreateRefundBody>,
) -> ApiResult {
    caller.may_use(&account_id)?;
    let refund = crate::service::refunds::create(
        &state,
        &caller.actor(),
        &account_id,
        history_id,
        body.amount.unwrap_or_default(),
        &body.reason,
    )
    .await?;
    Ok(ok(RefundJson::from(&refund)))
}

#[utoipa::path(
    get,
    path = "/api/v1.0/payment-link-histories/{account_id}/{history_id}/refunds",
    operation_id = "list_refunds",
    tag = "refunds",
    params(("account_id" = String, Path, description = "Account id (ULID)"), ("history_id" = i64, Path, description = "History (payment) id")),
    responses((status = 200, description = "The payment's refunds, oldest first", body = RefundListResponse), (status = 401, description = "Missing or invalid token or credential"), (status = 404, description = "Not found, or not this merchant's"))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((account_id, history_id)): Path<(AccountId, AttemptId)>,
) -> ApiResult {
    caller.may_use(&account_id)?;
    let payment =
        histories::find_in_account(&state.db, caller.merchant_id, &account_id, history_id).await?;
    let refunds = crate::db::refunds::for_history(&state.db, payment.id).await?;
    Ok(ok(refunds.iter().map(RefundJson::from).collect::<Vec<_>>()))
}
