//! Web security that holds on every response: headers and a script policy whose only inline
//! scripts carry the page's nonce or are named by their hash, body size limits, hostile text kept inert, and payers
//! limited in how many attempts they start.

use reqwest::StatusCode;

use crate::helpers::{spawn_app, spawn_app_with, TestApp};

/// Checks the headers of an HTML page and that each inline script carries its nonce or is
/// allowed by its hash.
async fn assert_protected_page(app: &TestApp, path: &str) {
    let response = app.get(path).await;
    let headers = response.headers().clone();
    let header = |name: &str| {
        headers
            .get(name)
            .unwrap_or_else(|| panic!("{name} on {path}"))
            .to_str()
            .unwrap()
            .to_string()
    };
    let policy = header("content-security-policy");
    assert!(
        policy.contains("frame-ancestors 'none'"),
        "{path}: {policy}"
    );
    let scripts = policy
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap_or_else(|| panic!("{path}: no script-src in {policy}"));
    assert!(
        !scripts.contains("'unsafe-inline'") && !scripts.contains("'unsafe-eval'"),
        "{scripts}"
    );
    let nonce = scripts
        .split_whitespace()
        .find_map(|s| s.strip_prefix("'nonce-"))
        .map(|s| s.trim_end_matches('\''))
        .unwrap_or_else(|| panic!("{path}: no nonce in {scripts}"));
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("x-frame-options"), "DENY");
    assert_eq!(header("referrer-policy"), "strict-origin-when-cross-origin");
    let html = response.text().await.unwrap();
    let scripts_html: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(!scripts_html.is_empty(), "{path} has its scripts");
    for script in scripts_html {
        let (tag, rest) = script.split_once('>').unwrap();
        if tag.contains(&format!("nonce=\"{nonce}\"")) {
            continue;
        }
        // Otherwise the policy names the script by the hash of its text.
        let text = rest.split("</script>").next().unwrap();
        let hash = script_hash(text);
        assert!(
            scripts.contains(&format!("'sha256-{hash}'")),
            "{path}: a script with neither the nonce nor an allowed hash: <script{tag}>"
        );
    }
}

/// The CSP source hash of an inline script's text.
fn script_hash(text: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

#[tokio::test]
async fn every_page_sends_the_security_headers_and_a_nonce_policy() {
    let app = spawn_app().await;
    for path in ["/", "/login", "/signup", "/no-such-page"] {
        assert_protected_page(&app, path).await;
    }
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let link = app.create_default_link(&account).await;
    let slug = app.slug_of(link).await;
    for path in [
        format!("/accounts/{account}/links"),
        format!("/accounts/{account}/payments"),
        format!("/pay/{slug}"),
    ] {
        assert_protected_page(&app, &path).await;
    }
    // Responses that are not pages get the strictest policy.
    let json = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(json.headers()["x-content-type-options"], "nosniff");
    assert!(json.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .starts_with("default-src 'none'"));
}

#[tokio::test]
async fn oversized_bodies_are_refused_and_bad_json_gets_the_envelope() {
    let app = spawn_app().await;
    let big = "x".repeat(2 * 1024 * 1024);
    for path in [
        "/fn/login",
        "/api/v1.1/access-token/b2b",
        "/callbacks/sandbox",
    ] {
        let response = app
            .client
            .post(app.url(path))
            .header("content-type", "application/json")
            .body(big.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE, "{path}");
    }
    let response = app
        .client
        .post(app.url("/api/v1.1/access-token/b2b"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert!(
        status == StatusCode::BAD_REQUEST
            || status == StatusCode::UNPROCESSABLE_ENTITY
            || status == StatusCode::UNAUTHORIZED,
        "{status}"
    );
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["success"], false, "{body}");
    assert_eq!(body["status"], status.as_u16(), "{body}");
}

#[tokio::test]
async fn hostile_text_is_stored_verbatim_and_shown_inert() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let title = "</title><script>alert('x')</script> '; DROP TABLE payment_links; --";
    let item = "<img src=x onerror=alert(1)>";
    let link: i64 = app
        .create_link(
            &account,
            &[("input[title]", title), ("input[items][0][name]", item)],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT title FROM payment_links WHERE id = {link}"
        ))
        .await,
        title,
        "stored exactly as typed"
    );
    let slug = app.slug_of(link).await;
    for path in [
        format!("/pay/{slug}"),
        format!("/accounts/{account}/links/{link}"),
    ] {
        let (status, html) = app.page(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        if let Some(at) = html.find("<script>alert") {
            panic!(
                "{path}: {}",
                &html[at.saturating_sub(300)..(at + 100).min(html.len())]
            );
        }
        assert!(
            !html.contains("<img src=x"),
            "{path} renders no injected tag"
        );
        assert!(
            html.contains("&lt;script&gt;alert"),
            "{path} shows the text: {html}"
        );
    }
    assert_eq!(app.count("payment_links").await, 1);
}

async fn start_attempt(app: &TestApp, slug: &str) -> StatusCode {
    app.new_browser()
        .call("pay", &[("slug", slug), ("method", "VA_BRI")])
        .await
        .status()
}

#[tokio::test]
async fn payers_are_limited_per_address_and_per_link() {
    let app = spawn_app_with(|s| {
        s.payer_attempts_per_ip = 3;
    })
    .await;
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let link = app
        .create_link_with(&account, &[("input[max_usage]", "100")])
        .await;
    let slug = app.slug_of(link).await;
    for _ in 0..3 {
        assert_eq!(start_attempt(&app, &slug).await, StatusCode::OK);
    }
    let refused = app
        .new_browser()
        .call(
            "pay",
            &[("slug", &slug), ("method", "VA_BRI"), ("lang", "en")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("Too many payment attempts"));
    assert_eq!(
        app.count("payment_link_histories").await,
        3,
        "nothing reserved"
    );
    // Ten minutes later the address may try again.
    app.clock.advance_ms(10 * 60 * 1000);
    assert_eq!(start_attempt(&app, &slug).await, StatusCode::OK);

    let app = spawn_app_with(|s| s.payer_attempts_per_link = 2).await;
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let link = app
        .create_link_with(&account, &[("input[max_usage]", "100")])
        .await;
    let slug = app.slug_of(link).await;
    assert_eq!(start_attempt(&app, &slug).await, StatusCode::OK);
    assert_eq!(start_attempt(&app, &slug).await, StatusCode::OK);
    assert_eq!(
        start_attempt(&app, &slug).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}
