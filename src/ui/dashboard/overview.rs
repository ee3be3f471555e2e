//! Overview of an account: revenue and conversion for today, 7 and 30 days, a daily revenue
//! chart, the split by method and the top links. Charts are SVG drawn on the server.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::domain::chart::{columns, nice_max, share};
use crate::domain::Rupiah;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::model::{Account, GroupRevenue, WindowFigures};
use crate::ui::components::{account_param, DashboardShell, ErrorPanel};

/// Days the chart and the breakdowns cover.
pub const CHART_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartDay {
    /// "25 Nov"
    pub label: String,
    pub gross: i64,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverviewData {
    pub account: Account,
    pub today: WindowFigures,
    pub week: WindowFigures,
    pub month: WindowFigures,
    /// The last 30 WIB days, oldest first, including days without payments.
    pub days: Vec<ChartDay>,
    pub methods: Vec<GroupRevenue>,
    pub top_links: Vec<GroupRevenue>,
}

#[server(prefix = "/fn", endpoint = "overview")]
pub async fn get_overview(account_id: String) -> Result<OverviewData, AppError> {
    let account_id = crate::domain::ids::AccountId::from(account_id);
    use crate::db::overview;
    use crate::domain::time::{format_wib_day, wib_day_number, wib_day_start};
    let (state, user) = crate::ui::context::signed_in().await?;
    let account = crate::db::accounts::find(&state.db, user.merchant_id, &account_id).await?;
    let (db, merchant, id) = (&state.db, user.merchant_id, &account.id);
    let today = wib_day_number(state.now_ms());
    let since = |days_back: i64| wib_day_start(today - days_back);
    let month_start = since(CHART_DAYS - 1);
    let revenue = overview::daily(db, merchant, id, month_start).await?;
    let days = (today - CHART_DAYS + 1..=today)
        .map(|day| {
            let found = revenue.iter().find(|r| r.day == day);
            ChartDay {
                label: format_wib_day(wib_day_start(day)),
                gross: found.map_or(0, |r| r.gross),
                count: found.map_or(0, |r| r.count),
            }
        })
        .collect();
    Ok(OverviewData {
        today: overview::window(db, merchant, id, since(0)).await?,
        week: overview::window(db, merchant, id, since(6)).await?,
        month: overview::window(db, merchant, id, month_start).await?,
        days,
        methods: overview::by_method(db, merchant, id, month_start).await?,
        top_links: overview::top_links(db, merchant, id, month_start, 5).await?,
        account,
    })
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let account_id = account_param();
    let data = Resource::new(move || account_id.get().unwrap_or_default(), get_overview);
    let i18n = use_i18n();
    view! {
        <Title text=format!("{} · paylinks", tu_string!(i18n, common.overview))/>
        <DashboardShell account_id>
            <Suspense fallback=move || view! { <p>{t!(i18n, overview.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <Overview data/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </DashboardShell>
    }
}

#[component]
fn Overview(data: OverviewData) -> impl IntoView {
    let i18n = use_i18n();
    let windows = [
        (tu_string!(i18n, overview.today).to_string(), data.today),
        (
            tu_string!(i18n, overview.last_7_days).to_string(),
            data.week,
        ),
        (
            tu_string!(i18n, overview.last_30_days).to_string(),
            data.month,
        ),
    ];
    let no_payments = tu_string!(i18n, overview.no_payments).to_string();
    view! {
        <div class="page-head">
            <h1>{t!(i18n, common.overview)}<span class="muted">{format!(" · {}", data.account.name)}</span></h1>
            <a href=format!("/accounts/{}/payments", data.account.id)>{t!(i18n, overview.all_payments)}</a>
        </div>
        <div class="kpis">
            {windows.into_iter().map(|(label, w)| view! {
                <section class="card kpi" data-testid="kpi">
                    <h2>{label}</h2>
                    <p class="kpi-value">{Rupiah(w.gross).to_string()}</p>
                    <dl class="fields">
                        {(w.refunded > 0).then(|| view! {
                            <dt>{t!(i18n, overview.refunded)}</dt><dd>{Rupiah(w.refunded).to_string()}</dd>
                        })}
                        <dt>{t!(i18n, overview.net)}</dt><dd>{Rupiah(w.net - w.refunded).to_string()}</dd>
                        <dt>{t!(i18n, common.payments)}</dt><dd>{w.paid}</dd>
                        <dt>{t!(i18n, overview.conversion)}</dt>
                        <dd>{w.conversion_percent().map_or_else(|| "—".to_string(), |p| {
                            tu_string!(i18n, overview.conversion_value, percent = format!("{p:.1}"), attempts = w.attempts)
                                .to_string()
                        })}</dd>
                    </dl>
                </section>
            }).collect_view()}
        </div>
        <section class="card">
            <h2>{t!(i18n, overview.daily_revenue)}</h2>
            <RevenueChart days=data.days/>
        </section>
        <div class="two-columns">
            <section class="card">
                <h2>{t!(i18n, overview.by_method)}</h2>
                <Breakdown rows=data.methods empty=no_payments.clone()/>
            </section>
            <section class="card">
                <h2>{t!(i18n, overview.top_links)}</h2>
                <Breakdown rows=data.top_links empty=no_payments/>
            </section>
        </div>
    }
}

const CHART_WIDTH: f64 = 720.0;
const CHART_HEIGHT: f64 = 180.0;
/// Room left of the plot for the amount labels, below it for the day labels, and above and
/// right of it for the halves of the top label and the last day's label that stick out.
const LEFT: f64 = 90.0;
const BOTTOM: f64 = 22.0;
const TOP: f64 = 10.0;
const RIGHT: f64 = 24.0;

#[component]
fn RevenueChart(days: Vec<ChartDay>) -> impl IntoView {
    let values: Vec<i64> = days.iter().map(|d| d.gross).collect();
    let largest = values.iter().copied().max().unwrap_or(0);
    let top = nice_max(largest);
    let bars = columns(&values, top, CHART_WIDTH - LEFT - RIGHT, CHART_HEIGHT);
    let total: i64 = values.iter().sum();
    let i18n = use_i18n();
    let label = tu_string!(
        i18n,
        overview.chart_label,
        days = days.len(),
        total = Rupiah(total)
    )
    .to_string();
    // Without payments there is no scale to show: the baseline alone says Rp 0.
    let fractions: &[f64] = if largest > 0 {
        &[0.0, 0.5, 1.0]
    } else {
        &[0.0]
    };
    let gridlines = fractions.iter().map(|f| {
        let y = TOP + CHART_HEIGHT * (1.0 - f);
        let amount = Rupiah((top as f64 * f) as i64).to_string();
        view! {
            <line x1=LEFT y1=y x2=CHART_WIDTH - RIGHT y2=y class="grid"/>
            <text x=LEFT - 6.0 y=y + 4.0 text-anchor="end" class="axis">{amount}</text>
        }
    });
    let aria_label = label.clone();
    view! {
        <svg class="chart" data-testid="revenue-chart" role="img" aria-label=aria_label
            viewBox=format!("0 0 {CHART_WIDTH} {}", TOP + CHART_HEIGHT + BOTTOM)>
            <title>{label}</title>
            {gridlines.collect_view()}
            {bars.into_iter().zip(days).enumerate().map(|(i, (bar, day))| {
                let tip = tu_string!(
                    i18n,
                    overview.bar_tip,
                    day = day.label.clone(),
                    gross = Rupiah(day.gross),
                    payments = day.count
                )
                .to_string();
                view! {
                    <rect class="bar" x=LEFT + bar.x y=TOP + bar.y width=bar.width height=bar.height>
                        <title>{tip}</title>
                    </rect>
                    {(i % 5 == 4).then(|| view! {
                        <text x=LEFT + bar.x + bar.width / 2.0 y=TOP + CHART_HEIGHT + 16.0
                            text-anchor="middle" class="axis">{day.label.clone()}</text>
                    })}
                }
            }).collect_view()}
        </svg>
    }
}

#[component]
fn Breakdown(rows: Vec<GroupRevenue>, empty: String) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    let largest = rows.iter().map(|r| r.gross).max().unwrap_or(0);
    view! {
        <table class="table breakdown">
            <tbody>
                {rows.into_iter().map(|r| {
                    let width = share(r.gross, largest, 100.0);
                    view! {
                        <tr>
                            <td>
                                {r.label}
                                {(!r.detail.is_empty()).then(|| view! { " " <code>{r.detail}</code> })}
                            </td>
                            <td class="bar-cell">
                                <svg class="share-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                                    <rect x="0" y="0" width=width height="10"/>
                                </svg>
                            </td>
                            <td class="num">{Rupiah(r.gross).to_string()}</td>
                            <td class="num">{r.count}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
