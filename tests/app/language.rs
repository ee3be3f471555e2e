//! The dashboard speaks its user's language: their browser's at first, then the one they
//! choose, which follows them to another browser. The API keeps English.

use reqwest::StatusCode;

use crate::api_client::{new_link, ApiClient};
use crate::helpers::{field_errors, spawn_app, Browser, PASSWORD};

/// The dashboard language a response's `Set-Cookie` remembers, if it sets one.
fn remembered_language(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookie| cookie.strip_prefix("dashboard_lang="))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_string())
}

#[tokio::test]
async fn a_new_user_reads_the_dashboard_in_their_browsers_language() {
    let app = spawn_app().await;
    let browser = Browser::speaking(&app.address, "id-ID,id;q=0.9,en;q=0.8");
    browser.sign_up("Toko Batik", "batik@example.com").await;

    let (status, html) = browser.page("/accounts").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="id""#), "{html}");
    assert!(html.contains("Kelola akun…"), "navigation in Indonesian");
    assert!(
        html.contains(r#"class="link">English<"#),
        "the switch offers English: {html}"
    );
    assert_eq!(
        app.scalar_text("SELECT lang FROM users WHERE email = 'batik@example.com'")
            .await,
        "id",
        "the browser's language became the user's choice"
    );

    // An English browser reads English.
    let english = Browser::new(&app.address);
    english.sign_up("Kopi Co", "kopi@example.com").await;
    let (_, html) = english.page("/accounts").await;
    assert!(html.contains(r#"<html lang="en""#));
    assert!(html.contains("Manage accounts…"));
}

#[tokio::test]
async fn the_chosen_language_follows_the_user_to_another_browser() {
    let app = spawn_app().await;
    app.browser.sign_up("Kopi Co", "kopi@example.com").await;

    let switched = app
        .browser
        .client
        .post(app.browser.url("/language"))
        .form(&[("lang", "id"), ("next", "/accounts")])
        .send()
        .await
        .unwrap();
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    assert_eq!(switched.headers()["location"], "/accounts");
    assert_eq!(remembered_language(&switched).as_deref(), Some("id"));
    let (_, html) = app.browser.page("/accounts").await;
    assert!(html.contains(r#"<html lang="id""#));

    // Another browser, set to English, signs in as the same user: Indonesian, as chosen.
    let elsewhere = Browser::new(&app.address);
    let signed_in = elsewhere.log_in("kopi@example.com", PASSWORD).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    assert_eq!(remembered_language(&signed_in).as_deref(), Some("id"));
    let (_, html) = elsewhere.page("/accounts").await;
    assert!(html.contains("Kelola akun…"));

    // A language we do not speak is refused by name, in the page's language.
    let refused = app
        .browser
        .client
        .post(app.browser.url("/language"))
        .form(&[("lang", "fr")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.text().await.unwrap(),
        "Pilih Bahasa Indonesia atau English."
    );
    // Someone signed out may switch too (the sign-in page), and a hostile `next` is not
    // followed.
    let visitor = Browser::new(&app.address);
    let switched = visitor
        .client
        .post(visitor.url("/language"))
        .form(&[("lang", "id"), ("next", "//evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(switched.headers()["location"], "/dashboard");
    let (_, html) = visitor.page("/login").await;
    assert!(html.contains(r#"<html lang="id""#));
}

#[tokio::test]
async fn pages_and_field_errors_speak_indonesian_and_the_api_keeps_english() {
    let app = spawn_app().await;
    let browser = Browser::speaking(&app.address, "id-ID,id;q=0.9");

    // Signed out: the sign-up form's errors.
    let refused = browser
        .call(
            "signup",
            &[("merchant_name", ""), ("email", "x"), ("password", "short")],
        )
        .await;
    let errors = field_errors(refused).await;
    assert_eq!(errors["merchant_name"], "Nama merchant wajib diisi.");
    assert_eq!(errors["password"], "Kata sandi minimal 10 karakter.");

    let account = browser.sign_up("Toko Batik", "batik@example.com").await;
    let refused = browser.create_link(&account, &[("input[title]", "")]).await;
    assert_eq!(field_errors(refused).await["title"], "Judul wajib diisi.");
    let (_, html) = browser.page(&format!("/accounts/{account}/links")).await;
    assert!(html.contains("Belum ada link pembayaran"));

    // The same rule through the API answers in English, whatever the client's headers say.
    let api = ApiClient::new(&app, "dev@toko.id", "Toko Dev").await;
    let mut body = new_link("R-LANG-1");
    body["title"] = serde_json::json!("");
    let answer = api
        .call(reqwest::Method::POST, &api.links_path())
        .header("Accept-Language", "id-ID")
        .header("Cookie", "dashboard_lang=id")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = answer.text().await.unwrap();
    assert!(
        body.contains("required") && !body.contains("wajib"),
        "{body}"
    );
}
