//! Developers → Webhooks: where notifications go, a test event, and the delivery log with
//! resend.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::domain::time::format_wib_seconds;
use crate::domain::webhook::DeliveryStatus;
use crate::error::AppError;
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
    view! {
        <Title text="Webhooks · paylinks"/>
        <DashboardShell account_id=Signal::derive(|| None::<String>)>
            <div class="page-head">
                <h1>"Webhooks"</h1>
                <a href="/developers">"← API credentials"</a>
            </div>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
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
    view! {
        <section class="card">
            <h2>"Notification settings"</h2>
            <p class="hint">
                "Each delivery is a POST signed as Singapay signs its webhooks: "
                <code>"X-Signature"</code>" is HMAC-SHA512 with your API credential's client secret over "
                <code>"POST:{path}:{token}:{sha256 of the body with sorted keys}:{X-Timestamp}"</code>
                ". Answer 2xx within 10 seconds; anything else is retried for about four days. "
                <code>"X-Event-ID"</code>" stays the same across retries, so you can ignore repeats."
            </p>
            {(!data.has_credential).then(|| view! {
                <p class="alert alert-error" data-testid="no-credential">
                    "Create an API credential first: deliveries are signed with its client secret."
                </p>
            })}
            <FormAlert result=saved/>
            <ActionForm action=save attr:class="form">
                <label for="transaction_url">"Transaction notification URL"</label>
                <input type="url" id="transaction_url" name="transaction_url" required
                        placeholder="https://shop.example.com/webhooks/paylinks"
                        value=value(|s| s.transaction_url.clone())/>
                <FieldError errors field="transaction_url"/>
                <p class="hint">"Payments, expiries, failures and exhausted links."</p>
                <label for="inquiry_url">"Inquiry notification URL (optional)"</label>
                <input type="url" id="inquiry_url" name="inquiry_url"
                    value=value(|s| s.inquiry_url.clone().unwrap_or_default())/>
                <FieldError errors field="inquiry_url"/>
                <p class="hint">"Receives "<code>"payment_link.inquiry.expired"</code>" when a payer's attempt expires."</p>
                <label class="check">
                    <input type="checkbox" name="enabled" value="yes" checked=enabled/>
                    "Send notifications"
                </label>
                <button type="submit" class="primary">"Save"</button>
            </ActionForm>
            {data.settings.is_some().then(|| view! {
                <ActionForm action=test attr:class="inline-form">
                    <button type="submit">"Send test event"</button>
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
        (Some(error), _) => format!("Test event {} not delivered: {error}", t.event_id),
        (None, Some(status)) => format!(
            "Test event {} answered HTTP {status} in {} ms.",
            t.event_id, t.latency_ms
        ),
        (None, None) => format!("Test event {} got no answer.", t.event_id),
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
    view! {
        <div class="page-head">
            <h2>"Delivery log"</h2>
            <ActionForm action=resend_failed attr:class="inline-form">
                <button type="submit">"Resend all failed"</button>
            </ActionForm>
        </div>
        <FormAlert result=resent/>
        {move || resent_all.get().and_then(Result::ok).map(|n| view! {
            <p class="alert alert-info">{format!("{n} failed event(s) queued again.")}</p>
        })}
        <form method="get" action="/developers/webhooks" class="filters">
            <select name="status" aria-label="Status">
                <option value="" selected=status.is_empty()>"All statuses"</option>
                {DeliveryStatus::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=status == s.as_str()>{label(s)}</option>
                }).collect_view()}
            </select>
            <button type="submit">"Filter"</button>
            {filtered.then(|| view! { <a href="/developers/webhooks">"Clear"</a> })}
        </form>
        {if data.events.is_empty() {
            view! {
                <section class="empty">
                    <p>"No events yet. They appear here when payers pay, attempts expire or you send a test event."</p>
                </section>
            }.into_any()
        } else {
            view! {
                <table class="table" data-testid="webhook-events">
                    <thead>
                        <tr><th>"Event"</th><th>"Type"</th><th>"Status"</th><th>"Tries"</th><th>"Last answer"</th><th>"Created"</th><th></th></tr>
                    </thead>
                    <tbody>
                        {data.events.into_iter().map(|e| view! { <EventRow event=e resend/> }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {older.map(|href| view! { <nav class="pager"><a href=href rel="next">"Older events →"</a></nav> })}
    }
}

#[component]
fn EventRow(event: WebhookEvent, resend: ServerAction<ResendWebhook>) -> impl IntoView {
    let last = match (&event.last_error, event.last_response_status) {
        (Some(error), _) => error.clone(),
        (None, Some(status)) => format!("HTTP {status}"),
        (None, None) => "—".into(),
    };
    let next = (event.status == DeliveryStatus::Pending && event.attempts > 0)
        .then(|| format!(" · next try {}", format_wib_seconds(event.next_attempt_at)));
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
                    <button type="submit">"Resend"</button>
                </ActionForm>
            </td>
        </tr>
    }
}

pub fn label(status: DeliveryStatus) -> &'static str {
    match status {
        DeliveryStatus::Pending => "Pending",
        DeliveryStatus::Delivered => "Delivered",
        DeliveryStatus::Failed => "Failed",
    }
}
