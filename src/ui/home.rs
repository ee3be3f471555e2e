use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{t, tu_string, use_i18n};

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, auth.home_title)/>
        <main class="page narrow home">
            <h1>"paylinks"</h1>
            <p class="lead">{t!(i18n, auth.home_lead)}</p>
            <p class="actions">
                <a class="button primary" href="/signup">{t!(i18n, auth.create_merchant_account)}</a>
                <a class="button" href="/login">{t!(i18n, auth.log_in)}</a>
            </p>
        </main>
    }
}
