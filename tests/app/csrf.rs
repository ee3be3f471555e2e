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
