//! One webhook event: its body and every try at delivering it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::domain::time::format_wib_seconds;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::model::{WebhookDelivery, WebhookEvent};
use crate::ui::components::{DashboardShell, ErrorPanel, FormAlert};
use crate::ui::dashboard::webhooks::{label, ResendWebhook};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookEventData {
    pub event: WebhookEvent,
    /// The body exactly as signed and sent, pretty-printed for reading.
    pub payload: String,
    pub deliveries: Vec<WebhookDelivery>,
}

#[server(prefix = "/fn", endpoint = "webhook_event")]
pub async fn get_webhook_event(event_id: String) -> Result<WebhookEventData, AppError> {
    let (state, user) = crate::ui::context::signed_in().await?;
    let (event, payload) =
        crate::db::webhooks::find_event(&state.db, user.merchant_id, &event_id).await?;
    let deliveries = crate::db::webhooks::deliveries(&state.db, event.id).await?;
    let payload = serde_json::from_str::<serde_json::Value>(&payload)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or(payload);
    Ok(WebhookEventData {
        event,
        payload,
        deliveries,
    })
}

#[component]
pub fn WebhookEventPage() -> impl IntoView {
    let params = use_params_map();
    let resend = ServerAction::<ResendWebhook>::new();
    let event_id = move || params.with(|p| p.get("event_id").unwrap_or_default());
    let data = Resource::new(
        move || (event_id(), resend.version().get()),
        |(event_id, _)| get_webhook_event(event_id),
    );
    let resent = Signal::derive(move || resend.value().get());
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, webhooks.event_page_title).to_string()/>
        <DashboardShell account_id=Signal::derive(|| None::<String>)>
            <p><a href="/developers/webhooks">{t!(i18n, webhooks.back_log)}</a></p>
            <FormAlert result=resent/>
            <Transition fallback=move || view! { <p>{t!(i18n, webhooks.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <EventDetail data resend/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Transition>
        </DashboardShell>
    }
}

#[component]
fn EventDetail(data: WebhookEventData, resend: ServerAction<ResendWebhook>) -> impl IntoView {
    let event = data.event;
    let event_id = event.event_id.clone();
    let i18n = use_i18n();
    view! {
        <div class="page-head">
            <h1><code>{event.event_type.clone()}</code></h1>
            <ActionForm action=resend attr:class="inline-form">
                <input type="hidden" name="event_id" value=event_id/>
                <button type="submit">{t!(i18n, webhooks.resend)}</button>
            </ActionForm>
        </div>
        <dl class="fields">
            <dt>{t!(i18n, webhooks.event_id)}</dt><dd><code>{event.event_id.clone()}</code></dd>
            <dt>{t!(i18n, webhooks.status)}</dt><dd data-testid="event-status"><span class=format!("badge badge-delivery-{}", event.status.as_str())>{label(event.status)}</span></dd>
            <dt>{t!(i18n, webhooks.tries)}</dt><dd>{event.attempts}</dd>
            <dt>{t!(i18n, webhooks.created)}</dt><dd>{format_wib_seconds(event.created_at)}</dd>
            {event.delivered_at.map(|at| view! { <dt>{t!(i18n, webhooks.delivered_at)}</dt><dd>{format_wib_seconds(at)}</dd> })}
        </dl>
        <h2>{t!(i18n, webhooks.tries)}</h2>
        {if data.deliveries.is_empty() {
            view! { <section class="empty"><p>{t!(i18n, webhooks.not_tried)}</p></section> }.into_any()
        } else {
            view! {
                <table class="table" data-testid="deliveries">
                    <thead>
                        <tr><th>{t!(i18n, webhooks.time)}</th><th>{t!(i18n, webhooks.url)}</th><th>{t!(i18n, webhooks.answer)}</th><th class="num">{t!(i18n, webhooks.latency)}</th><th>{t!(i18n, webhooks.response_body)}</th></tr>
                    </thead>
                    <tbody>
                        {data.deliveries.into_iter().map(|d| view! {
                            <tr>
                                <td>{format_wib_seconds(d.attempted_at)}</td>
                                <td><code>{d.url}</code></td>
                                <td>{match (d.error, d.response_status) {
                                    (Some(error), _) => error,
                                    (None, Some(status)) => format!("HTTP {status}"),
                                    (None, None) => "—".into(),
                                }}</td>
                                <td class="num">{format!("{} ms", d.latency_ms)}</td>
                                <td><code class="excerpt">{d.response_excerpt.unwrap_or_default()}</code></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <h2>{t!(i18n, webhooks.body)}</h2>
        <pre class="payload"><code>{data.payload}</code></pre>
    }
}
