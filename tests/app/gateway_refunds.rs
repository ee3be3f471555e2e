//! Refunds of payments a connected gateway took: QRIS and e-wallets through the gateway's
//! refund API (once per refund, also when the gateway does not answer at first), VAs by the
//! merchant's own transfer.

use reqwest::StatusCode;

use crate::gateways::{
    attempt_column, connect_and_route, merchant_with_gateways, MIDTRANS_KEY, XENDIT_KEY,
};
use crate::helpers::TestApp;

/// Refunds `amount` of the attempt from its payment page's form.
async fn refund(app: &TestApp, account: &str, reff: &str, amount: &str) -> reqwest::Response {
    let history_id = attempt_column(app, reff, "id").await;
    app.call(
        "refund",
        &[
            ("account_id", account),
            ("history_id", history_id.as_str()),
            ("amount", amount),
            ("reason", "Barang habis"),
            ("confirm", "yes"),
        ],
    )
    .await
}

async fn refund_statuses(app: &TestApp) -> Vec<String> {
    app.texts("SELECT status FROM refunds ORDER BY id").await
}

#[tokio::test]
async fn a_midtrans_qris_payment_is_refunded_through_midtrans_once() {
    let (app, midtrans, _xendit, account) = merchant_with_gateways().await;
    let id = connect_and_route(&app, "midtrans", MIDTRANS_KEY, &["QRIS"]).await;
    let link: i64 = app.create_link(&account, &[]).await.json().await.unwrap();
    let slug = app.slug_of(link).await;
    let reff = app.new_browser().start_payment(&slug, "QRIS").await;
    let notify = app.url(&format!("/callbacks/midtrans/{id}"));
    assert_eq!(
        midtrans.pay(&reff, Some(&notify)).await.status(),
        StatusCode::OK
    );

    let part = refund(&app, &account, &reff, "50.000").await;
    assert_eq!(part.status(), StatusCode::OK);
    assert_eq!(refund_statuses(&app).await, ["succeeded"]);
    assert_eq!(midtrans.refunded(&reff), 50_000);
    assert_eq!(midtrans.charge_of(&reff).unwrap().status, "partial_refund");

    // Midtrans does not answer the next: the refund holds its amount, waits, and is asked
    // again with the same key, which refunds once.
    midtrans.fail_next(1);
    let rest = refund(&app, &account, &reff, "150.000").await;
    assert_eq!(rest.status(), StatusCode::OK);
    assert_eq!(refund_statuses(&app).await, ["succeeded", "pending"]);
    let over = refund(&app, &account, &reff, "1").await;
    assert_eq!(
        over.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "held by the pending one"
    );
    paylinks::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(
        refund_statuses(&app).await,
        ["succeeded", "pending"],
        "not asked at once"
    );
    app.clock.advance_ms(61_000);
    paylinks::jobs::run_due(&app.state).await.unwrap();
    paylinks::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(refund_statuses(&app).await, ["succeeded", "succeeded"]);
    assert_eq!(midtrans.refunded(&reff), 200_000);
    assert_eq!(midtrans.charge_of(&reff).unwrap().status, "refund");
    assert_eq!(
        attempt_column(&app, &reff, "refunded_amount").await,
        "200000"
    );

    // Midtrans's notification of the refund changes nothing here.
    let heard = reqwest::Client::new()
        .post(&notify)
        .json(&midtrans.notification_for(&reff))
        .send()
        .await
        .unwrap();
    assert_eq!(heard.status(), StatusCode::OK);
    assert_eq!(attempt_column(&app, &reff, "status").await, "paid");
}

#[tokio::test]
async fn a_xendit_qris_refund_settles_when_xendit_does_and_a_va_is_the_merchants() {
    let (app, _midtrans, xendit, account) = merchant_with_gateways().await;
    let id = connect_and_route(&app, "xendit", XENDIT_KEY, &["QRIS", "VA_BNI"]).await;
    let notify = app.url(&format!("/callbacks/xendit/{id}"));
    let link: i64 = app
        .create_link(&account, &[("input[max_usage]", "5")])
        .await
        .json()
        .await
        .unwrap();
    let slug = app.slug_of(link).await;
    let qris = app.new_browser().start_payment(&slug, "QRIS").await;
    let request = xendit.request_for(&qris).unwrap();
    assert_eq!(
        xendit.pay(&request.id, &notify).await.status(),
        StatusCode::OK
    );

    xendit.hold_refunds();
    assert_eq!(
        refund(&app, &account, &qris, "200.000").await.status(),
        StatusCode::OK
    );
    assert_eq!(refund_statuses(&app).await, ["pending"]);
    assert_eq!(xendit.refunded(&request.id), 200_000);
    xendit.complete_refunds();
    app.clock.advance_ms(61_000);
    paylinks::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(refund_statuses(&app).await, ["succeeded"]);
    assert_eq!(
        xendit.refunded(&request.id),
        200_000,
        "asked again, not refunded again"
    );
    assert!(app
        .scalar_text("SELECT provider_refund_id FROM refunds")
        .await
        .starts_with("rfd-"));

    // A VA cannot be reversed: the refund waits for the merchant's transfer.
    let va = app.new_browser().start_payment(&slug, "VA_BNI").await;
    let va_request = xendit.request_for(&va).unwrap();
    assert_eq!(
        xendit.pay(&va_request.id, &notify).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        refund(&app, &account, &va, "200.000").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.texts("SELECT status FROM refunds WHERE manual = TRUE")
            .await,
        ["pending"]
    );
    assert_eq!(xendit.refunded(&va_request.id), 0);
}
