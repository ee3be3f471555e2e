use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="paylinks · payment links for Indonesian merchants"/>
        <main class="page narrow home">
            <h1>"paylinks"</h1>
            <p class="lead">
                "Create a payment link once, share it on WhatsApp, email or SMS, and let every "
                "payer pay by virtual account (BRI, BNI, BCA, Maybank, Danamon, Permata, CIMB Niaga), QRIS, "
                "e-wallet or in cash at Alfamart and Indomaret."
            </p>
            <p class="actions">
                <a class="button primary" href="/signup">"Create a merchant account"</a>
                <a class="button" href="/login">"Log in"</a>
            </p>
        </main>
    }
}
