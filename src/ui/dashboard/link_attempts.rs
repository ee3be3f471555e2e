//! A link's payment attempts on its dashboard page, with a simulate button in sandbox mode.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::attempt::AttemptStatus;
use crate::domain::time::format_wib;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::model::PaymentAttempt;
use crate::ui::components::FormAlert;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkAttempts {
    pub attempts: Vec<AttemptRow>,
    pub is_sandbox: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptRow {
    pub attempt: PaymentAttempt,
    /// Computed on the server: a pending attempt past its expiry shows as expired.
    pub status: AttemptStatus,
}

#[server(prefix = "/fn", endpoint = "link_attempts")]
pub async fn get_link_attempts(account_id: String, link_id: i64) -> Result<LinkAttempts, AppError> {
    let account_id = crate::domain::ids::AccountId::from(account_id);
    let (state, user) = crate::ui::context::signed_in().await?;
    let link = crate::ui::context::own_link(&state, user.merchant_id, &account_id, link_id).await?;
    let now = state.now_ms();
    let attempts = crate::db::histories::list_for_link(&state.db, link.id)
        .await?
        .into_iter()
        .map(|attempt| AttemptRow {
            status: attempt.status_computed(now),
            attempt,
        })
        .collect();
    Ok(LinkAttempts {
        attempts,
        is_sandbox: state.provider.is_sandbox(),
    })
}

/// Sandbox only: pays a pending attempt through the provider's signed callback.
#[server(prefix = "/fn", endpoint = "attempt_simulate")]
pub async fn simulate_attempt(
    account_id: String,
    link_id: i64,
    reff_no: String,
) -> Result<(), AppError> {
    let account_id = crate::domain::ids::AccountId::from(account_id);
    let (state, actor) = crate::ui::context::acting().await?;
    let link =
        crate::ui::context::own_link(&state, actor.merchant_id(), &account_id, link_id).await?;
    let attempt = crate::db::histories::find_on_link(&state.db, link.id, &reff_no).await?;
    crate::service::payments::simulate(&state, &actor, &attempt).await
}

#[component]
pub fn LinkAttemptsSection(account_id: String, link_id: i64) -> impl IntoView {
    let simulate = ServerAction::<SimulateAttempt>::new();
    let attempts = Resource::new(
        {
            let account_id = account_id.clone();
            move || (account_id.clone(), simulate.version().get())
        },
        move |(account_id, _)| get_link_attempts(account_id, link_id),
    );
    let result = Signal::derive(move || simulate.value().get());
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{t!(i18n, common.payments)}</h2>
            <FormAlert result/>
            <Suspense fallback=move || view! { <p>{t!(i18n, links.loading)}</p> }>
                {move || {
                    let account_id = account_id.clone();
                    Suspend::new(async move {
                        let data = attempts.await.ok()?;
                        Some(view! { <AttemptsTable data account_id link_id simulate/> })
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn AttemptsTable(
    data: LinkAttempts,
    account_id: String,
    link_id: i64,
    simulate: ServerAction<SimulateAttempt>,
) -> impl IntoView {
    let i18n = use_i18n();
    if data.attempts.is_empty() {
        return view! { <p class="muted">{t!(i18n, links.no_payments)}</p> }.into_any();
    }
    let sandbox = data.is_sandbox;
    let status_label = move |status: AttemptStatus| match status {
        AttemptStatus::Pending => tu_string!(i18n, links.attempt_pending),
        AttemptStatus::Paid => tu_string!(i18n, links.attempt_paid),
        AttemptStatus::Failed => tu_string!(i18n, links.attempt_failed),
        AttemptStatus::Expired => tu_string!(i18n, links.attempt_expired),
    };
    view! {
        <table class="table attempts">
            <thead>
                <tr>
                    <th>{t!(i18n, links.reference)}</th>
                    <th>{t!(i18n, links.method)}</th>
                    <th class="num">{t!(i18n, links.amount)}</th>
                    <th class="num">{t!(i18n, links.fee)}</th>
                    <th>{t!(i18n, links.status)}</th>
                    <th>{t!(i18n, links.customer)}</th>
                    <th>{t!(i18n, links.created)}</th>
                    <th>{t!(i18n, links.paid)}</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>
                {data.attempts.into_iter().map(|row| {
                    let a = row.attempt;
                    // A gateway's attempts are paid at the gateway, never by pretending here.
                    let simulable = row.status == AttemptStatus::Pending
                        && a.gateway_connection_id.is_none();
                    let customer = [a.customer_name.clone(), a.customer_email.clone(), a.customer_phone.clone()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · ");
                    let (account_id, reff) = (account_id.clone(), a.reff_no.clone());
                    view! {
                        <tr data-attempt=a.reff_no.clone()>
                            <td><code>{a.reff_no.clone()}</code></td>
                            <td>{a.method_name.clone()}</td>
                            <td class="num">{a.amount.to_string()}</td>
                            <td class="num">{a.fee.to_string()}</td>
                            <td><span class=format!("badge badge-attempt-{}", row.status.as_str())>{status_label(row.status)}</span></td>
                            <td>{if customer.is_empty() { "—".to_string() } else { customer }}</td>
                            <td>{format_wib(a.created_at)}</td>
                            <td>{a.payment_date.map(format_wib).unwrap_or_else(|| "—".into())}</td>
                            <td>
                                {(simulable && sandbox).then(|| view! {
                                    <ActionForm action=simulate attr:class="inline-form">
                                        <input type="hidden" name="account_id" value=account_id/>
                                        <input type="hidden" name="link_id" value=link_id/>
                                        <input type="hidden" name="reff_no" value=reff/>
                                        <button type="submit">{t!(i18n, links.simulate)}</button>
                                    </ActionForm>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
