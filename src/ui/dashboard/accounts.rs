//! Accounts: the merchant's sub-accounts (create, rename, deactivate, reactivate).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::domain::account::AccountStatus;
use crate::domain::time::format_wib;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::model::Account;
use crate::ui::components::{form_errors, DashboardShell, ErrorPanel, FieldError, FormAlert};

#[server(prefix = "/fn", endpoint = "accounts")]
pub async fn list_accounts() -> Result<Vec<Account>, AppError> {
    let (state, user) = crate::ui::context::signed_in().await?;
    crate::db::accounts::list(&state.db, user.merchant_id).await
}

#[server(prefix = "/fn", endpoint = "account_create")]
pub async fn create_account(name: String) -> Result<String, AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    let id = crate::service::accounts::create(&state, &actor, &name).await?;
    Ok(id.0)
}

#[server(prefix = "/fn", endpoint = "account_rename")]
pub async fn rename_account(account_id: String, name: String) -> Result<(), AppError> {
    let account_id = crate::domain::ids::AccountId::from(account_id);
    let (state, actor) = crate::ui::context::acting().await?;
    crate::service::accounts::rename(&state, &actor, &account_id, &name).await
}

#[server(prefix = "/fn", endpoint = "account_status")]
pub async fn set_account_status(account_id: String, status: String) -> Result<(), AppError> {
    let account_id = crate::domain::ids::AccountId::from(account_id);
    let (state, actor) = crate::ui::context::acting().await?;
    let status = AccountStatus::parse(&status).map_err(|m| AppError::field("status", m))?;
    crate::service::accounts::set_status(&state, &actor, &account_id, status).await
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let create = ServerAction::<CreateAccount>::new();
    let rename = ServerAction::<RenameAccount>::new();
    let set_status = ServerAction::<SetAccountStatus>::new();
    let accounts = Resource::new(
        move || {
            (
                create.version().get(),
                rename.version().get(),
                set_status.version().get(),
            )
        },
        |_| list_accounts(),
    );
    let create_result = Signal::derive(move || create.value().get().map(|r| r.map(|_| ())));
    let rename_result = Signal::derive(move || rename.value().get());
    let status_result = Signal::derive(move || set_status.value().get());
    let create_errors = Signal::derive(move || form_errors(create.value().get()));
    let nav_changes = Signal::derive(move || {
        create.version().get() + rename.version().get() + set_status.version().get()
    });
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, accounts.title)/>
        <DashboardShell account_id=Signal::derive(|| None::<String>) nav_changes>
            <h1>{t!(i18n, common.accounts)}</h1>
            <p class="hint">{t!(i18n, accounts.hint)}</p>
            <FormAlert result=rename_result/>
            <FormAlert result=status_result/>
            <Suspense fallback=move || view! { <p>{t!(i18n, accounts.loading)}</p> }>
                {move || Suspend::new(async move {
                    match accounts.await {
                        Ok(list) => view! { <AccountsTable accounts=list rename set_status/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
            <h2>{t!(i18n, accounts.new_account)}</h2>
            <FormAlert result=create_result/>
            <ActionForm action=create attr:class="form inline-form">
                <label for="new-account-name">{t!(i18n, accounts.name)}</label>
                <input id="new-account-name" name="name" required maxlength="100"/>
                <button type="submit" class="primary">{t!(i18n, accounts.create_account)}</button>
                <FieldError errors=create_errors field="name"/>
            </ActionForm>
        </DashboardShell>
    }
}

#[component]
fn AccountsTable(
    accounts: Vec<Account>,
    rename: ServerAction<RenameAccount>,
    set_status: ServerAction<SetAccountStatus>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="table">
            <thead>
                <tr>
                    <th>{t!(i18n, accounts.name)}</th>
                    <th>{t!(i18n, accounts.account_id)}</th>
                    <th>{t!(i18n, accounts.status)}</th>
                    <th>{t!(i18n, accounts.created)}</th>
                    <th>{t!(i18n, accounts.actions)}</th>
                </tr>
            </thead>
            <tbody>
                {accounts.into_iter().map(|account| {
                    let active = account.status == AccountStatus::Active;
                    let (next_status, toggle_label) = if active {
                        ("inactive", tu_string!(i18n, accounts.deactivate))
                    } else {
                        ("active", tu_string!(i18n, accounts.reactivate))
                    };
                    let links_href = format!("/accounts/{}/links", account.id);
                    let (id, name, created_at) = (account.id.0, account.name, account.created_at);
                    let (row_id, rename_id, status_id) = (id.clone(), id.clone(), id.clone());
                    view! {
                        <tr data-account-id=row_id>
                            <td>
                                <a href=links_href>{name.clone()}</a>
                            </td>
                            <td><code>{id.to_string()}</code></td>
                            <td>
                                {if active {
                                    tu_string!(i18n, accounts.active)
                                } else {
                                    tu_string!(i18n, accounts.inactive)
                                }}
                            </td>
                            <td>{format_wib(created_at)}</td>
                            <td class="actions">
                                <ActionForm action=rename attr:class="inline-form">
                                    <input type="hidden" name="account_id" value=rename_id/>
                                    <input name="name" value=name.clone() required maxlength="100" aria-label=tu_string!(i18n, accounts.new_name)/>
                                    <button type="submit">{t!(i18n, accounts.rename)}</button>
                                </ActionForm>
                                <ActionForm action=set_status attr:class="inline-form">
                                    <input type="hidden" name="account_id" value=status_id/>
                                    <input type="hidden" name="status" value=next_status/>
                                    <button type="submit">{toggle_label}</button>
                                </ActionForm>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
