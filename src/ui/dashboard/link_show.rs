//! One link: every field, usage, the payer URL to share, its QR code, and the lifecycle buttons.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::domain::link::LinkState;
use crate::domain::time::format_wib;
use crate::error::AppError;
use crate::model::PaymentLink;
use crate::ui::components::{
    account_param, form_errors, link_param, DashboardShell, ErrorPanel, FieldError, FormAlert,
    StatusBadge,
};
use crate::ui::dashboard::link_attempts::LinkAttemptsSection;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkDetail {
    pub link: PaymentLink,
    pub status: LinkState,
    pub is_expired: bool,
    pub payer_url: String,
    pub share: ShareLinks,
    /// Names of the methods payers may use; empty when every active method is allowed.
    pub method_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareLinks {
    pub whatsapp: String,
    pub email: String,
    pub sms: String,
}

#[cfg(feature = "ssr")]
fn share_links(link: &PaymentLink, payer_url: &str) -> ShareLinks {
    let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    // Percent-encoding (not '+') keeps spaces intact in mail and SMS apps.
    let amount = match &link.open_amount {
        Some(open) => open.range_label(crate::domain::lang::Lang::En),
        None => link.total_amount.to_string(),
    };
    let message = format!("{} ({amount}): {payer_url}", link.title);
    let message = encode(&message).replace('+', "%20");
    let subject = encode(&format!("Payment request: {}", link.title)).replace('+', "%20");
    ShareLinks {
        whatsapp: format!("https://wa.me/?text={message}"),
        email: format!("mailto:?subject={subject}&body={message}"),
        sms: format!("sms:?&body={message}"),
    }
}

#[server(prefix = "/fn", endpoint = "link")]
pub async fn get_link(account_id: String, link_id: i64) -> Result<LinkDetail, AppError> {
    let account_id = crate::domain::ids::AccountId::from(account_id);
    let (state, user) = crate::ui::context::signed_in().await?;
    let link = crate::ui::context::own_link(&state, user.merchant_id, &account_id, link_id).await?;
    let now = state.now_ms();
    let payer_url = state.payer_url(&link.slug);
    let method_names = match &link.whitelisted_payment_method {
        None => Vec::new(),
        Some(codes) => {
            let catalogue = crate::db::methods::catalogue(&state.db).await?;
            codes
                .iter()
                .map(|code| {
                    catalogue
                        .iter()
                        .find(|m| &m.code == code)
                        .map(|m| m.name.clone())
                        .unwrap_or_else(|| code.clone())
                })
                .collect()
        }
    };
    Ok(LinkDetail {
        status: link.state(now),
        is_expired: link.is_expired(now),
        share: share_links(&link, &payer_url),
        payer_url,
        method_names,
        link,
    })
}

#[server(prefix = "/fn", endpoint = "link_status")]
pub async fn set_link_status(
    account_id: String,
    link_id: i64,
    status: String,
) -> Result<(), AppError> {
    let account_id = crate::domain::ids::AccountId::from(account_id);
    use crate::domain::link::LinkStatus;
    use crate::service::links::LinkRef;
    let (state, actor) = crate::ui::context::acting().await?;
    let status = LinkStatus::parse(&status).map_err(|m| AppError::field("status", m))?;
    let link = LinkRef {
        account_id: &account_id,
        link_id: crate::domain::ids::LinkId(link_id),
    };
    crate::service::links::set_status(&state, &actor, link, status).await?;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "link_delete")]
pub async fn delete_link(
    account_id: String,
    link_id: i64,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    let account_id = crate::domain::ids::AccountId::from(account_id);
    use crate::service::links::LinkRef;
    let (state, actor) = crate::ui::context::acting().await?;
    crate::ui::context::confirmed(
        &confirm,
        "Tick the box to confirm that the link should be deleted for good.",
    )?;
    let link = LinkRef {
        account_id: &account_id,
        link_id: crate::domain::ids::LinkId(link_id),
    };
    crate::service::links::delete(&state, &actor, link).await?;
    leptos_axum::redirect(&format!("/accounts/{account_id}/links"));
    Ok(())
}

#[component]
pub fn LinkPage() -> impl IntoView {
    let account_id = account_param();
    let link_id = link_param();
    let set_status = ServerAction::<SetLinkStatus>::new();
    let delete = ServerAction::<DeleteLink>::new();
    let detail = Resource::new(
        move || {
            (
                account_id.get().unwrap_or_default(),
                link_id.get(),
                set_status.version().get(),
            )
        },
        |(account_id, link_id, _)| get_link(account_id, link_id),
    );
    view! {
        <DashboardShell account_id>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(detail) => view! { <LinkDetailView detail set_status delete/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </DashboardShell>
    }
}

#[component]
fn LinkDetailView(
    detail: LinkDetail,
    set_status: ServerAction<SetLinkStatus>,
    delete: ServerAction<DeleteLink>,
) -> impl IntoView {
    let link = detail.link;
    let base = format!("/accounts/{}/links/{}", link.account_id, link.id);
    let (account_id, link_id, has_history) = (link.account_id.0.clone(), link.id, link.has_history);
    let delete_account_id = account_id.clone();
    let qr_base = format!("/pay/{}/qr", link.slug);
    let unlimited = link.max_usage == crate::domain::link::UNLIMITED_USAGE;
    let usage_percent = if unlimited {
        0
    } else {
        (link.current_usage * 100 / link.max_usage.max(1)).clamp(0, 100)
    };
    let payer_url = detail.payer_url.clone();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let clipboard = window().navigator().clipboard();
            let _ = clipboard.write_text(&payer_url);
            copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &payer_url;
    };
    let (next_status, toggle_label) = if link.status == crate::domain::link::LinkStatus::Open {
        ("closed", "Close link")
    } else {
        ("open", "Reopen link")
    };
    let status_result = Signal::derive(move || set_status.value().get());
    let delete_result = Signal::derive(move || delete.value().get());
    let delete_errors = Signal::derive(move || form_errors(delete.value().get()));
    let methods = if detail.method_names.is_empty() {
        "All active methods".to_string()
    } else {
        detail.method_names.join(", ")
    };
    view! {
        <Title text=crate::ui::components::title_text(format!("{} · paylinks", link.title))/>
        <div class="page-head">
            <h1>{link.title.clone()}" "<StatusBadge status=detail.status/></h1>
            <span class="actions">
                <a class="button" href=format!("{base}/edit")>"Edit"</a>
                <ActionForm action=set_status attr:class="inline-form">
                    <input type="hidden" name="account_id" value=account_id/>
                    <input type="hidden" name="link_id" value=link_id.0/>
                    <input type="hidden" name="status" value=next_status/>
                    <button type="submit">{toggle_label}</button>
                </ActionForm>
            </span>
        </div>
        <FormAlert result=status_result/>
        <section class="card share">
            <h2>"Share with payers"</h2>
            <div class="payer-url">
                <input readonly value=detail.payer_url.clone() aria-label="Payer URL" data-testid="payer-url"/>
                <button type="button" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
            </div>
            <p class="share-links">
                <a href=detail.share.whatsapp target="_blank" rel="noopener">"WhatsApp"</a>
                <a href=detail.share.email>"Email"</a>
                <a href=detail.share.sms>"SMS"</a>
            </p>
            <figure class="qr">
                <img src=format!("{qr_base}.svg") alt="QR code of the payer URL" width="200" height="200"/>
                <figcaption>
                    "Download: "
                    <a href=format!("{qr_base}.svg") download=format!("paylink-{}.svg", link.reff_no)>"SVG"</a>
                    " · "
                    <a href=format!("{qr_base}.png") download=format!("paylink-{}.png", link.reff_no)>"PNG"</a>
                </figcaption>
            </figure>
        </section>
        <section class="card">
            <h2>"Usage"</h2>
            <div class="usage-bar" role="progressbar" aria-valuemin="0" aria-valuemax=link.max_usage aria-valuenow=link.current_usage>
                <span style=format!("width: {usage_percent}%")></span>
            </div>
            <p>{if unlimited {
                format!("{} payments, unlimited", link.current_usage)
            } else {
                format!("{} of {} payments used", link.current_usage, link.max_usage)
            }}</p>
            {link.stock.map(|stock| view! {
                <p data-testid="stock">{format!("{} of {stock} units sold", link.units_paid)}</p>
            })}
        </section>
        {match link.open_amount.clone() {
            Some(open) => view! { <OpenAmountCard open/> }.into_any(),
            None => view! { <ItemsCard link=link.clone()/> }.into_any(),
        }}
        {(!link.custom_fields.is_empty()).then(|| view! {
            <section class="card">
                <h2>"Questions for the payer"</h2>
                <ul>
                    {link.custom_fields.iter().map(|field| {
                        let kind = match field.kind {
                            crate::domain::link::custom_fields::FieldKind::Text => "text".to_string(),
                            crate::domain::link::custom_fields::FieldKind::Number => "a number".to_string(),
                            crate::domain::link::custom_fields::FieldKind::Choice => format!("one of {}", field.options.join(", ")),
                        };
                        let required = if field.required { "required" } else { "optional" };
                        view! { <li>{format!("{} ({kind}, {required})", field.label)}</li> }
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="card">
            <h2>"Details"</h2>
            <dl class="fields">
                <dt>"Reference"</dt><dd><code>{link.reff_no.clone()}</code></dd>
                <dt>"Description"</dt><dd>{link.description.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>"Payment methods"</dt><dd>{methods}</dd>
                <dt>"Expires"</dt>
                <dd>
                    {link.expired_at.map(format_wib).unwrap_or_else(|| "Never".into())}
                    {detail.is_expired.then_some(" (expired)")}
                </dd>
                <dt>"Customer details"</dt>
                <dd>{if link.required_customer_detail { "Required from the payer" } else { "Not asked" }}</dd>
                <dt>"Redirect after payment"</dt><dd>{link.redirect_url.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>"Metadata"</dt><dd><code>{serde_json::Value::Object(link.optional_metadata.clone()).to_string()}</code></dd>
                <dt>"Source"</dt><dd>{link.source.clone()}</dd>
                <dt>"Created"</dt><dd>{format_wib(link.created_at)}</dd>
                <dt>"Updated"</dt><dd>{format_wib(link.updated_at)}</dd>
            </dl>
        </section>
        <LinkAttemptsSection account_id=link.account_id.0.clone() link_id=link.id.0/>
        <section class="card danger">
            <h2>"Delete"</h2>
            {if has_history {
                view! {
                    <p>"This link has payment attempts, so it cannot be deleted. Close it instead to stop new payments."</p>
                }.into_any()
            } else {
                view! {
                    <FormAlert result=delete_result/>
                    <ActionForm action=delete attr:class="form">
                        <input type="hidden" name="account_id" value=delete_account_id/>
                        <input type="hidden" name="link_id" value=link_id.0/>
                        <label class="check">
                            <input type="checkbox" name="confirm" value="yes" required/>
                            "Yes, delete this link for good. Its URL stops working."
                        </label>
                        <FieldError errors=delete_errors field="confirm"/>
                        <button type="submit" class="danger">"Delete link"</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ItemsCard(link: PaymentLink) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Items"</h2>
            <table class="table">
                <thead>
                    <tr><th>"Item"</th><th class="num">"Quantity"</th><th class="num">"Unit price"</th><th class="num">"Subtotal"</th></tr>
                </thead>
                <tbody>
                    {link.items.iter().map(|item| view! {
                        <tr>
                            <td>{item.name.clone()}</td>
                            <td class="num">{item.quantity}{item.max_quantity.map(|max| format!(" (payer chooses 1–{max})"))}</td>
                            <td class="num">{item.unit_price.to_string()}</td>
                            <td class="num">{item.subtotal().map(|s| s.to_string()).unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr><th colspan="3">"Total"</th><th class="num" data-testid="link-total">{link.total_amount.to_string()}</th></tr>
                </tfoot>
            </table>
        </section>
    }
}

/// An open-amount link has no items: its bounds and suggestions stand in for them.
#[component]
fn OpenAmountCard(open: crate::domain::link::OpenAmount) -> impl IntoView {
    let suggested = if open.suggested.is_empty() {
        "None".to_string()
    } else {
        open.suggested
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    view! {
        <section class="card">
            <h2>"Amount"</h2>
            <p>"The payer chooses the amount."</p>
            <dl class="fields">
                <dt>"Minimum"</dt><dd data-testid="open-minimum">{open.minimum.to_string()}</dd>
                <dt>"Maximum"</dt>
                <dd>{open.maximum.map_or_else(|| "No maximum (up to Rp 100.000.000)".to_string(), |max| max.to_string())}</dd>
                <dt>"Suggested"</dt><dd>{suggested}</dd>
            </dl>
        </section>
    }
}
