//! v2.0 payment-link endpoints: create under an account, show and partially update by link id.
//! They answer in the v2 envelope (`envelope::v2_envelope`).

use axum::extract::{Path, State};

use crate::api::auth::ApiCaller;
use crate::api::envelope::{ok, ApiJson, ApiResult};
use crate::api::link_json::{CreateLinkBody, UpdateLinkBody};
use crate::api::links::{create_link, to_json, update_link, Version};
use crate::api::schema::{CreateLinkV2, LinkResponseV2, UpdateLinkV2};
use crate::db::{accounts, links};
use crate::domain::ids::{AccountId, LinkId};
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/v2.0/payment-link/{id}",
    operation_id = "create_payment_link_v2",
    tag = "payment links v2",
    params(("id" = String, Path, description = "Account id (ULID)")),
    request_body(content = CreateLinkV2, description = "The link, by payment_link_type"),
    responses((status = 200, description = "The link created", body = LinkResponseV2), (status = 401, description = "Missing or invalid token or credential"), (status = 404, description = "Not found, or not this merchant's"), (status = 422, description = "Field errors, by field"), (status = 409, description = "The reference is taken (SP004)"))
)]
pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(account_id): Path<AccountId>,
    ApiJson(body): ApiJson<CreateLinkBody>,
) -> ApiResult {
    create_link(&state, caller, &account_id, &body, Version::V2).await
}

/// v2 addresses a link by id alone; it must still be the caller's.
#[utoipa::path(
    get,
    path = "/api/v2.0/payment-link/{id}",
    operation_id = "show_payment_link_v2",
    tag = "payment links v2",
    params(("id" = i64, Path, description = "Payment link id")),
    responses((status = 200, description = "The link", body = LinkResponseV2), (status = 401, description = "Missing or invalid token or credential"), (status = 404, description = "Not found, or not this merchant's"))
)]
pub async fn show(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(link_id): Path<LinkId>,
) -> ApiResult {
    let link = links::find_for_merchant(&state.db, caller.merchant_id, link_id).await?;
    caller.may_use(&link.account_id)?;
    let account = accounts::find(&state.db, caller.merchant_id, &link.account_id).await?;
    Ok(ok(to_json(&state, &link, &account).await?))
}

#[utoipa::path(
    put,
    path = "/api/v2.0/payment-link/update/{payment_link_id}",
    operation_id = "update_payment_link_v2",
    tag = "payment links v2",
    params(("payment_link_id" = i64, Path, description = "Payment link id")),
    request_body(content = UpdateLinkV2, description = "The fields to change; the others keep their value"),
    responses((status = 200, description = "The link changed", body = LinkResponseV2), (status = 401, description = "Missing or invalid token or credential"), (status = 404, description = "Not found, or not this merchant's"), (status = 422, description = "Field errors, by field"))
)]
pub async fn update(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(link_id): Path<LinkId>,
    ApiJson(body): ApiJson<UpdateLinkBody>,
) -> ApiResult {
    let current = links::find_for_merchant(&state.db, caller.merchant_id, link_id).await?;
    update_link(&state, caller, &current, &body, Version::V2).await
}
