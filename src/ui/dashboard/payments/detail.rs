//! One payment (history): everything recorded about it, and its link.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::domain::attempt::AttemptStatus;
use crate::domain::time::format_wib_seconds;
use crate::domain::Rupiah;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::model::{PaymentAttempt, ProviderNotification, Refund};
use crate::ui::components::{account_param, DashboardShell, ErrorPanel, FormAlert};
use crate::ui::dashboard::link_attempts::SimulateAttempt;
use crate::ui::dashboard::payments::refunds::{EndRefund, RefundPayment, RefundsSection};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentDetail {
    pub attempt: PaymentAttempt,
    pub status: AttemptStatus,
    pub link_title: String,
    pub is_sandbox: bool,
    /// Who issued it: `Issuer::Sandbox`, or the merchant's gateway connection.
    pub issuer: Issuer,
    /// What the provider told us about it, newest first.
    pub notifications: Vec<ProviderNotification>,
    pub refunds: Vec<Refund>,
    /// What is left to refund, for a paid payment and a member who may refund.
    pub refundable: Option<Rupiah>,
    /// The payer's receipt, in words: emailed, waiting, not sent, or why there is none.
    pub receipt: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Issuer {
    Sandbox,
    Gateway {
        /// `None`: the connection was removed since.
        connection: Option<crate::model::GatewayConnection>,
        reference: Option<String>,
    },
}

impl Issuer {
    fn describe(&self) -> String {
        match self {
            Issuer::Sandbox => crate::tr!(payments.issuer_sandbox),
            Issuer::Gateway { connection, .. } => match connection {
                Some(c) => format!("{} ({})", c.gateway.label(), c.mode.as_str()),
                None => crate::tr!(payments.issuer_removed),
            },
        }
    }
}

#[server(prefix = "/fn", endpoint = "payment")]
pub async fn get_payment(account_id: String, history_id: i64) -> Result<PaymentDetail, AppError> {
    let account_id = crate::domain::ids::AccountId::from(account_id);
    let (state, user) = crate::ui::context::signed_in().await?;
    let attempt = crate::db::histories::find_in_account(
        &state.db,
        user.merchant_id,
        &account_id,
        crate::domain::ids::AttemptId(history_id),
    )
    .await?;
    let link = crate::db::links::find(
        &state.db,
        user.merchant_id,
        &account_id,
        attempt.payment_link_id,
    )
    .await?;
    let notifications = crate::db::notifications::for_attempt(&state.db, &attempt.reff_no).await?;
    let refunds = crate::db::refunds::for_history(&state.db, attempt.id).await?;
    let may_refund = user.role.allows(crate::domain::merchant::Access::Write);
    let refundable = (may_refund && attempt.status == AttemptStatus::Paid)
        .then(|| Rupiah(attempt.amount.value() - attempt.refund_reserved.value()));
    let issuer = match attempt.gateway_connection_id {
        None => Issuer::Sandbox,
        Some(id) => Issuer::Gateway {
            connection: crate::db::gateways::list(&state.db, user.merchant_id)
                .await?
                .into_iter()
                .find(|c| c.id == id),
            reference: attempt.gateway_reference.clone(),
        },
    };
    let receipt = match crate::db::emails::receipt_status(&state.db, attempt.id).await? {
        Some(status) => match status.as_str() {
            "sent" => crate::tr!(payments.receipt_sent),
            "pending" => crate::tr!(payments.receipt_pending),
            _ => crate::tr!(payments.receipt_failed),
        },
        None if state.mailer.is_none() => crate::tr!(payments.receipt_mail_off),
        None if attempt.customer_email.as_deref().is_none_or(str::is_empty) => {
            crate::tr!(payments.receipt_no_email)
        }
        None => crate::tr!(payments.receipt_none),
    };
    Ok(PaymentDetail {
        receipt,
        issuer,
        refunds,
        refundable,
        status: attempt.status_computed(state.now_ms()),
        notifications,
        attempt,
        link_title: link.title,
        is_sandbox: state.provider.is_sandbox(),
    })
}

#[component]
pub fn PaymentPage() -> impl IntoView {
    let params = use_params_map();
    let account_id = account_param();
    let simulate = ServerAction::<SimulateAttempt>::new();
    let refund = ServerAction::<RefundPayment>::new();
    let end = ServerAction::<EndRefund>::new();
    let history_id = move || {
        params.with(|p| {
            p.get("history_id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(0)
        })
    };
    // Read again only after a refund went through: a refused one keeps what was typed.
    let refunded = Memo::new(move |before: Option<&usize>| {
        if refund.value().with(|result| matches!(result, Some(Ok(_)))) {
            refund.version().get()
        } else {
            before.copied().unwrap_or_default()
        }
    });
    let data = Resource::new(
        move || {
            (
                account_id.get().unwrap_or_default(),
                history_id(),
                simulate.version().get(),
                refunded.get(),
                end.version().get(),
            )
        },
        |(account_id, history_id, ..)| get_payment(account_id, history_id),
    );
    let simulated = Signal::derive(move || simulate.value().get());
    let i18n = use_i18n();
    view! {
        <Title text=format!("{} · paylinks", tu_string!(i18n, payments.payment))/>
        <DashboardShell account_id>
            <FormAlert result=simulated/>
            <Suspense fallback=move || view! { <p>{t!(i18n, payments.loading)}</p> }>
                {move || Suspend::new(async move {
                    let account_id = account_id.get().unwrap_or_default();
                    match data.await {
                        Ok(data) => view! { <Detail data account_id simulate refund end/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </DashboardShell>
    }
}

#[component]
fn Detail(
    data: PaymentDetail,
    account_id: String,
    simulate: ServerAction<SimulateAttempt>,
    refund: ServerAction<RefundPayment>,
    end: ServerAction<EndRefund>,
) -> impl IntoView {
    let a = data.attempt;
    let i18n = use_i18n();
    let refunded =
        (a.refunded.value() > 0).then(|| format!("{} ({})", a.refunded, a.refund_state().label()));
    let show_refunds = !data.refunds.is_empty() || data.refundable.is_some();
    let when = |ms: Option<i64>| ms.map(format_wib_seconds).unwrap_or_else(|| "—".into());
    let text = |s: &Option<String>| s.clone().unwrap_or_else(|| "—".into());
    let units = tu_string!(i18n, payments.units, units = a.units).to_string();
    let link_href = format!("/accounts/{account_id}/links/{}", a.payment_link_id);
    // Only the sandbox's own attempts can be paid by pretending; a gateway's are paid there.
    let can_simulate =
        data.is_sandbox && data.status == AttemptStatus::Pending && data.issuer == Issuer::Sandbox;
    let gateway_reference = match &data.issuer {
        Issuer::Gateway {
            reference: Some(r), ..
        } => Some(r.clone()),
        _ => None,
    };
    view! {
        <p><a href=format!("/accounts/{account_id}/payments")>{t!(i18n, payments.back_to_payments)}</a></p>
        <div class="page-head">
            <h1>{format!("{} ", tu_string!(i18n, payments.payment))}<code>{a.reff_no.clone()}</code></h1>
            <span class=format!("badge badge-attempt-{}", data.status.as_str()) data-testid="payment-status">
                {data.status.label()}
            </span>
        </div>
        {a.flag.map(|flag| view! {
            <p class="alert alert-warning" role="status" data-testid="payment-flag">
                {flag.describe(i18n.get_locale_untracked().into())}
            </p>
        })}
        <section class="card">
            <dl class="fields">
                <dt>{t!(i18n, payments.link)}</dt>
                <dd><a href=link_href>{data.link_title}</a>" · "<code>{a.payment_link_reff_no.clone()}</code></dd>
                <dt>{t!(i18n, payments.method)}</dt><dd>{a.method_name.clone()}" ("<code>{a.method_code.clone()}</code>")"</dd>
                <dt>{t!(i18n, payments.issued_by)}</dt>
                <dd data-testid="payment-issuer">
                    {data.issuer.describe()}
                    {gateway_reference.map(|r| view! { " · "<code>{r}</code> })}
                </dd>
                <dt>{t!(i18n, payments.pay_to)}</dt><dd><code class="excerpt">{a.value.clone()}</code></dd>
                <dt>{t!(i18n, payments.amount)}</dt><dd>{a.amount.to_string()}</dd>
                {a.custom_values.iter().map(|answer| view! {
                    <dt>{answer.label.clone()}</dt><dd data-testid="answer">{answer.value.clone()}</dd>
                }).collect_view()}
                {a.quantities.clone().map(|quantities| view! {
                    <dt>{t!(i18n, payments.quantities)}</dt>
                    <dd data-testid="quantities">{quantities.iter().map(ToString::to_string).collect::<Vec<_>>().join(" · ")}" "{units}</dd>
                })}
                <dt>{t!(i18n, payments.fee)}</dt><dd>{a.fee.to_string()}</dd>
                <dt>{t!(i18n, payments.net)}</dt><dd>{a.net_amount.to_string()}</dd>
                {refunded.map(|text| view! {
                    <dt>{t!(i18n, payments.refunded)}</dt><dd data-testid="payment-refunded">{text}</dd>
                })}
                <dt>{t!(i18n, payments.customer)}</dt>
                <dd>{text(&a.customer_name)}" · "{text(&a.customer_email)}" · "{text(&a.customer_phone)}</dd>
                <dt>{t!(i18n, payments.created)}</dt><dd>{format_wib_seconds(a.created_at)}</dd>
                <dt>{t!(i18n, payments.expires)}</dt><dd>{format_wib_seconds(a.expired_at)}</dd>
                <dt>{t!(i18n, payments.paid)}</dt><dd>{when(a.payment_date)}</dd>
                <dt>{t!(i18n, payments.receipt)}</dt><dd data-testid="payment-receipt">{data.receipt}</dd>
                <dt>{t!(i18n, payments.settled)}</dt><dd>{if a.has_settle { when(a.settle_at) } else { tu_string!(i18n, payments.not_yet).to_string() }}</dd>
                <dt>{t!(i18n, payments.payer_ip)}</dt><dd>{text(&a.ip_address)}</dd>
            </dl>
        </section>
        <Notifications notifications=data.notifications/>
        {show_refunds.then(|| view! {
            <RefundsSection
                account_id=account_id.clone()
                history_id=a.id.0
                refunds=data.refunds
                refundable=data.refundable
                refund
                end
            />
        })}
        {can_simulate.then(|| view! {
            <ActionForm action=simulate attr:class="inline-form">
                <input type="hidden" name="account_id" value=account_id.clone()/>
                <input type="hidden" name="link_id" value=a.payment_link_id.0/>
                <input type="hidden" name="reff_no" value=a.reff_no.clone()/>
                <button type="submit">{t!(i18n, payments.simulate)}</button>
            </ActionForm>
        })}
    }
}

/// The provider's notifications about this payment: a merchant sees one still waiting to be
/// applied (and why), or refused (a wrong amount, an ended attempt).
#[component]
fn Notifications(notifications: Vec<ProviderNotification>) -> impl IntoView {
    if notifications.is_empty() {
        return None;
    }
    let i18n = use_i18n();
    let rows = notifications
        .into_iter()
        .map(|n| {
            let state = match n.status.as_str() {
                "received" => tu_string!(i18n, payments.notice_waiting),
                "applied" => tu_string!(i18n, payments.notice_applied),
                _ => tu_string!(i18n, payments.notice_refused),
            };
            view! {
                <tr data-testid="provider-notification">
                    <td>{format_wib_seconds(n.received_at)}</td>
                    <td><code>{n.transaction_id}</code></td>
                    <td>{crate::domain::Rupiah(n.amount).to_string()}</td>
                    <td>{state}</td>
                    <td>{n.outcome.unwrap_or_default()}</td>
                    <td>{n.tries}</td>
                </tr>
            }
        })
        .collect_view();
    Some(view! {
        <section class="card">
            <h2>{t!(i18n, payments.notifications_title)}</h2>
            <div class="table-scroll">
                <table class="table">
                    <thead><tr>
                        <th>{t!(i18n, payments.received)}</th><th>{t!(i18n, payments.transaction)}</th><th>{t!(i18n, payments.amount)}</th>
                        <th>{t!(i18n, payments.state)}</th><th>{t!(i18n, payments.outcome)}</th><th>{t!(i18n, payments.tries)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    })
}
