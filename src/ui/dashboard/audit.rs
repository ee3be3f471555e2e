//! The audit log, for owners: who changed what and when, filterable by person, action and
//! WIB days, newest first.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::domain::time::format_wib_seconds;
use crate::error::AppError;
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
                .map_err(|_| AppError::field("before", "Not a page."))?,
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
    view! {
        <Title text="Audit log · paylinks"/>
        <DashboardShell account_id=Signal::derive(|| None::<String>)>
            <h1>"Audit log"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
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
    view! {
        <form method="get" action="/audit" class="filters">
            <input type="search" name="actor" value=query.actor.clone() placeholder="Who (email or API key)" aria-label="Who"/>
            <input type="search" name="action" value=query.action.clone() placeholder="What (e.g. link)" aria-label="What"/>
            <label class="field">"From (WIB)"<input type="date" name="from" value=query.from.clone()/></label>
            <label class="field">"to"<input type="date" name="to" value=query.to.clone()/></label>
            <button type="submit">"Filter"</button>
            <a href="/audit">"Clear"</a>
        </form>
        {if page.entries.is_empty() {
            view! { <section class="empty"><p>"No entries match."</p></section> }.into_any()
        } else {
            view! {
                <table class="table" data-testid="audit">
                    <thead><tr><th>"When"</th><th>"Who"</th><th>"What"</th><th>"Details"</th></tr></thead>
                    <tbody>
                        {page.entries.into_iter().map(|e| view! {
                            <tr>
                                <td>{format_wib_seconds(e.created_at)}</td>
                                <td>{e.actor}</td>
                                <td>{e.action}</td>
                                <td><code class="excerpt">{e.detail}</code></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {older.map(|href| view! { <nav class="pager"><a href=href rel="next">"Older →"</a></nav> })}
    }
}
