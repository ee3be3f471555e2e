//! The payer pages' branding: the merchant's logo (uploaded as a plain form to
//! `crate::branding`, so it works without JavaScript) and a brand colour white text can be
//! read on.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::ui::components::{form_errors, DashboardShell, ErrorPanel, FieldError, FormAlert};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BrandingData {
    pub color: Option<String>,
    pub logo_url: Option<String>,
    /// Owners and admins change it; viewers see it.
    pub can_edit: bool,
}

#[server(prefix = "/fn", endpoint = "branding")]
pub async fn get_branding() -> Result<BrandingData, AppError> {
    let (state, user) = crate::ui::context::signed_in().await?;
    let brand = crate::db::branding::of_merchant(&state.db, user.merchant_id).await?;
    Ok(BrandingData {
        logo_url: brand.logo_url(""),
        color: brand.color,
        can_edit: user.role.allows(crate::domain::merchant::Access::Write),
    })
}

/// Saves the colour; empty goes back to paylinks' own.
#[server(prefix = "/fn", endpoint = "branding_color")]
pub async fn save_brand_color(color: String) -> Result<(), AppError> {
    use crate::domain::brand::BrandColor;
    let (state, actor) = crate::ui::context::acting().await?;
    actor.require(crate::domain::merchant::Access::Write)?;
    let color = match color.trim() {
        "" => None,
        typed => Some(BrandColor::parse(typed).map_err(|e| AppError::field("color", e))?),
    };
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let value = color.as_ref().map(BrandColor::as_str);
    crate::db::branding::set_color(&mut tx, actor.merchant_id(), value).await?;
    let detail = format!("Colour {}", value.unwrap_or("reset to the default"));
    actor
        .audit(
            &mut tx,
            crate::domain::audit::AuditAction::BrandingChanged,
            &detail,
            now,
        )
        .await?;
    tx.commit().await?;
    state.payer_cache.changed();
    Ok(())
}

#[component]
pub fn BrandingPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_branding());
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, branding.page_title).to_string()/>
        <DashboardShell account_id=Signal::derive(|| None::<String>)>
            <div class="page-head"><h1>{t!(i18n, common.branding)}</h1></div>
            <p class="hint">{t!(i18n, branding.intro)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, branding.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <BrandingCards data/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </DashboardShell>
    }
}

#[component]
fn BrandingCards(data: BrandingData) -> impl IntoView {
    let query = use_query_map();
    let logo_error = move || query.with(|q| q.get("logo_error"));
    let saved = move || query.with(|q| q.get("saved"));
    let action = ServerAction::<SaveBrandColor>::new();
    let result = Signal::derive(move || action.value().get());
    let errors = Signal::derive(move || form_errors(action.value().get()));
    let can_edit = data.can_edit;
    let typed_color = data.color.clone().unwrap_or_default();
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{t!(i18n, branding.logo)}</h2>
            {move || logo_error().map(|m| view! { <div class="alert alert-error" role="alert" data-testid="logo-error">{m}</div> })}
            {move || saved().filter(|s| s == "logo").map(|_| view! { <div class="alert alert-success" role="status">{t!(i18n, branding.logo_saved)}</div> })}
            {match data.logo_url.clone() {
                Some(url) => view! { <p><img class="brand-logo" src=url alt=tu_string!(i18n, branding.logo_alt).to_string() data-testid="logo"/></p> }.into_any(),
                None => view! { <p class="muted">{t!(i18n, branding.no_logo)}</p> }.into_any(),
            }}
            {can_edit.then(|| view! {
                <form method="post" action="/branding/logo" enctype="multipart/form-data" class="form">
                    <label for="logo">{t!(i18n, branding.logo_field)}</label>
                    <input id="logo" name="logo" type="file" accept="image/png,image/jpeg,image/webp" required/>
                    <button type="submit" class="primary">{t!(i18n, branding.upload_logo)}</button>
                </form>
            })}
            {(can_edit && data.logo_url.is_some()).then(|| view! {
                <form method="post" action="/branding/logo/remove">
                    <button type="submit">{t!(i18n, branding.remove_logo)}</button>
                </form>
            })}
        </section>
        <section class="card">
            <h2>{t!(i18n, branding.colour)}</h2>
            <p class="hint">{t!(i18n, branding.colour_hint)}</p>
            <FormAlert result/>
            {can_edit.then(|| view! {
                <ActionForm action attr:class="form">
                    <label for="color">{t!(i18n, branding.colour_field)}</label>
                    <input id="color" name="color" placeholder="#1A7F5A" maxlength="7" value=typed_color/>
                    <FieldError errors field="color"/>
                    <button type="submit" class="primary">{t!(i18n, branding.save_colour)}</button>
                </ActionForm>
            })}
            {data.color.clone().map(|color| view! {
                <p><span class="swatch" style=format!("background:{color}")></span>" "<code data-testid="brand-color">{color}</code></p>
            })}
        </section>
    }
}
