//! The document shell and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::ui::auth::{LogInPage, SignUpPage};
use crate::ui::components::NotFoundPage;
use crate::ui::dashboard::accounts::AccountsPage;
use crate::ui::dashboard::audit::AuditPage;
use crate::ui::dashboard::developers::DevelopersPage;
use crate::ui::dashboard::link_edit::EditLinkPage;
use crate::ui::dashboard::link_new::NewLinkPage;
use crate::ui::dashboard::link_show::LinkPage;
use crate::ui::dashboard::links::LinksPage;
use crate::ui::dashboard::overview::OverviewPage;
use crate::ui::dashboard::payments::detail::PaymentPage;
use crate::ui::dashboard::payments::exports::ExportsPage;
use crate::ui::dashboard::payments::PaymentsPage;
use crate::ui::dashboard::team::TeamPage;
use crate::ui::dashboard::webhook_event::WebhookEventPage;
use crate::ui::dashboard::webhooks::WebhooksPage;
use crate::ui::home::HomePage;
use crate::ui::invitation::InvitationPage;
use crate::ui::payer::{AttemptPage, PayerPage};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::security::set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
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
    view! {
        <Stylesheet id="leptos" href="/pkg/paylinks.css"/>
        <Title text="paylinks"/>
        <Router>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/") view=HomePage/>
                <Route path=path!("/signup") view=SignUpPage/>
                <Route path=path!("/login") view=LogInPage/>
                <Route path=path!("/accounts") view=AccountsPage ssr=SsrMode::Async/>
                <Route path=path!("/developers") view=DevelopersPage ssr=SsrMode::Async/>
                <Route path=path!("/team") view=TeamPage ssr=SsrMode::Async/>
                <Route path=path!("/audit") view=AuditPage ssr=SsrMode::Async/>
                <Route path=path!("/invitations/:token") view=InvitationPage ssr=SsrMode::Async/>
                <Route path=path!("/developers/webhooks") view=WebhooksPage ssr=SsrMode::Async/>
                <Route
                    path=path!("/developers/webhooks/:event_id")
                    view=WebhookEventPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/accounts/:account_id/links") view=LinksPage ssr=SsrMode::Async/>
                <Route
                    path=path!("/accounts/:account_id/payments")
                    view=PaymentsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/accounts/:account_id/overview")
                    view=OverviewPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/accounts/:account_id/exports")
                    view=ExportsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/accounts/:account_id/payments/:history_id")
                    view=PaymentPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/accounts/:account_id/links/new")
                    view=NewLinkPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/accounts/:account_id/links/:link_id")
                    view=LinkPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/accounts/:account_id/links/:link_id/edit")
                    view=EditLinkPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/pay/:slug") view=PayerPage ssr=SsrMode::Async/>
                <Route path=path!("/pay/:slug/:reff_no") view=AttemptPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
