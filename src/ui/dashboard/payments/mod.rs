//! Payments: every attempt of the current account across its links, with filters, sorts,
//! key-based pages and totals for the whole filter.

pub mod detail;
pub mod exports;
pub mod refunds;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::domain::attempt::AttemptStatus;
use crate::domain::payments_query::PaymentsQuery;
use crate::domain::time::format_wib;
use crate::domain::Rupiah;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::model::{Account, PaymentAttempt, PaymentTotals};
use crate::ui::components::{account_param, DashboardShell, ErrorPanel};

pub const PAYMENTS_PER_PAGE: i64 = 25;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentRow {
    pub attempt: PaymentAttempt,
    /// Computed on the server: a pending attempt past its expiry shows as expired.
    pub status: AttemptStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentsData {
    pub account: Account,
    pub rows: Vec<PaymentRow>,
    /// Page boundaries for the next and previous links.
    pub next: Option<String>,
    pub prev: Option<String>,
    pub totals: PaymentTotals,
    /// (code, name) of the catalogue, for the method filter.
    pub methods: Vec<(String, String)>,
}

#[server(prefix = "/fn", endpoint = "payments")]
pub async fn list_payments(
    account_id: String,
    #[server(default)] query: PaymentsQuery,
) -> Result<PaymentsData, AppError> {
    let account_id = crate::domain::ids::AccountId::from(account_id);
    use crate::db::{accounts, methods, payments, totals};
    let (state, user) = crate::ui::context::signed_in().await?;
    let account = accounts::find(&state.db, user.merchant_id, &account_id).await?;
    let (filter, position) = crate::db::payments::to_filter(&query)?;
    let page = payments::page(
        &state.db,
        user.merchant_id,
        &account.id,
        &filter,
        position,
        PAYMENTS_PER_PAGE,
    )
    .await?;
    let scope = totals::Scope::listed_by(filter.sort);
    let totals = totals::totals(&state.db, user.merchant_id, &account.id, &filter, scope).await?;
    let now = state.now_ms();
    Ok(PaymentsData {
        account,
        rows: page
            .rows
            .into_iter()
            .map(|attempt| PaymentRow {
                status: attempt.status_computed(now),
                attempt,
            })
            .collect(),
        next: page.next.map(|c| c.encode()),
        prev: page.prev.map(|c| c.encode()),
        totals,
        methods: methods::catalogue(&state.db)
            .await?
            .into_iter()
            .map(|m| (m.code, m.name))
            .collect(),
    })
}

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let params = use_query_map();
    let account_id = account_param();
    let query = Memo::new(move |_| params.with(|p| PaymentsQuery::from_params(|key| p.get(key))));
    let data = Resource::new(
        move || (account_id.get().unwrap_or_default(), query.get()),
        |(account_id, query)| list_payments(account_id, query),
    );
    let i18n = use_i18n();
    view! {
        <Title text=format!("{} · paylinks", tu_string!(i18n, common.payments))/>
        <DashboardShell account_id>
            <Suspense fallback=move || view! { <p>{t!(i18n, payments.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <PaymentsTable data query=query.get()/> }.into_any(),
                        Err(AppError::Validation(errors)) => view! {
                            {crate::ui::context::set_page_status(AppError::Validation(errors.clone()).status())}
                            <h1>{t!(i18n, common.payments)}</h1>
                            <p class="alert alert-error" data-testid="filter-errors">{errors.to_string()}</p>
                            <p><a href=format!("/accounts/{}/payments", account_id.get().unwrap_or_default())>{t!(i18n, payments.clear_filters)}</a></p>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </DashboardShell>
    }
}

#[component]
fn PaymentsTable(data: PaymentsData, query: PaymentsQuery) -> impl IntoView {
    let base = format!("/accounts/{}/payments", data.account.id);
    let page_href = {
        let (base, query) = (base.clone(), query.first_page());
        move |after: Option<String>, before: Option<String>| {
            let q = PaymentsQuery {
                after: after.unwrap_or_default(),
                before: before.unwrap_or_default(),
                ..query.clone()
            };
            format!("{base}?{}", q.to_query_string())
        }
    };
    let next = data.next.clone().map(|c| page_href(Some(c), None));
    let prev = data.prev.clone().map(|c| page_href(None, Some(c)));
    let filtered = query.is_filtered();
    let totals = data.totals;
    let i18n = use_i18n();
    view! {
        <div class="page-head">
            <h1>{t!(i18n, common.payments)}<span class="muted">{format!(" · {}", data.account.name)}</span></h1>
            <div class="actions">
                <exports::ExportButtons account_id=data.account.id.0.clone() query=query.clone()/>
                <a href=format!("/accounts/{}/exports", data.account.id)>{t!(i18n, payments.exports)}</a>
            </div>
        </div>
        <Filters base=base.clone() query=query.clone() methods=data.methods.clone()/>
        <p class="totals" data-testid="totals">
            {tu_string!(
                i18n,
                payments.totals,
                total = totals.count,
                paid = totals.paid_count,
                gross = Rupiah(totals.gross),
                fee = Rupiah(totals.fee),
                net = Rupiah(totals.net)
            )
            .to_string()}
            {(totals.refunded > 0).then(|| format!(
                " · {}",
                tu_string!(
                    i18n,
                    payments.totals_refunded,
                    refunded = Rupiah(totals.refunded),
                    net = Rupiah(totals.net - totals.refunded)
                )
            ))}
        </p>
        {if data.rows.is_empty() {
            view! {
                <section class="empty">
                    {if filtered {
                        view! { <p>{t!(i18n, payments.no_match)}</p> }.into_any()
                    } else {
                        view! {
                            <h2>{t!(i18n, payments.empty_title)}</h2>
                            <p>{t!(i18n, payments.empty_detail)}</p>
                        }.into_any()
                    }}
                </section>
            }.into_any()
        } else {
            let rows = data.rows.clone();
            view! {
                <table class="table payments" data-testid="payments">
                    <thead>
                        <tr>
                            <th>{t!(i18n, payments.reference)}</th>
                            <th>{t!(i18n, payments.link)}</th>
                            <th>{t!(i18n, payments.method)}</th>
                            <th class="num">{t!(i18n, payments.amount)}</th>
                            <th class="num">{t!(i18n, payments.fee)}</th>
                            <th>{t!(i18n, payments.status)}</th>
                            <th>{t!(i18n, payments.customer)}</th>
                            <th>{t!(i18n, payments.created)}</th>
                            <th>{t!(i18n, payments.paid)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|row| view! { <PaymentLine row base=base.clone()/> }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <nav class="pager" aria-label=tu_string!(i18n, common.pagination).to_string()>
            {prev.map(|h| view! { <a href=h rel="prev">{t!(i18n, payments.newer)}</a> })}
            {(data.prev.is_some() || data.next.is_some()).then(|| {
                view! { <a href=format!("{base}?{}", query.first_page().to_query_string())>{t!(i18n, payments.first_page)}</a> }
            })}
            {next.map(|h| view! { <a href=h rel="next">{t!(i18n, payments.older)}</a> })}
        </nav>
    }
}

#[component]
fn PaymentLine(row: PaymentRow, base: String) -> impl IntoView {
    let a = row.attempt;
    let customer = [
        a.customer_name.clone(),
        a.customer_email.clone(),
        a.customer_phone.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <tr data-attempt=a.reff_no.clone()>
            <td><a href=format!("{base}/{}", a.id)><code>{a.reff_no.clone()}</code></a></td>
            <td><code>{a.payment_link_reff_no.clone()}</code></td>
            <td>{a.method_name.clone()}</td>
            <td class="num">{a.amount.to_string()}</td>
            <td class="num">{a.fee.to_string()}</td>
            <td>
                <span class=format!("badge badge-attempt-{}", row.status.as_str())>{row.status.label()}</span>
                {(a.refunded.value() > 0).then(|| view! {
                    " "<span class="badge badge-refunded">{a.refund_state().label()}</span>
                })}
            </td>
            <td>
                {if customer.is_empty() { "—".to_string() } else { customer }}
                {(!a.custom_values.is_empty()).then(|| view! {
                    <br/><span class="muted" data-testid="answers">{crate::domain::link::custom_fields::answers_line(&a.custom_values)}</span>
                })}
            </td>
            <td>{format_wib(a.created_at)}</td>
            <td>{a.payment_date.map(format_wib).unwrap_or_else(|| "—".into())}</td>
        </tr>
    }
}

#[component]
fn Filters(base: String, query: PaymentsQuery, methods: Vec<(String, String)>) -> impl IntoView {
    let statuses = [
        AttemptStatus::Pending,
        AttemptStatus::Paid,
        AttemptStatus::Expired,
        AttemptStatus::Failed,
    ];
    let q = query.clone();
    let i18n = use_i18n();
    let date = move |name: &'static str, label: String, value: String| {
        view! {
            <label class="field">{label}<input type="date" name=name value=value/></label>
        }
    };
    view! {
        <form method="get" action=base.clone() class="filters payment-filters">
            <input type="search" name="q" value=q.q.clone()
                placeholder=tu_string!(i18n, payments.search_placeholder).to_string()
                aria-label=tu_string!(i18n, payments.search).to_string()/>
            <select name="status" aria-label=tu_string!(i18n, payments.status).to_string()>
                <option value="" selected=q.status.is_empty()>{t!(i18n, payments.all_statuses)}</option>
                {statuses.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=q.status == s.as_str()>{s.label()}</option>
                }).collect_view()}
            </select>
            <select name="method" aria-label=tu_string!(i18n, payments.method).to_string()>
                <option value="" selected=q.method.is_empty()>{t!(i18n, payments.all_methods)}</option>
                {methods.into_iter().map(|(code, name)| {
                    let selected = q.method == code;
                    view! { <option value=code selected=selected>{name}</option> }
                }).collect_view()}
            </select>
            <input type="text" name="link" value=q.link.clone()
                placeholder=tu_string!(i18n, payments.link_reference).to_string()
                aria-label=tu_string!(i18n, payments.link_reference).to_string()/>
            <select name="settled" aria-label=tu_string!(i18n, payments.settled).to_string()>
                <option value="" selected=q.settled.is_empty()>{t!(i18n, payments.settled_or_not)}</option>
                <option value="yes" selected=q.settled == "yes">{t!(i18n, payments.settled)}</option>
                <option value="no" selected=q.settled == "no">{t!(i18n, payments.not_settled)}</option>
            </select>
            {date("created_from", tu_string!(i18n, payments.created_from).to_string(), q.created_from.clone())}
            {date("created_to", tu_string!(i18n, payments.to).to_string(), q.created_to.clone())}
            {date("paid_from", tu_string!(i18n, payments.paid_from).to_string(), q.paid_from.clone())}
            {date("paid_to", tu_string!(i18n, payments.to).to_string(), q.paid_to.clone())}
            {date("settled_from", tu_string!(i18n, payments.settled_from).to_string(), q.settled_from.clone())}
            {date("settled_to", tu_string!(i18n, payments.to).to_string(), q.settled_to.clone())}
            <input type="text" inputmode="numeric" name="amount_min" value=q.amount_min.clone()
                placeholder=tu_string!(i18n, payments.min_amount).to_string()
                aria-label=tu_string!(i18n, payments.minimum_amount).to_string()/>
            <input type="text" inputmode="numeric" name="amount_max" value=q.amount_max.clone()
                placeholder=tu_string!(i18n, payments.max_amount).to_string()
                aria-label=tu_string!(i18n, payments.maximum_amount).to_string()/>
            <select name="sort" aria-label=tu_string!(i18n, payments.sort_by).to_string()>
                <option value="created" selected=q.sort.is_empty() || q.sort == "created">{t!(i18n, payments.created)}</option>
                <option value="paid" selected=q.sort == "paid">{t!(i18n, payments.sort_paid)}</option>
                <option value="amount" selected=q.sort == "amount">{t!(i18n, payments.amount)}</option>
            </select>
            <select name="order" aria-label=tu_string!(i18n, payments.order).to_string()>
                <option value="desc" selected=q.order != "asc">{t!(i18n, payments.descending)}</option>
                <option value="asc" selected=q.order == "asc">{t!(i18n, payments.ascending)}</option>
            </select>
            <button type="submit">{t!(i18n, payments.filter)}</button>
            {query.is_filtered().then(|| view! { <a href=base.clone()>{t!(i18n, payments.clear)}</a> })}
        </form>
    }
}
