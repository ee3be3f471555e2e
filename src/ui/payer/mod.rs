//! The public payer page at `/pay/{slug}`: what is being paid, the payer's details when the
//! merchant asks for them, and the method picker. Plain forms, so it works without JavaScript.
//! The payer pages are rendered on the server only and never load the WebAssembly: a small
//! inline script (`enhance.js`, added by the shell) does what needs JavaScript.

mod attempt;
#[cfg(feature = "ssr")]
pub mod page_cache;
#[cfg(feature = "ssr")]
mod server;
/// The payer pages' script, inlined by the shell.
pub const ENHANCE_SCRIPT: &str = include_str!("enhance.js");
mod texts;

pub use attempt::AttemptPage;
#[cfg(feature = "ssr")]
pub use server::page_lang;

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::domain::items::LineItem;
use crate::domain::lang::Lang;
use crate::domain::link::custom_fields::FieldKind;
use crate::domain::link::{CustomField, OpenAmount};
use crate::domain::method::MethodGroup;
use crate::domain::time::format_wib_in;
use crate::domain::{FieldErrors, Rupiah};
use crate::error::AppError;
use crate::ui::components::form_errors;
use crate::ui::context::set_page_status;

/// Only what a payer may see: no merchant reference, no metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayerLink {
    pub slug: String,
    pub merchant_name: String,
    pub title: String,
    pub description: Option<String>,
    pub items: Vec<LineItem>,
    pub total_amount: Rupiah,
    /// Set when the payer chooses the amount (no items then).
    pub open_amount: Option<OpenAmount>,
    /// Questions the payer answers.
    pub custom_fields: Vec<CustomField>,
    pub brand: PayerBrand,
    pub expired_at: Option<i64>,
    pub required_customer_detail: bool,
    pub methods: Vec<OfferedMethod>,
    /// Why the link takes no payments, if it does not.
    pub unpayable: Option<Unpayable>,
    pub lang: Lang,
    /// What a payer without JavaScript sent and was refused, to show again with the reason.
    pub returned: Option<ReturnedForm>,
}

/// The merchant's brand on its payer pages: "#1a7f5a" (checked), and its logo's full address
/// (link previews need one).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PayerBrand {
    pub color: Option<String>,
    pub logo_url: Option<String>,
}

/// The merchant's colour for the page's buttons and links, and their logo.
#[component]
fn BrandMarks(brand: PayerBrand, merchant_name: String) -> impl IntoView {
    view! {
        // A checked #rrggbb, so nothing but a colour reaches the style sheet.
        {brand.color.map(|color| view! { <style>{format!(":root{{--brand:{color};}}")}</style> })}
        {brand.logo_url.map(|url| view! {
            <img class="brand-logo" src=url alt=merchant_name data-testid="payer-logo"/>
        })}
    }
}

/// The payer form as sent, handed back after a refusal: a page without JavaScript is loaded
/// anew, and would otherwise come back empty.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReturnedForm {
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub quantities: Vec<String>,
    #[serde(default)]
    pub custom: Vec<String>,
    pub method: String,
    pub customer_name: String,
    pub customer_email: String,
    pub customer_phone: String,
    pub payer_phone: String,
    pub error: Option<AppError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferedMethod {
    pub code: String,
    pub name: String,
    pub group: MethodGroup,
    /// The method's limits: on an open-amount link the page's script offers only the methods
    /// that take the amount typed.
    pub min_amount: Rupiah,
    pub max_amount: Rupiah,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unpayable {
    Closed,
    Expired,
    Full,
    /// Every unit of the link's stock is paid for.
    SoldOut,
}

impl Unpayable {
    /// Why no payment can start, in the payer's words.
    pub fn text(self) -> crate::domain::lang::Text {
        match self {
            Unpayable::Closed => texts::CLOSED,
            Unpayable::Expired => texts::EXPIRED,
            Unpayable::Full => texts::FULL,
            Unpayable::SoldOut => texts::SOLD_OUT,
        }
    }
}

/// The payer's page. A payer who already holds a live attempt on this link is sent to it.
#[server(prefix = "/fn", endpoint = "payer_link")]
pub async fn get_payer_link(
    slug: String,
    #[server(default)] lang: Option<String>,
) -> Result<PayerLink, AppError> {
    server::payer_link(slug, lang).await
}

pub use pay::{start_payment, StartPayment};

/// The payer form's server function, in a module of its own so the allowance below covers the
/// code the macro generates for it: its fields are flat because a page without JavaScript
/// posts the form as it is.
#[allow(clippy::too_many_arguments)]
mod pay {
    use super::*;

    /// Chooses a method: reserves a slot, issues the instructions and goes to the attempt
    /// page.
    #[server(prefix = "/fn", endpoint = "pay")]
    pub async fn start_payment(
        slug: String,
        #[server(default)] lang: Option<String>,
        #[server(default)] amount: String,
        #[server(default)] amount_pick: String,
        #[server(default)] quantities: Vec<String>,
        #[server(default)] custom: Vec<String>,
        #[server(default)] method: String,
        #[server(default)] customer_name: String,
        #[server(default)] customer_email: String,
        #[server(default)] customer_phone: String,
        #[server(default)] payer_phone: String,
    ) -> Result<String, AppError> {
        // A typed amount wins over a picked suggestion (without JavaScript both can be sent).
        let amount = if amount.trim().is_empty() {
            amount_pick
        } else {
            amount
        };
        super::server::start_payment(super::server::StartPayment {
            slug,
            lang,
            amount,
            quantities,
            custom,
            method,
            customer_name,
            customer_email,
            customer_phone,
            payer_phone,
        })
        .await
    }
}

#[component]
pub fn PayerPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let link = Resource::new(
        move || {
            (
                params.with(|p| p.get("slug").unwrap_or_default()),
                query.with(|q| q.get("lang")),
            )
        },
        |(slug, lang)| get_payer_link(slug, lang),
    );
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <main class="page narrow payer">
            <Suspense fallback=|| view! { <p>"Memuat…"</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(link) => view! { <PayerView link/> }.into_any(),
                        Err(error) => view! { <PayerError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// Unknown links: a 404 in the payer's words.
#[component]
pub fn PayerError(error: AppError) -> impl IntoView {
    set_page_status(error.status());
    let (title, text) = match error {
        AppError::NotFound => (texts::NOT_FOUND_TITLE, texts::NOT_FOUND),
        _ => (
            texts::ERROR_TITLE,
            crate::domain::lang::Text::new(
                "Terjadi kesalahan. Silakan coba lagi.",
                "Something went wrong. Please try again.",
            ),
        ),
    };
    // Both languages, as the page says it in both: the payer's is not known yet.
    let title = format!(
        "{} · {} · paylinks",
        title.get(Lang::Id),
        title.get(Lang::En)
    );
    view! {
        <Title text=title/>
        <section class="empty">
            <p>{text.get(Lang::Id)}</p>
            <p class="muted">{text.get(Lang::En)}</p>
        </section>
    }
}

#[component]
fn PayerView(link: PayerLink) -> impl IntoView {
    let lang = link.lang;
    // Links that take no more payments answer 410 Gone, so apps and crawlers drop them.
    if link.unpayable.is_some() {
        set_page_status(410);
    }
    let switch = format!("/pay/{}?lang={}", link.slug, lang.other().as_str());
    view! {
        <Title text=crate::ui::components::title_text(format!("{} · {}", link.title, link.merchant_name))/>
        <Meta property="og:title" content=format!("{} · {}", link.title, amount_label(&link))/>
        <Meta property="og:description" content=format!("{} {}", texts::PAYMENT_TO.get(lang), link.merchant_name)/>
        <Meta property="og:site_name" content=link.merchant_name.clone()/>
        {link.brand.logo_url.clone().map(|url| view! { <Meta property="og:image" content=url/> })}
        <p class="lang-switch"><a href=switch rel="external">{lang.other().label()}</a></p>
        <BrandMarks brand=link.brand.clone() merchant_name=link.merchant_name.clone()/>
        <p class="muted">{texts::PAYMENT_TO.get(lang)}" "{link.merchant_name.clone()}</p>
        <h1>{link.title.clone()}</h1>
        {link.description.clone().map(|d| view! { <p>{d}</p> })}
        {link.open_amount.is_none().then(|| view! { <ItemsTable link=link.clone()/> })}
        {link.expired_at.map(|at| view! {
            <p class="muted">{texts::EXPIRES.get(lang)}" "{format_wib_in(at, lang)}</p>
        })}
        {match link.unpayable {
            Some(reason) => view! {
                <div class="alert alert-error" role="alert">{reason.text().get(lang)}</div>
            }.into_any(),
            None => view! { <PayForm link/> }.into_any(),
        }}
    }
}

/// What the link asks for, as its preview names it: the total, or the open amount's range.
fn amount_label(link: &PayerLink) -> String {
    match &link.open_amount {
        Some(open) => open.range_label(link.lang),
        None => link.total_amount.to_string(),
    }
}

#[component]
fn ItemsTable(link: PayerLink) -> impl IntoView {
    let lang = link.lang;
    let payable = link.unpayable.is_none();
    let returned = link.returned.clone().unwrap_or_default().quantities;
    view! {
        <table class="table items-order">
            <tbody>
                {link.items.iter().enumerate().map(|(i, item)| {
                    let subtotal = item.subtotal().map(|s| s.to_string()).unwrap_or_default();
                    let price = item.unit_price.value();
                    match item.max_quantity.filter(|_| payable) {
                        // The payer's quantity; the page's script keeps the subtotals and the
                        // total in step, and the server counts them again.
                        Some(max) => {
                            let id = format!("quantity-{i}");
                            let label_for = id.clone();
                            let value = returned
                                .get(i)
                                .filter(|q| !q.trim().is_empty())
                                .cloned()
                                .unwrap_or_else(|| item.quantity.to_string());
                            view! {
                                <tr data-price=price>
                                    <td>
                                        <label for=label_for>{item.name.clone()}" · "{item.unit_price.to_string()}</label>
                                        <input type="number" id=id name=format!("quantities[{i}]") form="pay-form" class="quantity"
                                            min="1" max=max value=value inputmode="numeric" aria-label=texts::QUANTITY.get(lang)/>
                                    </td>
                                    <td class="num" data-subtotal="">{subtotal}</td>
                                </tr>
                            }.into_any()
                        }
                        None => view! {
                            <tr data-price=price data-quantity=item.quantity>
                                <td>{format!("{} × {}", item.quantity, item.name)}</td>
                                <td class="num" data-subtotal="">{subtotal}</td>
                            </tr>
                        }.into_any(),
                    }
                }).collect_view()}
            </tbody>
            <tfoot>
                <tr><th>{texts::TOTAL.get(lang)}</th><th class="num" data-testid="payer-total">{link.total_amount.to_string()}</th></tr>
            </tfoot>
        </table>
    }
}

/// The amount of an open-amount link: suggested amounts to pick, or one typed. Without
/// JavaScript a typed amount wins; with it, picking clears the typed one and typing unpicks.
#[component]
fn AmountChoice(open: OpenAmount, returned: String, lang: Lang) -> impl IntoView {
    let picked = crate::domain::link::open_amount::parse_payer_amount(&returned);
    let is_suggestion = picked.is_some_and(|p| open.suggested.contains(&p));
    let typed = if is_suggestion {
        String::new()
    } else {
        returned
    };
    let hint = texts::AMOUNT_HINT
        .get(lang)
        .replace("{range}", &open.range_label(lang));
    view! {
        <fieldset class="amount-choice" data-min=open.minimum.value() data-max=open.ceiling().value()>
            <legend>{texts::AMOUNT.get(lang)}</legend>
            {(!open.suggested.is_empty()).then(|| view! {
                <div class="amount-picks">
                    {open.suggested.iter().map(|amount| {
                        let id = format!("amount-{}", amount.value());
                        let label_for = id.clone();
                        view! {
                            <label class="chip" for=label_for>
                                <input type="radio" id=id name="amount_pick" value=amount.value() checked=picked == Some(*amount)/>
                                {amount.to_string()}
                            </label>
                        }
                    }).collect_view()}
                </div>
            })}
            <label for="amount">{texts::OTHER_AMOUNT.get(lang)}</label>
            <input id="amount" name="amount" inputmode="numeric" autocomplete="off" data-rupiah="" placeholder=open.minimum.value().to_string() value=typed/>
            <p class="hint">{hint}</p>
        </fieldset>
    }
}

#[component]
fn PayForm(link: PayerLink) -> impl IntoView {
    let lang = link.lang;
    let action = ServerAction::<StartPayment>::new();
    let returned = link.returned.clone().unwrap_or_default();
    // The refusal handed back to a page without JavaScript, until the form is sent again.
    let handed_back = returned.error.clone().map(Err);
    let outcome = move || {
        action
            .value()
            .get()
            .map(|r| r.map(|_| ()))
            .or_else(|| handed_back.clone())
    };
    let result = Signal::derive(outcome.clone());
    let errors = Signal::derive(move || form_errors(outcome()));
    let error = move |field: &str| field_error(errors, field.to_string());
    if link.methods.is_empty() {
        return view! { <div class="alert alert-error">{texts::NO_METHOD.get(lang)}</div> }
            .into_any();
    }
    let offers_ovo = link
        .methods
        .iter()
        .any(|m| crate::domain::method::pushes_to_phone(&m.code));
    let groups = [
        (MethodGroup::Va, texts::GROUP_VA),
        (MethodGroup::Qris, texts::GROUP_QRIS),
        (MethodGroup::Ewallet, texts::GROUP_EWALLET),
        (MethodGroup::Retail, texts::GROUP_RETAIL),
    ];
    view! {
        <PayerAlert result lang/>
        <ActionForm action attr:class="form pay-form" attr:id="pay-form">
            <input type="hidden" name="slug" value=link.slug.clone()/>
            <input type="hidden" name="lang" value=lang.as_str()/>
            {link.open_amount.clone().map(|open| view! {
                <AmountChoice open returned=returned.amount.clone() lang/>
            })}
            {error("amount")}
            {error("quantities")}
            {link.items.iter().enumerate().filter(|(_, item)| item.max_quantity.is_some()).map(|(i, _)| {
                field_error(errors, format!("quantities[{i}]"))
            }).collect_view()}
            {(!link.custom_fields.is_empty()).then(|| view! {
                <Questions fields=link.custom_fields.clone() returned=returned.custom.clone() lang errors/>
            })}
            {link.required_customer_detail.then(|| view! {
                <fieldset>
                    <legend>{texts::YOUR_DETAILS.get(lang)}</legend>
                    <label for="customer_name">{texts::NAME.get(lang)}</label>
                    <input id="customer_name" name="customer_name" required maxlength="100" autocomplete="name" value=returned.customer_name.clone()/>
                    {error("customer_name")}
                    <label for="customer_email">{texts::EMAIL.get(lang)}</label>
                    <input id="customer_email" name="customer_email" type="email" required autocomplete="email" value=returned.customer_email.clone()/>
                    {error("customer_email")}
                    <label for="customer_phone">{texts::PHONE.get(lang)}</label>
                    <input id="customer_phone" name="customer_phone" type="tel" required autocomplete="tel" placeholder="08…" value=returned.customer_phone.clone()/>
                    {error("customer_phone")}
                </fieldset>
            })}
            <fieldset>
                <legend>{texts::CHOOSE_METHOD.get(lang)}</legend>
                {groups.into_iter().map(|(group, title)| {
                    let methods: Vec<_> = link.methods.iter().filter(|m| m.group == group).cloned().collect();
                    (!methods.is_empty()).then(|| view! {
                        <div class="method-group">
                            <h3>{title.get(lang)}</h3>
                            {methods.into_iter().map(|m| {
                                let id = format!("pay-{}", m.code);
                                let label_for = id.clone();
                                let chosen = m.code == returned.method;
                                view! {
                                    <label class="check method" for=label_for>
                                        <input type="radio" id=id name="method" value=m.code.clone() required checked=chosen data-min=m.min_amount.value() data-max=m.max_amount.value()/>
                                        {m.name}
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                    })
                }).collect_view()}
                {error("method")}
                {(offers_ovo && !link.required_customer_detail).then(|| view! {
                    <label for="payer_phone">{texts::OVO_PHONE.get(lang)}</label>
                    <input id="payer_phone" name="payer_phone" type="tel" autocomplete="tel" placeholder="08…" value=returned.payer_phone.clone()/>
                    {error("payer_phone")}
                })}
            </fieldset>
            <button type="submit" class="primary">{texts::PAY.get(lang)}</button>
        </ActionForm>
    }
    .into_any()
}

/// A field's refusal, beside the field it names.
fn field_error(errors: Signal<FieldErrors>, field: String) -> impl Fn() -> Option<AnyView> {
    move || {
        errors
            .with(|e| e.get(&field).map(str::to_owned))
            .map(|message| {
                view! { <p class="field-error" data-field=field.clone()>{message}</p> }.into_any()
            })
    }
}

/// The link's questions, each answered in its own field; a refused form shows the answers
/// given again, with each one's reason beside it.
#[component]
fn Questions(
    fields: Vec<CustomField>,
    returned: Vec<String>,
    lang: Lang,
    errors: Signal<FieldErrors>,
) -> impl IntoView {
    view! {
        <fieldset class="questions">
            <legend>{texts::QUESTIONS.get(lang)}</legend>
            {fields.into_iter().enumerate().map(|(i, field)| {
                let id = format!("custom-{i}");
                let name = format!("custom[{i}]");
                let given = returned.get(i).cloned().unwrap_or_default();
                let label = if field.required {
                    field.label_in(lang).to_string()
                } else {
                    format!("{} ({})", field.label_in(lang), texts::OPTIONAL.get(lang))
                };
                let input = match field.kind {
                    FieldKind::Choice => view! {
                        <select id=id.clone() name=name.clone() required=field.required>
                            <option value="">{texts::PICK_ONE.get(lang)}</option>
                            {field.options.iter().map(|option| view! {
                                <option value=option.clone() selected=*option == given>{option.clone()}</option>
                            }).collect_view()}
                        </select>
                    }.into_any(),
                    FieldKind::Number => view! {
                        <input id=id.clone() name=name.clone() inputmode="decimal" required=field.required value=given/>
                    }.into_any(),
                    FieldKind::Text => view! {
                        <input id=id.clone() name=name.clone() maxlength="200" required=field.required value=given/>
                    }.into_any(),
                };
                view! {
                    <label for=id>{label}</label>
                    {input}
                    {field_error(errors, name)}
                }
            }).collect_view()}
        </fieldset>
    }
}

/// The payer form's error banner, in the payer's language: field errors are named beside
/// their fields, so the banner only says to look at them; other errors (a full link, a closed
/// one) already come in the payer's language.
#[component]
fn PayerAlert(result: Signal<Option<Result<(), AppError>>>, lang: Lang) -> impl IntoView {
    move || {
        let message = match result.get() {
            Some(Err(AppError::Validation(_) | AppError::Duplicate(_))) => {
                Some(texts::CORRECT_FIELDS.get(lang).to_string())
            }
            Some(Err(other)) => Some(other.to_string()),
            _ => None,
        };
        message.map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })
    }
}
