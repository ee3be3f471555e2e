//! One link: every field, usage, the payer URL to share, its QR code, and the lifecycle buttons.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::domain::link::LinkState;
use crate::domain::time::format_wib;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
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
        Some(open) => open.range_label(crate::i18n::current().into()),
        None => link.total_amount.to_string(),
    };
    let message = format!("{} ({amount}): {payer_url}", link.title);
    let message = encode(&message).replace('+', "%20");
    let subject = encode(&crate::tr!(links.share_subject, title = &link.title)).replace('+', "%20");
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
    crate::ui::context::confirmed(&confirm, &crate::tr!(links.confirm_delete))?;
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
    let i18n = use_i18n();
    view! {
        <DashboardShell account_id>
            <Suspense fallback=move || view! { <p>{t!(i18n, links.loading)}</p> }>
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
    let i18n = use_i18n();
    let (next_status, toggle_label) = if link.status == crate::domain::link::LinkStatus::Open {
        ("closed", tu_string!(i18n, links.close_link))
    } else {
        ("open", tu_string!(i18n, links.reopen_link))
    };
    let status_result = Signal::derive(move || set_status.value().get());
    let delete_result = Signal::derive(move || delete.value().get());
    let delete_errors = Signal::derive(move || form_errors(delete.value().get()));
    let methods = if detail.method_names.is_empty() {
        tu_string!(i18n, links.all_active_methods).to_string()
    } else {
        detail.method_names.join(", ")
    };
    view! {
        <Title text=crate::ui::components::title_text(format!("{} · paylinks", link.title))/>
        <div class="page-head">
            <h1>{link.title.clone()}" "<StatusBadge status=detail.status/></h1>
            <span class="actions">
                <a class="button" href=format!("{base}/edit")>{t!(i18n, links.edit)}</a>
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
            <h2>{t!(i18n, links.share_title)}</h2>
            <div class="payer-url">
                <input readonly value=detail.payer_url.clone() aria-label=tu_string!(i18n, links.payer_url) data-testid="payer-url"/>
                <button type="button" on:click=copy>{move || if copied.get() { tu_string!(i18n, links.copied) } else { tu_string!(i18n, links.copy) }}</button>
            </div>
            <p class="share-links">
                <a href=detail.share.whatsapp target="_blank" rel="noopener">"WhatsApp"</a>
                <a href=detail.share.email>"Email"</a>
                <a href=detail.share.sms>"SMS"</a>
            </p>
            <figure class="qr">
                <img src=format!("{qr_base}.svg") alt=tu_string!(i18n, links.qr_alt) width="200" height="200"/>
                <figcaption>
                    {t!(i18n, links.download)}
                    <a href=format!("{qr_base}.svg") download=format!("paylink-{}.svg", link.reff_no)>"SVG"</a>
                    " · "
                    <a href=format!("{qr_base}.png") download=format!("paylink-{}.png", link.reff_no)>"PNG"</a>
                </figcaption>
            </figure>
        </section>
        <section class="card">
            <h2>{t!(i18n, links.usage)}</h2>
            <div class="usage-bar" role="progressbar" aria-valuemin="0" aria-valuemax=link.max_usage aria-valuenow=link.current_usage>
                <span style=format!("width: {usage_percent}%")></span>
            </div>
            <p>{if unlimited {
                tu_string!(i18n, links.payments_unlimited, used = link.current_usage).to_string()
            } else {
                tu_string!(i18n, links.payments_used, used = link.current_usage, max = link.max_usage).to_string()
            }}</p>
            {link.stock.map(|stock| view! {
                <p data-testid="stock">{tu_string!(i18n, links.units_sold, sold = link.units_paid, stock).to_string()}</p>
            })}
        </section>
        {match link.open_amount.clone() {
            Some(open) => view! { <OpenAmountCard open/> }.into_any(),
            None => view! { <ItemsCard link=link.clone()/> }.into_any(),
        }}
        {(!link.custom_fields.is_empty()).then(|| view! {
            <section class="card">
                <h2>{t!(i18n, links.questions)}</h2>
                <ul>
                    {link.custom_fields.iter().map(|field| {
                        let kind = match field.kind {
                            crate::domain::link::custom_fields::FieldKind::Text => tu_string!(i18n, links.kind_text_lower).to_string(),
                            crate::domain::link::custom_fields::FieldKind::Number => tu_string!(i18n, links.kind_number_lower).to_string(),
                            crate::domain::link::custom_fields::FieldKind::Choice => tu_string!(i18n, links.kind_choice_of, options = field.options.join(", ")).to_string(),
                        };
                        let required = if field.required { tu_string!(i18n, links.required) } else { tu_string!(i18n, links.optional) };
                        view! { <li>{format!("{} ({kind}, {required})", field.label)}</li> }
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="card">
            <h2>{t!(i18n, links.details)}</h2>
            <dl class="fields">
                <dt>{t!(i18n, links.reference)}</dt><dd><code>{link.reff_no.clone()}</code></dd>
                <dt>{t!(i18n, links.description)}</dt><dd>{link.description.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>{t!(i18n, links.payment_methods)}</dt><dd>{methods}</dd>
                <dt>{t!(i18n, links.expires)}</dt>
                <dd>
                    {link.expired_at.map(format_wib).unwrap_or_else(|| tu_string!(i18n, links.never).to_string())}
                    {detail.is_expired.then(|| tu_string!(i18n, links.expired_suffix))}
                </dd>
                <dt>{t!(i18n, links.customer_details)}</dt>
                <dd>{if link.required_customer_detail { tu_string!(i18n, links.required_from_payer) } else { tu_string!(i18n, links.not_asked) }}</dd>
                <dt>{t!(i18n, links.redirect_after_payment)}</dt><dd>{link.redirect_url.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>{t!(i18n, links.metadata)}</dt><dd><code>{serde_json::Value::Object(link.optional_metadata.clone()).to_string()}</code></dd>
                <dt>{t!(i18n, links.source)}</dt><dd>{link.source.clone()}</dd>
                <dt>{t!(i18n, links.created)}</dt><dd>{format_wib(link.created_at)}</dd>
                <dt>{t!(i18n, links.updated)}</dt><dd>{format_wib(link.updated_at)}</dd>
            </dl>
        </section>
        <LinkAttemptsSection account_id=link.account_id.0.clone() link_id=link.id.0/>
        <section class="card danger">
            <h2>{t!(i18n, links.delete)}</h2>
            {if has_history {
                view! {
                    <p>{t!(i18n, links.cannot_delete)}</p>
                }.into_any()
            } else {
                view! {
                    <FormAlert result=delete_result/>
                    <ActionForm action=delete attr:class="form">
                        <input type="hidden" name="account_id" value=delete_account_id/>
                        <input type="hidden" name="link_id" value=link_id.0/>
                        <label class="check">
                            <input type="checkbox" name="confirm" value="yes" required/>
                            {t!(i18n, links.delete_confirm_label)}
                        </label>
                        <FieldError errors=delete_errors field="confirm"/>
                        <button type="submit" class="danger">{t!(i18n, links.delete_link)}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ItemsCard(link: PaymentLink) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{t!(i18n, links.items)}</h2>
            <table class="table">
                <thead>
                    <tr><th>{t!(i18n, links.item)}</th><th class="num">{t!(i18n, links.quantity)}</th><th class="num">{t!(i18n, links.unit_price)}</th><th class="num">{t!(i18n, links.subtotal)}</th></tr>
                </thead>
                <tbody>
                    {link.items.iter().map(|item| view! {
                        <tr>
                            <td>{item.name.clone()}</td>
                            <td class="num">{item.quantity}{item.max_quantity.map(|max| format!(" {}", tu_string!(i18n, links.payer_chooses_quantity, max)))}</td>
                            <td class="num">{item.unit_price.to_string()}</td>
                            <td class="num">{item.subtotal().map(|s| s.to_string()).unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr><th colspan="3">{t!(i18n, links.total)}</th><th class="num" data-testid="link-total">{link.total_amount.to_string()}</th></tr>
                </tfoot>
            </table>
        </section>
    }
}

/// An open-amount link has no items: its bounds and suggestions stand in for them.
#[component]
fn OpenAmountCard(open: crate::domain::link::OpenAmount) -> impl IntoView {
    let i18n = use_i18n();
    let suggested = if open.suggested.is_empty() {
        tu_string!(i18n, links.none).to_string()
    } else {
        open.suggested
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    view! {
        <section class="card">
            <h2>{t!(i18n, links.amount)}</h2>
            <p>{t!(i18n, links.open_amount_detail)}</p>
            <dl class="fields">
                <dt>{t!(i18n, links.minimum)}</dt><dd data-testid="open-minimum">{open.minimum.to_string()}</dd>
                <dt>{t!(i18n, links.maximum)}</dt>
                <dd>{open.maximum.map_or_else(|| tu_string!(i18n, links.no_maximum).to_string(), |max| max.to_string())}</dd>
                <dt>{t!(i18n, links.suggested)}</dt><dd>{suggested}</dd>
            </dl>
        </section>
    }
}
