//! What server functions need from the request, and the HTTP status of a rendered page.

/// Sets the status of the page being rendered on the server; a no-op in the browser.
pub fn set_page_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(code) = axum::http::StatusCode::from_u16(status) {
            response.set_status(code);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

#[cfg(feature = "ssr")]
mod server {
    use tower_sessions::Session;

    use crate::auth::require_user;
    use crate::domain::lang::Lang;
    use crate::error::AppError;
    use crate::model::CurrentUser;
    use crate::state::{app_state, AppState};

    /// Leptos context for a render: the nonce `security::page_policy_layer` drew for this
    /// request, which Leptos writes into its scripts.
    pub fn provide_page_nonce() {
        use leptos::prelude::provide_context;
        let nonce = with_request(|parts| crate::security::page_nonce(&parts.extensions)).flatten();
        if let Some(nonce) = nonce {
            provide_context(leptos::nonce::Nonce::from_value(nonce));
        }
    }

    /// Reads the request being answered in place (`leptos_axum::extract` copies all of its
    /// parts for each look); `None` outside a request.
    pub fn with_request<R>(read: impl FnOnce(&http::request::Parts) -> R) -> Option<R> {
        leptos::reactive::owner::with_context::<http::request::Parts, _>(read)
    }

    /// The dashboard's language is kept in a cookie of its own, as the payer page's is: the
    /// shell reads it before anything async runs. It mirrors the user's stored choice, which
    /// signing in writes back (so the choice follows them to another browser).
    pub const DASHBOARD_LANG_COOKIE: &str = "dashboard_lang";

    /// The language a dashboard request is answered in: the chosen one, else the browser's
    /// Accept-Language, else Indonesian.
    pub fn dashboard_lang(headers: &http::HeaderMap) -> Lang {
        cookie(headers, DASHBOARD_LANG_COOKIE)
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_else(|| browser_lang(headers))
    }

    /// The language the browser asks for in Accept-Language; Indonesian by default.
    pub fn browser_lang(headers: &http::HeaderMap) -> Lang {
        let accept = headers.get(http::header::ACCEPT_LANGUAGE);
        Lang::from_accept_language(accept.and_then(|v| v.to_str().ok()))
    }

    /// The value of the request's cookie `name`.
    pub fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
        use tower_sessions::cookie::Cookie;
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(Cookie::split_parse)
            .filter_map(Result::ok)
            .find(|cookie| cookie.name() == name)
            .map(|cookie| cookie.value().to_string())
    }

    /// The `Set-Cookie` value remembering a dashboard language for a year.
    pub fn dashboard_lang_cookie(lang: Lang, secure: bool) -> String {
        tower_sessions::cookie::Cookie::build((DASHBOARD_LANG_COOKIE, lang.as_str()))
            .path("/")
            // Readable by the page's script (see `FollowLanguageChoice`): a language is no
            // secret.
            .http_only(false)
            .same_site(tower_sessions::cookie::SameSite::Lax)
            .secure(secure)
            .max_age(tower_sessions::cookie::time::Duration::days(365))
            .build()
            .to_string()
    }

    /// Signs `user_id` in on this request's session, recording where from, and answers in
    /// their language from now on: the one they chose, or this browser's, which becomes
    /// their choice.
    pub async fn start_session(
        state: &AppState,
        user_id: crate::domain::ids::UserId,
    ) -> Result<(), AppError> {
        let user_agent = with_request(|parts| {
            parts
                .headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
        .flatten();
        let ip_address = client_address(state).map(|ip| ip.to_string());
        crate::auth::log_in(
            &state.db,
            &session().await?,
            user_id,
            crate::auth::session::SignInFrom {
                user_agent: user_agent.as_deref(),
                ip_address: ip_address.as_deref(),
                now_ms: state.now_ms(),
            },
        )
        .await?;
        let lang = match crate::db::merchants::language(&state.db, user_id).await? {
            Some(chosen) => chosen,
            None => {
                let browser =
                    with_request(|parts| dashboard_lang(&parts.headers)).unwrap_or_default();
                crate::db::merchants::set_language(&state.db, user_id, browser).await?;
                browser
            }
        };
        let response = leptos::prelude::use_context::<leptos_axum::ResponseOptions>();
        let cookie = dashboard_lang_cookie(lang, state.settings.cookie_secure).parse();
        if let (Some(response), Ok(cookie)) = (response, cookie) {
            response.append_header(http::header::SET_COOKIE, cookie);
        }
        Ok(())
    }

    pub async fn session() -> Result<Session, AppError> {
        leptos_axum::extract::<Session>()
            .await
            .map_err(AppError::internal)
    }

    /// The address of whoever sent the request being answered (see [`crate::client_addr`]).
    pub fn client_address(state: &AppState) -> Option<std::net::IpAddr> {
        use axum::extract::ConnectInfo;
        with_request(|parts| {
            let peer = parts
                .extensions
                .get::<ConnectInfo<std::net::SocketAddr>>()
                .map(|peer| peer.0.ip());
            crate::client_addr::client_address(
                &parts.headers,
                peer,
                state.settings.trusted_proxy_hops,
            )
        })
        .flatten()
    }

    /// The state and the signed-in user, or 401: every dashboard server function starts here.
    pub async fn signed_in() -> Result<(AppState, CurrentUser), AppError> {
        let state = app_state()?;
        // Server functions get the user the access guard already read; pages look it up.
        let checked =
            with_request(|parts| parts.extensions.get::<CurrentUser>().cloned()).flatten();
        let user = match checked {
            Some(user) => user,
            None => require_user(&state.db, &session().await?).await?,
        };
        Ok((state, user))
    }

    /// The signed-in member as the service layer's actor, who may make changes as their role
    /// allows.
    pub async fn acting() -> Result<(AppState, crate::service::Actor), AppError> {
        let (state, user) = signed_in().await?;
        Ok((state, crate::service::Actor::from(&user)))
    }

    /// A link of the merchant's, named by a form's account and link ids; 404 for anyone else's.
    pub async fn own_link(
        state: &AppState,
        merchant_id: crate::domain::ids::MerchantId,
        account_id: &crate::domain::ids::AccountId,
        link_id: i64,
    ) -> Result<crate::model::PaymentLink, AppError> {
        let link_id = crate::domain::ids::LinkId(link_id);
        crate::db::links::find(&state.db, merchant_id, account_id, link_id).await
    }

    /// A destructive change goes ahead only with its confirmation box ticked; `why` tells
    /// what it would undo.
    pub fn confirmed(confirm: &Option<String>, why: &str) -> Result<(), AppError> {
        match confirm {
            Some(_) => Ok(()),
            None => Err(AppError::field("confirm", why)),
        }
    }

    /// Like [`signed_in`], and 403 unless the user's role allows `access`. The `/fn` guard
    /// checks the same rule first; this keeps the function safe wherever it is called from.
    pub async fn signed_in_with(
        access: crate::domain::merchant::Access,
    ) -> Result<(AppState, CurrentUser), AppError> {
        let (state, user) = signed_in().await?;
        if user.role.allows(access) {
            Ok((state, user))
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The path and query `next` names on our own site, or `None`: a crafted `next` must not
    /// send anyone to another origin. Browsers drop tabs and line breaks inside URLs and read
    /// `\\` as `/`, so `/\t/evil.example` is `//evil.example`; any of those, or anything that
    /// resolved against our base lands on another origin, is refused rather than repaired.
    pub fn safe_next(next: Option<&str>, public_base_url: &str) -> Option<String> {
        let next = next?;
        if !next.starts_with('/')
            || next.contains('\\')
            || next.chars().any(|c| c.is_control() || c.is_whitespace())
        {
            return None;
        }
        let base = url::Url::parse(public_base_url).ok()?;
        let target = base.join(next).ok()?;
        // "/..//evil.example" resolves to the path "//evil.example", which a browser reads
        // as another host.
        if target.origin() != base.origin()
            || target.path().starts_with("//")
            || target.path().starts_with("/dashboard")
        {
            return None;
        }
        Some(target[url::Position::BeforePath..url::Position::AfterQuery].to_string())
    }

    #[cfg(test)]
    mod tests {
        use super::safe_next;

        const BASE: &str = "https://pay.example.com";

        #[test]
        fn only_paths_of_our_own_origin_are_followed() {
            let next = |n: &str| safe_next(Some(n), BASE);
            assert_eq!(
                next("/accounts/1/links?page=2").as_deref(),
                Some("/accounts/1/links?page=2")
            );
            for hostile in [
                "//evil.example/x",
                "/\t/evil.example/x",
                "/\\evil.example",
                "/\n/evil.example",
                "https://evil.example/",
                "evil.example",
                "/ok\r\nSet-Cookie: a=b",
                "/dashboard",
                "/..//evil.example",
                "/.//evil.example",
                "/%2e%2e//evil.example",
                "/a/..//evil.example",
            ] {
                assert_eq!(next(hostile), None, "{hostile:?}");
            }
            assert_eq!(safe_next(None, BASE), None);
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::*;
