//! One webhook event: its body and every try at delivering it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::domain::time::format_wib_seconds;
use crate::error::AppError;
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
    view! {
        <Title text="Webhook event · paylinks"/>
        <DashboardShell account_id=Signal::derive(|| None::<String>)>
            <p><a href="/developers/webhooks">"← Delivery log"</a></p>
            <FormAlert result=resent/>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
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
    view! {
        <div class="page-head">
            <h1><code>{event.event_type.clone()}</code></h1>
            <ActionForm action=resend attr:class="inline-form">
                <input type="hidden" name="event_id" value=event_id/>
                <button type="submit">"Resend"</button>
            </ActionForm>
        </div>
        <dl class="fields">
            <dt>"Event ID"</dt><dd><code>{event.event_id.clone()}</code></dd>
            <dt>"Status"</dt><dd data-testid="event-status"><span class=format!("badge badge-delivery-{}", event.status.as_str())>{label(event.status)}</span></dd>
            <dt>"Tries"</dt><dd>{event.attempts}</dd>
            <dt>"Created"</dt><dd>{format_wib_seconds(event.created_at)}</dd>
            {event.delivered_at.map(|at| view! { <dt>"Delivered"</dt><dd>{format_wib_seconds(at)}</dd> })}
        </dl>
        <h2>"Tries"</h2>
        {if data.deliveries.is_empty() {
            view! { <section class="empty"><p>"Not tried yet."</p></section> }.into_any()
        } else {
            view! {
                <table class="table" data-testid="deliveries">
                    <thead>
                        <tr><th>"Time"</th><th>"URL"</th><th>"Answer"</th><th class="num">"Latency"</th><th>"Response body"</th></tr>
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
        <h2>"Body"</h2>
        <pre class="payload"><code>{data.payload}</code></pre>
    }
}
