//! A place on a capped link: an attempt holds it for a short window only, and the payer who
//! holds it can give it up at once to pay another way.

use reqwest::StatusCode;

use crate::helpers::{spawn_app, Browser, TestApp, START_MS};

const HOLD_MS: i64 = 30 * 60 * 1000;

/// A merchant with webhooks on and one Rp 200.000 link of `max_usage`; returns its slug.
async fn capped_link(app: &TestApp, max_usage: &str) -> String {
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    app.enable_webhooks("http://127.0.0.1:9/hooks").await;
    let response = app
        .create_link(&account, &[("input[max_usage]", max_usage)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let id: i64 = response.json().await.unwrap();
    app.slug_of(id).await
}

async fn attempt_column(app: &TestApp, reff: &str, column: &str) -> String {
    app.scalar_text(&format!(
        "SELECT CAST({column} AS TEXT) FROM payment_link_histories WHERE reff_no = '{reff}'"
    ))
    .await
}

async fn pay_va(app: &TestApp, va: &str) -> StatusCode {
    reqwest::Client::new()
        .post(app.url("/sandbox/va/pay"))
        .json(&serde_json::json!({"va_number": va, "amount": 200_000}))
        .send()
        .await
        .unwrap()
        .status()
}

async fn change_method(payer: &Browser, slug: &str, reff: &str) -> reqwest::Response {
    payer
        .call("change_method", &[("slug", slug), ("reff_no", reff)])
        .await
}

#[tokio::test]
async fn a_va_on_a_capped_link_holds_its_place_for_thirty_minutes_only() {
    let app = spawn_app().await;
    let slug = capped_link(&app, "1").await;
    let reff = app.new_browser().start_payment(&slug, "VA_BRI").await;
    assert_eq!(
        attempt_column(&app, &reff, "expired_at").await,
        (START_MS + HOLD_MS).to_string(),
        "not the VA's 24 hours"
    );

    // The next payer is told when the place frees, and gets it then.
    let late = app.new_browser();
    let refused = late
        .call("pay", &[("slug", &slug), ("method", "QRIS")])
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    app.clock.advance_ms(HOLD_MS);
    late.start_payment(&slug, "QRIS").await;

    // The first payer's VA stopped working with its hold: no money for a place given away.
    let va = attempt_column(&app, &reff, "payment_method_value").await;
    assert_eq!(pay_va(&app, &va).await, StatusCode::NOT_FOUND);
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        0
    );
}

#[tokio::test]
async fn the_payer_changes_method_and_the_place_frees_at_once() {
    let app = spawn_app().await;
    let slug = capped_link(&app, "1").await;
    let payer = app.new_browser();
    let reff = payer.start_payment(&slug, "VA_BRI").await;
    let va = attempt_column(&app, &reff, "payment_method_value").await;

    // Offered on the attempt page to the payer who holds it, and to nobody else.
    let (_, page) = payer.page(&format!("/pay/{slug}/{reff}")).await;
    assert!(page.contains("Ganti metode pembayaran"), "{page}");
    let stranger = app.new_browser();
    let (_, seen) = stranger.page(&format!("/pay/{slug}/{reff}")).await;
    assert!(!seen.contains("Ganti metode pembayaran"));
    assert_eq!(
        change_method(&stranger, &slug, &reff).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(attempt_column(&app, &reff, "status").await, "pending");

    app.clock.advance_ms(60_000);
    let changed = change_method(&payer, &slug, &reff).await;
    assert!(changed.status().is_success() || changed.status().is_redirection());
    assert_eq!(attempt_column(&app, &reff, "status").await, "expired");
    assert_eq!(
        attempt_column(&app, &reff, "expired_at").await,
        (START_MS + 60_000).to_string(),
        "it ended when the payer gave it up"
    );
    assert_eq!(
        app.texts("SELECT event_type FROM webhook_events ORDER BY id")
            .await,
        ["payment_link_history.expired"],
        "the merchant hears of it as of an expiry"
    );
    // Its VA no longer takes money, and the payer is not sent back to it.
    assert_eq!(pay_va(&app, &va).await, StatusCode::NOT_FOUND);
    let (status, form) = payer.page(&format!("/pay/{slug}")).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the link's page, not the old attempt"
    );
    assert!(form.contains("Pilih metode pembayaran"));

    // The freed place is there at once, for this payer's new method or anyone's.
    let again = payer.start_payment(&slug, "QRIS").await;
    assert_ne!(again, reff);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_link_histories WHERE status = 'pending'")
            .await,
        1
    );
    // Giving up twice changes nothing the second time.
    let stale = change_method(&payer, &slug, &reff).await;
    assert_eq!(
        stale.status(),
        StatusCode::FORBIDDEN,
        "no longer this browser's"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM webhook_events").await, 1);
}

#[tokio::test]
async fn a_paid_attempt_cannot_be_given_up() {
    let app = spawn_app().await;
    let slug = capped_link(&app, "2").await;
    let payer = app.new_browser();
    let reff = payer.start_payment(&slug, "VA_BNI").await;
    let va = attempt_column(&app, &reff, "payment_method_value").await;
    assert_eq!(pay_va(&app, &va).await, StatusCode::OK);

    let response = change_method(&payer, &slug, &reff).await;
    assert!(response.status().is_redirection() || response.status().is_success());
    assert_eq!(attempt_column(&app, &reff, "status").await, "paid");
    let (_, page) = payer.page(&format!("/pay/{slug}/{reff}")).await;
    assert!(page.contains("Pembayaran berhasil"));
    assert!(!page.contains("Ganti metode pembayaran"));
}
