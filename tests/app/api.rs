//! The REST API as a Singapay client calls it: tokens, payment links v1.0 and v2.0, isolation.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::api_client::{new_link, ApiClient};
use crate::helpers::{spawn_app, START_MS};
use paylinks::api::tokens::wib_date;

#[tokio::test]
async fn tokens_need_the_right_signature_or_basic_credentials() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@toko.id", "Toko Dev").await;
    let response = client.request_token(&wib_date(START_MS)).await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], 200);
    assert_eq!(body["success"], true);
    assert_eq!(body["data"]["token_type"], "Bearer");
    assert_eq!(body["data"]["expires_in"], "3600");

    let yesterday = wib_date(START_MS - 24 * 3600 * 1000);
    assert_eq!(
        client.request_token(&yesterday).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let response = client
        .http
        .post(format!("{}/api/v1.1/access-token/b2b", client.base))
        .header("X-PARTNER-ID", &client.api_key)
        .header("X-CLIENT-ID", &client.client_id)
        .header("X-Signature", "00")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["success"], false);
    assert_eq!(
        body["error"]["code"], "SP013",
        "Singapay's code for a bad token"
    );

    let basic = |secret: &str| {
        client
            .http
            .post(format!("{}/api/v1.0/access-token/b2b", client.base))
            .header("X-PARTNER-ID", &client.api_key)
            .basic_auth(&client.client_id, Some(secret))
            .json(&json!({"grant_type": "client_credentials"}))
            .send()
    };
    assert_eq!(
        basic(&client.client_secret).await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        basic("wrong").await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );

    // Calls need the token and the same credential's partner id.
    let path = client.links_path();
    let no_token = client
        .http
        .get(format!("{}{path}", client.base))
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), StatusCode::UNAUTHORIZED);
    let wrong_partner = client
        .http
        .get(format!("{}{path}", client.base))
        .bearer_auth(&client.token)
        .header("X-PARTNER-ID", "someone-else")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_partner.status(), StatusCode::UNAUTHORIZED);
    // Tokens expire after an hour.
    app.clock.advance_ms(3600 * 1000);
    let expired = client
        .call(reqwest::Method::GET, &path)
        .send()
        .await
        .unwrap();
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_link_goes_through_create_list_show_update_delete() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@toko.id", "Toko Dev").await;
    let path = client.links_path();

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
    assert_eq!(
        methods["data"]["available_codes"].as_array().unwrap().len(),
        paylinks::domain::method::CATALOGUE_CODES.len()
    );

    let created = client
        .call(reqwest::Method::POST, &path)
        .json(&new_link("INV-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::OK);
    let created: Value = created.json().await.unwrap();
    let link = &created["data"];
    assert_eq!(link["reff_no"], "INV-1");
    assert_eq!(link["total_amount"], 150000);
    assert_eq!(link["status"], "open");
    assert_eq!(link["status_computed"], "open");
    assert_eq!(link["current_usage"], 0);
    assert_eq!(link["items"][0]["subtotal"], 150000);
    assert_eq!(link["source"], "api v1");
    assert_eq!(link["account"]["id"], client.account_id.as_str());
    assert!(link["expired_at"].as_str().unwrap().ends_with("+07:00"));
    assert!(link["payment_url"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{}/pay/", app.address)));
    let id = link["id"].as_i64().unwrap();

    let duplicate = client
        .call(reqwest::Method::POST, &path)
        .json(&new_link("INV-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(duplicate.status(), StatusCode::CONFLICT);
    let duplicate: Value = duplicate.json().await.unwrap();
    assert_eq!(
        duplicate["error"]["code"], "SP004",
        "Singapay clients branch on SP004 for a taken reference"
    );

    let mut bad = new_link("INV-2");
    bad["title"] = json!("");
    bad["max_usage"] = json!(-1);
    bad["total_amount"] = json!(999);
    let refused = client
        .call(reqwest::Method::POST, &path)
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused: Value = refused.json().await.unwrap();
    assert_eq!(refused["error"]["code"], "SP018");
    for field in ["title", "max_usage", "total_amount"] {
        assert!(
            refused["error"]["errors"][field].is_array(),
            "{field}: {refused}"
        );
    }
    assert_eq!(app.count("payment_links").await, 1);

    let listed: Value = client
        .call(reqwest::Method::GET, &format!("{path}?per_page=10"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    assert_eq!(listed["pagination"]["total"], 1);
    assert_eq!(listed["pagination"]["perPage"], 10);

    let shown: Value = client
        .call(reqwest::Method::GET, &format!("{path}/{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shown["data"]["title"], "Invoice May 2026");

    let updated = client
        .call(reqwest::Method::PUT, &format!("{path}/{id}"))
        .json(&json!({"status": "closed", "max_usage": 20, "whitelisted_payment_method": ["VA_DANAMON"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(updated.status(), StatusCode::OK);
    let updated: Value = updated.json().await.unwrap();
    assert_eq!(updated["data"]["status"], "closed");
    assert_eq!(updated["data"]["max_usage"], 20);
    assert_eq!(
        updated["data"]["whitelisted_payment_method"],
        json!(["VA_DANAMON"])
    );
    assert_eq!(
        updated["data"]["required_customer_detail"], false,
        "PUT replaces it"
    );

    app.execute("UPDATE payment_links SET current_usage = 5")
        .await;
    let too_low = client
        .call(reqwest::Method::PUT, &format!("{path}/{id}"))
        .json(&json!({"status": "open", "max_usage": 4}))
        .send()
        .await
        .unwrap();
    assert_eq!(too_low.status(), StatusCode::UNPROCESSABLE_ENTITY);
    app.execute("UPDATE payment_links SET current_usage = 0")
        .await;

    let deleted = client
        .call(reqwest::Method::DELETE, &format!("{path}/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::OK);
    let gone = client
        .call(reqwest::Method::GET, &format!("{path}/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_link_with_history_cannot_be_deleted_through_the_api() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@toko.id", "Toko Dev").await;
    let path = client.links_path();
    let created: Value = client
        .call(reqwest::Method::POST, &path)
        .json(&new_link("INV-9"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["data"]["id"].as_i64().unwrap();
    let slug = app.scalar_text("SELECT slug FROM payment_links").await;
    let payer = app.new_browser();
    let paid = payer
        .call(
            "pay",
            &[
                ("slug", &slug),
                ("method", "QRIS"),
                ("customer_name", "Budi"),
                ("customer_email", "b@x.id"),
                ("customer_phone", "081234567890"),
            ],
        )
        .await;
    assert_eq!(paid.status(), StatusCode::OK);
    let refused = client
        .call(reqwest::Method::DELETE, &format!("{path}/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("payment_links").await, 1);
}

#[tokio::test]
async fn a_token_of_one_merchant_never_reaches_another() {
    let app = spawn_app().await;
    let a = ApiClient::new(&app, "a@toko.id", "Toko A").await;
    let b = ApiClient::new(&app, "b@toko.id", "Toko B").await;
    let created: Value = a
        .call(reqwest::Method::POST, &a.links_path())
        .json(&new_link("A-1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["data"]["id"].as_i64().unwrap();
    for (method, path) in [
        (reqwest::Method::GET, a.links_path()),
        (reqwest::Method::GET, format!("{}/{id}", a.links_path())),
        (reqwest::Method::PUT, format!("{}/{id}", a.links_path())),
        (reqwest::Method::DELETE, format!("{}/{id}", a.links_path())),
        (reqwest::Method::GET, format!("{}/{id}", b.links_path())),
    ] {
        let response = b
            .call(method.clone(), &path)
            .json(&json!({"status": "closed", "max_usage": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
    }
    let created = b
        .call(reqwest::Method::POST, &a.links_path())
        .json(&new_link("B-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count("payment_links").await, 1);

    // The CLI refuses a known email with the wrong password.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_paylinks"))
        .args([
            "credentials",
            "create",
            "--email",
            "a@toko.id",
            "--password",
            "not the password",
            "--merchant",
            "X",
        ])
        .env("DATABASE_URL", &app.state.settings.database_url)
        .output()
        .unwrap();
    assert!(!output.status.success());
}

#[tokio::test]
async fn v2_creates_without_a_reference_and_updates_partially() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@toko.id", "Toko Dev").await;
    let mut body = new_link("unused");
    body.as_object_mut().unwrap().remove("reff_no");
    body["expired_at"] = json!("2026-12-31T23:59:00+07:00");
    let created = client
        .call(
            reqwest::Method::POST,
            &format!("/api/v2.0/payment-link/{}", client.account_id),
        )
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::OK);
    let created: Value = created.json().await.unwrap();
    let id = created["data"]["id"].as_i64().unwrap();
    assert_eq!(created["data"]["source"], "api v2");
    assert!(created["data"]["reff_no"]
        .as_str()
        .unwrap()
        .starts_with("PL"));
    assert_eq!(created["data"]["expired_at"], "2026-12-31T23:59:00+07:00");

    let updated: Value = client
        .call(
            reqwest::Method::PUT,
            &format!("/api/v2.0/payment-link/update/{id}"),
        )
        .json(&json!({"max_usage": 3}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(updated["data"]["max_usage"], 3);
    assert_eq!(
        updated["data"]["required_customer_detail"], true,
        "left as it was"
    );
    assert_eq!(
        updated["data"]["redirect_url"],
        "https://merchant.example.com/payment/success"
    );

    let shown = client
        .call(
            reqwest::Method::GET,
            &format!("/api/v2.0/payment-link/{id}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status(), StatusCode::OK);
    let other = ApiClient::new(&app, "other@toko.id", "Toko Lain").await;
    let hidden = other
        .call(
            reqwest::Method::GET,
            &format!("/api/v2.0/payment-link/{id}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);

    let malformed = client
        .call(
            reqwest::Method::POST,
            &format!("/api/v2.0/payment-link/{}", client.account_id),
        )
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let malformed: Value = malformed.json().await.unwrap();
    assert_eq!(
        malformed["response_code"], "SP012",
        "v2 answers in the v2 envelope"
    );
}

#[tokio::test]
async fn the_list_pages_full_links_newest_first() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@toko.id", "Toko Dev").await;
    for n in 1..=3 {
        let mut body = new_link(&format!("PAGE-{n}"));
        body["items"] = json!([
            {"name": format!("Item {n}"), "quantity": n, "unit_price": 50000},
            {"name": "Diskon", "quantity": 1, "unit_price": -10000}
        ]);
        body.as_object_mut().unwrap().remove("total_amount");
        let response = client
            .call(reqwest::Method::POST, &client.links_path())
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    let page: Value = client
        .call(
            reqwest::Method::GET,
            &format!("{}?per_page=2", client.links_path()),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let data = page["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0]["reff_no"], "PAGE-3");
    assert_eq!(data[1]["reff_no"], "PAGE-2");
    assert_eq!(data[0]["items"][0]["quantity"], 3);
    assert_eq!(data[0]["items"][1]["subtotal"], -10000);
    assert_eq!(data[0]["total_amount"], 140000);
    assert_eq!(page["pagination"]["total"], 3);
    assert_eq!(page["pagination"]["totalPages"], 2);
    let second: Value = client
        .call(
            reqwest::Method::GET,
            &format!("{}?per_page=2&page=2", client.links_path()),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(second["data"][0]["reff_no"], "PAGE-1");
}
