//! Two-factor sign-in (TOTP and recovery codes), the browsers a user is signed in on, and the
//! owner's rule that every member signs in with two factors.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{field_errors, spawn_app, spawn_app_with, Browser, TestApp, PASSWORD};
use crate::team::invite_and_join;
use paylinks::auth::two_factor::code_at;

/// Turns two-factor sign-in on for the browser's user; returns the secret and the recovery
/// codes.
async fn turn_on(app: &TestApp, browser: &Browser) -> (String, Vec<String>) {
    let setup: Value = browser
        .call("two_factor_begin", &[])
        .await
        .json()
        .await
        .unwrap();
    let secret = setup["secret"].as_str().unwrap().to_string();
    assert!(setup["otpauth_url"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/paylinks:"));
    assert!(setup["qr_svg"].as_str().unwrap().contains("<svg"));
    let code = code_at(&secret, app.state.now_ms()).unwrap();
    let enabled = browser.call("two_factor_enable", &[("code", &code)]).await;
    assert_eq!(enabled.status(), StatusCode::OK);
    let codes: Vec<String> = enabled.json().await.unwrap();
    (secret, codes)
}

async fn log_in_with(browser: &Browser, email: &str, code: &str) -> reqwest::Response {
    browser
        .call(
            "login",
            &[("email", email), ("password", PASSWORD), ("code", code)],
        )
        .await
}

async fn signed_in(browser: &Browser) -> bool {
    browser.call("accounts", &[]).await.status() == StatusCode::OK
}

#[tokio::test]
async fn sign_in_asks_for_a_code_that_works_once_or_a_recovery_code_that_works_once() {
    let app = spawn_app().await;
    app.sign_up("Toko Dua", "owner@dua.id").await;
    let setup: Value = app
        .call("two_factor_begin", &[])
        .await
        .json()
        .await
        .unwrap();
    let wrong = app.call("two_factor_enable", &[("code", "12345")]).await;
    assert!(field_errors(wrong).await.contains_key("code"));
    let secret = setup["secret"].as_str().unwrap();
    let code = code_at(secret, app.state.now_ms()).unwrap();
    let enabled = app.call("two_factor_enable", &[("code", &code)]).await;
    assert_eq!(enabled.status(), StatusCode::OK);
    let recovery: Vec<String> = enabled.json().await.unwrap();
    assert_eq!(recovery.len(), 10);
    let logged = app
        .texts("SELECT detail FROM audit_log WHERE action = 'Turned on two-factor sign-in'")
        .await;
    assert_eq!(logged.len(), 1);
    assert!(
        !logged[0].contains(&code),
        "codes are never in the audit log"
    );

    app.call("logout", &[]).await;
    let browser = app.new_browser();
    let password_only = log_in_with(&browser, "owner@dua.id", "").await;
    assert!(field_errors(password_only).await["code"].contains("6-digit code"));
    assert!(
        !signed_in(&browser).await,
        "a password alone signs no one in"
    );
    // The code that turned it on was used: it does not sign in too.
    let reused = log_in_with(&browser, "owner@dua.id", &code).await;
    assert!(field_errors(reused).await.contains_key("code"));

    app.clock.advance_ms(30_000);
    let fresh = code_at(secret, app.state.now_ms()).unwrap();
    let response = log_in_with(&browser, "owner@dua.id", &fresh).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(signed_in(&browser).await);
    browser.call("logout", &[]).await;
    let replayed = log_in_with(&browser, "owner@dua.id", &fresh).await;
    assert_eq!(
        replayed.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code works once"
    );

    let spelled_loosely = recovery[0].to_uppercase().replace('-', " ");
    let response = log_in_with(&browser, "owner@dua.id", &spelled_loosely).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "a recovery code signs in"
    );
    let security: Value = browser.call("security", &[]).await.json().await.unwrap();
    assert_eq!(security["two_factor"], true);
    assert_eq!(security["recovery_codes_left"], 9);
    browser.call("logout", &[]).await;
    let again = log_in_with(&browser, "owner@dua.id", &recovery[0]).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "once");

    // Turning it off takes a current code.
    let browser = app.new_browser();
    app.clock.advance_ms(30_000);
    let code = code_at(secret, app.state.now_ms()).unwrap();
    assert_eq!(
        log_in_with(&browser, "owner@dua.id", &code).await.status(),
        StatusCode::OK
    );
    let refused = browser
        .call("two_factor_disable", &[("code", "000000")])
        .await;
    assert!(field_errors(refused).await.contains_key("code"));
    let off = browser
        .call("two_factor_disable", &[("code", &recovery[1])])
        .await;
    assert_eq!(off.status(), StatusCode::OK);
    browser.call("logout", &[]).await;
    assert_eq!(
        log_in_with(&browser, "owner@dua.id", "").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_user_sees_their_browsers_and_signs_the_others_out() {
    let app = spawn_app().await;
    app.sign_up("Toko Sesi", "owner@sesi.id").await;
    let phone = app.new_browser();
    assert_eq!(
        phone.log_in("owner@sesi.id", PASSWORD).await.status(),
        StatusCode::OK
    );
    let security: Value = app.call("security", &[]).await.json().await.unwrap();
    let sessions = security["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    let this = security["this_session"].as_str().unwrap();
    assert!(sessions.iter().any(|s| s["login_id"] == this));

    let ended = app.call("sessions_end_others", &[]).await;
    assert_eq!(ended.status(), StatusCode::OK);
    assert_eq!(ended.json::<u64>().await.unwrap(), 1);
    assert!(!signed_in(&phone).await, "the other browser is signed out");
    assert!(signed_in(&app).await, "this one stays");

    // One session by name; another user's cannot be named.
    phone.log_in("owner@sesi.id", PASSWORD).await;
    let security: Value = phone.call("security", &[]).await.json().await.unwrap();
    let phone_id = security["this_session"].as_str().unwrap().to_string();
    let stranger = app.new_browser();
    stranger.sign_up("Toko Lain", "owner@lain.id").await;
    assert_eq!(
        stranger
            .call("session_end", &[("login_id", &phone_id)])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert!(signed_in(&phone).await);
    assert_eq!(
        app.call("session_end", &[("login_id", &phone_id)])
            .await
            .status(),
        StatusCode::OK
    );
    assert!(!signed_in(&phone).await);
}

#[tokio::test]
async fn an_owner_can_require_two_factor_sign_in_of_every_member() {
    let app = spawn_app().await;
    app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let member = invite_and_join(&app, "staf@sinar.id", "admin").await;

    let early = app.call("team_two_factor", &[("required", "on")]).await;
    assert!(
        field_errors(early).await["required"].contains("for yourself first"),
        "an owner cannot shut themselves out"
    );
    turn_on(&app, &app).await;
    assert_eq!(
        app.call("team_two_factor", &[("required", "on")])
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        member
            .call("team_two_factor", &[("required", "")])
            .await
            .status(),
        StatusCode::FORBIDDEN,
        "only owners set the rule"
    );

    // The member without it is sent to set it up, and can do nothing else meanwhile.
    let page = member.get("/accounts").await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(page.headers()["location"], "/security");
    assert_eq!(
        member.call("accounts", &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    let (status, _) = member.page("/security").await;
    assert_eq!(status, StatusCode::OK);

    turn_on(&app, &member).await;
    assert!(signed_in(&member).await);
    let (status, _) = member.page("/accounts").await;
    assert_eq!(status, StatusCode::OK);
    app.clock.advance_ms(30_000);
    let off = member
        .call("two_factor_disable", &[("code", "000000")])
        .await;
    assert_eq!(
        off.status(),
        StatusCode::CONFLICT,
        "the team's rule keeps it on"
    );
}

#[tokio::test]
async fn wrong_codes_are_limited_per_user_from_any_address() {
    let app = spawn_app_with(|s| s.trusted_proxy_hops = 1).await;
    app.sign_up("Toko Tebak", "owner@tebak.id").await;
    let (secret, _) = turn_on(&app, &app).await;
    app.call("logout", &[]).await;
    let from = |n: usize| format!("198.51.100.{n}");
    let attempt = |address: String, code: String| {
        let browser = app.new_browser();
        async move {
            browser
                .client
                .post(browser.url("/fn/login"))
                .header("x-forwarded-for", address)
                .form(&[
                    ("email", "owner@tebak.id"),
                    ("password", PASSWORD),
                    ("code", &code),
                ])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for n in 0..paylinks::auth::throttle::SECOND_FACTOR_LIMIT as usize {
        // A new address each time: the per-address limits never trip.
        let status = attempt(from(n), "000000".into()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "guess {n}");
    }
    app.clock.advance_ms(30_000);
    let code = code_at(&secret, app.state.now_ms()).unwrap();
    assert_eq!(
        attempt(from(99), code).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the user's codes are held back, whatever the address"
    );
}

#[tokio::test]
async fn the_authenticator_cannot_be_replaced_without_a_current_code() {
    let app = spawn_app().await;
    app.sign_up("Toko Ganti", "owner@ganti.id").await;
    turn_on(&app, &app).await;
    let again = app.call("two_factor_begin", &[]).await;
    assert_eq!(
        again.status(),
        StatusCode::CONFLICT,
        "a stolen session cannot swap the authenticator"
    );
}
