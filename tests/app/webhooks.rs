//! Webhooks end to end: a local receiver, the contract's signature checked independently on
//! every delivery, the backoff schedule on a manual clock, crashed workers, two workers at
//! once, private targets, resend and the delivery log.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{field_errors, spawn_app, spawn_app_with, TestApp};
use crate::receiver::{signature_is_valid, Received, Receiver};
use paylinks::db::webhooks::claim_due;
use paylinks::domain::webhook::RETRY_DELAYS_MS;
use paylinks::webhooks::deliver::CLAIM_LEASE_MS;
use paylinks::webhooks::deliver_due;

/// A merchant with an API credential and notifications going to `receiver`.
/// Returns (account id, API key, client secret).
async fn merchant_with_webhooks(app: &TestApp, receiver: &Receiver) -> (String, String, String) {
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    assert_eq!(
        app.call("credential_create", &[]).await.status(),
        StatusCode::OK
    );
    let (api_key, _, secret) = app.fresh_secret().await;
    let saved = app
        .call(
            "webhook_settings",
            &[("transaction_url", &receiver.url), ("enabled", "yes")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    (account, api_key, secret)
}

/// A payer opens the link and picks a VA; returns the attempt's reference.
async fn open_attempt(app: &TestApp, link_id: i64) -> String {
    let slug = app
        .scalar_text(&format!(
            "SELECT slug FROM payment_links WHERE id = {link_id}"
        ))
        .await;
    let response = app
        .new_browser()
        .call("pay", &[("slug", &slug), ("method", "VA_BNI")])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// The acquirer's signed "paid" callback for the attempt.
async fn pay(app: &TestApp, reff: &str, transaction_id: &str) {
    let paid = app.bank_pays(reff, transaction_id, 200_000).await;
    assert_eq!(paid.status(), StatusCode::OK);
}

async fn events_by_type(app: &TestApp) -> Vec<String> {
    app.texts("SELECT event_type FROM webhook_events ORDER BY id")
        .await
}

#[tokio::test]
async fn a_payment_is_notified_signed_and_retried_on_the_backoff_schedule() {
    let app = spawn_app().await;
    let receiver = Receiver::spawn(3).await;
    let (account, api_key, secret) = merchant_with_webhooks(&app, &receiver).await;
    let link_id = app
        .create_link(
            &account,
            &[("input[max_usage]", "1"), ("input[reff_no]", "INV-77")],
        )
        .await
        .json::<i64>()
        .await
        .unwrap();
    let reff = open_attempt(&app, link_id).await;
    pay(&app, &reff, "BANK-1").await;
    assert_eq!(
        events_by_type(&app).await,
        [
            "payment-link-transaction",
            "payment_link_history.paid",
            "payment_link.exhausted"
        ]
    );

    // Tries 1–3 fail; each waits its turn on the schedule, and not a second earlier.
    for (try_number, wait) in [(1, 0), (2, RETRY_DELAYS_MS[0]), (3, RETRY_DELAYS_MS[1])] {
        if wait > 0 {
            app.clock.advance_ms(wait - 1000);
            assert_eq!(
                deliver_due(&app.state).await.unwrap(),
                0,
                "early for try {try_number}"
            );
            app.clock.advance_ms(1000);
        }
        assert_eq!(
            deliver_due(&app.state).await.unwrap(),
            3,
            "try {try_number}"
        );
    }
    app.clock.advance_ms(RETRY_DELAYS_MS[2]);
    assert_eq!(deliver_due(&app.state).await.unwrap(), 3);
    assert_eq!(deliver_due(&app.state).await.unwrap(), 0, "nothing left");
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM webhook_events WHERE status = 'delivered' AND attempts = 4"
        )
        .await,
        3
    );
    let tries = app
        .numbers("SELECT attempted_at FROM webhook_deliveries WHERE event_id = 1 ORDER BY id")
        .await;
    let gaps: Vec<i64> = tries.windows(2).map(|w| w[1] - w[0]).collect();
    assert_eq!(gaps, RETRY_DELAYS_MS[..3]);

    let received = receiver.received();
    assert_eq!(received.len(), 12);
    for r in &received {
        assert!(signature_is_valid(r, &secret), "signature of {}", r.body);
        assert!(!signature_is_valid(r, "another secret"));
        assert_eq!(r.header("x-partner-id"), api_key);
        assert_eq!(r.header("content-type"), "application/json");
        assert_eq!(r.header("x-timestamp").len(), 10);
        assert_eq!(r.path_and_query, "/hooks/paylinks?source=test");
    }
    // Retries repeat the event id; different events never share one.
    let ids: std::collections::BTreeSet<&str> = received.iter().map(Received::event_id).collect();
    assert_eq!(ids.len(), 3);

    let body_of = |event: &str| {
        received
            .iter()
            .map(Received::json)
            .find(|b| b["event"] == event)
            .unwrap()
    };
    let contract = body_of("payment-link-transaction");
    assert_eq!(contract["data"]["transaction"]["reff_no"], reff.as_str());
    assert_eq!(contract["data"]["transaction"]["status"], "paid");
    assert_eq!(
        contract["data"]["transaction"]["amount"]["value"],
        "200000.00"
    );
    let link = &contract["data"]["payment"]["additional_info"]["payment_link"];
    assert_eq!(link["reff_no"], "INV-77");
    assert_eq!(link["current_usage"], 1);
    assert_eq!(link["max_usage"], 1);
    let ours = body_of("payment_link_history.paid");
    let history = &ours["data"]["history"];
    assert_eq!(history["reff_no"], reff.as_str());
    assert_eq!(history["payment_method_code"], "VA_BNI");
    assert_eq!(
        history["amount"].as_i64().unwrap(),
        history["fee"].as_i64().unwrap() + history["net_amount"].as_i64().unwrap()
    );
    assert!(history["id"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn a_crashed_workers_claim_lapses_and_the_event_is_delivered_once_after_restart() {
    let app = spawn_app().await;
    let receiver = Receiver::spawn(0).await;
    let (account, _, secret) = merchant_with_webhooks(&app, &receiver).await;
    let link_id = app.create_default_link(&account).await;
    let reff = open_attempt(&app, link_id).await;
    pay(&app, &reff, "BANK-1").await;

    // A worker claims both events, then dies before sending anything.
    let now = app.state.now_ms();
    assert_eq!(
        claim_due(&app.db, now, CLAIM_LEASE_MS, 10)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(deliver_due(&app.state).await.unwrap(), 0, "still held");
    assert!(receiver.received().is_empty());

    // After a restart (a fresh process state on the same database) the lease has run out.
    app.clock.advance_ms(CLAIM_LEASE_MS);
    let restarted = paylinks::startup::build_state(
        (*app.state.settings).clone(),
        app.db.clone(),
        app.state.leptos_options.clone(),
        Arc::new(app.clock.clone()),
    );
    assert_eq!(deliver_due(&restarted).await.unwrap(), 2);
    let received = receiver.received();
    assert_eq!(received.len(), 2);
    assert!(received.iter().all(|r| signature_is_valid(r, &secret)));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM webhook_events WHERE status = 'delivered'")
            .await,
        2
    );
}

#[tokio::test]
async fn two_workers_at_once_send_each_event_once() {
    let app = spawn_app().await;
    let receiver = Receiver::spawn(0).await;
    let (account, _, _) = merchant_with_webhooks(&app, &receiver).await;
    let link_id = app.create_default_link(&account).await;
    for n in 0..4 {
        let reff = open_attempt(&app, link_id).await;
        pay(&app, &reff, &format!("BANK-{n}")).await;
    }
    let (a, b, c) = tokio::join!(
        deliver_due(&app.state),
        deliver_due(&app.state),
        deliver_due(&app.state)
    );
    assert_eq!(a.unwrap() + b.unwrap() + c.unwrap(), 8);
    let received = receiver.received();
    assert_eq!(received.len(), 8);
    let ids: std::collections::BTreeSet<&str> = received.iter().map(Received::event_id).collect();
    assert_eq!(ids.len(), 8, "no event sent twice");
}

#[tokio::test]
async fn an_expired_attempt_is_notified_and_nothing_is_written_while_notifications_are_off() {
    let app = spawn_app().await;
    let receiver = Receiver::spawn(0).await;
    let (account, _, _) = merchant_with_webhooks(&app, &receiver).await;
    let inquiry = format!("{}&kind=inquiry", receiver.url);
    let saved = app
        .call(
            "webhook_settings",
            &[
                ("transaction_url", &receiver.url),
                ("inquiry_url", &inquiry),
                ("enabled", "yes"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let link_id = app.create_default_link(&account).await;
    let reff = open_attempt(&app, link_id).await;
    app.clock.advance_ms(25 * 3600 * 1000);
    paylinks::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(
        events_by_type(&app).await,
        [
            "payment_link.inquiry",
            "payment_link_history.expired",
            "payment_link.inquiry.expired"
        ]
    );
    deliver_due(&app.state).await.unwrap();
    let received = receiver.received();
    let inquiry_call = received
        .iter()
        .find(|r| r.json()["event"] == "payment_link.inquiry.expired")
        .expect("the inquiry URL got its event");
    assert!(inquiry_call.path_and_query.ends_with("kind=inquiry"));
    for reference in ["transaction", "payment_link_history"] {
        assert_eq!(
            inquiry_call.json()["data"][reference]["reff_no"],
            reff.as_str()
        );
    }
    assert_eq!(
        inquiry_call.json()["data"]["transaction"]["status"],
        "expired"
    );

    // Turned off: payments change state but write no events.
    let off = app
        .call("webhook_settings", &[("transaction_url", &receiver.url)])
        .await;
    assert_eq!(off.status(), StatusCode::OK);
    let before = app.count("webhook_events").await;
    let reff = open_attempt(&app, link_id).await;
    pay(&app, &reff, "BANK-9").await;
    assert_eq!(app.count("webhook_events").await, before);
}

#[tokio::test]
async fn private_targets_are_refused_unless_allowed() {
    let app = spawn_app_with(|s| s.webhook_allow_private_targets = false).await;
    let receiver = Receiver::spawn(0).await;
    app.sign_up("Toko Sinar", "owner@sinar.id").await;
    for url in [
        receiver.url.clone(),
        receiver.url.replace("127.0.0.1", "localhost"),
        "http://169.254.169.254/latest/meta-data".to_string(),
        "http://10.0.0.8/hook".to_string(),
    ] {
        let response = app
            .call(
                "webhook_settings",
                &[("transaction_url", &url), ("enabled", "yes")],
            )
            .await;
        let errors = field_errors(response).await;
        assert!(
            errors["transaction_url"].contains("private"),
            "{url}: {errors:?}"
        );
    }
    assert_eq!(app.count("webhook_settings").await, 0);

    // A target saved while it was allowed is still refused at delivery time.
    app.execute(&format!(
        "INSERT INTO webhook_settings (merchant_id, transaction_url, enabled, updated_at)
         VALUES (1, '{}', TRUE, 0)",
        receiver.url
    ))
    .await;
    assert_eq!(
        app.call("credential_create", &[]).await.status(),
        StatusCode::OK
    );
    let sent = app.call("webhook_test", &[]).await;
    assert_eq!(sent.status(), StatusCode::OK);
    let result: Value = sent.json().await.unwrap();
    assert!(
        result["error"].as_str().unwrap().contains("private"),
        "{result}"
    );
    assert!(receiver.received().is_empty());
    // A test event gets one try, not the retry schedule.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM webhook_events WHERE status = 'failed'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_failed_event_can_be_resent_one_by_one_or_all_at_once() {
    let app = spawn_app().await;
    let receiver = Receiver::spawn(u32::MAX).await;
    let (account, _, _) = merchant_with_webhooks(&app, &receiver).await;
    let link_id = app.create_default_link(&account).await;
    let reff = open_attempt(&app, link_id).await;
    pay(&app, &reff, "BANK-1").await;

    // Ten tries over about four days, then the events are failed for good.
    deliver_due(&app.state).await.unwrap();
    for delay in RETRY_DELAYS_MS {
        app.clock.advance_ms(delay);
        assert_eq!(deliver_due(&app.state).await.unwrap(), 2);
    }
    app.clock.advance_ms(7 * 24 * 3600 * 1000);
    assert_eq!(deliver_due(&app.state).await.unwrap(), 0);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM webhook_events WHERE status = 'failed' AND attempts = 10")
            .await,
        2
    );
    let (_, log) = app.page("/developers/webhooks?status=failed").await;
    assert_eq!(log.matches("data-event-id=").count(), 2, "{log}");

    // The receiver is fixed: one event by hand, then the rest in one go.
    receiver.set_failures(0);
    let first = app
        .scalar_text("SELECT event_id FROM webhook_events ORDER BY id LIMIT 1")
        .await;
    let resent = app.call("webhook_resend", &[("event_id", &first)]).await;
    assert_eq!(resent.status(), StatusCode::OK);
    assert_eq!(deliver_due(&app.state).await.unwrap(), 1);
    let queued = app.call("webhook_resend_failed", &[]).await;
    assert_eq!(queued.json::<u64>().await.unwrap(), 1);
    assert_eq!(deliver_due(&app.state).await.unwrap(), 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM webhook_events WHERE status = 'delivered'")
            .await,
        2
    );

    // The event's page lists every try with its answer.
    let (status, page) = app.page(&format!("/developers/webhooks/{first}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page.matches("HTTP 500").count(), 10, "{page}");
    assert_eq!(page.matches("HTTP 200").count(), 1);
    assert!(page.contains("payment-link-transaction"));
}

#[tokio::test]
async fn the_test_event_is_signed_and_another_merchant_cannot_touch_it() {
    let app = spawn_app().await;
    let receiver = Receiver::spawn(0).await;
    let (_, _, secret) = merchant_with_webhooks(&app, &receiver).await;
    let sent = app.call("webhook_test", &[]).await;
    assert_eq!(sent.status(), StatusCode::OK);
    let result: Value = sent.json().await.unwrap();
    assert_eq!(result["response_status"], 200, "{result}");
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].json()["event"], "webhook.test");
    assert!(signature_is_valid(&received[0], &secret));
    let event_id = result["event_id"].as_str().unwrap();
    let (_, log) = app.page("/developers/webhooks").await;
    assert!(log.contains(event_id));

    let other = app.new_browser();
    other.sign_up("Toko Lain", "owner@lain.id").await;
    let (status, _) = other
        .page(&format!("/developers/webhooks/{event_id}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let resent = other
        .call("webhook_resend", &[("event_id", event_id)])
        .await;
    assert_eq!(resent.status(), StatusCode::NOT_FOUND);
    let (_, their_log) = other.page("/developers/webhooks").await;
    assert!(!their_log.contains(event_id));
    // Without settings there is nothing to test.
    let errors = field_errors(other.call("webhook_test", &[]).await).await;
    assert!(errors.contains_key("transaction_url"));
}
