use reqwest::StatusCode;

use crate::helpers::{field_errors, spawn_app, spawn_app_with, Browser, PASSWORD};
use paylinks::auth::throttle;
use paylinks::db::sessions::Sessions;
use paylinks::db::Db;

#[tokio::test]
async fn sign_up_creates_merchant_with_default_account_and_logs_in() {
    let app = spawn_app().await;
    let response = app
        .call(
            "signup",
            &[
                ("merchant_name", "Toko Sinar"),
                ("email", "Owner@Sinar.ID"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("paylinks_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");

    let account_id = app.default_account_id().await;
    assert_eq!(account_id.len(), 26, "a ULID");
    let (status, html) = app.page(&format!("/accounts/{account_id}/links")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Main account"));
    assert!(html.contains("Toko Sinar"));
    assert!(html.contains("No payment links yet"));

    assert_eq!(app.count("merchants").await, 1);
    assert_eq!(app.count("accounts").await, 1);
    let hashed = app
        .scalar("SELECT COUNT(*) FROM users WHERE email = 'owner@sinar.id' AND password_hash LIKE '$argon2id$%'")
        .await;
    assert_eq!(
        hashed, 1,
        "email lower-cased, password hashed with argon2id"
    );
}

#[tokio::test]
async fn sign_up_refuses_bad_input_field_by_field_and_stores_nothing() {
    let app = spawn_app().await;
    let cases: &[(&str, &str, &str, &str)] = &[
        ("", "a@b.id", PASSWORD, "merchant_name"),
        ("Toko", "not-an-email", PASSWORD, "email"),
        ("Toko", "a@b.id", "short", "password"),
    ];
    for (name, email, password, field) in cases {
        let response = app
            .call(
                "signup",
                &[
                    ("merchant_name", name),
                    ("email", email),
                    ("password", password),
                ],
            )
            .await;
        let errors = field_errors(response).await;
        assert!(errors.contains_key(*field), "{field}: {errors:?}");
        assert_eq!(errors.len(), 1, "only {field} is wrong: {errors:?}");
    }
    assert_eq!(app.count("merchants").await, 0);
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn sign_up_with_a_taken_email_is_refused() {
    let app = spawn_app().await;
    app.sign_up("Toko A", "owner@toko.id").await;
    let response = app
        .new_browser()
        .call(
            "signup",
            &[
                ("merchant_name", "Toko B"),
                ("email", "OWNER@toko.id"),
                ("password", PASSWORD),
            ],
        )
        .await;
    let errors = field_errors(response).await;
    assert!(errors["email"].contains("already exists"));
    assert_eq!(app.count("merchants").await, 1);
}

#[tokio::test]
async fn log_out_then_log_in_cycles_the_session() {
    let app = spawn_app().await;
    let response = app
        .call(
            "signup",
            &[
                ("merchant_name", "Toko"),
                ("email", "owner@toko.id"),
                ("password", PASSWORD),
            ],
        )
        .await;
    let first_session = session_id(&response);
    let account_id = app.default_account_id().await;

    assert_eq!(app.call("logout", &[]).await.status(), StatusCode::OK);
    let response = app.get(&format!("/accounts/{account_id}/links")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(response.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/login?next="));

    let response = app.log_in("owner@toko.id", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_ne!(
        first_session,
        session_id(&response),
        "log-in issues a new session id"
    );
    let (status, _) = app.page(&format!("/accounts/{account_id}/links")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_expired_session_lets_nobody_in_and_is_swept() {
    let app = spawn_app().await;
    app.sign_up("Toko", "owner@toko.id").await;
    let account_id = app.default_account_id().await;
    let links = format!("/accounts/{account_id}/links");
    let sessions = match &app.db {
        Db::Sqlite(_) => "tower_sessions",
        Db::Postgres(_) => "tower_sessions.session",
    };
    assert_eq!(app.count(sessions).await, 1);

    // Expired as the stores of either backend write it: an RFC 3339 time in UTC.
    app.execute(&format!(
        "UPDATE {sessions} SET expiry_date = '2026-01-01T00:00:00Z'"
    ))
    .await;
    let response = app.get(&links).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "an expired session is no session"
    );

    Sessions::new(app.db.clone())
        .delete_expired()
        .await
        .unwrap();
    assert_eq!(
        app.count(sessions).await,
        0,
        "the expired session is deleted"
    );
    app.log_in("owner@toko.id", PASSWORD).await;
    assert_eq!(app.page(&links).await.0, StatusCode::OK);
    assert_eq!(app.count(sessions).await, 1, "a new log-in is kept");
}

/// The session id the response sets.
fn session_id(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("paylinks_session="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string()
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_generic_answer() {
    let app = spawn_app().await;
    app.sign_up("Toko", "owner@toko.id").await;
    app.call("logout", &[]).await;
    for (email, password) in [
        ("owner@toko.id", "wrong password!"),
        ("nobody@toko.id", PASSWORD),
    ] {
        let errors = field_errors(app.log_in(email, password).await).await;
        assert_eq!(errors["form"], "Wrong email or password.");
    }
    let response = app.get("/dashboard").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "still logged out");
}

/// Logs in from `address`, as our proxy reports it.
async fn log_in_from(browser: &Browser, address: &str, email: &str, password: &str) -> StatusCode {
    browser
        .client
        .post(browser.url("/fn/login"))
        .header("x-forwarded-for", address)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn guessing_slows_the_guessers_address_and_never_locks_the_owner_out() {
    let app = spawn_app_with(|s| s.trusted_proxy_hops = 1).await;
    app.sign_up("Toko", "owner@toko.id").await;
    app.call("logout", &[]).await;
    let (attacker, owner) = ("198.51.100.7", "203.0.113.5");
    for _ in 0..throttle::PAIR_LIMIT {
        let status = log_in_from(&app, attacker, "owner@toko.id", "wrong password!").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(
        log_in_from(&app, attacker, "owner@toko.id", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the guessing address waits, even with the right password"
    );
    assert_eq!(
        log_in_from(&app.new_browser(), owner, "owner@toko.id", PASSWORD).await,
        StatusCode::OK,
        "the owner, elsewhere, is not locked out"
    );
    // Another instance on the same database (behind the same public origin) holds the same
    // counts.
    let other = Browser {
        address: app.restarted().await,
        client: app.new_browser().client,
    };
    assert_eq!(
        log_in_from(&other, attacker, "owner@toko.id", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    app.clock.advance_ms(throttle::WINDOW_MS);
    assert_eq!(
        log_in_from(&app.new_browser(), attacker, "owner@toko.id", PASSWORD).await,
        StatusCode::OK,
        "the wait ends with its window"
    );
}

#[tokio::test]
async fn one_address_guessing_over_many_emails_is_slowed_too() {
    let app = spawn_app_with(|s| s.trusted_proxy_hops = 1).await;
    app.sign_up("Toko", "owner@toko.id").await;
    app.call("logout", &[]).await;
    let sprayer = "198.51.100.9";
    for n in 0..throttle::ADDRESS_LIMIT {
        let email = format!("guess{n}@toko.id");
        let status = log_in_from(&app, sprayer, &email, "wrong password!").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "guess {n}");
    }
    assert_eq!(
        log_in_from(&app, sprayer, "fresh@toko.id", "wrong password!").await,
        StatusCode::TOO_MANY_REQUESTS,
        "a new email from the same address waits too"
    );
    assert_eq!(
        log_in_from(&app.new_browser(), "203.0.113.5", "owner@toko.id", PASSWORD).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn dashboard_pages_send_anonymous_visitors_to_log_in() {
    let app = spawn_app().await;
    for path in [
        "/dashboard",
        "/accounts",
        "/accounts/01J0000000000000000000000/links",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        let location = response.headers()["location"].to_str().unwrap();
        assert!(
            location.starts_with("/login?next=%2F"),
            "{path} -> {location}"
        );
    }
    let response = app.call("accounts", &[]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn parallel_guesses_cannot_slip_past_the_limit() {
    let app = spawn_app_with(|s| s.trusted_proxy_hops = 1).await;
    app.sign_up("Toko", "owner@toko.id").await;
    app.call("logout", &[]).await;
    let mut guesses = Vec::new();
    for _ in 0..20 {
        let browser = app.new_browser();
        guesses.push(tokio::spawn(async move {
            log_in_from(&browser, "198.51.100.7", "owner@toko.id", "wrong password!").await
        }));
    }
    let mut checked = 0;
    for guess in guesses {
        match guess.await.unwrap() {
            StatusCode::UNPROCESSABLE_ENTITY => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(
        checked,
        throttle::PAIR_LIMIT,
        "exactly the limit's worth of passwords were checked"
    );
}
