//! The links list of one account: search, status filter, pagination.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::domain::link::LinkState;
use crate::domain::time::format_wib;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::model::{Account, LinkSummary, Page};
use crate::ui::components::{account_param, DashboardShell, ErrorPanel, Pager, StatusBadge};

pub const LINKS_PER_PAGE: i64 = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinksPageData {
    pub account: Account,
    pub links: Page<LinkListRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkListRow {
    pub link: LinkSummary,
    /// Computed on the server, so the browser never needs a clock that agrees with it.
    pub status: LinkState,
}

#[server(prefix = "/fn", endpoint = "links")]
pub async fn list_links(
    account_id: String,
    #[server(default)] search: String,
    #[server(default)] status: String,
    #[server(default)] page: i64,
) -> Result<LinksPageData, AppError> {
    let account_id = crate::domain::ids::AccountId::from(account_id);
    use crate::db::links::{self, LinkFilter};
    let (state, user) = crate::ui::context::signed_in().await?;
    let account = crate::db::accounts::find(&state.db, user.merchant_id, &account_id).await?;
    let status = match status.as_str() {
        "" | "all" => None,
        other => Some(LinkState::parse(other).map_err(|m| AppError::field("status", m))?),
    };
    let now = state.now_ms();
    let filter = LinkFilter {
        search: Some(search),
        status,
        page: crate::domain::paging::parse_page(Some(page))
            .map_err(|m| AppError::field("page", m))?,
        per_page: LINKS_PER_PAGE,
    };
    let found = links::list(&state.db, user.merchant_id, &account.id, &filter, now).await?;
    Ok(LinksPageData {
        account,
        links: Page {
            rows: found
                .rows
                .into_iter()
                .map(|link| LinkListRow {
                    status: link.state(now),
                    link,
                })
                .collect(),
            total: found.total,
            page: found.page,
            per_page: found.per_page,
        },
    })
}

#[component]
pub fn LinksPage() -> impl IntoView {
    let query = use_query_map();
    let account_id = account_param();
    let search = move || query.with(|q| q.get("q").unwrap_or_default());
    let status = move || query.with(|q| q.get("status").unwrap_or_default());
    let page = move || {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(1)
        })
    };
    let data = Resource::new(
        move || {
            (
                account_id.get().unwrap_or_default(),
                search(),
                status(),
                page(),
            )
        },
        |(account_id, search, status, page)| list_links(account_id, search, status, page),
    );
    let i18n = use_i18n();
    view! {
        <Title text=format!("{} · paylinks", tu_string!(i18n, common.payment_links))/>
        <DashboardShell account_id>
            <Suspense fallback=move || view! { <p>{t!(i18n, links.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! {
                            <LinksList data search=search() status=status()/>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </DashboardShell>
    }
}

#[component]
fn LinksList(data: LinksPageData, search: String, status: String) -> impl IntoView {
    let account_id = data.account.id.clone();
    let base = format!("/accounts/{account_id}/links");
    let filtered = !search.is_empty() || !status.is_empty();
    let page_href = {
        let base = base.clone();
        let (search, status) = (search.clone(), status.clone());
        move |page: i64| {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("q", &search)
                .append_pair("status", &status)
                .append_pair("page", &page.to_string())
                .finish();
            format!("{base}?{query}")
        }
    };
    let total_pages = data.links.total_pages();
    let empty = data.links.rows.is_empty();
    let i18n = use_i18n();
    let state_label = move |state: LinkState| match state {
        LinkState::Open => tu_string!(i18n, common.state_open),
        LinkState::Exhausted => tu_string!(i18n, common.state_exhausted),
        LinkState::Closed => tu_string!(i18n, common.state_closed),
        LinkState::Expired => tu_string!(i18n, common.state_expired),
    };
    view! {
        <div class="page-head">
            <h1>{t!(i18n, common.payment_links)}<span class="muted">{format!(" · {}", data.account.name)}</span></h1>
            <a class="button primary" href=format!("{base}/new")>{t!(i18n, links.new_link)}</a>
        </div>
        <form method="get" action=base.clone() class="filters">
            <input
                type="search"
                name="q"
                value=search.clone()
                placeholder=tu_string!(i18n, links.search_placeholder)
                aria-label=tu_string!(i18n, links.search)
            />
            <select name="status" aria-label=tu_string!(i18n, links.status)>
                <option value="" selected=status.is_empty()>{t!(i18n, links.all_statuses)}</option>
                {LinkState::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=status == s.as_str()>{state_label(s)}</option>
                }).collect_view()}
            </select>
            <button type="submit">{t!(i18n, links.filter)}</button>
            {filtered.then(|| view! { <a href=base.clone()>{t!(i18n, links.clear)}</a> })}
        </form>
        {if empty {
            view! {
                <section class="empty">
                    {if filtered {
                        view! { <p>{t!(i18n, links.no_match)}</p> }.into_any()
                    } else {
                        view! {
                            <h2>{t!(i18n, links.empty_title)}</h2>
                            <p>{t!(i18n, links.empty_detail)}</p>
                            <a class="button primary" href=format!("{base}/new")>{t!(i18n, links.create_first)}</a>
                        }.into_any()
                    }}
                </section>
            }.into_any()
        } else {
            view! {
                <table class="table links">
                    <thead>
                        <tr>
                            <th>{t!(i18n, links.title)}</th>
                            <th>{t!(i18n, links.reference)}</th>
                            <th class="num">{t!(i18n, links.total)}</th>
                            <th>{t!(i18n, links.usage)}</th>
                            <th>{t!(i18n, links.status)}</th>
                            <th>{t!(i18n, links.expires)}</th>
                            <th>{t!(i18n, links.created)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {data.links.rows.into_iter().map(|row| {
                            let link = row.link;
                            view! {
                                <tr data-link-id=link.id.0>
                                    <td><a href=format!("{base}/{}", link.id)>{link.title}</a></td>
                                    <td><code>{link.reff_no}</code></td>
                                    <td class="num">{if link.open_amount {
                                        tu_string!(i18n, links.from_amount, amount = link.total_amount).to_string()
                                    } else {
                                        link.total_amount.to_string()
                                    }}</td>
                                    <td>{crate::domain::link::usage_label(link.current_usage, link.max_usage)}</td>
                                    <td><StatusBadge status=row.status/></td>
                                    <td>{link.expired_at.map(format_wib).unwrap_or_else(|| tu_string!(i18n, links.never).to_string())}</td>
                                    <td>{format_wib(link.created_at)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <Pager page=data.links.page total_pages total=data.links.total href=page_href/>
            }.into_any()
        }}
    }
}
