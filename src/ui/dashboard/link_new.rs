//! The create form: items editor with a live total, method whitelist, usage, expiry in WIB.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::domain::items::ItemInput;
use crate::domain::link::NewLinkInput;
use crate::domain::method::PaymentMethod;
use crate::domain::{FieldErrors, Rupiah};
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::model::Account;
use crate::ui::components::{
    account_param, form_errors, DashboardShell, ErrorPanel, FieldError, FormAlert,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkFormOptions {
    pub account: Account,
    /// Active catalogue methods, in display order.
    pub methods: Vec<PaymentMethod>,
}

#[server(prefix = "/fn", endpoint = "link_form_options")]
pub async fn get_link_form_options(account_id: String) -> Result<LinkFormOptions, AppError> {
    let account_id = crate::domain::ids::AccountId::from(account_id);
    let (state, user) = crate::ui::context::signed_in().await?;
    let account = crate::db::accounts::find(&state.db, user.merchant_id, &account_id).await?;
    let methods = crate::db::methods::catalogue(&state.db)
        .await?
        .into_iter()
        .filter(|m| m.active)
        .collect();
    Ok(LinkFormOptions { account, methods })
}

/// Ticking every method means "all methods", which also takes in methods added later.
#[cfg(feature = "ssr")]
pub(crate) fn all_means_none(mut picked: Vec<String>, known: &[String]) -> Vec<String> {
    if known.iter().all(|code| picked.contains(code)) {
        picked.clear();
    }
    picked
}

#[server(prefix = "/fn", endpoint = "link_create")]
pub async fn create_link(account_id: String, input: NewLinkInput) -> Result<i64, AppError> {
    let account_id = crate::domain::ids::AccountId::from(account_id);
    use crate::domain::link::MethodRules;
    let (state, actor) = crate::ui::context::acting().await?;
    let now = state.now_ms();
    let known = crate::db::methods::active_codes(&state.db).await?;
    let input = NewLinkInput {
        methods: all_means_none(input.methods, &known),
        ..input
    };
    let link = input.parse(
        &MethodRules {
            known_codes: &known,
        },
        now,
    )?;
    let id = crate::service::links::create(&state.db, &actor, &account_id, &link, "dashboard", now)
        .await?;
    leptos_axum::redirect(&format!("/accounts/{account_id}/links/{id}"));
    Ok(id.0)
}

#[component]
pub fn NewLinkPage() -> impl IntoView {
    let account_id = account_param();
    let options = Resource::new(
        move || account_id.get().unwrap_or_default(),
        get_link_form_options,
    );
    let i18n = use_i18n();
    view! {
        <Title text=format!("{} · paylinks", tu_string!(i18n, links.new_link))/>
        <DashboardShell account_id>
            <Suspense fallback=move || view! { <p>{t!(i18n, links.loading)}</p> }>
                {move || Suspend::new(async move {
                    match options.await {
                        Ok(options) => view! { <NewLinkForm options/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </DashboardShell>
    }
}

#[component]
fn NewLinkForm(options: LinkFormOptions) -> impl IntoView {
    let action = ServerAction::<CreateLink>::new();
    let result = Signal::derive(move || action.value().get().map(|r| r.map(|_| ())));
    let errors = Signal::derive(move || form_errors(action.value().get()));
    let account_id = options.account.id.0.clone();
    let open = RwSignal::new(false);
    let i18n = use_i18n();
    view! {
        <div class="page-head">
            <h1>{t!(i18n, links.new_link)}</h1>
            <a href=format!("/accounts/{account_id}/links")>{t!(i18n, links.cancel)}</a>
        </div>
        <FormAlert result/>
        <ActionForm action attr:class="form link-form">
            <input type="hidden" name="account_id" value=account_id.clone()/>
            <fieldset>
                <legend>{t!(i18n, links.what_is_paid)}</legend>
                <label for="title">{t!(i18n, links.title)}</label>
                <input id="title" name="input[title]" required maxlength="255"/>
                <FieldError errors field="title"/>
                <label for="description">{t!(i18n, links.description_optional)}</label>
                <textarea id="description" name="input[description]" rows="2" maxlength="2000"></textarea>
                <FieldError errors field="description"/>
                <AmountTypeChoice open/>
                <div hidden=move || open.get()>
                    <ItemsEditor errors/>
                </div>
                <div hidden=move || !open.get()>
                    <OpenAmountFields errors/>
                </div>
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, links.payment_methods)}</legend>
                <p class="hint">{t!(i18n, links.methods_hint)}</p>
                <MethodCheckboxes methods=options.methods checked=None/>
                <FieldError errors field="methods"/>
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, links.rules)}</legend>
                <label for="max_usage">{t!(i18n, links.max_usage_label)}</label>
                <input id="max_usage" name="input[max_usage]" type="number" min="0" max="1000000" value="1" required/>
                <p class="hint">{t!(i18n, links.max_usage_hint)}</p>
                <FieldError errors field="max_usage"/>
                <label for="stock">{t!(i18n, links.stock_label)}</label>
                <input id="stock" name="input[stock]" type="number" min="1" max="1000000"/>
                <p class="hint">{t!(i18n, links.stock_hint)}</p>
                <FieldError errors field="stock"/>
                <label for="expired_at">{t!(i18n, links.expires_at_label)}</label>
                <input id="expired_at" name="input[expired_at]" type="datetime-local"/>
                <p class="hint">{t!(i18n, links.expires_hint_new)}</p>
                <FieldError errors field="expired_at"/>
                <label class="check" for="required_customer_detail">
                    <input type="checkbox" id="required_customer_detail" name="input[required_customer_detail]" value="on"/>
                    {t!(i18n, links.ask_customer_detail)}
                </label>
                <label for="redirect_url">{t!(i18n, links.redirect_label)}</label>
                <input id="redirect_url" name="input[redirect_url]" type="url" maxlength="2048" placeholder="https://"/>
                <FieldError errors field="redirect_url"/>
                <label for="reff_no">{t!(i18n, links.reff_label)}</label>
                <input id="reff_no" name="input[reff_no]" maxlength="40" placeholder=tu_string!(i18n, links.reff_placeholder)/>
                <p class="hint">{t!(i18n, links.reff_hint)}</p>
                <FieldError errors field="reff_no"/>
            </fieldset>
            <QuestionsEditor errors/>
            <button type="submit" class="primary">{t!(i18n, links.create_link)}</button>
        </ActionForm>
    }
}

/// A fixed total made of items, or an amount the payer chooses (donations, contributions).
#[component]
fn AmountTypeChoice(open: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="amount-type" role="radiogroup" aria-label=tu_string!(i18n, links.amount_type)>
            <label class="check" for="amount_type_fixed">
                <input type="radio" id="amount_type_fixed" name="input[amount_type]" value="fixed"
                    prop:checked=move || !open.get() on:change=move |_| open.set(false)/>
                {t!(i18n, links.amount_fixed)}
            </label>
            <label class="check" for="amount_type_open">
                <input type="radio" id="amount_type_open" name="input[amount_type]" value="open"
                    prop:checked=move || open.get() on:change=move |_| open.set(true)/>
                {t!(i18n, links.amount_open)}
            </label>
        </div>
    }
}

/// The bounds of an open amount and the amounts the payer page suggests.
#[component]
fn OpenAmountFields(errors: Signal<FieldErrors>) -> impl IntoView {
    use crate::domain::link::open_amount::{MAXIMUM, MINIMUM, SUGGESTED};
    let i18n = use_i18n();
    view! {
        <label for="open_minimum">{t!(i18n, links.open_minimum_label)}</label>
        <input id="open_minimum" name="input[open_minimum]" inputmode="numeric" value="10.000"/>
        <FieldError errors field=MINIMUM/>
        <label for="open_maximum">{t!(i18n, links.open_maximum_label)}</label>
        <input id="open_maximum" name="input[open_maximum]" inputmode="numeric"/>
        <FieldError errors field=MAXIMUM/>
        <label for="open_suggested">{t!(i18n, links.open_suggested_label)}</label>
        <input id="open_suggested" name="input[open_suggested]" placeholder="50.000, 100.000, 250.000"/>
        <p class="hint">{t!(i18n, links.open_hint)}</p>
        <FieldError errors field=SUGGESTED/>
    }
}

/// Up to three questions for the payer; rows left empty are not questions.
#[component]
fn QuestionsEditor(errors: Signal<FieldErrors>) -> impl IntoView {
    use crate::domain::link::custom_fields::MAX_CUSTOM_FIELDS;
    let error = move |key: String| {
        move || {
            errors
                .with(|e| e.get(&key).map(str::to_owned))
                .map(|m| view! { <p class="field-error" data-field=key.clone()>{m}</p> })
        }
    };
    let i18n = use_i18n();
    view! {
        <fieldset>
            <legend>{t!(i18n, links.questions_optional)}</legend>
            <p class="hint">{t!(i18n, links.questions_hint)}</p>
            {(0..MAX_CUSTOM_FIELDS).map(|i| {
                let name = |part: &str| format!("input[custom_fields][{i}][{part}]");
                let key = |part: &str| format!("custom_fields[{i}].{part}");
                let n = i + 1;
                view! {
                    <div class="question-row">
                        <label for=format!("q{i}-label")>{tu_string!(i18n, links.question_label, n).to_string()}</label>
                        <input id=format!("q{i}-label") name=name("label") maxlength="80"/>
                        {error(key("label"))}
                        <label for=format!("q{i}-label-en")>{tu_string!(i18n, links.question_label_en, n).to_string()}</label>
                        <input id=format!("q{i}-label-en") name=name("label_en") maxlength="80"/>
                        {error(key("label_en"))}
                        <label for=format!("q{i}-kind")>{tu_string!(i18n, links.question_kind, n).to_string()}</label>
                        <select id=format!("q{i}-kind") name=name("kind")>
                            <option value="text">{t!(i18n, links.kind_text)}</option>
                            <option value="number">{t!(i18n, links.kind_number)}</option>
                            <option value="choice">{t!(i18n, links.kind_choice)}</option>
                        </select>
                        {error(key("kind"))}
                        <label for=format!("q{i}-options")>{tu_string!(i18n, links.question_options, n).to_string()}</label>
                        <input id=format!("q{i}-options") name=name("options") placeholder="S, M, L, XL"/>
                        {error(key("options"))}
                        <label class="check" for=format!("q{i}-required")>
                            <input type="checkbox" id=format!("q{i}-required") name=name("required") value="on"/>
                            {tu_string!(i18n, links.question_required, n).to_string()}
                        </label>
                    </div>
                }
            }).collect_view()}
            <FieldError errors field="custom_fields"/>
        </fieldset>
    }
}

/// One checkbox per catalogue method; `checked` is the whitelist (`None`: every method).
#[component]
pub fn MethodCheckboxes(
    methods: Vec<PaymentMethod>,
    checked: Option<Vec<String>>,
) -> impl IntoView {
    use crate::domain::method::MethodGroup;
    let i18n = use_i18n();
    let group_label = move |group: MethodGroup| match group {
        MethodGroup::Va => tu_string!(i18n, links.group_va),
        MethodGroup::Qris => tu_string!(i18n, links.group_qris),
        MethodGroup::Ewallet => tu_string!(i18n, links.group_ewallet),
        MethodGroup::Retail => tu_string!(i18n, links.group_retail),
    };
    view! {
        <div class="methods">
            {methods.into_iter().enumerate().map(|(i, method)| {
                let id = format!("method-{}", method.code);
                let label_for = id.clone();
                let is_checked = checked.as_ref().is_none_or(|codes| codes.contains(&method.code));
                view! {
                    <label class="check" for=label_for>
                        <input
                            type="checkbox"
                            id=id
                            name=format!("input[methods][{i}]")
                            value=method.code.clone()
                            checked=is_checked
                        />
                        {method.name}
                        <span class="muted">{format!(" · {}", group_label(method.group))}</span>
                    </label>
                }
            }).collect_view()}
        </div>
    }
}

#[derive(Clone, Copy)]
struct ItemRow {
    key: usize,
    name: RwSignal<String>,
    quantity: RwSignal<String>,
    unit_price: RwSignal<String>,
}

impl ItemRow {
    /// Spare rows start fully blank so they are skipped when left untouched.
    fn new(key: usize, quantity: &str) -> Self {
        ItemRow {
            key,
            name: RwSignal::new(String::new()),
            quantity: RwSignal::new(quantity.into()),
            unit_price: RwSignal::new(String::new()),
        }
    }

    fn input(&self) -> ItemInput {
        ItemInput {
            name: self.name.get(),
            quantity: self.quantity.get(),
            unit_price: self.unit_price.get(),
            // Not part of the live total.
            max_quantity: String::new(),
        }
    }
}

/// Rows without JavaScript; with it, rows are added and removed in place.
const INITIAL_ROWS: usize = 3;

/// Line items: name, quantity, unit price; the total follows the rows as they are typed.
#[component]
fn ItemsEditor(errors: Signal<FieldErrors>) -> impl IntoView {
    let rows = RwSignal::new(
        (0..INITIAL_ROWS)
            .map(|key| ItemRow::new(key, if key == 0 { "1" } else { "" }))
            .collect::<Vec<_>>(),
    );
    let next_key = StoredValue::new(INITIAL_ROWS);
    let add_row = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        rows.update(|r| r.push(ItemRow::new(key, "1")));
    };
    let total = move || live_total(&rows.get().iter().map(ItemRow::input).collect::<Vec<_>>());
    let i18n = use_i18n();
    view! {
        <table class="table items">
            <thead>
                <tr>
                    <th>{t!(i18n, links.item)}</th>
                    <th class="num">{t!(i18n, links.quantity)}</th>
                    <th class="num">{t!(i18n, links.unit_price_rp)}</th>
                    <th class="num" title=tu_string!(i18n, links.max_quantity_title)>{t!(i18n, links.max_quantity_head)}</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>
                <For
                    each=move || rows.get().into_iter().enumerate()
                    key=|(i, row)| (*i, row.key)
                    let:((i, row))
                >
                    <ItemRowView index=i row errors rows/>
                </For>
            </tbody>
        </table>
        <FieldError errors field="items"/>
        <p class="items-actions">
            <button type="button" class="link" on:click=add_row>{t!(i18n, links.add_item)}</button>
            <span class="total">{t!(i18n, links.total_colon)}<strong data-testid="live-total">{total}</strong></span>
        </p>
        <p class="hint">{t!(i18n, links.items_hint)}</p>
        <FieldError errors field="total_amount"/>
    }
}

#[component]
fn ItemRowView(
    index: usize,
    row: ItemRow,
    errors: Signal<FieldErrors>,
    rows: RwSignal<Vec<ItemRow>>,
) -> impl IntoView {
    let name = format!("input[items][{index}]");
    let error_for = move |field: &str| {
        let key = format!("items[{index}].{field}");
        move || errors.with(|e| e.get(&key).map(str::to_owned))
    };
    let remove = move |_| rows.update(|r| r.retain(|other| other.key != row.key));
    let i18n = use_i18n();
    let n = index + 1;
    view! {
        <tr class="item-row">
            <td>
                <input
                    name=format!("{name}[name]")
                    aria-label=tu_string!(i18n, links.item_name_aria, n).to_string()
                    maxlength="255"
                    prop:value=row.name
                    on:input=move |ev| row.name.set(event_target_value(&ev))
                />
                <p class="field-error">{error_for("name")}</p>
            </td>
            <td class="num">
                <input
                    name=format!("{name}[quantity]")
                    aria-label=tu_string!(i18n, links.item_quantity_aria, n).to_string()
                    inputmode="numeric"
                    size="6"
                    prop:value=row.quantity
                    on:input=move |ev| row.quantity.set(event_target_value(&ev))
                />
                <p class="field-error">{error_for("quantity")}</p>
            </td>
            <td class="num">
                <input
                    name=format!("{name}[unit_price]")
                    aria-label=tu_string!(i18n, links.item_unit_price_aria, n).to_string()
                    inputmode="numeric"
                    size="12"
                    prop:value=row.unit_price
                    on:input=move |ev| row.unit_price.set(event_target_value(&ev))
                />
                <p class="field-error">{error_for("unit_price")}</p>
            </td>
            <td class="num">
                <input
                    name=format!("{name}[max_quantity]")
                    aria-label=tu_string!(i18n, links.item_max_quantity_aria, n).to_string()
                    inputmode="numeric"
                    size="6"
                />
                <p class="field-error">{error_for("max_quantity")}</p>
            </td>
            <td>
                <button type="button" class="link" on:click=remove aria-label=tu_string!(i18n, links.remove_item)>{t!(i18n, links.remove)}</button>
            </td>
        </tr>
    }
}

/// The total of the rows typed so far; rows that do not parse yet count as zero.
fn live_total(rows: &[ItemInput]) -> String {
    let total = rows
        .iter()
        .filter(|row| !row.is_blank())
        .filter_map(|row| {
            let quantity = row.quantity.trim().parse::<i64>().ok()?;
            Rupiah::parse(&row.unit_price).ok()?.checked_mul(quantity)
        })
        .try_fold(Rupiah(0), Rupiah::checked_add);
    match total {
        Some(total) => total.to_string(),
        None => crate::tr!(links.too_large),
    }
}
