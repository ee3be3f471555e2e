use leptos::prelude::*;
use leptos_meta::Title;

use crate::domain::lang::Lang;
use crate::domain::link::LinkState;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::ui::context::set_page_status;
use crate::ui::dashboard::{get_dashboard_nav, LogOutButton};

/// The dashboard frame: merchant name, account switcher, navigation, log-out.
#[component]
pub fn DashboardShell(
    #[prop(into)] account_id: Signal<Option<String>>,
    /// Changes whenever the page changed what the frame lists (the accounts), so the
    /// account switcher is read again instead of waiting for a reload.
    #[prop(optional, into)]
    nav_changes: Option<Signal<usize>>,
    children: Children,
) -> impl IntoView {
    let nav = Resource::new(
        move || nav_changes.map(|changes| changes.get()),
        |_| get_dashboard_nav(),
    );
    let hydrated = hydrated_marker();
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <a class="brand" href="/dashboard" rel="external">"paylinks"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let nav = nav.await.ok()?;
                    let current = account_id.get();
                    let current_name = current
                        .as_ref()
                        .and_then(|id| nav.accounts.iter().find(|a| a.id.as_str() == id))
                        .map(|a| a.name.clone())
                        .unwrap_or_else(|| tu_string!(i18n, common.accounts).to_string());
                    let reminder = nav.confirm_email.then(|| nav.email.clone());
                    Some(view! {
                        <details class="account-switcher">
                            <summary>{current_name}</summary>
                            <ul>
                                {nav.accounts.into_iter().map(|account| {
                                    let href = format!("/accounts/{}/links", account.id);
                                    let inactive = account.status != crate::domain::account::AccountStatus::Active;
                                    view! {
                                        <li>
                                            <a href=href>{account.name}</a>
                                            {inactive.then(|| view! { <span class="muted">" ("{t!(i18n, common.inactive)}")"</span> })}
                                        </li>
                                    }
                                }).collect_view()}
                                <li><a href="/accounts">{t!(i18n, common.manage_accounts)}</a></li>
                            </ul>
                        </details>
                        <nav class="topnav">
                            {current.map(|id| view! {
                                <a href=format!("/accounts/{id}/overview")>{t!(i18n, common.overview)}</a>
                                <a href=format!("/accounts/{id}/links")>{t!(i18n, common.payment_links)}</a>
                                <a href=format!("/accounts/{id}/payments")>{t!(i18n, common.payments)}</a>
                            })}
                            <a href="/accounts">{t!(i18n, common.accounts)}</a>
                            <a href="/developers">{t!(i18n, common.developers)}</a>
                            <a href="/branding">{t!(i18n, common.branding)}</a>
                            <a href="/team">{t!(i18n, common.team)}</a>
                            <a href="/security">{t!(i18n, common.security)}</a>
                            {nav.sees_audit_log.then(|| view! { <a href="/audit">{t!(i18n, common.audit_log)}</a> })}
                        </nav>
                        <span class="who">{nav.merchant_name}" · "{nav.email}</span>
                        <LanguageSwitch/>
                        <LogOutButton/>
                        {reminder.map(|email| view! { <ConfirmEmailReminder email/> })}
                    })
                })}
            </Suspense>
        </header>
        <main class="page" data-hydrated=hydrated>{children()}</main>
    }
}

/// `data-hydrated` for a page's `<main>`: absent from the server's HTML, "true" once the page
/// runs in the browser. Browser tests wait for it before typing (what is typed into a page
/// before it hydrates is lost when it does), and the page-weight script times it.
pub fn hydrated_marker() -> impl Fn() -> Option<&'static str> + Copy + Send + Sync + 'static {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    move || hydrated.get().then_some("true")
}

/// A page-level error: 404 and 401 get their own words and HTTP status.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    set_page_status(error.status());
    let i18n = use_i18n();
    let (title, detail) = match &error {
        AppError::NotFound => (
            tu_string!(i18n, common.not_found_title).to_string(),
            tu_string!(i18n, common.not_found_detail).to_string(),
        ),
        AppError::Unauthorized => (
            tu_string!(i18n, common.log_in_title).to_string(),
            error.localized(),
        ),
        other => (
            tu_string!(i18n, common.error_title).to_string(),
            other.localized(),
        ),
    };
    view! {
        <Title text=title.clone()/>
        <section class="empty">
            <h1>{title}</h1>
            <p>{detail}</p>
        </section>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_page_status(404);
    let i18n = use_i18n();
    view! {
        <Title text=format!("{} · paylinks", tu_string!(i18n, common.page_not_found))/>
        <main class="page narrow">
            <section class="empty">
                <h1>{t!(i18n, common.page_not_found)}</h1>
                <p>{t!(i18n, common.page_not_found_detail)}</p>
                <p><a href="/">{t!(i18n, common.go_home)}</a></p>
            </section>
        </main>
    }
}

#[component]
pub fn StatusBadge(status: LinkState) -> impl IntoView {
    let i18n = use_i18n();
    let label = match status {
        LinkState::Open => tu_string!(i18n, common.state_open),
        LinkState::Exhausted => tu_string!(i18n, common.state_exhausted),
        LinkState::Closed => tu_string!(i18n, common.state_closed),
        LinkState::Expired => tu_string!(i18n, common.state_expired),
    };
    view! {
        <span class=format!("badge badge-{}", status.as_str())>{label}</span>
    }
}

/// Previous/next links with "page X of Y"; `href(page)` builds each page's URL.
#[component]
pub fn Pager(
    page: i64,
    total_pages: i64,
    total: i64,
    href: impl Fn(i64) -> String + 'static,
) -> impl IntoView {
    let prev = (page > 1).then(|| href(page - 1));
    let next = (page < total_pages).then(|| href(page + 1));
    let i18n = use_i18n();
    view! {
        <nav class="pager" aria-label=tu_string!(i18n, common.pagination)>
            {prev.map(|h| view! { <a href=h rel="prev">"← "{t!(i18n, common.previous)}</a> })}
            <span>{tu_string!(i18n, common.page_of, page, total_pages, total).to_string()}</span>
            {next.map(|h| view! { <a href=h rel="next">{t!(i18n, common.next)}" →"</a> })}
        </nav>
    }
}

/// Text for `<Title>`. leptos_meta writes the server's title into the page unescaped, so a
/// link titled `</title><script>…` would inject markup: the server escapes it here. The
/// browser build sets `document.title`, which takes plain text, so it passes it unchanged.
pub fn title_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    let text = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    text
}

/// Until the user confirms their address: a reminder, and another link on request.
#[component]
fn ConfirmEmailReminder(email: String) -> impl IntoView {
    let resend = ServerAction::<crate::ui::dashboard::ResendVerification>::new();
    let sent = move || matches!(resend.value().get(), Some(Ok(())));
    let i18n = use_i18n();
    view! {
        <div class="alert alert-info confirm-email" role="status" data-testid="confirm-email">
            {tu_string!(i18n, common.confirm_email, email).to_string()}" "
            <Show
                when=sent
                fallback=move || view! {
                    <ActionForm action=resend attr:class="inline">
                        <button type="submit" class="link">{t!(i18n, common.send_again)}</button>
                    </ActionForm>
                }
            >
                {t!(i18n, common.sent)}
            </Show>
        </div>
    }
}

/// The other language, named in itself: a form that changes the dashboard's language and
/// comes back to this page (see `crate::language`).
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let here = move || format!("{}{}", location.pathname.get(), location.search.get());
    let other = Lang::from(use_i18n().get_locale_untracked()).other();
    view! {
        <form method="post" action="/language" class="inline language-switch">
            <input type="hidden" name="lang" value=other.as_str()/>
            <input type="hidden" name="next" value=here/>
            <button type="submit" class="link" lang=other.as_str()>{other.label()}</button>
        </form>
    }
}

/// Signing in applies the user's stored language (the cookie the answer sets), but the browser
/// goes on to the next page without loading it: when a navigation finds the chosen language
/// differs from the one this page runs in, it loads the page afresh, in the chosen one.
#[component]
pub fn FollowLanguageChoice() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let location = leptos_router::hooks::use_location();
        let i18n = use_i18n();
        Effect::new(move |_| {
            location.pathname.track();
            let cookies = document()
                .dyn_into::<web_sys::HtmlDocument>()
                .ok()
                .and_then(|document| document.cookie().ok())
                .unwrap_or_default();
            let chosen = cookies
                .split(';')
                .filter_map(|pair| pair.trim().split_once('='))
                .find(|(name, _)| *name == "dashboard_lang")
                .and_then(|(_, value)| Lang::parse(value));
            if chosen.is_some_and(|lang| lang != Lang::from(i18n.get_locale_untracked())) {
                let _ = window().location().reload();
            }
        });
    }
}
