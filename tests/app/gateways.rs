//! Developers → Payment providers: a merchant connects their own Midtrans or Xendit account
//! with keys the gateway (here its stand-in) accepts; the keys are kept sealed.

use reqwest::StatusCode;

use crate::helpers::{field_errors, spawn_app_with, TestApp};
use crate::midtrans_sim::MidtransSim;
use crate::xendit_sim::XenditSim;

const MIDTRANS_KEY: &str = "SB-Mid-server-GoodKey0001";
const XENDIT_KEY: &str = "xnd_development_GoodKey0002";
const XENDIT_TOKEN: &str = "callback-token-0003";

/// An app whose gateway calls go to the two stand-ins, with a signed-up merchant.
async fn app_with_gateways() -> (TestApp, MidtransSim, XenditSim) {
    let midtrans = MidtransSim::start(MIDTRANS_KEY).await;
    let xendit = XenditSim::start(XENDIT_KEY, XENDIT_TOKEN).await;
    let (midtrans_url, xendit_url) = (midtrans.base_url.clone(), xendit.base_url.clone());
    let app = spawn_app_with(move |settings| {
        settings.midtrans_base_url = Some(midtrans_url);
        settings.xendit_base_url = Some(xendit_url);
    })
    .await;
    app.sign_up("Toko Sinar", "owner@sinar.id").await;
    (app, midtrans, xendit)
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
    assert_eq!(
        connect(&app, "midtrans", MIDTRANS_KEY, "").await.status(),
        StatusCode::OK
    );
    let id = app
        .scalar("SELECT id FROM gateway_connections")
        .await
        .to_string();
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
