//! "Forgot password?": a single-use link by email for an hour, the same answer for an unknown
//! email, throttled, and every session ended when the password changes.

use reqwest::StatusCode;

use crate::helpers::{spawn_app, spawn_app_with, TestApp, PASSWORD};
use crate::support::smtp::SmtpSink;

async fn app_with_mail() -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start().await;
    let url = sink.url.clone();
    let app = spawn_app_with(move |settings| settings.smtp_url = Some(url)).await;
    (app, sink)
}

/// The token in the last mail's reset link.
fn token_in(sink: &SmtpSink) -> String {
    let mails = sink.mails();
    let data = mails.last().expect("a reset mail").decoded();
    let start = data.find("/reset-password?token=").expect("a reset link") + 22;
    data[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_signs_every_browser_out() {
    let (app, sink) = app_with_mail().await;
    app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let (status, _) = app.page("/developers").await;
    assert_eq!(status, StatusCode::OK, "signed in");

    let visitor = app.new_browser();
    let asked = visitor
        .call("password_forgot", &[("email", "owner@sinar.id")])
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    let unknown = visitor
        .call("password_forgot", &[("email", "nobody@sinar.id")])
        .await;
    assert_eq!(unknown.status(), StatusCode::OK, "the same answer");
    paylinks::mail::send_due(&app.state).await.unwrap();
    let resets: Vec<_> = sink
        .mails()
        .into_iter()
        .filter(|mail| mail.data.contains("Subject: Reset your paylinks password"))
        .collect();
    assert_eq!(resets.len(), 1, "only the account's owner gets a link");
    assert_eq!(resets[0].to, ["owner@sinar.id"]);
    let token = token_in(&sink);

    let weak = visitor
        .call(
            "password_reset",
            &[("token", &token), ("password", "short")],
        )
        .await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let reset = visitor
        .call(
            "password_reset",
            &[("token", &token), ("password", "a brand new passphrase")],
        )
        .await;
    assert!(reset.status().is_success() || reset.status().is_redirection());
    let again = visitor
        .call(
            "password_reset",
            &[("token", &token), ("password", "yet another passphrase")],
        )
        .await;
    assert_eq!(
        again.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "used once"
    );

    // The browser signed in before is signed out; the old password is refused, the new works.
    let (status, _) = app.page("/developers").await;
    assert_ne!(status, StatusCode::OK);
    let old = app.new_browser().log_in("owner@sinar.id", PASSWORD).await;
    assert_eq!(old.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let new = app
        .new_browser()
        .log_in("owner@sinar.id", "a brand new passphrase")
        .await;
    assert!(new.status().is_success() || new.status().is_redirection());
}

#[tokio::test]
async fn a_link_lasts_an_hour_and_asking_is_throttled() {
    let (app, sink) = app_with_mail().await;
    app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let visitor = app.new_browser();
    let ask = || visitor.call("password_forgot", &[("email", "owner@sinar.id")]);
    assert_eq!(ask().await.status(), StatusCode::OK);
    paylinks::mail::send_due(&app.state).await.unwrap();
    let token = token_in(&sink);
    app.clock.advance_ms(60 * 60 * 1000 + 1);
    let late = visitor
        .call(
            "password_reset",
            &[("token", &token), ("password", "a brand new passphrase")],
        )
        .await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY, "expired");

    assert_eq!(ask().await.status(), StatusCode::OK);
    assert_eq!(ask().await.status(), StatusCode::OK);
    assert_eq!(ask().await.status(), StatusCode::OK);
    assert_eq!(ask().await.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn without_mail_the_page_says_so() {
    let app = spawn_app().await;
    app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let asked = app
        .new_browser()
        .call("password_forgot", &[("email", "owner@sinar.id")])
        .await;
    assert_eq!(asked.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(asked.text().await.unwrap().contains("Email is off"));
    let (status, page) = app.new_browser().page("/login").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("/forgot-password"));
}
