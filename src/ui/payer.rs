//! The public page at `/pay/{slug}`: what is being paid, and whether the link still takes
//! payments. Choosing a method and paying arrive with the payment engine.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::domain::items::LineItem;
use crate::domain::link::ComputedStatus;
use crate::domain::Rupiah;
use crate::error::AppError;
use crate::ui::components::ErrorPanel;
use crate::ui::context::set_page_status;

/// Only what a payer may see: no merchant reference, no metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayerLink {
    pub merchant_name: String,
    pub title: String,
    pub description: Option<String>,
    pub items: Vec<LineItem>,
    pub total_amount: Rupiah,
    pub status: ComputedStatus,
}

#[server(prefix = "/fn", endpoint = "payer_link")]
pub async fn get_payer_link(slug: String) -> Result<PayerLink, AppError> {
    let state = crate::state::app_state()?;
    if crate::domain::slug::Slug::parse(&slug).is_none() {
        return Err(AppError::NotFound);
    }
    let link = crate::db::links::find_by_slug(&state.db, &slug).await?;
    let merchant_name = crate::db::merchants::merchant_name_of_link(&state.db, link.id).await?;
    Ok(PayerLink {
        status: link.status_computed(state.now_ms()),
        merchant_name,
        title: link.title,
        description: link.description,
        items: link.items,
        total_amount: link.total_amount,
    })
}

#[component]
pub fn PayerPage() -> impl IntoView {
    let params = use_params_map();
    let link = Resource::new(
        move || params.with(|p| p.get("slug").unwrap_or_default()),
        get_payer_link,
    );
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <main class="page narrow payer">
            <Suspense fallback=|| view! { <p>"Memuat…"</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(link) => view! { <PayerSummary link/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn PayerSummary(link: PayerLink) -> impl IntoView {
    // A link that no longer takes payments answers 410 Gone, so crawlers and apps drop it.
    if link.status != ComputedStatus::Open {
        set_page_status(410);
    }
    let notice = match link.status {
        ComputedStatus::Open => None,
        ComputedStatus::Closed => {
            Some("Link pembayaran ini sudah ditutup. · This payment link is closed.")
        }
        ComputedStatus::Expired => {
            Some("Link pembayaran ini sudah kedaluwarsa. · This payment link has expired.")
        }
    };
    view! {
        <Title text=format!("{} · {}", link.title, link.merchant_name)/>
        <Meta property="og:title" content=format!("{} · {}", link.title, link.total_amount)/>
        <Meta property="og:description" content=format!("Pembayaran ke {}", link.merchant_name)/>
        <p class="muted">{link.merchant_name.clone()}</p>
        <h1>{link.title.clone()}</h1>
        {link.description.clone().map(|d| view! { <p>{d}</p> })}
        <table class="table">
            <tbody>
                {link.items.into_iter().map(|item| view! {
                    <tr>
                        <td>{format!("{} × {}", item.quantity, item.name)}</td>
                        <td class="num">{item.subtotal().map(|s| s.to_string()).unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
            <tfoot>
                <tr><th>"Total"</th><th class="num">{link.total_amount.to_string()}</th></tr>
            </tfoot>
        </table>
        {notice.map(|n| view! { <div class="alert alert-error" role="alert">{n}</div> })}
    }
}
