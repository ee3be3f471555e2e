//! Refunds of paid payments: in parts that never add up to more than was paid (also when
//! asked at once), once per Idempotency-Key, with their events and audit entries.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::api_client::ApiClient;
use crate::helpers::{spawn_app, TestApp};

struct Paid {
    client: ApiClient,
    /// `/api/v1.0/payment-link-histories/{account}/{history id}`.
    path: String,
    slug: String,
}

/// A merchant with webhooks on, one sandbox payment of Rp 200.000 made, and an API client.
async fn paid_payment(app: &TestApp) -> Paid {
    let account = app.sign_up("Toko Retur", "owner@retur.id").await;
    app.enable_webhooks("http://127.0.0.1:9/hook").await;
    let link: i64 = app.create_link(&account, &[]).await.json().await.unwrap();
    let slug = app.slug_of(link).await;
    let reff = app.new_browser().start_payment(&slug, "VA_BRI").await;
    assert_eq!(
        app.bank_pays(&reff, "TX-RETUR-1", 200_000).await.status(),
        StatusCode::OK
    );
    let client = ApiClient::new(app, "owner@retur.id", "Toko Retur").await;
    assert_eq!(client.account_id, account);
    let id = app
        .scalar(&format!(
            "SELECT id FROM payment_link_histories WHERE reff_no = '{reff}'"
        ))
        .await;
    Paid {
        path: format!("/api/v1.0/payment-link-histories/{account}/{id}"),
        client,
        slug,
    }
}

async fn refund(paid: &Paid, body: Value, key: Option<&str>) -> (StatusCode, Value) {
    let mut request = paid
        .client
        .call(Method::POST, &format!("{}/refunds", paid.path))
        .json(&body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

async fn event_count(app: &TestApp, event_type: &str) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) FROM webhook_events WHERE event_type = '{event_type}'"
    ))
    .await
}

#[tokio::test]
async fn partial_refunds_add_up_to_at_most_what_was_paid() {
    let app = spawn_app().await;
    let paid = paid_payment(&app).await;

    let first = json!({"amount": 50_000, "reason": "Satu barang rusak"});
    let (status, body) = refund(&paid, first.clone(), Some("retur-1")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["status"], "succeeded");
    assert_eq!(body["data"]["amount"], 50_000);
    assert_eq!(body["data"]["manual"], false);
    // A retry with the same key refunds nothing more.
    let (again, replay) = refund(&paid, first, Some("retur-1")).await;
    assert_eq!(again, StatusCode::OK);
    assert_eq!(replay["data"]["id"], body["data"]["id"]);
    assert_eq!(app.count("refunds").await, 1);

    let (status, over) = refund(&paid, json!({"amount": 150_001}), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = over["error"]["errors"]["amount"].to_string();
    assert!(message.contains("Rp 150.000"), "{over}");
    let (status, rest) = refund(&paid, json!({"amount": 150_000}), None).await;
    assert_eq!(status, StatusCode::OK, "{rest}");
    let (status, _) = refund(&paid, json!({"amount": 1}), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "refunded in full");

    let (_, shown) = paid.client.json(Method::GET, &paid.path, None).await;
    assert_eq!(shown["data"]["refunded_amount"], 200_000);
    assert_eq!(
        shown["data"]["status"], "paid",
        "a refund is not a payment state"
    );
    let (_, listed) = paid
        .client
        .json(Method::GET, &format!("{}/refunds", paid.path), None)
        .await;
    let amounts: Vec<i64> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["amount"].as_i64().unwrap())
        .collect();
    assert_eq!(amounts, [50_000, 150_000]);

    // The place stays used; the merchant heard of each refund; the log names who refunded.
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        1
    );
    assert_eq!(event_count(&app, "payment_link_history.refunded").await, 2);
    let payload = app
        .scalar_text(
            "SELECT payload FROM webhook_events
             WHERE event_type = 'payment_link_history.refunded' ORDER BY id LIMIT 1",
        )
        .await;
    let payload: Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(payload["data"]["refund"]["amount"], 50_000);
    assert_eq!(payload["data"]["refund"]["reason"], "Satu barang rusak");
    assert_eq!(payload["data"]["history"]["refunded_amount"], 50_000);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'Refunded a payment'")
            .await,
        2
    );

    // The figures take refunds off: the payments table's totals, the overview, the export.
    let account = &paid.client.account_id;
    let (_, table) = app.page(&format!("/accounts/{account}/payments")).await;
    assert!(
        table.contains("refunded Rp 200.000 · net after refunds -Rp 4.000"),
        "{table}"
    );
    assert!(table.contains("badge-refunded"), "the row says so");
    let (_, overview) = app.page(&format!("/accounts/{account}/overview")).await;
    assert!(overview.contains("Refunded"), "{overview}");
    let export = crate::export_helpers::export(&app, &app, account, "csv", &[]).await;
    let csv = crate::export_helpers::download_csv(&app, &export).await;
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .ends_with(",refunded_amount,custom_fields"));
    assert!(lines.next().unwrap().ends_with(",200000,"), "{csv}");
}

#[tokio::test]
async fn a_refund_the_sandbox_refuses_leaves_the_amount_refundable() {
    let app = spawn_app().await;
    let paid = paid_payment(&app).await;
    let (status, failed) = refund(
        &paid,
        json!({"amount": 200_000, "reason": "coba gagal [sandbox:fail]"}),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{failed}");
    assert_eq!(failed["data"]["status"], "failed");
    assert!(failed["data"]["failure_reason"].is_string());
    assert_eq!(
        event_count(&app, "payment_link_history.refund_failed").await,
        1
    );
    let (status, done) = refund(&paid, json!({"amount": 200_000}), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(done["data"]["status"], "succeeded");
}

#[tokio::test]
async fn refunds_asked_at_once_never_refund_more_than_was_paid() {
    let app = spawn_app().await;
    let paid = paid_payment(&app).await;
    let asks = (0..20).map(|_| refund(&paid, json!({"amount": 20_000}), None));
    let answers = futures::future::join_all(asks).await;
    let admitted = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::OK)
        .count();
    let refused = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    assert_eq!((admitted, refused), (10, 10), "{answers:?}");
    assert_eq!(
        app.scalar("SELECT CAST(SUM(amount) AS BIGINT) FROM refunds WHERE status = 'succeeded'")
            .await,
        200_000
    );
    assert_eq!(
        app.scalar("SELECT refunded_amount FROM payment_link_histories")
            .await,
        200_000
    );
}

#[tokio::test]
async fn only_a_paid_payment_can_be_refunded() {
    let app = spawn_app().await;
    let paid = paid_payment(&app).await;
    let pending = app.new_browser().start_payment(&paid.slug, "QRIS").await;
    let id = app
        .scalar(&format!(
            "SELECT id FROM payment_link_histories WHERE reff_no = '{pending}'"
        ))
        .await;
    let path = format!(
        "/api/v1.0/payment-link-histories/{}/{id}/refunds",
        paid.client.account_id
    );
    let (status, body) = paid
        .client
        .json(Method::POST, &path, Some(&json!({"amount": 1000})))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = refund(&paid, json!({"reason": "lupa jumlahnya"}), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["errors"]["amount"].is_array(), "{body}");
    assert_eq!(app.count("refunds").await, 0);
}

#[tokio::test]
async fn the_payment_page_refunds_part_of_a_payment_once_confirmed() {
    let app = spawn_app().await;
    let paid = paid_payment(&app).await;
    let history_id = paid.path.rsplit('/').next().unwrap().to_string();
    let account = paid.client.account_id.clone();
    let form = |amount: &'static str, confirm: bool| {
        let mut fields = vec![
            ("account_id", account.clone()),
            ("history_id", history_id.clone()),
            ("amount", amount.to_string()),
            ("reason", "Ukuran tidak cocok".to_string()),
        ];
        if confirm {
            fields.push(("confirm", "yes".to_string()));
        }
        fields
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call("refund", &fields).await
        }
    };
    let unconfirmed = send(form("Rp 25.000", false)).await;
    let errors = crate::helpers::field_errors(unconfirmed).await;
    assert!(errors.contains_key("confirm"), "{errors:?}");
    assert_eq!(app.count("refunds").await, 0);
    let bad = send(form("dua puluh", true)).await;
    assert!(crate::helpers::field_errors(bad)
        .await
        .contains_key("amount"));

    let done = send(form("Rp 25.000", true)).await;
    assert_eq!(done.status(), StatusCode::OK);
    let reff = app
        .scalar_text(&format!(
            "SELECT reff_no FROM payment_link_histories WHERE id = {history_id}"
        ))
        .await;
    let detail = app.payment_detail(&account, &reff).await;
    assert_eq!(detail["refundable"], 175_000);
    assert_eq!(detail["refunds"][0]["amount"], 25_000);
    assert_eq!(detail["refunds"][0]["requested_by"], "owner@retur.id");
    let (_, page) = app
        .page(&format!("/accounts/{account}/payments/{history_id}"))
        .await;
    assert!(page.contains("Rp 25.000 (partially refunded)"), "{page}");
}
