//! The dashboard's words in Bahasa Indonesia and English. `build.rs` turns
//! `locales/<locale>/<namespace>.json` into the generated module re-exported here, so a key
//! missing from either language fails the build.
//!
//! Pages read their words through the context `I18nContextProvider` sets up at the root
//! (`t!(i18n, links.title)`). Messages written on the server (field errors, refusals) use
//! [`tr!`](crate::tr), in the language of the work being done: a dashboard request's (see
//! `crate::language::speak_request_language`); the API and background jobs speak English,
//! the language of the Singapay contract and of the operators' logs. This module depends on
//! nothing else of ours, so every layer, `domain` included, may write its messages here.

#[allow(clippy::all, unused_imports, unreachable_pub)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}

pub use generated::i18n::*;

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
    static REQUEST_LOCALE: Locale;
}

/// The language messages are written in right now: the dashboard request's, or on a page
/// being rendered its context's; English anywhere else.
pub fn current() -> Locale {
    #[cfg(feature = "ssr")]
    if let Ok(locale) = REQUEST_LOCALE.try_with(|locale| *locale) {
        return locale;
    }
    leptos::prelude::use_context::<leptos_i18n::I18nContext<Locale>>()
        .map(|i18n| i18n.get_locale_untracked())
        .unwrap_or(Locale::en)
}

/// Runs `work` with messages in `locale`: a dashboard request, an email rendered for its
/// recipient.
#[cfg(feature = "ssr")]
pub async fn speaking<F: std::future::Future>(locale: Locale, work: F) -> F::Output {
    REQUEST_LOCALE.scope(locale, work).await
}
