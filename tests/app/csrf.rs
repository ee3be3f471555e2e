use reqwest::StatusCode;

use crate::helpers::{spawn_app, PASSWORD};

fn form() -> [(&'static str, &'static str); 3] {
    [
        ("merchant_name", "Toko"),
        ("email", "owner@toko.id"),
        ("password", PASSWORD),
    ]
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let bare = reqwest::Client::new();

    let response = bare
        .post(app.url("/fn/signup"))
        .form(&form())
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "no Origin, no Referer"
    );

    let response = bare
        .post(app.url("/fn/signup"))
        .header("Origin", "https://evil.example")
        .form(&form())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "foreign Origin");

    let response = bare
        .post(app.url("/fn/signup"))
        .header("Referer", "https://evil.example/page")
        .form(&form())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "foreign Referer");
    assert_eq!(app.count("merchants").await, 0);

    // Our own page as Referer (older browsers omit Origin) is accepted.
    let response = bare
        .post(app.url("/fn/signup"))
        .header("Referer", app.url("/signup"))
        .form(&form())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.count("merchants").await, 1);
}

#[tokio::test]
async fn a_logged_in_merchant_is_protected_too() {
    let app = spawn_app().await;
    let account_id = app.sign_up("Toko", "owner@toko.id").await;
    let link_id = app.create_default_link(&account_id).await.to_string();
    // Same cookie jar as the merchant's browser, but the request claims another origin.
    let response = app
        .client
        .post(app.url("/fn/link_status"))
        .header("Origin", "https://evil.example")
        .form(&[
            ("account_id", account_id.as_str()),
            ("link_id", &link_id),
            ("status", "closed"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_links WHERE status = 'open'")
            .await,
        1
    );
}

#[tokio::test]
async fn every_server_function_refuses_a_foreign_origin() {
    let app = spawn_app().await;
    let account_id = app.sign_up("Toko", "owner@toko.id").await;
    app.create_default_link(&account_id).await;
    let before = (
        app.count("payment_links").await,
        app.count("accounts").await,
        app.count("api_credentials").await,
    );
    let mut names: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .filter_map(|(path, _)| path.strip_prefix("/fn/"))
        .collect();
    names.sort();
    names.dedup();
    assert!(names.len() > 40, "{names:?}");
    for name in names {
        let response = app
            .client
            .post(app.url(&format!("/fn/{name}")))
            .header("Origin", "https://evil.example")
            .form(&[("account_id", account_id.as_str()), ("name", "Evil")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "/fn/{name}");
    }
    let after = (
        app.count("payment_links").await,
        app.count("accounts").await,
        app.count("api_credentials").await,
    );
    assert_eq!(before, after);
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_site_is_https() {
    let app = crate::helpers::spawn_app_with(|s| s.cookie_secure = true).await;
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
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("paylinks_session="))
        .expect("a session cookie");
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
}
