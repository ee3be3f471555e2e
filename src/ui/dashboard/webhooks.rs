//! Developers → Webhooks: where notifications go, a test event, and the delivery log with
//! resend.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::domain::time::format_wib_seconds;
use crate::domain::webhook::DeliveryStatus;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::model::{WebhookEvent, WebhookSettings};
use crate::ui::components::{form_errors, DashboardShell, ErrorPanel, FieldError, FormAlert};

pub const EVENTS_PER_PAGE: i64 = 25;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhooksData {
    pub settings: Option<WebhookSettings>,
    /// Deliveries are signed with a credential's client secret; without one they cannot go.
    pub has_credential: bool,
    pub events: Vec<WebhookEvent>,
    /// `before` of the next (older) page, when there is one.
    pub next_before: Option<i64>,
}

/// What "send test event" got back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestDelivery {
    pub event_id: String,
    pub response_status: Option<u16>,
    pub latency_ms: i64,
    pub error: Option<String>,
}

#[server(prefix = "/fn", endpoint = "webhooks")]
pub async fn get_webhooks(
    #[server(default)] status: String,
    #[server(default)] before: Option<i64>,
) -> Result<WebhooksData, AppError> {
    use crate::db::{credentials, webhooks};
    let (state, user) = crate::ui::context::signed_in().await?;
    let status = match status.as_str() {
        "" => None,
        s => Some(DeliveryStatus::parse(s).map_err(|e| AppError::field("status", e))?),
    };
    let mut events = webhooks::list_events(
        &state.db,
        user.merchant_id,
        status,
        before,
        EVENTS_PER_PAGE + 1,
    )
    .await?;
    let next_before = if events.len() as i64 > EVENTS_PER_PAGE {
        events.truncate(EVENTS_PER_PAGE as usize);
        events.last().map(|e| e.id)
    } else {
        None
    };
    let has_credential = credentials::list(&state.db, user.merchant_id)
        .await?
        .iter()
        .any(|c| c.revoked_at.is_none());
    Ok(WebhooksData {
        settings: webhooks::find_settings(&state.db, user.merchant_id).await?,
        has_credential,
        events,
        next_before,
    })
}

#[server(prefix = "/fn", endpoint = "webhook_settings")]
pub async fn save_webhook_settings(
    transaction_url: String,
    #[server(default)] inquiry_url: String,
    #[server(default)] enabled: Option<String>,
) -> Result<(), AppError> {
    use crate::service::webhooks::{save_settings, SettingsInput};
    let (state, actor) = crate::ui::context::acting().await?;
    let input = SettingsInput {
        transaction_url: &transaction_url,
        inquiry_url: &inquiry_url,
        enabled: enabled.is_some(),
    };
    save_settings(&state, &actor, input).await
}

#[server(prefix = "/fn", endpoint = "webhook_test")]
pub async fn send_test_webhook() -> Result<TestDelivery, AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    let (event_id, attempt) = crate::service::webhooks::send_test(&state, &actor).await?;
    Ok(TestDelivery {
        event_id,
        response_status: attempt.response_status,
        latency_ms: attempt.latency_ms,
        error: attempt.error,
    })
}

#[server(prefix = "/fn", endpoint = "webhook_resend")]
pub async fn resend_webhook(event_id: String) -> Result<(), AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    crate::service::webhooks::resend(&state, &actor, &event_id).await
}

#[server(prefix = "/fn", endpoint = "webhook_resend_failed")]
pub async fn resend_failed_webhooks() -> Result<u64, AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    crate::service::webhooks::resend_failed(&state, &actor).await
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let save = ServerAction::<SaveWebhookSettings>::new();
    let test = ServerAction::<SendTestWebhook>::new();
    let resend = ServerAction::<ResendWebhook>::new();
    let resend_failed = ServerAction::<ResendFailedWebhooks>::new();
    let query = use_query_map();
    let status = move || query.with(|q| q.get("status").unwrap_or_default());
    let before = move || query.with(|q| q.get("before").and_then(|b| b.parse::<i64>().ok()));
    let data = Resource::new(
        move || {
            (
                status(),
                before(),
                save.version().get(),
                test.version().get(),
                resend.version().get(),
                resend_failed.version().get(),
            )
        },
        |(status, before, ..)| get_webhooks(status, before),
    );
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, webhooks.page_title).to_string()/>
        <DashboardShell account_id=Signal::derive(|| None::<String>)>
            <div class="page-head">
                <h1>{t!(i18n, webhooks.title)}</h1>
                <a href="/developers">{t!(i18n, webhooks.back_credentials)}</a>
            </div>
            <Transition fallback=move || view! { <p>{t!(i18n, webhooks.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! {
                            <SettingsForm data=data.clone() save test/>
                            <DeliveryLog data status=status() resend resend_failed/>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Transition>
        </DashboardShell>
    }
}

#[component]
fn SettingsForm(
    data: WebhooksData,
    save: ServerAction<SaveWebhookSettings>,
    test: ServerAction<SendTestWebhook>,
) -> impl IntoView {
    let errors = Signal::derive(move || form_errors(save.value().get()));
    let test_errors = Signal::derive(move || form_errors(test.value().get()));
    let saved = Signal::derive(move || save.value().get());
    let settings = data.settings.clone();
    let value =
        move |f: fn(&WebhookSettings) -> String| settings.as_ref().map(f).unwrap_or_default();
    let enabled = data.settings.as_ref().is_none_or(|s| s.enabled);
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{t!(i18n, webhooks.settings_title)}</h2>
            <p class="hint">
                {t!(i18n, webhooks.signing_1)}
                <code>"X-Signature"</code>{t!(i18n, webhooks.signing_2)}
                <code>{t!(i18n, webhooks.signing_formula)}</code>
                {t!(i18n, webhooks.signing_3)}
                <code>"X-Event-ID"</code>{t!(i18n, webhooks.signing_4)}
            </p>
            {(!data.has_credential).then(|| view! {
                <p class="alert alert-error" data-testid="no-credential">
                    {t!(i18n, webhooks.no_credential)}
                </p>
            })}
            <FormAlert result=saved/>
            <ActionForm action=save attr:class="form">
                <label for="transaction_url">{t!(i18n, webhooks.transaction_url)}</label>
                <input type="url" id="transaction_url" name="transaction_url" required
                        placeholder="https://shop.example.com/webhooks/paylinks"
                        value=value(|s| s.transaction_url.clone())/>
                <FieldError errors field="transaction_url"/>
                <p class="hint">{t!(i18n, webhooks.transaction_hint)}</p>
                <label for="inquiry_url">{t!(i18n, webhooks.inquiry_url)}</label>
                <input type="url" id="inquiry_url" name="inquiry_url"
                    value=value(|s| s.inquiry_url.clone().unwrap_or_default())/>
                <FieldError errors field="inquiry_url"/>
                <p class="hint">{t!(i18n, webhooks.inquiry_hint_before)}<code>"payment_link.inquiry.expired"</code>{t!(i18n, webhooks.inquiry_hint_after)}</p>
                <label class="check">
                    <input type="checkbox" name="enabled" value="yes" checked=enabled/>
                    {t!(i18n, webhooks.send_notifications)}
                </label>
                <button type="submit" class="primary">{t!(i18n, webhooks.save)}</button>
            </ActionForm>
            {data.settings.is_some().then(|| view! {
                <ActionForm action=test attr:class="inline-form">
                    <button type="submit">{t!(i18n, webhooks.send_test)}</button>
                </ActionForm>
            })}
            <FieldError errors=test_errors field="transaction_url"/>
            {move || test.value().get().and_then(Result::ok).map(|t| view! {
                <p class=if t.error.is_none() && t.response_status.is_some_and(|s| (200..300).contains(&s)) { "alert alert-info" } else { "alert alert-error" }
                    data-testid="test-result">
                    {describe_test(&t)}
                </p>
            })}
        </section>
    }
}

fn describe_test(t: &TestDelivery) -> String {
    match (&t.error, t.response_status) {
        (Some(error), _) => crate::tr!(
            webhooks.test_not_delivered,
            event_id = t.event_id.clone(),
            error = error.clone()
        ),
        (None, Some(status)) => crate::tr!(
            webhooks.test_answered,
            event_id = t.event_id.clone(),
            status = status,
            ms = t.latency_ms
        ),
        (None, None) => crate::tr!(webhooks.test_no_answer, event_id = t.event_id.clone()),
    }
}

#[component]
fn DeliveryLog(
    data: WebhooksData,
    status: String,
    resend: ServerAction<ResendWebhook>,
    resend_failed: ServerAction<ResendFailedWebhooks>,
) -> impl IntoView {
    let resent = Signal::derive(move || resend.value().get());
    let resent_all = Signal::derive(move || resend_failed.value().get());
    let older = data.next_before.map(|before| {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("status", &status)
            .append_pair("before", &before.to_string())
            .finish();
        format!("/developers/webhooks?{query}")
    });
    let filtered = !status.is_empty();
    let i18n = use_i18n();
    view! {
        <div class="page-head">
            <h2>{t!(i18n, webhooks.delivery_log)}</h2>
            <ActionForm action=resend_failed attr:class="inline-form">
                <button type="submit">{t!(i18n, webhooks.resend_all_failed)}</button>
            </ActionForm>
        </div>
        <FormAlert result=resent/>
        {move || resent_all.get().and_then(Result::ok).map(|n| view! {
            <p class="alert alert-info">{tu_string!(i18n, webhooks.requeued, n = n).to_string()}</p>
        })}
        <form method="get" action="/developers/webhooks" class="filters">
            <select name="status" aria-label=tu_string!(i18n, webhooks.status).to_string()>
                <option value="" selected=status.is_empty()>{t!(i18n, webhooks.all_statuses)}</option>
                {DeliveryStatus::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=status == s.as_str()>{label(s)}</option>
                }).collect_view()}
            </select>
            <button type="submit">{t!(i18n, webhooks.filter)}</button>
            {filtered.then(|| view! { <a href="/developers/webhooks">{t!(i18n, webhooks.clear)}</a> })}
        </form>
        {if data.events.is_empty() {
            view! {
                <section class="empty">
                    <p>{t!(i18n, webhooks.empty)}</p>
                </section>
            }.into_any()
        } else {
            view! {
                <table class="table" data-testid="webhook-events">
                    <thead>
                        <tr><th>{t!(i18n, webhooks.event)}</th><th>{t!(i18n, webhooks.event_type)}</th><th>{t!(i18n, webhooks.status)}</th><th>{t!(i18n, webhooks.tries)}</th><th>{t!(i18n, webhooks.last_answer)}</th><th>{t!(i18n, webhooks.created)}</th><th></th></tr>
                    </thead>
                    <tbody>
                        {data.events.into_iter().map(|e| view! { <EventRow event=e resend/> }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {older.map(|href| view! { <nav class="pager"><a href=href rel="next">{t!(i18n, webhooks.older)}</a></nav> })}
    }
}

#[component]
fn EventRow(event: WebhookEvent, resend: ServerAction<ResendWebhook>) -> impl IntoView {
    let i18n = use_i18n();
    let last = match (&event.last_error, event.last_response_status) {
        (Some(error), _) => error.clone(),
        (None, Some(status)) => format!("HTTP {status}"),
        (None, None) => "—".into(),
    };
    let next = (event.status == DeliveryStatus::Pending && event.attempts > 0).then(|| {
        tu_string!(
            i18n,
            webhooks.next_try,
            at = format_wib_seconds(event.next_attempt_at)
        )
        .to_string()
    });
    let event_id = event.event_id.clone();
    view! {
        <tr data-event-id=event.event_id.clone()>
            <td><a href=format!("/developers/webhooks/{}", event.event_id)><code>{event.event_id.clone()}</code></a></td>
            <td><code>{event.event_type}</code></td>
            <td><span class=format!("badge badge-delivery-{}", event.status.as_str())>{label(event.status)}</span>{next}</td>
            <td>{event.attempts}</td>
            <td>{last}</td>
            <td>{format_wib_seconds(event.created_at)}</td>
            <td class="actions">
                <ActionForm action=resend attr:class="inline-form">
                    <input type="hidden" name="event_id" value=event_id/>
                    <button type="submit">{t!(i18n, webhooks.resend)}</button>
                </ActionForm>
            </td>
        </tr>
    }
}

pub fn label(status: DeliveryStatus) -> String {
    match status {
        DeliveryStatus::Pending => crate::tr!(webhooks.status_pending),
        DeliveryStatus::Delivered => crate::tr!(webhooks.status_delivered),
        DeliveryStatus::Failed => crate::tr!(webhooks.status_failed),
    }
}
