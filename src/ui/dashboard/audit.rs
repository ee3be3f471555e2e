//! The audit log, for owners: who changed what and when, filterable by person, action and
//! WIB days, newest first.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::domain::audit::AuditAction;
use crate::domain::time::format_wib_seconds;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::model::AuditEntry;
use crate::ui::components::{DashboardShell, ErrorPanel};

pub const ENTRIES_PER_PAGE: i64 = 50;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub before: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// `before` of the next (older) page.
    pub older: Option<i64>,
}

#[server(prefix = "/fn", endpoint = "audit")]
pub async fn get_audit(#[server(default)] query: AuditQuery) -> Result<AuditPage, AppError> {
    use crate::db::audit::{list, AuditFilter};
    use crate::domain::merchant::Access;
    use crate::domain::time::{parse_date_wib, DAY_MS};
    use crate::domain::FieldErrors;
    let (state, user) = crate::ui::context::signed_in_with(Access::Owner).await?;
    let mut errors = FieldErrors::new();
    let mut day = |field: &str, value: &str| {
        (!value.trim().is_empty())
            .then(|| parse_date_wib(value).map_err(|e| errors.add(field, e)).ok())
            .flatten()
    };
    let from_ms = day("from", &query.from);
    let to_ms = day("to", &query.to).map(|start| start + DAY_MS - 1);
    let before_id = match query.before.trim() {
        "" => None,
        b => Some(
            b.parse::<i64>()
                .map_err(|_| AppError::field("before", crate::tr!(audit.not_a_page)))?,
        ),
    };
    errors.into_result(())?;
    let filter = AuditFilter {
        actor: query.actor.clone(),
        action: query.action.clone(),
        from_ms,
        to_ms,
        before_id,
    };
    let mut entries = list(&state.db, user.merchant_id, &filter, ENTRIES_PER_PAGE + 1).await?;
    let older = if entries.len() as i64 > ENTRIES_PER_PAGE {
        entries.truncate(ENTRIES_PER_PAGE as usize);
        entries.last().map(|e| e.id)
    } else {
        None
    };
    Ok(AuditPage { entries, older })
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| AuditQuery {
            actor: p.get("actor").unwrap_or_default(),
            action: p.get("action").unwrap_or_default(),
            from: p.get("from").unwrap_or_default(),
            to: p.get("to").unwrap_or_default(),
            before: p.get("before").unwrap_or_default(),
        })
    });
    let data = Resource::new(move || query.get(), get_audit);
    let i18n = use_i18n();
    view! {
        <Title text=format!("{} · paylinks", tu_string!(i18n, common.audit_log))/>
        <DashboardShell account_id=Signal::derive(|| None::<String>)>
            <h1>{t!(i18n, common.audit_log)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, audit.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <Entries page query=query.get()/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </DashboardShell>
    }
}

#[component]
fn Entries(page: AuditPage, query: AuditQuery) -> impl IntoView {
    let older = page.older.map(|before| {
        let q = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("actor", &query.actor)
            .append_pair("action", &query.action)
            .append_pair("from", &query.from)
            .append_pair("to", &query.to)
            .append_pair("before", &before.to_string())
            .finish();
        format!("/audit?{q}")
    });
    let i18n = use_i18n();
    view! {
        <form method="get" action="/audit" class="filters">
            <input type="search" name="actor" value=query.actor.clone()
                placeholder=tu_string!(i18n, audit.who_placeholder).to_string()
                aria-label=tu_string!(i18n, audit.who).to_string()/>
            <input type="search" name="action" value=query.action.clone()
                placeholder=tu_string!(i18n, audit.what_placeholder).to_string()
                aria-label=tu_string!(i18n, audit.what).to_string()/>
            <label class="field">{t!(i18n, audit.from)}<input type="date" name="from" value=query.from.clone()/></label>
            <label class="field">{t!(i18n, audit.to)}<input type="date" name="to" value=query.to.clone()/></label>
            <button type="submit">{t!(i18n, audit.filter)}</button>
            <a href="/audit">{t!(i18n, audit.clear)}</a>
        </form>
        {if page.entries.is_empty() {
            view! { <section class="empty"><p>{t!(i18n, audit.no_entries)}</p></section> }.into_any()
        } else {
            view! {
                <table class="table" data-testid="audit">
                    <thead><tr>
                        <th>{t!(i18n, audit.when)}</th><th>{t!(i18n, audit.who)}</th>
                        <th>{t!(i18n, audit.what)}</th><th>{t!(i18n, audit.details)}</th>
                    </tr></thead>
                    <tbody>
                        {page.entries.into_iter().map(|e| view! {
                            <tr>
                                <td>{format_wib_seconds(e.created_at)}</td>
                                <td>{e.actor}</td>
                                <td>{AuditAction::from_label(&e.action).map_or(e.action, AuditAction::label_in_words)}</td>
                                <td><code class="excerpt">{e.detail}</code></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {older.map(|href| view! { <nav class="pager"><a href=href rel="next">{t!(i18n, audit.older)}</a></nav> })}
    }
}
