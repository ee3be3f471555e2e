//! Exports of the payments table: started from the table's filter, written in the
//! background, listed here with their progress, downloadable when done.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use serde::{Deserialize, Serialize};

use crate::domain::export::ExportStatus;
use crate::domain::payments_query::PaymentsQuery;
use crate::domain::time::format_wib_seconds;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::model::{Account, Export};
use crate::ui::components::{account_param, DashboardShell, ErrorPanel};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportsData {
    pub account: Account,
    pub exports: Vec<Export>,
}

#[server(prefix = "/fn", endpoint = "export_create")]
pub async fn create_export(
    account_id: String,
    format: String,
    #[server(default)] query: PaymentsQuery,
) -> Result<String, AppError> {
    let account_id = crate::domain::ids::AccountId::from(account_id);
    let (state, actor) = crate::ui::context::acting().await?;
    let format = crate::domain::export::ExportFormat::parse(&format)
        .map_err(|e| AppError::field("format", e))?;
    let id = crate::service::exports::start(&state, &actor, &account_id, format, &query).await?;
    leptos_axum::redirect(&format!("/accounts/{account_id}/exports"));
    Ok(id)
}

#[server(prefix = "/fn", endpoint = "exports")]
pub async fn list_exports(account_id: String) -> Result<ExportsData, AppError> {
    let account_id = crate::domain::ids::AccountId::from(account_id);
    let (state, user) = crate::ui::context::signed_in().await?;
    let account = crate::db::accounts::find(&state.db, user.merchant_id, &account_id).await?;
    let exports = crate::db::exports::list(&state.db, user.merchant_id, &account.id).await?;
    Ok(ExportsData { account, exports })
}

/// The two export buttons under the payments table, carrying its filter.
#[component]
pub fn ExportButtons(account_id: String, query: PaymentsQuery) -> impl IntoView {
    let create = ServerAction::<CreateExport>::new();
    let fields: Vec<(String, String)> = match serde_json::to_value(query.first_page()) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .filter_map(|(key, value)| {
                let value = value.as_str().filter(|v| !v.is_empty())?.to_string();
                Some((format!("query[{key}]"), value))
            })
            .collect(),
        _ => Vec::new(),
    };
    let i18n = use_i18n();
    view! {
        <div class="export-buttons">
            {["csv", "xlsx"].into_iter().map(|format| {
                let (account_id, fields) = (account_id.clone(), fields.clone());
                view! {
                    <ActionForm action=create attr:class="inline-form">
                        <input type="hidden" name="account_id" value=account_id/>
                        <input type="hidden" name="format" value=format/>
                        {fields.into_iter().map(|(name, value)| view! {
                            <input type="hidden" name=name value=value/>
                        }).collect_view()}
                        <button type="submit">{tu_string!(i18n, payments.export_button, format = format.to_uppercase()).to_string()}</button>
                    </ActionForm>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
pub fn ExportsPage() -> impl IntoView {
    let account_id = account_param();
    let data = Resource::new(move || account_id.get().unwrap_or_default(), list_exports);
    let i18n = use_i18n();
    view! {
        <Title text=format!("{} · paylinks", tu_string!(i18n, payments.exports))/>
        <DashboardShell account_id>
            <Suspense fallback=move || view! { <p>{t!(i18n, payments.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <ExportsList data/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </DashboardShell>
    }
}

#[component]
fn ExportsList(data: ExportsData) -> impl IntoView {
    let running = data
        .exports
        .iter()
        .any(|e| e.status == ExportStatus::Running);
    let payments = format!("/accounts/{}/payments", data.account.id);
    let i18n = use_i18n();
    view! {
        // Works with and without JavaScript: the page reloads itself until every export ends.
        {running.then(|| view! { <Meta http_equiv="refresh" content="2"/> })}
        <div class="page-head">
            <h1>{t!(i18n, payments.exports)}<span class="muted">{format!(" · {}", data.account.name)}</span></h1>
            <a href=payments.clone()>{t!(i18n, payments.back_to_payments)}</a>
        </div>
        {if data.exports.is_empty() {
            view! {
                <section class="empty">
                    <p>{t!(i18n, payments.exports_empty)}</p>
                    <a class="button primary" href=payments>{t!(i18n, payments.go_to_payments)}</a>
                </section>
            }.into_any()
        } else {
            view! {
                <table class="table" data-testid="exports">
                    <thead>
                        <tr>
                            <th>{t!(i18n, payments.started)}</th><th>{t!(i18n, payments.format)}</th>
                            <th>{t!(i18n, payments.progress)}</th><th>{t!(i18n, payments.size)}</th><th></th>
                        </tr>
                    </thead>
                    <tbody>
                        {data.exports.into_iter().map(|e| view! { <ExportLine export=e/> }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

#[component]
fn ExportLine(export: Export) -> impl IntoView {
    let total = export.total_rows.max(1);
    let i18n = use_i18n();
    let progress = match export.status {
        ExportStatus::Done => {
            tu_string!(i18n, payments.rows_done, rows = export.done_rows).to_string()
        }
        ExportStatus::Failed => export
            .error
            .clone()
            .unwrap_or_else(|| tu_string!(i18n, payments.export_failed).to_string()),
        ExportStatus::Running => tu_string!(
            i18n,
            payments.rows_progress,
            done = export.done_rows,
            total = export.total_rows
        )
        .to_string(),
    };
    let size = export
        .size_bytes
        .map(crate::domain::export::format_size)
        .unwrap_or_default();
    view! {
        <tr data-export=export.id.clone() data-status=export.status.as_str()>
            <td>{format_wib_seconds(export.created_at)}</td>
            <td>{export.format.as_str().to_uppercase()}</td>
            <td>
                {(export.status == ExportStatus::Running).then(|| view! {
                    <progress max=total value=export.done_rows></progress>" "
                })}
                {progress}
            </td>
            <td>{size}</td>
            <td>
                {(export.status == ExportStatus::Done).then(|| view! {
                    <a class="button" href=format!("/exports/{}/download", export.id) rel="external" download="">{t!(i18n, payments.download)}</a>
                })}
            </td>
        </tr>
    }
}
