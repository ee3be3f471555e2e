//! Developers: API credentials (create, rotate the secret, revoke). A secret is shown once,
//! right after it is issued.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::domain::time::format_wib;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::ui::components::{form_errors, DashboardShell, ErrorPanel, FieldError, FormAlert};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialRow {
    pub id: i64,
    pub api_key: String,
    pub client_id: String,
    pub created_at: i64,
    pub revoked: bool,
    /// Names of the accounts it is bound to; empty = every account.
    pub bound: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FreshCredential {
    pub api_key: String,
    pub client_id: String,
    pub client_secret: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DevelopersData {
    pub credentials: Vec<CredentialRow>,
    /// The secret just issued, shown this once (kept in the session until then).
    pub fresh: Option<FreshCredential>,
    pub api_base: String,
    /// (id, name) of the merchant's accounts, for binding new credentials.
    pub accounts: Vec<(String, String)>,
}

#[cfg(feature = "ssr")]
const FRESH_KEY: &str = "fresh_credential";

#[cfg(feature = "ssr")]
async fn remember_fresh(issued: crate::db::credentials::IssuedCredential) -> Result<(), AppError> {
    let fresh = FreshCredential {
        api_key: issued.api_key,
        client_id: issued.client_id,
        client_secret: issued.client_secret,
    };
    crate::ui::context::session()
        .await?
        .insert(FRESH_KEY, fresh)
        .await?;
    leptos_axum::redirect("/developers");
    Ok(())
}

#[server(prefix = "/fn", endpoint = "developers")]
pub async fn get_developers() -> Result<DevelopersData, AppError> {
    let (state, user) = crate::ui::context::signed_in().await?;
    let accounts = crate::db::accounts::list(&state.db, user.merchant_id).await?;
    let name_of = |id: &str| {
        accounts
            .iter()
            .find(|a| a.id.as_str() == id)
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    };
    let mut credentials = Vec::new();
    for c in crate::db::credentials::list(&state.db, user.merchant_id).await? {
        let bound = crate::db::credentials::bound_accounts(&state.db, c.id).await?;
        credentials.push(CredentialRow {
            id: c.id,
            api_key: c.api_key,
            client_id: c.client_id,
            created_at: c.created_at,
            revoked: c.revoked_at.is_some(),
            bound: bound.iter().map(|id| name_of(id)).collect(),
        });
    }
    let fresh = crate::ui::context::session()
        .await?
        .remove::<FreshCredential>(FRESH_KEY)
        .await?;
    Ok(DevelopersData {
        credentials,
        fresh,
        api_base: format!("{}/api", state.settings.public_base_url),
        accounts: accounts.into_iter().map(|a| (a.id.0, a.name)).collect(),
    })
}

#[server(prefix = "/fn", endpoint = "credential_create")]
pub async fn create_api_credential(
    #[server(default)] accounts: Vec<String>,
) -> Result<(), AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    let issued =
        crate::service::credentials::create(&state.db, &actor, &accounts, state.now_ms()).await?;
    remember_fresh(issued).await
}

#[server(prefix = "/fn", endpoint = "credential_rotate")]
pub async fn rotate_api_credential(
    credential_id: i64,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    crate::ui::context::confirmed(&confirm, &crate::tr!(developers.confirm_rotate))?;
    let issued =
        crate::service::credentials::rotate(&state.db, &actor, credential_id, state.now_ms())
            .await?;
    remember_fresh(issued).await
}

#[server(prefix = "/fn", endpoint = "credential_revoke")]
pub async fn revoke_api_credential(
    credential_id: i64,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    crate::ui::context::confirmed(&confirm, &crate::tr!(developers.confirm_revoke))?;
    crate::service::credentials::revoke(&state.db, &actor, credential_id, state.now_ms()).await
}

#[component]
pub fn DevelopersPage() -> impl IntoView {
    let create = ServerAction::<CreateApiCredential>::new();
    let rotate = ServerAction::<RotateApiCredential>::new();
    let revoke = ServerAction::<RevokeApiCredential>::new();
    let data = Resource::new(
        move || {
            (
                create.version().get(),
                rotate.version().get(),
                revoke.version().get(),
            )
        },
        |_| get_developers(),
    );
    let create_result = Signal::derive(move || create.value().get());
    let rotate_result = Signal::derive(move || rotate.value().get());
    let revoke_result = Signal::derive(move || revoke.value().get());
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, developers.page_title).to_string()/>
        <DashboardShell account_id=Signal::derive(|| None::<String>)>
            <h1>{t!(i18n, common.developers)}</h1>
            <p class="hint">
                {t!(i18n, developers.intro_before)}
                <code>"X-PARTNER-ID"</code>{t!(i18n, developers.intro_after)}
            </p>
            <FormAlert result=create_result/>
            <FormAlert result=rotate_result/>
            <FormAlert result=revoke_result/>
            <Transition fallback=move || view! { <p>{t!(i18n, developers.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <Credentials data create rotate revoke/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Transition>

        </DashboardShell>
    }
}

#[component]
fn Credentials(
    data: DevelopersData,
    create: ServerAction<CreateApiCredential>,
    rotate: ServerAction<RotateApiCredential>,
    revoke: ServerAction<RevokeApiCredential>,
) -> impl IntoView {
    let rotate_errors = Signal::derive(move || form_errors(rotate.value().get()));
    let revoke_errors = Signal::derive(move || form_errors(revoke.value().get()));
    let i18n = use_i18n();
    view! {
        <p>{t!(i18n, developers.api_base)}<code>{data.api_base.clone()}</code></p>
        <p><a href="/developers/webhooks">{t!(i18n, developers.webhooks_link)}</a></p>
        <p><a href="/developers/gateways">{t!(i18n, developers.gateways_link)}</a></p>
        <p>
            {t!(i18n, developers.openapi_before)}
            <a href=format!("{}/openapi.json", data.api_base) rel="external">{t!(i18n, developers.openapi_link)}</a>
            "."
        </p>
        {data.fresh.map(|fresh| view! {
            <section class="card" data-testid="fresh-credential">
                <h2>{t!(i18n, developers.fresh_title)}</h2>
                <p class="alert alert-info">{t!(i18n, developers.fresh_copy)}</p>
                <dl class="fields">
                    <dt>{t!(i18n, developers.fresh_api_key)}</dt><dd><code>{fresh.api_key}</code></dd>
                    <dt>{t!(i18n, developers.client_id)}</dt><dd><code>{fresh.client_id}</code></dd>
                    <dt>{t!(i18n, developers.client_secret)}</dt><dd><code data-testid="client-secret">{fresh.client_secret}</code></dd>
                </dl>
            </section>
        })}
        {if data.credentials.is_empty() {
            view! { <section class="empty"><p>{t!(i18n, developers.empty)}</p></section> }.into_any()
        } else {
            view! {
                <table class="table">
                    <thead>
                        <tr><th>{t!(i18n, developers.api_key)}</th><th>{t!(i18n, developers.client_id)}</th><th>{t!(i18n, common.accounts)}</th><th>{t!(i18n, developers.created)}</th><th>{t!(i18n, developers.status)}</th><th></th></tr>
                    </thead>
                    <tbody>
                        {data.credentials.into_iter().map(|c| {
                            let (rotate_id, revoke_id) = (c.id, c.id);
                            view! {
                                <tr>
                                    <td><code>{c.api_key}</code></td>
                                    <td><code>{c.client_id}</code></td>
                                    <td>{if c.bound.is_empty() { tu_string!(i18n, developers.all_accounts).to_string() } else { c.bound.join(", ") }}</td>
                                    <td>{format_wib(c.created_at)}</td>
                                    <td>{if c.revoked { tu_string!(i18n, developers.revoked) } else { tu_string!(i18n, developers.active) }}</td>
                                    <td class="actions">
                                        {(!c.revoked).then(|| view! {
                                            <ActionForm action=rotate attr:class="inline-form">
                                                <input type="hidden" name="credential_id" value=rotate_id/>
                                                <label class="check"><input type="checkbox" name="confirm" value="yes"/>{t!(i18n, developers.sure)}</label>
                                                <button type="submit">{t!(i18n, developers.rotate_secret)}</button>
                                            </ActionForm>
                                            <ActionForm action=revoke attr:class="inline-form">
                                                <input type="hidden" name="credential_id" value=revoke_id/>
                                                <label class="check"><input type="checkbox" name="confirm" value="yes"/>{t!(i18n, developers.sure)}</label>
                                                <button type="submit" class="danger">{t!(i18n, developers.revoke)}</button>
                                            </ActionForm>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <FieldError errors=rotate_errors field="confirm"/>
                <FieldError errors=revoke_errors field="confirm"/>
            }.into_any()
        }}
        <h2>{t!(i18n, developers.new_credential)}</h2>
        <ActionForm action=create attr:class="form">
            <p class="hint">{t!(i18n, developers.bind_hint)}</p>
            {data.accounts.into_iter().enumerate().map(|(i, (id, name))| view! {
                <label class="check">
                    <input type="checkbox" name=format!("accounts[{i}]") value=id/>
                    {name}
                </label>
            }).collect_view()}
            <button type="submit" class="primary">{t!(i18n, developers.create)}</button>
        </ActionForm>
    }
}
