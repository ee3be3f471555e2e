//! What Singapay's public clients send and read, replayed field for field (the TypeScript and
//! Laravel SDKs' documented payment-link calls). Grows with each part of the contract.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::api_client::{new_link, ApiClient};
use crate::helpers::spawn_app;

#[tokio::test]
async fn singapay_ewallet_codes_are_accepted_and_answered_in_one_spelling() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@alias.id", "Toko Alias").await;
    let mut body = new_link("ALIAS-1");
    body["whitelisted_payment_method"] = json!(["EWALLET_DANA", "VA_BRI", "ewallet_ovo", "DANA"]);
    let response = client
        .call(reqwest::Method::POST, &client.links_path())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let created: Value = response.json().await.unwrap();
    assert_eq!(
        created["data"]["whitelisted_payment_method"],
        json!(["DANA", "VA_BRI", "OVO"]),
        "aliases answered as the catalogue's codes, once each"
    );
    let methods: Value = client
        .call(
            reqwest::Method::GET,
            "/api/v1.0/payment-link-manage/payment-methods",
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed: Vec<&str> = methods["data"]["available_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(listed.contains(&"DANA") && !listed.iter().any(|c| c.starts_with("EWALLET_")));

    let mut unknown = new_link("ALIAS-2");
    unknown["whitelisted_payment_method"] = json!(["EWALLET_NOPE"]);
    let refused = client
        .call(reqwest::Method::POST, &client.links_path())
        .json(&unknown)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused: Value = refused.json().await.unwrap();
    assert!(
        refused["error"]["errors"]["whitelisted_payment_method"].is_array(),
        "{refused}"
    );
}
