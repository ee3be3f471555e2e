//! A payment's refunds on its page: the list, a form to refund all or part of what is left
//! (owners and admins, confirmed), and for a refund the merchant transfers themselves,
//! buttons to confirm it was sent or to cancel it.

use leptos::prelude::*;

use crate::domain::refund::RefundStatus;
use crate::domain::time::format_wib;
use crate::domain::Rupiah;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::model::Refund;
use crate::ui::components::{form_errors, FieldError, FormAlert};

#[server(prefix = "/fn", endpoint = "refund")]
pub async fn refund_payment(
    account_id: String,
    history_id: i64,
    amount: String,
    #[server(default)] reason: String,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    let amount = Rupiah::parse(&amount).map_err(|message| AppError::field("amount", message))?;
    if confirm.is_none() {
        return Err(AppError::field(
            "confirm",
            crate::tr!(payments.confirm_refund),
        ));
    }
    crate::service::refunds::create(
        &state,
        &actor,
        &crate::domain::ids::AccountId::from(account_id),
        crate::domain::ids::AttemptId(history_id),
        amount.value(),
        &reason,
    )
    .await
    .map(|_| ())
}

/// Ends a refund the merchant transfers themselves: `sent` when the money went back.
#[server(prefix = "/fn", endpoint = "refund_end")]
pub async fn end_refund(
    refund_id: i64,
    #[server(default)] sent: Option<String>,
) -> Result<(), AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    if sent.is_some() {
        crate::service::refunds::confirm(&state, &actor, refund_id).await?;
    } else {
        crate::service::refunds::cancel(&state, &actor, refund_id).await?;
    }
    Ok(())
}

#[component]
pub fn RefundsSection(
    account_id: String,
    history_id: i64,
    refunds: Vec<Refund>,
    /// What can still be refunded; `None` when the payment is not paid or the member may not.
    refundable: Option<Rupiah>,
    refund: ServerAction<RefundPayment>,
    end: ServerAction<EndRefund>,
) -> impl IntoView {
    let result = Signal::derive(move || refund.value().get());
    let ended = Signal::derive(move || end.value().get());
    let errors = Signal::derive(move || form_errors(refund.value().get()));
    let can_end = refundable.is_some();
    let i18n = use_i18n();
    let rows = refunds
        .into_iter()
        .map(|r| {
            let waiting = r.manual && r.status == RefundStatus::Pending && can_end;
            let at_gateway = !r.manual && r.status == RefundStatus::Pending;
            view! {
                <tr data-testid="refund">
                    <td>{format_wib(r.created_at)}</td>
                    <td class="num">{r.amount.to_string()}</td>
                    <td>{r.reason.clone()}</td>
                    <td>
                        <span class=format!("badge badge-refund-{}", r.status.as_str())>{r.status.label()}</span>
                        {r.failure_reason.clone().map(|why| view! { " "<span class="muted">{crate::domain::refund::failure_in_words(&why)}</span> })}
                    </td>
                    <td>{r.requested_by.clone()}</td>
                    <td>
                        {at_gateway.then(|| view! {
                            <p class="muted">{t!(i18n, payments.at_gateway)}</p>
                        })}
                        {waiting.then(|| view! {
                            <p class="muted">{t!(i18n, payments.transfer_back)}</p>
                            <ActionForm action=end attr:class="inline-form">
                                <input type="hidden" name="refund_id" value=r.id/>
                                <input type="hidden" name="sent" value="yes"/>
                                <button type="submit">{t!(i18n, payments.money_sent)}</button>
                            </ActionForm>
                            <ActionForm action=end attr:class="inline-form">
                                <input type="hidden" name="refund_id" value=r.id/>
                                <button type="submit" class="danger">{t!(i18n, payments.cancel_refund)}</button>
                            </ActionForm>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" data-testid="refunds">
            <h2>{t!(i18n, payments.refunds_title)}</h2>
            <FormAlert result=ended/>
            <div class="table-scroll">
                <table class="table">
                    <thead><tr>
                        <th>{t!(i18n, payments.asked)}</th><th class="num">{t!(i18n, payments.amount)}</th><th>{t!(i18n, payments.reason)}</th>
                        <th>{t!(i18n, payments.state)}</th><th>{t!(i18n, payments.by)}</th><th></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {refundable.filter(|left| left.value() > 0).map(|left| view! {
                <FormAlert result/>
                <ActionForm action=refund attr:class="form">
                    <input type="hidden" name="account_id" value=account_id.clone()/>
                    <input type="hidden" name="history_id" value=history_id/>
                    <label for="refund-amount">{tu_string!(i18n, payments.amount_to_refund, left = left).to_string()}</label>
                    // The property too: after a refund the field shows what is left, not what was typed.
                    <input
                        id="refund-amount"
                        name="amount"
                        inputmode="numeric"
                        required
                        value=left.value().to_string()
                        prop:value=left.value().to_string()
                    />
                    <FieldError errors field="amount"/>
                    <label for="refund-reason">{t!(i18n, payments.reason_optional)}</label>
                    <input id="refund-reason" name="reason" maxlength="200" prop:value=String::new()/>
                    <FieldError errors field="reason"/>
                    <label class="check">
                        <input type="checkbox" name="confirm" value="yes"/>
                        {t!(i18n, payments.confirm_check)}
                    </label>
                    <FieldError errors field="confirm"/>
                    <button type="submit" class="danger">{t!(i18n, payments.refund)}</button>
                </ActionForm>
            })}
        </section>
    }
}
