//! Seeding an account at scale, running an export to its end and fetching its file, for the
//! export tests.

#![allow(dead_code)] // Each test crate uses its own part of this.

use reqwest::StatusCode;

use crate::helpers::{Browser, TestApp};

/// A merchant whose default account holds `count` seeded attempts over three links.
pub async fn seeded_merchant(app: &TestApp, count: i64) -> String {
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let mut links = Vec::new();
    for reff in ["INV-A", "INV-B", "INV-C"] {
        let id = app
            .create_link(
                &account,
                &[("input[reff_no]", reff), ("input[max_usage]", "1000000")],
            )
            .await
            .json::<i64>()
            .await
            .unwrap();
        links.push(paylinks::domain::ids::LinkId(id));
    }
    let (now, delay) = (app.state.now_ms(), app.state.settings.settlement_delay_ms);
    paylinks::db::seed::histories(&app.db, &links, count, now, delay, |_| {})
        .await
        .unwrap();
    account
}

/// Starts an export from the payments page's buttons and waits for it to finish; returns its id.
pub async fn export(
    browser: &Browser,
    app: &TestApp,
    account: &str,
    format: &str,
    query: &[(&str, &str)],
) -> String {
    let mut form = vec![
        ("account_id".to_string(), account.to_string()),
        ("format".to_string(), format.to_string()),
    ];
    for (k, v) in query {
        form.push((format!("query[{k}]"), v.to_string()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let response = browser.call("export_create", &form).await;
    assert_eq!(response.status(), StatusCode::OK);
    let id: String = response.json().await.unwrap();
    // A guard against a hung export, not a speed target: a debug build on a busy machine
    // writes 100,000 rows in well over 30 s (speed is measured by `make bench`).
    for _ in 0..3600 {
        let status = app
            .scalar_text(&format!("SELECT status FROM exports WHERE id = '{id}'"))
            .await;
        match status.as_str() {
            "done" => return id,
            "failed" => panic!("export {id} failed"),
            _ => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
        }
    }
    panic!("export {id} did not finish in 3 minutes");
}

/// Fetches a finished export's file as `browser`.
pub async fn download(browser: &Browser, id: &str) -> reqwest::Response {
    browser
        .client
        .get(browser.url(&format!("/exports/{id}/download")))
        .send()
        .await
        .unwrap()
}

/// A finished CSV export's text.
pub async fn download_csv(browser: &Browser, id: &str) -> String {
    download(browser, id).await.text().await.unwrap()
}
