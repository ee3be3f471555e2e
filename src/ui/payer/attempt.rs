//! One payment attempt, `/pay/{slug}/{reff_no}`: the amount, the VA number, QR code, e-wallet
//! checkout or outlet payment code, how to pay, and the attempt's status.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use super::texts;
use super::PayerError;
use crate::domain::attempt::AttemptStatus;
use crate::domain::lang::Lang;
use crate::domain::method::MethodGroup;
use crate::domain::time::format_wib_in;
use crate::domain::Rupiah;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptView {
    pub slug: String,
    pub reff_no: String,
    pub merchant_name: String,
    pub brand: super::PayerBrand,
    pub title: String,
    pub amount: Rupiah,
    pub method_code: String,
    pub method_name: String,
    pub group: MethodGroup,
    pub value: String,
    /// The value as payers read it, e.g. a VA number in groups of four.
    pub value_display: String,
    pub additional: Option<String>,
    pub status: AttemptStatus,
    pub expired_at: i64,
    pub note: Option<String>,
    pub instructions: Vec<ChannelSteps>,
    pub payment_date: Option<i64>,
    /// Where the merchant wants payers after paying.
    pub redirect_url: Option<String>,
    pub is_sandbox: bool,
    pub lang: Lang,
    /// Why the link takes no new payment, if it does not: then there is nothing to start again.
    pub link_unpayable: Option<super::Unpayable>,
    /// This browser started the attempt, so its payer may give it up for another method.
    pub held_here: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelSteps {
    pub title: String,
    pub steps: Vec<String>,
}

#[server(prefix = "/fn", endpoint = "attempt")]
pub async fn get_attempt(
    slug: String,
    reff_no: String,
    #[server(default)] lang: Option<String>,
) -> Result<AttemptView, AppError> {
    super::server::attempt_view(slug, reff_no, lang).await
}

/// Sandbox only: pays the attempt through the provider's signed callback, as a bank would.
#[server(prefix = "/fn", endpoint = "simulate")]
pub async fn simulate_payment(slug: String, reff_no: String) -> Result<(), AppError> {
    super::server::simulate(slug, reff_no).await
}

/// The payer gives up their pending attempt and chooses again (frees its slot at once).
#[server(prefix = "/fn", endpoint = "change_method")]
pub async fn change_method(slug: String, reff_no: String) -> Result<(), AppError> {
    super::server::change_method(slug, reff_no).await
}

#[component]
pub fn AttemptPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let attempt = Resource::new(
        move || {
            (
                params.with(|p| p.get("slug").unwrap_or_default()),
                params.with(|p| p.get("reff_no").unwrap_or_default()),
                query.with(|q| q.get("lang")),
            )
        },
        |(slug, reff_no, lang)| get_attempt(slug, reff_no, lang),
    );
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <main class="page narrow payer">
            <Suspense fallback=|| view! { <p>"Memuat…"</p> }>
                {move || Suspend::new(async move {
                    match attempt.await {
                        Ok(attempt) => view! { <AttemptDetail attempt/> }.into_any(),
                        Err(error) => view! { <PayerError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn AttemptDetail(attempt: AttemptView) -> impl IntoView {
    let lang = attempt.lang;
    let here = format!("/pay/{}/{}", attempt.slug, attempt.reff_no);
    let link_page = format!("/pay/{}", attempt.slug);
    let code_base = format!("{here}/code");
    let (banner_class, banner) = match attempt.status {
        AttemptStatus::Pending => ("alert alert-info", texts::WAITING),
        AttemptStatus::Paid => ("alert alert-success", texts::PAID),
        AttemptStatus::Expired => ("alert alert-error", texts::ATTEMPT_EXPIRED),
        AttemptStatus::Failed => ("alert alert-error", texts::ATTEMPT_FAILED),
    };
    let pending = attempt.status == AttemptStatus::Pending;
    // What the amount is: still to pay, or paid.
    let amount_label = if attempt.status == AttemptStatus::Paid {
        texts::AMOUNT_PAID
    } else {
        texts::AMOUNT_TO_PAY
    };
    // The page script asks for the status of a pending attempt until it changes.
    let poll = pending.then(|| format!("slug={}&reff_no={}", attempt.slug, attempt.reff_no));
    let switch = format!("{here}?lang={}", lang.other().as_str());
    view! {
        <Title text=crate::ui::components::title_text(format!("{} · {}", attempt.method_name, attempt.title))/>
        <p class="lang-switch"><a href=switch rel="external">{lang.other().label()}</a></p>
        <super::BrandMarks brand=attempt.brand.clone() merchant_name=attempt.merchant_name.clone()/>
        <p class="muted">{texts::PAYMENT_TO.get(lang)}" "{attempt.merchant_name.clone()}</p>
        <h1>{attempt.title.clone()}</h1>
        <div class=banner_class role="status" data-testid="attempt-status" data-status=attempt.status.as_str() data-poll=poll>
            {banner.get(lang)}
        </div>
        <section class="card">
            <p class="muted">{amount_label.get(lang)}</p>
            <p class="amount" data-testid="attempt-amount">{attempt.amount.to_string()}</p>
            <p><strong>{attempt.method_name.clone()}</strong></p>
            {pending.then(|| view! {
                <p class="muted">{texts::PAY_BEFORE.get(lang)}" "{format_wib_in(attempt.expired_at, lang)}</p>
                <Countdown until=attempt.expired_at lang/>
            })}
        </section>
        {pending.then(|| match attempt.group {
            MethodGroup::Va => view! {
                <KeyedNumber
                    label=texts::VA_NUMBER.get(lang).to_string()
                    testid="va-number"
                    display=attempt.value_display.clone()
                    value=attempt.value.clone()
                    holder=attempt.additional.clone()
                    lang
                />
            }.into_any(),
            MethodGroup::Retail => view! {
                <KeyedNumber
                    label=texts::PAYMENT_CODE.get(lang).replace("{outlet}", &attempt.method_name)
                    testid="payment-code"
                    display=attempt.value_display.clone()
                    value=attempt.value.clone()
                    holder=attempt.additional.clone()
                    lang
                />
            }.into_any(),
            MethodGroup::Qris => view! {
                <section class="card qr">
                    <p>{texts::SCAN_QRIS.get(lang)}</p>
                    <img src=format!("{code_base}.svg") alt="QRIS" width="260" height="260" data-testid="qris-image"/>
                    <p><a href=format!("{code_base}.png") download=format!("qris-{}.png", attempt.reff_no)>{texts::DOWNLOAD_QR.get(lang)}</a></p>
                </section>
            }.into_any(),
            MethodGroup::Ewallet if crate::domain::method::pushes_to_phone(&attempt.method_code) => view! {
                <section class="card">
                    <p>{texts::OVO_PUSH.get(lang)}" "<strong>{attempt.value_display.clone()}</strong></p>
                </section>
            }.into_any(),
            MethodGroup::Ewallet => view! {
                <section class="card qr">
                    <p><a class="button primary" href=attempt.value.clone() rel="external" data-testid="checkout-link">{texts::OPEN_WALLET.get(lang)}" "{attempt.method_name.clone()}</a></p>
                    <img src=format!("{code_base}.svg") alt="QR" width="220" height="220"/>
                </section>
            }.into_any(),
        })}
        {(pending && !attempt.instructions.is_empty()).then(|| view! {
            <section class="card instructions">
                <h2>{texts::HOW_TO_PAY.get(lang)}</h2>
                {attempt.note.clone().map(|n| view! { <p class="hint">{n}</p> })}
                {attempt.instructions.clone().into_iter().map(|set| view! {
                    <details>
                        <summary>{set.title}</summary>
                        <ol>{set.steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ol>
                    </details>
                }).collect_view()}
            </section>
        })}
        {(pending && attempt.is_sandbox).then(|| view! {
            <SimulateButton slug=attempt.slug.clone() reff_no=attempt.reff_no.clone() lang/>
        })}
        {(pending && attempt.held_here).then(|| view! {
            <ChangeMethodForm slug=attempt.slug.clone() reff_no=attempt.reff_no.clone() lang/>
        })}
        {(attempt.status == AttemptStatus::Paid).then(|| view! { <Receipt attempt=attempt.clone()/> })}
        {match attempt.status {
            AttemptStatus::Pending => view! {
                <p><a class="button" href=here.clone() rel="external">{texts::CHECK_STATUS.get(lang)}</a></p>
            }.into_any(),
            AttemptStatus::Expired | AttemptStatus::Failed => match attempt.link_unpayable {
                None => view! {
                    <p><a class="button primary" href=link_page rel="external">{texts::START_AGAIN.get(lang)}</a></p>
                }.into_any(),
                Some(reason) => view! {
                    <p class="muted" data-testid="link-unpayable">{reason.text().get(lang)}</p>
                }.into_any(),
            },
            AttemptStatus::Paid => ().into_any(),
        }}
    }
}

/// A number the payer keys in elsewhere (a VA number at a bank, a payment code at an outlet's
/// till): large and grouped for reading, whom it pays, and a button that copies it bare.
#[component]
fn KeyedNumber(
    label: String,
    testid: &'static str,
    /// As payers read it, in groups.
    display: String,
    value: String,
    holder: Option<String>,
    lang: Lang,
) -> impl IntoView {
    view! {
        <section class="card">
            <p class="muted">{label}</p>
            <p class="keyed-number" data-testid=testid>{display}</p>
            {holder.map(|holder| view! { <p class="muted">{holder}</p> })}
            <button type="button" data-copy=value data-copied=texts::COPIED.get(lang)>
                {texts::COPY.get(lang)}
            </button>
        </section>
    }
}

#[component]
fn SimulateButton(slug: String, reff_no: String, lang: Lang) -> impl IntoView {
    let action = ServerAction::<SimulatePayment>::new();
    view! {
        <section class="card sandbox">
            <p class="hint">{texts::SANDBOX_NOTE.get(lang)}</p>
            <ActionForm action>
                <input type="hidden" name="slug" value=slug/>
                <input type="hidden" name="reff_no" value=reff_no/>
                <button type="submit">{texts::SIMULATE.get(lang)}</button>
            </ActionForm>
        </section>
    }
}

/// "Change payment method", behind a disclosure that says what it does: the payer confirms by
/// opening it and pressing the button inside (with or without JavaScript).
#[component]
fn ChangeMethodForm(slug: String, reff_no: String, lang: Lang) -> impl IntoView {
    let action = ServerAction::<ChangeMethod>::new();
    view! {
        <details class="card change-method" data-testid="change-method">
            <summary>{texts::CHANGE_METHOD.get(lang)}</summary>
            <p class="hint">{texts::CHANGE_METHOD_NOTE.get(lang)}</p>
            <ActionForm action>
                <input type="hidden" name="slug" value=slug/>
                <input type="hidden" name="reff_no" value=reff_no/>
                <button type="submit">{texts::CHANGE_METHOD_CONFIRM.get(lang)}</button>
            </ActionForm>
        </details>
    }
}

/// The paid attempt as a printable receipt, then back to the merchant if they asked for it.
#[component]
fn Receipt(attempt: AttemptView) -> impl IntoView {
    let lang = attempt.lang;
    view! {
        {attempt.redirect_url.clone().map(|url| view! {
            <Meta http_equiv="refresh" content=format!("5;url={url}")/>
        })}
        <section class="card receipt" data-testid="receipt">
            <h2>{texts::RECEIPT.get(lang)}</h2>
            <dl class="fields">
                <dt>{texts::REFERENCE.get(lang)}</dt><dd><code>{attempt.reff_no.clone()}</code></dd>
                <dt>{texts::PAYMENT_TO.get(lang)}</dt><dd>{attempt.merchant_name.clone()}</dd>
                <dt>{texts::METHOD.get(lang)}</dt><dd>{attempt.method_name.clone()}</dd>
                <dt>{texts::TOTAL.get(lang)}</dt><dd>{attempt.amount.to_string()}</dd>
                <dt>{texts::PAID_AT.get(lang)}</dt>
                <dd>{attempt.payment_date.map(|at| crate::domain::time::format_wib_seconds_in(at, lang)).unwrap_or_default()}</dd>
            </dl>
            <p class="no-print"><button type="button" data-print="">{texts::PRINT.get(lang)}</button></p>
        </section>
        {attempt.redirect_url.clone().map(|url| view! {
            <p class="no-print">{texts::REDIRECTING.get(lang)}</p>
            <p class="no-print"><a class="button primary" href=url data-testid="back-to-merchant">{texts::BACK_TO_MERCHANT.get(lang)}</a></p>
        })}
    }
}

/// Time left to pay: the page script shows it and makes it tick (hidden without script).
#[component]
fn Countdown(until: i64, lang: Lang) -> impl IntoView {
    view! {
        <p class="countdown" data-until=until hidden="">
            {texts::TIME_LEFT.get(lang)}" "<strong data-testid="countdown"></strong>
        </p>
    }
}
