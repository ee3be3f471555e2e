//! The merchant dashboard.

pub mod accounts;
pub mod audit;
pub mod branding;
pub mod developers;
pub mod gateways;
pub mod link_attempts;
pub mod link_edit;
pub mod link_new;
pub mod link_show;
pub mod links;
pub mod notifications;
pub mod overview;
pub mod payments;
pub mod security;
pub mod team;
pub mod webhook_event;
pub mod webhooks;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::{t, use_i18n};
use crate::model::Account;
use crate::ui::auth::LogOut;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardNav {
    pub merchant_name: String,
    pub email: String,
    pub accounts: Vec<Account>,
    /// Only owners may read the audit log, so only they are shown its link.
    pub sees_audit_log: bool,
    /// The user has yet to confirm their email address (mail is on).
    pub confirm_email: bool,
}

#[server(prefix = "/fn", endpoint = "dashboard_nav")]
pub async fn get_dashboard_nav() -> Result<DashboardNav, AppError> {
    let (state, user) = crate::ui::context::signed_in().await?;
    Ok(DashboardNav {
        accounts: crate::db::accounts::list(&state.db, user.merchant_id).await?,
        sees_audit_log: user.role.allows(crate::domain::merchant::Access::Owner),
        confirm_email: crate::auth::verify::pending(&state, user.user_id).await?,
        merchant_name: user.merchant_name,
        email: user.email,
    })
}

/// Sends the signed-in user another link to confirm their address.
#[server(prefix = "/fn", endpoint = "email_verify_resend")]
pub async fn resend_verification() -> Result<(), AppError> {
    let (state, user) = crate::ui::context::signed_in().await?;
    crate::auth::verify::send(&state, user.user_id, user.merchant_id, &user.email).await
}

#[component]
pub fn LogOutButton() -> impl IntoView {
    let action = ServerAction::<LogOut>::new();
    let i18n = use_i18n();
    view! {
        <ActionForm action attr:class="inline">
            <button type="submit" class="link">{t!(i18n, common.log_out)}</button>
        </ActionForm>
    }
}

/// Where a merchant lands: the first active account's links.
#[cfg(feature = "ssr")]
pub async fn landing_path(
    db: &crate::db::Db,
    merchant_id: crate::domain::ids::MerchantId,
) -> Result<String, AppError> {
    use crate::domain::account::AccountStatus;
    let accounts = crate::db::accounts::list(db, merchant_id).await?;
    Ok(accounts
        .iter()
        .find(|a| a.status == AccountStatus::Active)
        .map(|a| format!("/accounts/{}/links", a.id))
        .unwrap_or_else(|| "/accounts".to_string()))
}

/// `/dashboard`, the address to bookmark, redirects to the landing page.
#[cfg(feature = "ssr")]
pub async fn dashboard_home(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    session: tower_sessions::Session,
) -> Result<axum::response::Redirect, AppError> {
    let user = crate::auth::require_user(&state.db, &session).await?;
    let target = landing_path(&state.db, user.merchant_id).await?;
    Ok(axum::response::Redirect::to(&target))
}
