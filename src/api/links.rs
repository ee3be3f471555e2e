//! v1.0 payment-link endpoints: `/api/v1.0/payment-link-manage/…`. Thin: each reads the
//! request, calls the same db functions as the dashboard, and wraps the result.

use crate::api::envelope::ApiJson;
use crate::domain::ids::{AccountId, LinkId};
use axum::extract::{Path, Query, State};
use serde::Deserialize;

use crate::api::auth::ApiCaller;
use crate::api::envelope::{ok, ok_page, ApiError, ApiResult, Pagination};
use crate::api::link_json::{CreateLinkBody, UpdateLinkBody};
use crate::api::schema::{
    CreateLinkV1, DeletedResponse, LinkListResponse, LinkResponse, MessageJson, PaymentMethodJson,
    PaymentMethodsJson, PaymentMethodsResponse, UpdateLinkV1,
};
use crate::db::links::{self, LinkFilter};
use crate::db::{accounts, methods};
use crate::domain::link::MethodRules;
use crate::error::AppError;
use crate::model::{Account, PaymentLink};
use crate::service::links::LinkRef;
use crate::state::AppState;
use crate::wire::link::LinkJson;

pub const MAX_PER_PAGE: i64 = 100;

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl PageQuery {
    pub fn page(&self) -> Result<i64, AppError> {
        crate::domain::paging::parse_page(self.page).map_err(|m| AppError::field("page", m))
    }

    pub fn per_page(&self) -> i64 {
        self.per_page.unwrap_or(25).clamp(1, MAX_PER_PAGE)
    }
}

/// The link as the API answers it, with the methods its payers are offered right now (the
/// payer page reads the same cached catalogue).
pub(crate) async fn to_json(
    state: &AppState,
    link: &PaymentLink,
    account: &Account,
) -> Result<LinkJson, AppError> {
    let catalogue = state.catalogue.get(&state.db).await?;
    Ok(to_json_with(state, link, account, &catalogue))
}

/// [`to_json`] with the catalogue already in hand (a list reads it once for all its links).
fn to_json_with(
    state: &AppState,
    link: &PaymentLink,
    account: &Account,
    catalogue: &[crate::domain::method::PaymentMethod],
) -> LinkJson {
    let (low, high) = crate::domain::link::open_amount::amount_range(
        link.total_amount,
        link.open_amount.as_ref(),
        &link.items,
    );
    let offered = crate::domain::method::offered_between(
        catalogue,
        link.whitelisted_payment_method.as_deref(),
        low,
        high,
    )
    .into_iter()
    .map(|method| method.code.clone())
    .collect();
    LinkJson::new(
        link,
        account,
        state.payer_url(&link.slug),
        state.now_ms(),
        offered,
    )
}

#[utoipa::path(
    get,
    path = "/api/v1.0/payment-link-manage/payment-methods",
    operation_id = "list_payment_methods",
    tag = "payment links",
    responses((status = 200, description = "The method catalogue", body = PaymentMethodsResponse), (status = 401, description = "Missing or invalid token or credential"))
)]
pub async fn payment_methods(State(state): State<AppState>, _caller: ApiCaller) -> ApiResult {
    let catalogue = methods::catalogue(&state.db).await?;
    let available_codes = catalogue
        .iter()
        .filter(|m| m.active)
        .map(|m| m.code.clone())
        .collect();
    let payment_methods = catalogue
        .into_iter()
        .map(|m| PaymentMethodJson {
            code: m.code,
            name: m.name,
            group: m.group,
            desc: m.description,
        })
        .collect();
    Ok(ok(PaymentMethodsJson {
        payment_methods,
        available_codes,
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1.0/payment-link-manage/{account_id}",
    operation_id = "list_payment_links",
    tag = "payment links",
    params(("account_id" = String, Path, description = "Account id (ULID)"), ("page" = Option<i64>, Query, description = "Page, from 1", minimum = 1, maximum = 1_000_000), ("per_page" = Option<i64>, Query, description = "Links per page, at most 100 (default 25)")),
    responses((status = 200, description = "A page of links, newest first", body = LinkListResponse), (status = 401, description = "Missing or invalid token or credential"), (status = 404, description = "Not found, or not this merchant's"), (status = 422, description = "Field errors, by field"))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(account_id): Path<AccountId>,
    Query(query): Query<PageQuery>,
) -> ApiResult {
    caller.may_use(&account_id)?;
    let account = accounts::find(&state.db, caller.merchant_id, &account_id).await?;
    let filter = LinkFilter {
        search: None,
        status: None,
        page: query.page()?,
        per_page: query.per_page(),
    };
    let page = links::list_full(
        &state.db,
        caller.merchant_id,
        &account.id,
        &filter,
        state.now_ms(),
    )
    .await?;
    let catalogue = state.catalogue.get(&state.db).await?;
    let data: Vec<_> = page
        .rows
        .iter()
        .map(|link| to_json_with(&state, link, &account, &catalogue))
        .collect();
    let base = format!(
        "{}/api/v1.0/payment-link-manage/{}",
        state.settings.public_base_url, account.id
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

/// The two generations of the contract differ in small ways; everything else is shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    V1,
    V2,
}

impl Version {
    fn source(self) -> &'static str {
        match self {
            Version::V1 => "api v1",
            Version::V2 => "api v2",
        }
    }
}

/// Creates a link from an API body. v1 requires `reff_no`; v2 generates one when absent.
pub(crate) async fn create_link(
    state: &AppState,
    caller: ApiCaller,
    account_id: &AccountId,
    body: &CreateLinkBody,
    version: Version,
) -> ApiResult {
    caller.may_use(account_id)?;
    let account = accounts::find(&state.db, caller.merchant_id, account_id).await?;
    let known = methods::active_codes(&state.db).await?;
    let now = state.now_ms();
    let rules = MethodRules {
        known_codes: &known,
    };
    let new = body.parse(&rules, now, version == Version::V2)?;
    let id = crate::service::links::create(
        &state.db,
        &caller.actor(),
        &account.id,
        &new,
        version.source(),
        now,
    )
    .await?;
    let link = links::find(&state.db, caller.merchant_id, &account.id, id).await?;
    Ok(ok(to_json(state, &link, &account).await?))
}

/// Applies an update body. v1 replaces every mutable field (status and max_usage required);
/// v2 keeps the fields it leaves out.
pub(crate) async fn update_link(
    state: &AppState,
    caller: ApiCaller,
    current: &PaymentLink,
    body: &UpdateLinkBody,
    version: Version,
) -> ApiResult {
    caller.may_use(&current.account_id)?;
    let account = accounts::find(&state.db, caller.merchant_id, &current.account_id).await?;
    let known = methods::active_codes(&state.db).await?;
    let now = state.now_ms();
    let rules = MethodRules {
        known_codes: &known,
    };
    let update = body.parse(current, &rules, now, version == Version::V2)?;
    let link = LinkRef {
        account_id: &account.id,
        link_id: current.id,
    };
    let settings = &update.settings;
    crate::service::links::change(state, &caller.actor(), link, settings, Some(update.status))
        .await?;
    let link = links::find(&state.db, caller.merchant_id, &account.id, current.id).await?;
    Ok(ok(to_json(state, &link, &account).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1.0/payment-link-manage/{account_id}",
    operation_id = "create_payment_link",
    tag = "payment links",
    params(("account_id" = String, Path, description = "Account id (ULID)")),
    request_body(content = CreateLinkV1, description = "The link; reff_no, title, max_usage and items are required"),
    responses((status = 200, description = "The link created", body = LinkResponse), (status = 401, description = "Missing or invalid token or credential"), (status = 404, description = "Not found, or not this merchant's"), (status = 422, description = "Field errors, by field"), (status = 409, description = "The reference is taken (SP004)"))
)]
pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(account_id): Path<AccountId>,
    ApiJson(body): ApiJson<CreateLinkBody>,
) -> ApiResult {
    create_link(&state, caller, &account_id, &body, Version::V1).await
}

#[utoipa::path(
    get,
    path = "/api/v1.0/payment-link-manage/{account_id}/{payment_link_id}",
    operation_id = "show_payment_link",
    tag = "payment links",
    params(("account_id" = String, Path, description = "Account id (ULID)"), ("payment_link_id" = i64, Path, description = "Payment link id")),
    responses((status = 200, description = "The link", body = LinkResponse), (status = 401, description = "Missing or invalid token or credential"), (status = 404, description = "Not found, or not this merchant's"))
)]
pub async fn show(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((account_id, link_id)): Path<(AccountId, LinkId)>,
) -> ApiResult {
    caller.may_use(&account_id)?;
    let account = accounts::find(&state.db, caller.merchant_id, &account_id).await?;
    let link = links::find(&state.db, caller.merchant_id, &account.id, link_id).await?;
    Ok(ok(to_json(&state, &link, &account).await?))
}

#[utoipa::path(
    put,
    path = "/api/v1.0/payment-link-manage/{account_id}/{payment_link_id}",
    operation_id = "update_payment_link",
    tag = "payment links",
    params(("account_id" = String, Path, description = "Account id (ULID)"), ("payment_link_id" = i64, Path, description = "Payment link id")),
    request_body(content = UpdateLinkV1, description = "Every setting; status and max_usage are required"),
    responses((status = 200, description = "The link changed", body = LinkResponse), (status = 401, description = "Missing or invalid token or credential"), (status = 404, description = "Not found, or not this merchant's"), (status = 422, description = "Field errors, by field"))
)]
pub async fn update(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((account_id, link_id)): Path<(AccountId, LinkId)>,
    ApiJson(body): ApiJson<UpdateLinkBody>,
) -> ApiResult {
    caller.may_use(&account_id)?;
    let current = links::find(&state.db, caller.merchant_id, &account_id, link_id).await?;
    update_link(&state, caller, &current, &body, Version::V1).await
}

#[utoipa::path(
    delete,
    path = "/api/v1.0/payment-link-manage/{account_id}/{payment_link_id}",
    operation_id = "delete_payment_link",
    tag = "payment links",
    params(("account_id" = String, Path, description = "Account id (ULID)"), ("payment_link_id" = i64, Path, description = "Payment link id")),
    responses((status = 200, description = "The link is gone", body = DeletedResponse), (status = 401, description = "Missing or invalid token or credential"), (status = 404, description = "Not found, or not this merchant's"), (status = 403, description = "The link has payments; close it instead"))
)]
pub async fn delete(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((account_id, link_id)): Path<(AccountId, LinkId)>,
) -> ApiResult {
    caller.may_use(&account_id)?;
    let link = LinkRef {
        account_id: &account_id,
        link_id,
    };
    match crate::service::links::delete(&state, &caller.actor(), link).await {
        Ok(()) => Ok(ok(MessageJson {
            message: "Payment Link deleted successfully",
        })),
        // The contract answers 403 for a link with history.
        Err(AppError::Conflict(message)) => {
            Err(ApiError::new(AppError::Forbidden).with_message(message))
        }
        Err(other) => Err(other.into()),
    }
}
