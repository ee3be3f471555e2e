//! Editing a link's mutable settings. Title, items, total and reference are fixed once created.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::domain::link::LinkSettingsInput;
use crate::domain::time::to_datetime_local_wib;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::ui::components::{
    account_param, form_errors, link_param, DashboardShell, ErrorPanel, FieldError, FormAlert,
};
use crate::ui::dashboard::link_new::{get_link_form_options, LinkFormOptions, MethodCheckboxes};
use crate::ui::dashboard::link_show::{get_link, LinkDetail};

#[server(prefix = "/fn", endpoint = "link_update")]
pub async fn update_link(
    account_id: String,
    link_id: i64,
    input: LinkSettingsInput,
) -> Result<(), AppError> {
    let account_id = crate::domain::ids::AccountId::from(account_id);
    use crate::domain::link::MethodRules;
    use crate::service::links::LinkRef;
    use crate::ui::dashboard::link_new::all_means_none;
    let (state, actor) = crate::ui::context::acting().await?;
    let now = state.now_ms();
    let link =
        crate::ui::context::own_link(&state, actor.merchant_id(), &account_id, link_id).await?;
    let known = crate::db::methods::active_codes(&state.db).await?;
    let input = LinkSettingsInput {
        methods: all_means_none(input.methods, &known),
        ..input
    };
    let settings = input.parse(
        &MethodRules {
            known_codes: &known,
        },
        link.current_usage,
        now,
    )?;
    let link = LinkRef {
        account_id: &account_id,
        link_id: crate::domain::ids::LinkId(link_id),
    };
    crate::service::links::change(&state, &actor, link, &settings, None).await?;
    leptos_axum::redirect(&format!("/accounts/{account_id}/links/{link_id}"));
    Ok(())
}

#[component]
pub fn EditLinkPage() -> impl IntoView {
    let account_id = account_param();
    let link_id = link_param();
    let data = Resource::new(
        move || (account_id.get().unwrap_or_default(), link_id.get()),
        |(account_id, link_id)| async move {
            let detail = get_link(account_id.clone(), link_id).await?;
            let options = get_link_form_options(account_id).await?;
            Ok::<_, AppError>((detail, options))
        },
    );
    let i18n = use_i18n();
    view! {
        <Title text=format!("{} · paylinks", tu_string!(i18n, links.edit_link))/>
        <DashboardShell account_id>
            <Suspense fallback=move || view! { <p>{t!(i18n, links.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((detail, options)) => view! { <EditLinkForm detail options/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </DashboardShell>
    }
}

#[component]
fn EditLinkForm(detail: LinkDetail, options: LinkFormOptions) -> impl IntoView {
    let action = ServerAction::<UpdateLink>::new();
    let result = Signal::derive(move || action.value().get());
    let errors = Signal::derive(move || form_errors(action.value().get()));
    let link = detail.link;
    let back = format!("/accounts/{}/links/{}", link.account_id, link.id);
    let whitelist = link.whitelisted_payment_method.clone();
    let metadata = serde_json::Value::Object(link.optional_metadata.clone()).to_string();
    let i18n = use_i18n();
    view! {
        <div class="page-head">
            <h1>{t!(i18n, links.edit_prefix)}{link.title.clone()}</h1>
            <a href=back>{t!(i18n, links.cancel)}</a>
        </div>
        <p class="hint">
            {t!(i18n, links.edit_hint)}
        </p>
        <FormAlert result/>
        <ActionForm action attr:class="form link-form">
            <input type="hidden" name="account_id" value=link.account_id.0.clone()/>
            <input type="hidden" name="link_id" value=link.id.0/>
            <fieldset>
                <legend>{t!(i18n, links.payment_methods)}</legend>
                <MethodCheckboxes methods=options.methods checked=whitelist/>
                <FieldError errors field="methods"/>
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, links.rules)}</legend>
                <label for="max_usage">{t!(i18n, links.max_usage_label)}</label>
                <input id="max_usage" name="input[max_usage]" type="number" min="0" max="1000000" value=link.max_usage required/>
                <p class="hint">{tu_string!(i18n, links.payments_made_hint, made = link.current_usage).to_string()}</p>
                <FieldError errors field="max_usage"/>
                <label for="expired_at">{t!(i18n, links.expires_at_label)}</label>
                <input id="expired_at" name="input[expired_at]" type="datetime-local" value=link.expired_at.map(to_datetime_local_wib).unwrap_or_default()/>
                <p class="hint">{t!(i18n, links.expires_hint_edit)}</p>
                <FieldError errors field="expired_at"/>
                <label class="check" for="required_customer_detail">
                    <input type="checkbox" id="required_customer_detail" name="input[required_customer_detail]" value="on" checked=link.required_customer_detail/>
                    {t!(i18n, links.ask_customer_detail)}
                </label>
                <label for="redirect_url">{t!(i18n, links.redirect_label)}</label>
                <input id="redirect_url" name="input[redirect_url]" type="url" maxlength="2048" value=link.redirect_url.clone().unwrap_or_default()/>
                <FieldError errors field="redirect_url"/>
                <label for="optional_metadata">{t!(i18n, links.metadata_label)}</label>
                <textarea id="optional_metadata" name="input[optional_metadata]" rows="3">{metadata}</textarea>
                <FieldError errors field="optional_metadata"/>
            </fieldset>
            <button type="submit" class="primary">{t!(i18n, links.save_changes)}</button>
        </ActionForm>
    }
}
