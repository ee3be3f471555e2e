//! The signed-in user's email notifications: which of the merchant's events they hear of.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::notify::{Choices, Topic};
use crate::error::AppError;
use crate::i18n::{t, use_i18n};
use crate::ui::components::FormAlert;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationsData {
    pub choices: Choices,
    /// Mail is configured on this server.
    pub mail_on: bool,
}

#[server(prefix = "/fn", endpoint = "notifications")]
pub async fn get_notifications() -> Result<NotificationsData, AppError> {
    let (state, user) = crate::ui::context::signed_in().await?;
    Ok(NotificationsData {
        choices: crate::db::team::notify_choices(&state.db, user.user_id).await?,
        mail_on: state.mailer.is_some(),
    })
}

/// Each topic's box: ticked means "email me".
#[server(prefix = "/fn", endpoint = "notifications_save")]
pub async fn save_notifications(
    #[server(default)] payment_received: Option<String>,
    #[server(default)] link_exhausted: Option<String>,
    #[server(default)] webhook_failing: Option<String>,
    #[server(default)] export_ready: Option<String>,
) -> Result<(), AppError> {
    let (state, user) = crate::ui::context::signed_in().await?;
    let choices = Choices([
        payment_received.is_some(),
        link_exhausted.is_some(),
        webhook_failing.is_some(),
        export_ready.is_some(),
    ]);
    crate::db::team::set_notify_choices(&state.db, user.user_id, choices).await
}

#[component]
pub fn NotificationsCard() -> impl IntoView {
    let save = ServerAction::<SaveNotifications>::new();
    let data = Resource::new(move || save.version().get(), |_| get_notifications());
    let saved = Signal::derive(move || save.value().get());
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid="notifications">
            <h2>{t!(i18n, notifications.title)}</h2>
            <FormAlert result=saved/>
            <Suspense fallback=move || view! { <p>{t!(i18n, notifications.loading)}</p> }>
                {move || Suspend::new(async move {
                    let data = data.await.ok()?;
                    Some(view! {
                        {(!data.mail_on).then(|| view! {
                            <p class="alert alert-info">
                                {t!(i18n, notifications.mail_off)}
                            </p>
                        })}
                        <ActionForm action=save attr:class="form">
                            {Topic::ALL.into_iter().map(|topic| view! {
                                <label class="check">
                                    <input type="checkbox" name=topic.key() value="yes" checked=data.choices.wants(topic)/>
                                    {topic.label()}
                                </label>
                            }).collect_view()}
                            <button type="submit">{t!(i18n, notifications.save)}</button>
                        </ActionForm>
                    })
                })}
            </Suspense>
        </section>
    }
}
