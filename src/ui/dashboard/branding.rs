//! The payer pages' branding: the merchant's logo (uploaded as a plain form to
//! `crate::branding`, so it works without JavaScript) and a brand colour white text can be
//! read on.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
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
    view! {
        <Title text="Branding · paylinks"/>
        <DashboardShell account_id=Signal::derive(|| None::<String>)>
            <div class="page-head"><h1>"Branding"</h1></div>
            <p class="hint">"Your logo and colour on the pages your payers open, in their link previews and in their receipts."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
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
    view! {
        <section class="card">
            <h2>"Logo"</h2>
            {move || logo_error().map(|m| view! { <div class="alert alert-error" role="alert" data-testid="logo-error">{m}</div> })}
            {move || saved().filter(|s| s == "logo").map(|_| view! { <div class="alert alert-success" role="status">"Logo saved."</div> })}
            {match data.logo_url.clone() {
                Some(url) => view! { <p><img class="brand-logo" src=url alt="Your logo" data-testid="logo"/></p> }.into_any(),
                None => view! { <p class="muted">"No logo yet: payer pages show your business name."</p> }.into_any(),
            }}
            {can_edit.then(|| view! {
                <form method="post" action="/branding/logo" enctype="multipart/form-data" class="form">
                    <label for="logo">"PNG, JPEG or WebP, at most 1 MB and 4096×4096 pixels"</label>
                    <input id="logo" name="logo" type="file" accept="image/png,image/jpeg,image/webp" required/>
                    <button type="submit" class="primary">"Upload logo"</button>
                </form>
            })}
            {(can_edit && data.logo_url.is_some()).then(|| view! {
                <form method="post" action="/branding/logo/remove">
                    <button type="submit">"Remove logo"</button>
                </form>
            })}
        </section>
        <section class="card">
            <h2>"Colour"</h2>
            <p class="hint">"Buttons and links on your payer pages. White text sits on it, so it must be dark enough to read (a contrast of at least 4.5:1)."</p>
            <FormAlert result/>
            {can_edit.then(|| view! {
                <ActionForm action attr:class="form">
                    <label for="color">"Brand colour (empty: paylinks' own)"</label>
                    <input id="color" name="color" placeholder="#1A7F5A" maxlength="7" value=typed_color/>
                    <FieldError errors field="color"/>
                    <button type="submit" class="primary">"Save colour"</button>
                </ActionForm>
            })}
            {data.color.clone().map(|color| view! {
                <p><span class="swatch" style=format!("background:{color}")></span>" "<code data-testid="brand-color">{color}</code></p>
            })}
        </section>
    }
}
