use leptos::prelude::*;
use leptos_meta::Title;

use crate::domain::link::LinkState;
use crate::error::AppError;
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
                        .unwrap_or_else(|| "Accounts".to_string());
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
                                            {inactive.then(|| view! { <span class="muted">" (inactive)"</span> })}
                                        </li>
                                    }
                                }).collect_view()}
                                <li><a href="/accounts">"Manage accounts…"</a></li>
                            </ul>
                        </details>
                        <nav class="topnav">
                            {current.map(|id| view! {
                                <a href=format!("/accounts/{id}/overview")>"Overview"</a>
                                <a href=format!("/accounts/{id}/links")>"Payment links"</a>
                                <a href=format!("/accounts/{id}/payments")>"Payments"</a>
                            })}
                            <a href="/accounts">"Accounts"</a>
                            <a href="/developers">"Developers"</a>
                            <a href="/branding">"Branding"</a>
                            <a href="/team">"Team"</a>
                            <a href="/security">"Security"</a>
                            {nav.sees_audit_log.then(|| view! { <a href="/audit">"Audit log"</a> })}
                        </nav>
                        <span class="who">{nav.merchant_name}" · "{nav.email}</span>
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
    let (title, detail) = match &error {
        AppError::NotFound => (
            "Not found",
            "There is nothing here, or it belongs to another merchant.".to_string(),
        ),
        AppError::Unauthorized => ("Please log in", error.to_string()),
        other => ("Something went wrong", other.to_string()),
    };
    view! {
        <Title text=title/>
        <section class="empty">
            <h1>{title}</h1>
            <p>{detail}</p>
        </section>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_page_status(404);
    view! {
        <Title text="Page not found · paylinks"/>
        <main class="page narrow">
            <section class="empty">
                <h1>"Page not found"</h1>
                <p>"The address may be mistyped, or the page has moved."</p>
                <p><a href="/">"Go to the home page"</a></p>
            </section>
        </main>
    }
}

#[component]
pub fn StatusBadge(status: LinkState) -> impl IntoView {
    view! {
        <span class=format!("badge badge-{}", status.as_str())>{status.label_en()}</span>
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
    view! {
        <nav class="pager" aria-label="Pagination">
            {prev.map(|h| view! { <a href=h rel="prev">"← Previous"</a> })}
            <span>{format!("Page {page} of {total_pages} · {total} in total")}</span>
            {next.map(|h| view! { <a href=h rel="next">"Next →"</a> })}
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
    view! {
        <div class="alert alert-info confirm-email" role="status" data-testid="confirm-email">
            {format!("Confirm your email: we sent a link to {email}. ")}
            <Show
                when=sent
                fallback=move || view! {
                    <ActionForm action=resend attr:class="inline">
                        <button type="submit" class="link">"Send it again"</button>
                    </ActionForm>
                }
            >
                "Sent."
            </Show>
        </div>
    }
}
