//! Questions a link asks its payers: set in the dashboard or the API, asked and checked on the
//! payer page in the payer's language, kept with each payment and shown wherever it is.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::api_client::ApiClient;
use crate::export_helpers::{download_csv, export};
use crate::helpers::{field_errors, spawn_app, Browser, TestApp};

const QUESTIONS: [(&str, &str); 7] = [
    ("input[custom_fields][0][label]", "Ukuran kaos"),
    ("input[custom_fields][0][label_en]", "T-shirt size"),
    ("input[custom_fields][0][kind]", "choice"),
    ("input[custom_fields][0][options]", "S, M, L"),
    ("input[custom_fields][0][required]", "on"),
    ("input[custom_fields][1][label]", "Nama tim"),
    ("input[custom_fields][1][kind]", "text"),
];

async fn run_link(app: &TestApp) -> (String, String) {
    let account = app.sign_up("Lari Pagi", "owner@lari.id").await;
    let mut fields = QUESTIONS.to_vec();
    fields.push(("input[title]", "Lari 10K"));
    let id = app.create_link_with(&account, &fields).await;
    (account, app.slug_of(id).await)
}

async fn pay(payer: &Browser, slug: &str, lang: &str, answers: &[&str]) -> reqwest::Response {
    let mut form = vec![
        ("slug".to_string(), slug.to_string()),
        ("lang".to_string(), lang.to_string()),
        ("method".to_string(), "VA_BRI".to_string()),
    ];
    for (i, answer) in answers.iter().enumerate() {
        form.push((format!("custom[{i}]"), answer.to_string()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    payer.call("pay", &form).await
}

#[tokio::test]
async fn payers_answer_the_links_questions_and_the_answers_follow_the_payment() {
    let app = spawn_app().await;
    let (account, slug) = run_link(&app).await;
    app.enable_webhooks("http://127.0.0.1:9/hook").await;

    let (_, indonesian) = app.page(&format!("/pay/{slug}?lang=id")).await;
    assert!(indonesian.contains("Ukuran kaos"));
    assert!(indonesian.contains("Nama tim (opsional)"));
    assert!(
        indonesian.contains(r#"<option value="M">M"#),
        "{indonesian}"
    );
    let (_, english) = app.page(&format!("/pay/{slug}?lang=en")).await;
    assert!(english.contains("T-shirt size"));
    assert!(
        english.contains("Nama tim (optional)"),
        "no English label: the Indonesian one"
    );

    // Refused by name, in the payer's language, and nothing stored.
    let payer = app.new_browser();
    let errors = field_errors(pay(&payer, &slug, "id", &[]).await).await;
    assert_eq!(errors["custom[0]"], "Wajib diisi.");
    let errors = field_errors(pay(&payer, &slug, "en", &["XL", "Garuda"]).await).await;
    assert_eq!(errors["custom[0]"], "Choose one of the options.");
    assert_eq!(app.count("payment_link_histories").await, 0);

    let response = pay(&payer, &slug, "en", &["M", " Garuda "]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let reff: String = response.json().await.unwrap();
    assert_eq!(
        app.bank_pays(&reff, "BANK-1", 200_000).await.status(),
        StatusCode::OK
    );
    // An optional question left empty is not recorded.
    let quiet: String = pay(&app.new_browser(), &slug, "id", &["S", ""])
        .await
        .json()
        .await
        .unwrap();

    let detail = app.payment_detail(&account, &reff).await;
    assert_eq!(
        detail["attempt"]["custom_values"],
        json!([{"label": "Ukuran kaos", "value": "M"}, {"label": "Nama tim", "value": "Garuda"}])
    );
    let (_, table) = app.page(&format!("/accounts/{account}/payments")).await;
    assert!(table.contains("Ukuran kaos: M; Nama tim: Garuda"));
    assert!(table.contains("Ukuran kaos: S<"), "{quiet}");

    // The CSV export has them in its last column.
    let id = export(&app.browser, &app, &account, "csv", &[]).await;
    let csv = download_csv(&app.browser, &id).await;
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with(",refunded_amount,custom_fields"),
        "{header}"
    );
    assert!(csv.contains("Ukuran kaos: M; Nama tim: Garuda"), "{csv}");

    // The paid event carries them, as the API's histories do.
    let payloads = app
        .texts("SELECT payload FROM webhook_events WHERE event_type = 'payment_link_history.paid'")
        .await;
    let paid: Value = serde_json::from_str(&payloads[0]).unwrap();
    assert_eq!(
        paid["data"]["history"]["custom_fields"][0],
        json!({"label": "Ukuran kaos", "value": "M"})
    );
}

#[tokio::test]
async fn the_dashboard_and_the_api_name_each_wrong_question() {
    let app = spawn_app().await;
    let account = app.sign_up("Lari Pagi", "owner@lari.id").await;
    let response = app
        .create_link(
            &account,
            &[
                ("input[custom_fields][0][label]", ""),
                ("input[custom_fields][0][kind]", "choice"),
                ("input[custom_fields][0][options]", "S"),
                // The form posts every row; the second is left empty.
                ("input[custom_fields][1][label]", ""),
                ("input[custom_fields][2][label]", "Tanggal"),
                ("input[custom_fields][2][kind]", "date"),
            ],
        )
        .await;
    let errors = field_errors(response).await;
    assert!(
        errors["custom_fields[0].options"].contains("two options"),
        "{errors:?}"
    );
    assert_eq!(
        errors["custom_fields[2].kind"],
        "Type must be text, number or choice."
    );
    assert_eq!(app.count("payment_links").await, 0);

    let client = ApiClient::new(&app, "dev@lari.id", "Lari Dev").await;
    let v2 = format!("/api/v2.0/payment-link/{}", client.account_id);
    let question = json!({"label": "Ukuran kaos", "label_en": "T-shirt size", "type": "choice",
        "options": ["S", "M", "L"], "required": true});
    let (status, created) = client
        .json(
            reqwest::Method::POST,
            &v2,
            Some(&json!({"total_amount": 150000, "custom_fields": [question]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(created["data"]["custom_fields"], json!([question]));
    client.refuses_each(&v2, &[
        (
            json!({"total_amount": 150000, "custom_fields": "size"}),
            "custom_fields",
        ),
        (
            json!({"total_amount": 150000, "custom_fields": [{}]}),
            "custom_fields.0.label",
        ),
        (
            json!({"total_amount": 150000, "custom_fields": [{"label": "A", "type": "choice", "options": ["x"]}]}),
            "custom_fields.0.options",
        ),
        (
            json!({"total_amount": 150000, "custom_fields": [{"label": "A"}, {"label": "B"}, {"label": "C"}, {"label": "D"}]}),
            "custom_fields",
        ),
    ])
    .await;
    let (_, plain) = client
        .json(
            reqwest::Method::POST,
            &v2,
            Some(&json!({"total_amount": 150000})),
        )
        .await;
    assert!(plain["data"].get("custom_fields").is_none());
}
