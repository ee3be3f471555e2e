//! v2.0 payment-link endpoints: create under an account, show and partially update by link id.

use axum::extract::{Path, State};

use crate::api::auth::ApiCaller;
use crate::api::envelope::{ok, ApiJson, ApiResult};
use crate::api::link_json::{CreateLinkBody, LinkJson, UpdateLinkBody};
use crate::api::links::active_codes;
use crate::db::accounts;
use crate::db::links::{self, LinkKey};
use crate::domain::link::MethodRules;
use crate::error::AppError;
use crate::model::PaymentLink;
use crate::state::AppState;

/// The link with its account, both scoped to the caller's merchant.
async fn owned_link(state: &AppState, caller: ApiCaller, link_id: i64) -> ApiResultParts {
    let link = links::find_for_merchant(&state.db, caller.merchant_id, link_id).await?;
    let account = accounts::find(&state.db, caller.merchant_id, &link.account_id).await?;
    Ok((link, account))
}

type ApiResultParts = Result<(PaymentLink, crate::model::Account), AppError>;

fn respond(state: &AppState, link: &PaymentLink, account: &crate::model::Account) -> ApiResult {
    Ok(ok(LinkJson::new(
        link,
        account,
        state.payer_url(&link.slug),
        state.now_ms(),
    )))
}

pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(account_id): Path<String>,
    ApiJson(body): ApiJson<CreateLinkBody>,
) -> ApiResult {
    let account = accounts::find(&state.db, caller.merchant_id, &account_id).await?;
    let known = active_codes(&state).await?;
    let now = state.now_ms();
    // v2 generates a reference when none is given.
    let new = body.parse(
        &MethodRules {
            known_codes: &known,
        },
        now,
        false,
    )?;
    let id = links::create(
        &state.db,
        caller.merchant_id,
        &account.id,
        &new,
        "api v2",
        now,
    )
    .await?;
    let (link, account) = owned_link(&state, caller, id).await?;
    respond(&state, &link, &account)
}

pub async fn show(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(link_id): Path<i64>,
) -> ApiResult {
    let (link, account) = owned_link(&state, caller, link_id).await?;
    respond(&state, &link, &account)
}

/// Partial update: fields left out keep their values.
pub async fn update(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(link_id): Path<i64>,
    ApiJson(body): ApiJson<UpdateLinkBody>,
) -> ApiResult {
    let (current, account) = owned_link(&state, caller, link_id).await?;
    let known = active_codes(&state).await?;
    let now = state.now_ms();
    let update = body.parse(
        &current,
        &MethodRules {
            known_codes: &known,
        },
        now,
        true,
    )?;
    let key = || LinkKey {
        merchant_id: caller.merchant_id,
        account_id: &account.id,
        link_id,
    };
    links::update_settings(&state.db, key(), &update.settings, now).await?;
    links::set_status(&state.db, key(), update.status, now).await?;
    let (link, account) = owned_link(&state, caller, link_id).await?;
    respond(&state, &link, &account)
}
