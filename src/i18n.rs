//! The dashboard's words in Bahasa Indonesia and English. `build.rs` turns
//! `locales/<locale>/<namespace>.json` into the generated module re-exported here, so a key
//! missing from either language fails the build.
//!
//! Pages read their words through the context `I18nContextProvider` sets up at the root
//! (`t!(i18n, links.title)`). Messages written on the server (field errors, refusals) use
//! [`tr!`](crate::tr), in the language of the request being answered: the dashboard's
//! ([`speak_request_language`]); the API and background jobs speak English, the language of
//! the Singapay contract and of the operators' logs.

#[allow(clippy::all, unused_imports, unreachable_pub)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}

pub use generated::i18n::*;

use crate::domain::lang::Lang;

impl From<Lang> for Locale {
    fn from(lang: Lang) -> Locale {
        match lang {
            Lang::Id => Locale::id,
            Lang::En => Locale::en,
        }
    }
}

impl From<Locale> for Lang {
    fn from(locale: Locale) -> Lang {
        match locale {
            Locale::id => Lang::Id,
            Locale::en => Lang::En,
        }
    }
}

/// A message in the language of the work being done now (see the module's notes):
/// `tr!(links.title_required)`, `tr!(links.title_too_long, max = 80)`.
#[macro_export]
macro_rules! tr {
    ($($key_and_args:tt)*) => {
        $crate::i18n::td_string!($crate::i18n::current(), $($key_and_args)*).to_string()
    };
}

#[cfg(feature = "ssr")]
tokio::task_local! {
    static REQUEST_LANG: Lang;
}

/// The language messages are written in right now: the dashboard request's, or on a page
/// being rendered its context's; English anywhere else.
pub fn current() -> Locale {
    #[cfg(feature = "ssr")]
    if let Ok(lang) = REQUEST_LANG.try_with(|lang| *lang) {
        return lang.into();
    }
    leptos::prelude::use_context::<leptos_i18n::I18nContext<Locale>>()
        .map(|i18n| i18n.get_locale_untracked())
        .unwrap_or(Locale::en)
}

/// Runs `work` with messages in `lang`: an email rendered for its recipient, a test.
#[cfg(feature = "ssr")]
pub async fn speaking<F: std::future::Future>(lang: Lang, work: F) -> F::Output {
    REQUEST_LANG.scope(lang, work).await
}

/// Middleware: a dashboard request is answered in its user's language (see
/// [`crate::ui::context::dashboard_lang`]); the API keeps English whatever the browser says.
#[cfg(feature = "ssr")]
pub async fn speak_request_language(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let lang = crate::ui::context::dashboard_lang(request.headers());
    speaking(lang, next.run(request)).await
}
