//! Developers → Payment providers: a merchant connects their own Midtrans or Xendit account
//! with keys the gateway (here its stand-in) accepts; the keys are kept sealed.

use reqwest::StatusCode;

use crate::helpers::{field_errors, spawn_app_with, TestApp};
use crate::midtrans_sim::MidtransSim;
use crate::xendit_sim::XenditSim;

pub(crate) const MIDTRANS_KEY: &str = "SB-Mid-server-GoodKey0001";
pub(crate) const XENDIT_KEY: &str = "xnd_development_GoodKey0002";
const XENDIT_TOKEN: &str = "callback-token-0003";

/// An app whose gateway calls go to the two stand-ins, with a signed-up merchant.
async fn app_with_gateways() -> (TestApp, MidtransSim, XenditSim) {
    let (app, midtrans, xendit, _) = merchant_with_gateways().await;
    (app, midtrans, xendit)
}

/// The same, and the merchant's account id.
pub(crate) async fn merchant_with_gateways() -> (TestApp, MidtransSim, XenditSim, String) {
    let midtrans = MidtransSim::start(MIDTRANS_KEY).await;
    let xendit = XenditSim::start(XENDIT_KEY, XENDIT_TOKEN).await;
    let (midtrans_url, xendit_url) = (midtrans.base_url.clone(), xendit.base_url.clone());
    let app = spawn_app_with(move |settings| {
        settings.midtrans_base_url = Some(midtrans_url);
        settings.xendit_base_url = Some(xendit_url);
    })
    .await;
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    (app, midtrans, xendit, account)
}

async fn connect(app: &TestApp, gateway: &str, secret: &str, token: &str) -> reqwest::Response {
    app.call(
        "gateway_connect",
        &[
            ("gateway", gateway),
            ("mode", "sandbox"),
            ("secret", secret),
            ("callback_token", token),
        ],
    )
    .await
}

#[tokio::test]
async fn midtrans_is_connected_with_a_key_it_accepts_and_the_key_is_kept_sealed() {
    let (app, _midtrans, _xendit) = app_with_gateways().await;
    let (status, page) = app.page("/developers/gateways").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("No gateway connected yet"));

    // A key Midtrans refuses is named as the problem, and nothing is kept.
    let refused = connect(&app, "midtrans", "SB-Mid-server-WrongKey", "").await;
    let errors = field_errors(refused).await;
    assert!(errors["secret"].contains("does not accept"), "{errors:?}");
    assert_eq!(app.count("gateway_connections").await, 0);

    let connected = connect(&app, "midtrans", MIDTRANS_KEY, "").await;
    assert_eq!(connected.status(), StatusCode::OK);
    let sealed = app
        .scalar_text("SELECT secret_sealed FROM gateway_connections")
        .await;
    assert!(!sealed.contains("GoodKey"), "kept sealed: {sealed}");
    let (_, page) = app.page("/developers/gateways").await;
    assert!(
        page.contains("…0001") && !page.contains(MIDTRANS_KEY),
        "shown masked"
    );
    let (_, log) = app.page("/audit").await;
    assert!(log.contains("Connected a payment gateway") && !log.contains(MIDTRANS_KEY));

    let id = app
        .scalar("SELECT id FROM gateway_connections")
        .await
        .to_string();
    let tested = app.call("gateway_test", &[("id", &id)]).await;
    assert_eq!(
        tested.status(),
        StatusCode::OK,
        "the stored key opens and still works"
    );

    // Connecting again re-keys the same account rather than adding one.
    assert_eq!(
        connect(&app, "midtrans", MIDTRANS_KEY, "").await.status(),
        StatusCode::OK
    );
    assert_eq!(app.count("gateway_connections").await, 1);

    let unconfirmed = app.call("gateway_disconnect", &[("id", &id)]).await;
    assert!(field_errors(unconfirmed).await.contains_key("confirm"));
    assert_eq!(app.count("gateway_connections").await, 1);
    let gone = app
        .call("gateway_disconnect", &[("id", &id), ("confirm", "yes")])
        .await;
    assert_eq!(gone.status(), StatusCode::OK);
    assert_eq!(app.count("gateway_connections").await, 0);
    let (_, log) = app.page("/audit").await;
    assert!(log.contains("Disconnected a payment gateway"));
}

#[tokio::test]
async fn xendit_needs_its_callback_token_and_only_admins_connect() {
    let (app, _midtrans, _xendit) = app_with_gateways().await;
    let missing = connect(&app, "xendit", XENDIT_KEY, "").await;
    assert!(field_errors(missing).await.contains_key("callback_token"));
    assert_eq!(
        connect(&app, "xendit", XENDIT_KEY, XENDIT_TOKEN)
            .await
            .status(),
        StatusCode::OK
    );
    let token = app
        .scalar_text("SELECT callback_token_sealed FROM gateway_connections")
        .await;
    assert!(!token.contains("0003"), "the token is sealed too");

    let viewer = crate::team::invite_and_join(&app, "viewer@sinar.id", "viewer").await;
    let (status, page) = viewer.page("/developers/gateways").await;
    assert_eq!(status, StatusCode::OK, "a viewer may look");
    assert!(page.contains("…0002"));
    let refused = viewer
        .call(
            "gateway_connect",
            &[
                ("gateway", "midtrans"),
                ("mode", "sandbox"),
                ("secret", MIDTRANS_KEY),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let id = app
        .scalar("SELECT id FROM gateway_connections")
        .await
        .to_string();
    let refused = viewer
        .call("gateway_disconnect", &[("id", &id), ("confirm", "yes")])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("gateway_connections").await, 1);
}

#[tokio::test]
async fn another_merchants_connection_cannot_be_tested_or_removed() {
    let (app, _midtrans, _xendit) = app_with_gateways().await;
    let id = connected(&app, "midtrans", MIDTRANS_KEY).await;
    let other = app.new_browser();
    other.sign_up("Toko Lain", "owner@lain.id").await;
    let tested = other.call("gateway_test", &[("id", &id)]).await;
    assert_eq!(tested.status(), StatusCode::NOT_FOUND);
    let removed = other
        .call("gateway_disconnect", &[("id", &id), ("confirm", "yes")])
        .await;
    assert_eq!(removed.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count("gateway_connections").await, 1);
}

#[tokio::test]
async fn without_a_sealing_key_no_gateway_is_connected() {
    let midtrans = MidtransSim::start(MIDTRANS_KEY).await;
    let url = midtrans.base_url.clone();
    let app = spawn_app_with(move |settings| {
        settings.secret_key = None;
        settings.midtrans_base_url = Some(url);
    })
    .await;
    app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let (_, page) = app.page("/developers/gateways").await;
    assert!(page.contains("PAYLINKS_SECRET_KEY"));
    let refused = connect(&app, "midtrans", MIDTRANS_KEY, "").await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("PAYLINKS_SECRET_KEY"));
    assert_eq!(app.count("gateway_connections").await, 0);
}

/// Connects a gateway; its connection id.
async fn connected(app: &TestApp, gateway: &str, secret: &str) -> String {
    let token = if gateway == "xendit" {
        XENDIT_TOKEN
    } else {
        ""
    };
    assert_eq!(
        connect(app, gateway, secret, token).await.status(),
        StatusCode::OK
    );
    app.scalar(&format!(
        "SELECT id FROM gateway_connections WHERE gateway = '{gateway}'"
    ))
    .await
    .to_string()
}

/// Connects a gateway and routes `methods` to it; its connection id.
pub(crate) async fn connect_and_route(
    app: &TestApp,
    gateway: &str,
    secret: &str,
    methods: &[&str],
) -> String {
    let id = connected(app, gateway, secret).await;
    let names: Vec<String> = (0..methods.len())
        .map(|i| format!("methods[{i}]"))
        .collect();
    let mut form = vec![("id", id.as_str())];
    form.extend(
        names
            .iter()
            .map(String::as_str)
            .zip(methods.iter().copied()),
    );
    assert_eq!(
        app.call("gateway_route", &form).await.status(),
        StatusCode::OK
    );
    id
}

pub(crate) async fn attempt_column(app: &TestApp, reff: &str, column: &str) -> String {
    app.scalar_text(&format!(
        "SELECT CAST({column} AS TEXT) FROM payment_link_histories WHERE reff_no = '{reff}'"
    ))
    .await
}

#[tokio::test]
async fn a_method_routed_to_midtrans_is_issued_and_paid_there_and_credited_once() {
    let (app, midtrans, _xendit, account) = merchant_with_gateways().await;
    let id = connect_and_route(&app, "midtrans", MIDTRANS_KEY, &["VA_BNI"]).await;
    let link: i64 = app.create_link(&account, &[]).await.json().await.unwrap();
    let slug = app.slug_of(link).await;
    let payer = app.new_browser();
    let reff = payer.start_payment(&slug, "VA_BNI").await;

    let charge = midtrans.charge_of(&reff).expect("charged at Midtrans");
    assert_eq!(charge.amount, 200_000);
    assert_eq!(
        charge.expiry,
        Some((1800, "second".into())),
        "the attempt's hold"
    );
    let va = attempt_column(&app, &reff, "payment_method_value").await;
    assert_eq!(
        Some(va.clone()),
        charge.va_number,
        "the payer sees Midtrans's VA"
    );
    assert_eq!(
        attempt_column(&app, &reff, "gateway_connection_id").await,
        id
    );
    let (_, page) = payer.page(&format!("/pay/{slug}/{reff}")).await;
    assert!(
        !page.contains("Simulasikan"),
        "paid at the gateway, not simulated"
    );
    // Nor from the merchant's side: the dashboard's simulate is refused in words.
    let link_id = link.to_string();
    let simulate = [
        ("account_id", account.as_str()),
        ("link_id", link_id.as_str()),
        ("reff_no", reff.as_str()),
    ];
    let simulated = app.call("attempt_simulate", &simulate).await;
    assert_eq!(simulated.status(), StatusCode::CONFLICT);
    assert!(simulated
        .text()
        .await
        .unwrap()
        .contains("paid at the gateway"));
    assert_eq!(attempt_column(&app, &reff, "status").await, "pending");
    // The payment's page names who issued it, with the gateway's id of the charge.
    let detail = app.payment_detail(&account, &reff).await;
    let issuer = &detail["issuer"]["Gateway"];
    assert_eq!(issuer["connection"]["gateway"], "midtrans");
    assert_eq!(
        issuer["reference"].as_str(),
        midtrans
            .charge_of(&reff)
            .map(|c| c.transaction_id)
            .as_deref()
    );
    // Another method stays with the sandbox.
    let qris = app.new_browser().start_payment(&slug, "QRIS").await;
    assert!(midtrans.charge_of(&qris).is_none());
    // The sandbox's bank cannot pay Midtrans's VA.
    let sandbox = reqwest::Client::new()
        .post(app.url("/sandbox/va/pay"))
        .json(&serde_json::json!({"va_number": va, "amount": 200_000}))
        .send()
        .await
        .unwrap();
    assert_eq!(sandbox.status(), StatusCode::NOT_FOUND);

    let notify = app.url(&format!("/callbacks/midtrans/{id}"));
    let paid = midtrans.pay(&reff, Some(&notify)).await;
    assert_eq!(paid.status(), StatusCode::OK);
    assert_eq!(attempt_column(&app, &reff, "status").await, "paid");
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        1
    );

    // Midtrans sends again: nothing more is credited.
    let again = reqwest::Client::new()
        .post(&notify)
        .json(&midtrans.notification_for(&reff))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        1
    );
    // A changed amount no longer matches its signature; another connection's URL knows it not.
    let mut forged = midtrans.notification_for(&reff);
    forged["gross_amount"] = serde_json::json!("2000000.00");
    let forged = reqwest::Client::new()
        .post(&notify)
        .json(&forged)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    let elsewhere = reqwest::Client::new()
        .post(app.url("/callbacks/midtrans/999999"))
        .json(&midtrans.notification_for(&reff))
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM inbound_notifications WHERE provider = 'midtrans'")
            .await,
        1
    );

    // A payment Midtrans took is refunded by the merchant, who confirms the transfer here.
    let history_id = app.history_id(&reff).await;
    let refund = [
        ("account_id", account.as_str()),
        ("history_id", history_id.as_str()),
        ("amount", "50.000"),
        ("confirm", "yes"),
    ];
    assert_eq!(app.call("refund", &refund).await.status(), StatusCode::OK);
    assert_eq!(
        app.scalar_text("SELECT status FROM refunds").await,
        "pending"
    );
    let refund_id = app.scalar("SELECT id FROM refunds").await.to_string();
    let sent = [("refund_id", refund_id.as_str()), ("sent", "yes")];
    assert_eq!(app.call("refund_end", &sent).await.status(), StatusCode::OK);
    assert_eq!(
        attempt_column(&app, &reff, "refunded_amount").await,
        "50000"
    );
    assert_eq!(
        app.call("refund_end", &sent).await.status(),
        StatusCode::CONFLICT,
        "confirmed once"
    );

    // Paid at Midtrans but its notification lost: giving the attempt up is refused, since
    // Midtrans will not cancel a paid charge, and the attempt stays pending for its money.
    let late = app.new_browser();
    let unheard = late.start_payment(&slug, "VA_BNI").await;
    midtrans.pay_without_notifying(&unheard);
    let refused = late
        .call("change_method", &[("slug", &slug), ("reff_no", &unheard)])
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert_eq!(attempt_column(&app, &unheard, "status").await, "pending");
    // Given up before paying, it is cancelled at Midtrans too.
    let given_up = app.new_browser();
    let reff = given_up.start_payment(&slug, "VA_BNI").await;
    given_up
        .call("change_method", &[("slug", &slug), ("reff_no", &reff)])
        .await;
    assert_eq!(midtrans.charge_of(&reff).unwrap().status, "cancel");
    assert_eq!(attempt_column(&app, &reff, "status").await, "expired");
}

#[tokio::test]
async fn the_next_gateway_issues_when_the_first_does_not_answer_and_none_frees_the_slot() {
    let (app, midtrans, xendit, account) = merchant_with_gateways().await;
    connect_and_route(&app, "midtrans", MIDTRANS_KEY, &["VA_BNI"]).await;
    let xendit_id = connect_and_route(&app, "xendit", XENDIT_KEY, &["VA_BNI"]).await;
    let link: i64 = app
        .create_link(&account, &[("input[max_usage]", "1")])
        .await
        .json()
        .await
        .unwrap();
    let slug = app.slug_of(link).await;

    // Midtrans has a bad minute: Xendit issues within the payer's same request.
    midtrans.fail_next(1);
    let payer = app.new_browser();
    let reff = payer.start_payment(&slug, "VA_BNI").await;
    assert!(midtrans.charge_of(&reff).is_none());
    let request = xendit.request_for(&reff).expect("issued by Xendit");
    assert_eq!(
        attempt_column(&app, &reff, "gateway_connection_id").await,
        xendit_id
    );
    assert_eq!(
        attempt_column(&app, &reff, "gateway_reference").await,
        request.id
    );

    // The payer gives the VA up; then both gateways are down: the payer is told, in their
    // language, and the only place is free again for the next try.
    let changed = payer
        .call("change_method", &[("slug", &slug), ("reff_no", &reff)])
        .await;
    assert!(changed.status().is_redirection() || changed.status().is_success());
    assert_eq!(
        xendit.request_for(&reff).unwrap().status,
        "CANCELED",
        "stopped at Xendit before it ended here"
    );
    midtrans.fail_next(5);
    xendit.fail_next(5);
    let refused = payer
        .call(
            "pay",
            &[("slug", &slug), ("method", "VA_BNI"), ("lang", "id")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(refused.text().await.unwrap().contains("tidak menjawab"));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_link_histories WHERE status = 'pending'")
            .await,
        0,
        "no place held by an attempt nobody issued"
    );

    // Back up: Xendit's payment of a fresh attempt is credited through its callback.
    midtrans.fail_next(0);
    xendit.fail_next(0);
    let reff = app.new_browser().start_payment(&slug, "VA_BNI").await;
    let midtrans_charge = midtrans.charge_of(&reff).expect("Midtrans answers again");
    assert_eq!(midtrans_charge.status, "pending");
}

#[tokio::test]
async fn a_xendit_payment_is_credited_only_with_its_callback_token() {
    let (app, _midtrans, xendit, account) = merchant_with_gateways().await;
    let id = connect_and_route(&app, "xendit", XENDIT_KEY, &["QRIS"]).await;
    let link: i64 = app.create_link(&account, &[]).await.json().await.unwrap();
    let slug = app.slug_of(link).await;
    let reff = app.new_browser().start_payment(&slug, "QRIS").await;
    let request = xendit.request_for(&reff).expect("requested at Xendit");
    let notify = app.url(&format!("/callbacks/xendit/{id}"));

    let unsigned = reqwest::Client::new()
        .post(&notify)
        .json(&serde_json::json!({"event": "payment.capture", "data": {"reference_id": reff}}))
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(attempt_column(&app, &reff, "status").await, "pending");

    let paid = xendit.pay(&request.id, &notify).await;
    assert_eq!(paid.status(), StatusCode::OK);
    assert_eq!(attempt_column(&app, &reff, "status").await, "paid");
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        1
    );
}

#[tokio::test]
async fn only_methods_the_gateway_offers_are_routed_to_it() {
    let (app, _midtrans, _xendit) = app_with_gateways().await;
    let id = connected(&app, "midtrans", MIDTRANS_KEY).await;
    let refused = app
        .call(
            "gateway_route",
            &[("id", id.as_str()), ("methods[0]", "OVO")],
        )
        .await;
    assert!(field_errors(refused).await["methods"].contains("OVO"));
    assert_eq!(app.count("gateway_routes").await, 0);
    let (_, page) = app.page("/developers/gateways").await;
    assert!(
        page.contains(&format!("/callbacks/midtrans/{id}")),
        "the URL to paste"
    );
}

#[tokio::test]
async fn reconciliation_credits_a_payment_whose_notification_was_lost() {
    let (app, midtrans, xendit, account) = merchant_with_gateways().await;
    connect_and_route(&app, "midtrans", MIDTRANS_KEY, &["VA_BNI"]).await;
    connect_and_route(&app, "xendit", XENDIT_KEY, &["QRIS"]).await;
    let link: i64 = app.create_link(&account, &[]).await.json().await.unwrap();
    let slug = app.slug_of(link).await;
    let va = app.new_browser().start_payment(&slug, "VA_BNI").await;
    let qr = app.new_browser().start_payment(&slug, "QRIS").await;
    midtrans.pay_without_notifying(&va);
    let request = xendit.request_for(&qr).unwrap();
    xendit.pay_without_notifying(&request.id);

    // Not asked while the payer may still be paying...
    paylinks::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(attempt_column(&app, &va, "status").await, "pending");
    // ...but a few minutes on, the gateways' answers credit both.
    app.clock.advance_ms(3 * 60 * 1000 + 1);
    paylinks::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(attempt_column(&app, &va, "status").await, "paid");
    assert_eq!(attempt_column(&app, &qr, "status").await, "paid");
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        2
    );

    // The notification arriving after all credits nothing more.
    let notify = app.url(&format!(
        "/callbacks/midtrans/{}",
        attempt_column(&app, &va, "gateway_connection_id").await
    ));
    let late = reqwest::Client::new()
        .post(&notify)
        .json(&midtrans.notification_for(&va))
        .send()
        .await
        .unwrap();
    assert_eq!(late.status(), StatusCode::OK);
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        2
    );
}

#[tokio::test]
async fn an_unpaid_charge_is_stopped_at_the_gateway_before_its_attempt_expires() {
    let (app, midtrans, _xendit, account) = merchant_with_gateways().await;
    connect_and_route(&app, "midtrans", MIDTRANS_KEY, &["VA_BRI"]).await;
    let link: i64 = app.create_link(&account, &[]).await.json().await.unwrap();
    let slug = app.slug_of(link).await;
    let reff = app.new_browser().start_payment(&slug, "VA_BRI").await;

    // The hold ends while Midtrans does not answer: the attempt waits, it does not expire.
    app.clock.advance_ms(30 * 60 * 1000);
    midtrans.fail_next(100);
    paylinks::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(attempt_column(&app, &reff, "status").await, "pending");
    assert_eq!(midtrans.charge_of(&reff).unwrap().status, "pending");

    // Back: the charge is cancelled there first, then the attempt expires here.
    midtrans.fail_next(0);
    paylinks::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(midtrans.charge_of(&reff).unwrap().status, "cancel");
    assert_eq!(attempt_column(&app, &reff, "status").await, "expired");
}

#[tokio::test]
async fn with_the_sandbox_off_payers_are_offered_only_routed_methods() {
    let (app, midtrans, _xendit, account) = merchant_with_gateways().await;
    connect_and_route(&app, "midtrans", MIDTRANS_KEY, &["VA_BNI"]).await;
    let link: i64 = app.create_link(&account, &[]).await.json().await.unwrap();
    let slug = app.slug_of(link).await;
    let (_, page) = app.new_browser().page(&format!("/pay/{slug}")).await;
    assert!(
        page.contains("VA BNI") && page.contains("QRIS"),
        "the sandbox issues the rest"
    );

    let off = app.call("gateway_sandbox", &[]).await;
    assert_eq!(off.status(), StatusCode::OK);
    let payer = app.new_browser();
    let (_, page) = payer.page(&format!("/pay/{slug}")).await;
    assert!(page.contains("VA BNI"), "{page}");
    assert!(
        !page.contains("QRIS") && !page.contains("VA BRI"),
        "no sandbox instructions"
    );
    let refused = payer
        .call("pay", &[("slug", &slug), ("method", "QRIS")])
        .await;
    assert!(field_errors(refused).await.contains_key("method"));
    let reff = payer.start_payment(&slug, "VA_BNI").await;
    assert!(midtrans.charge_of(&reff).is_some());
    let (_, log) = app.page("/audit").await;
    assert!(log.contains("Switched the sandbox on or off"));

    assert_eq!(
        app.call("gateway_sandbox", &[("on", "yes")]).await.status(),
        StatusCode::OK
    );
    let (_, page) = app.new_browser().page(&format!("/pay/{slug}")).await;
    assert!(page.contains("QRIS"), "back on");
}
