//! The document shell and the route table.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

use crate::i18n::Locale;
use crate::ui::auth::{
    ForgotPasswordPage, LogInPage, ResetPasswordPage, SignUpPage, VerifyEmailPage,
};
use crate::ui::components::{FollowLanguageChoice, NotFoundPage};
use crate::ui::dashboard::accounts::AccountsPage;
use crate::ui::dashboard::audit::AuditPage;
use crate::ui::dashboard::branding::BrandingPage;
use crate::ui::dashboard::developers::DevelopersPage;
use crate::ui::dashboard::gateways::GatewaysPage;
use crate::ui::dashboard::link_edit::EditLinkPage;
use crate::ui::dashboard::link_new::NewLinkPage;
use crate::ui::dashboard::link_show::LinkPage;
use crate::ui::dashboard::links::LinksPage;
use crate::ui::dashboard::overview::OverviewPage;
use crate::ui::dashboard::payments::detail::PaymentPage;
use crate::ui::dashboard::payments::exports::ExportsPage;
use crate::ui::dashboard::payments::PaymentsPage;
use crate::ui::dashboard::security::SecurityPage;
use crate::ui::dashboard::team::TeamPage;
use crate::ui::dashboard::webhook_event::WebhookEventPage;
use crate::ui::dashboard::webhooks::WebhooksPage;
use crate::ui::home::HomePage;
use crate::ui::invitation::InvitationPage;
use crate::ui::payer::{AttemptPage, PayerPage};
use leptos_i18n::context::{init_i18n_context_with_options, I18nContextOptions};

/// A dashboard page loaded as its own WebAssembly module, only when a merchant opens it
/// (built with `cargo leptos build --split`).
macro_rules! lazy_page {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

lazy_page! {
    AccountsRoute => AccountsPage,
    DevelopersRoute => DevelopersPage,
    TeamRoute => TeamPage,
    SecurityRoute => SecurityPage,
    BrandingRoute => BrandingPage,
    AuditRoute => AuditPage,
    InvitationRoute => InvitationPage,
    WebhooksRoute => WebhooksPage,
    GatewaysRoute => GatewaysPage,
    WebhookEventRoute => WebhookEventPage,
    LinksRoute => LinksPage,
    PaymentsRoute => PaymentsPage,
    OverviewRoute => OverviewPage,
    ExportsRoute => ExportsPage,
    PaymentRoute => PaymentPage,
    NewLinkRoute => NewLinkPage,
    LinkRoute => LinkPage,
    EditLinkRoute => EditLinkPage,
}

/// The language the page is in, chosen from the request before anything async runs: the
/// shell is rendered on the server only.
#[cfg(feature = "ssr")]
fn page_lang() -> &'static str {
    crate::ui::context::with_request(crate::ui::payer::page_lang)
        .unwrap_or(crate::domain::lang::Lang::En)
        .as_str()
}

/// The payer pages do not load the WebAssembly (see `ui::payer`): they get their small
/// script inline instead, so a payer on a slow network is interactive once the page is in.
#[cfg(feature = "ssr")]
fn is_payer_page() -> bool {
    crate::ui::context::with_request(|parts| parts.uri.path().starts_with("/pay/")).unwrap_or(false)
}

#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let scripts = if is_payer_page() {
        // Allowed by its hash (`security::page_policy`), so the page carries nothing per request.
        view! { <script>{crate::ui::payer::ENHANCE_SCRIPT}</script> }.into_any()
    } else {
        view! {
            <AutoReload options=options.clone()/>
            <HydrationScripts options=options.clone()/>
        }
        .into_any()
    };
    view! {
        <!DOCTYPE html>
        <html lang=page_lang()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" id="leptos" href=crate::assets::stylesheet_href(&options)/>
                {scripts}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The shell writes `<html lang>` itself (from the same choice); the browser's half reads
    // it back, so both halves render in one language. Changing it is a form post and a new
    // page (see `crate::language`), never a client-side switch. (The crate's provider
    // component would also write an empty inline script, which the page policy refuses.)
    let options = I18nContextOptions::default()
        .enable_cookie(false)
        .ssr_lang_header_getter(page_locales());
    provide_context(init_i18n_context_with_options::<Locale>(options));
    view! {
        <Title text="paylinks"/>
        <Router>
            <FollowLanguageChoice/>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/") view=HomePage/>
                <Route path=path!("/signup") view=SignUpPage/>
                <Route path=path!("/login") view=LogInPage/>
                <Route path=path!("/forgot-password") view=ForgotPasswordPage/>
                <Route path=path!("/reset-password") view=ResetPasswordPage/>
                <Route path=path!("/verify-email") view=VerifyEmailPage/>
                <Route path=path!("/accounts") view={Lazy::<AccountsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/developers") view={Lazy::<DevelopersRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/team") view={Lazy::<TeamRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/security") view={Lazy::<SecurityRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/branding") view={Lazy::<BrandingRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/audit") view={Lazy::<AuditRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/invitations/:token") view={Lazy::<InvitationRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/developers/webhooks") view={Lazy::<WebhooksRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/developers/gateways") view={Lazy::<GatewaysRoute>::new()} ssr=SsrMode::Async/>
                <Route
                    path=path!("/developers/webhooks/:event_id")
                    view={Lazy::<WebhookEventRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route path=path!("/accounts/:account_id/links") view={Lazy::<LinksRoute>::new()} ssr=SsrMode::Async/>
                <Route
                    path=path!("/accounts/:account_id/payments")
                    view={Lazy::<PaymentsRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/accounts/:account_id/overview")
                    view={Lazy::<OverviewRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/accounts/:account_id/exports")
                    view={Lazy::<ExportsRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/accounts/:account_id/payments/:history_id")
                    view={Lazy::<PaymentRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/accounts/:account_id/links/new")
                    view={Lazy::<NewLinkRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/accounts/:account_id/links/:link_id")
                    view={Lazy::<LinkRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/accounts/:account_id/links/:link_id/edit")
                    view={Lazy::<EditLinkRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route path=path!("/pay/:slug") view=PayerPage ssr=SsrMode::Async/>
                <Route path=path!("/pay/:slug/:reff_no") view=AttemptPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// On the server, the locale the provider starts from is the page's language as
/// [`page_lang`] chose it, handed over in place of an Accept-Language header.
fn page_locales() -> leptos_i18n::context::UseLocalesOptions {
    let options = leptos_i18n::context::UseLocalesOptions::default();
    #[cfg(feature = "ssr")]
    let options = options.ssr_lang_header_getter(|| Some(page_lang().to_string()));
    options
}
