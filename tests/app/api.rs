//! The REST API as a Singapay client calls it: signed token request, bearer calls, envelope.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp, START_MS};
use paylinks::api::tokens::{token_signature, wib_date};

/// An API client holding one credential, signing exactly as the contract says.
struct ApiClient {
    base: String,
    api_key: String,
    client_id: String,
    client_secret: String,
    account_id: String,
    token: String,
    http: reqwest::Client,
}

/// Issues a credential with the server's own CLI, against the test's database.
fn cli_credentials(app: &TestApp, email: &str, merchant: &str) -> Value {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_paylinks"))
        .args(["credentials", "create", "--email", email, "--password"])
        .arg(crate::helpers::PASSWORD)
        .args(["--merchant", merchant])
        .env("DATABASE_URL", &app.state.settings.database_url)
        .env("RUST_LOG", "error")
        .output()
        .expect("run the paylinks binary");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON object on stdout")
}

impl ApiClient {
    async fn new(app: &TestApp, email: &str, merchant: &str) -> ApiClient {
        let issued = cli_credentials(app, email, merchant);
        let text = |k: &str| issued[k].as_str().unwrap().to_string();
        let mut client = ApiClient {
            base: app.address.clone(),
            api_key: text("api_key"),
            client_id: text("client_id"),
            client_secret: text("client_secret"),
            account_id: text("account_id"),
            token: String::new(),
            http: reqwest::Client::new(),
        };
        client.refresh_token(app).await;
        client
    }

    /// A new token, signed with today's date in Jakarta.
    async fn refresh_token(&mut self, app: &TestApp) {
        let response = self.request_token(&wib_date(app.state.now_ms())).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        self.token = body["data"]["access_token"].as_str().unwrap().to_string();
    }

    async fn request_token(&self, date: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/api/v1.1/access-token/b2b", self.base))
            .header("X-PARTNER-ID", &self.api_key)
            .header("X-CLIENT-ID", &self.client_id)
            .header(
                "X-Signature",
                token_signature(&self.client_id, &self.client_secret, date),
            )
            .json(&json!({"grant_type": "client_credentials"}))
            .send()
            .await
            .unwrap()
    }

    fn call(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("X-PARTNER-ID", &self.api_key)
            .header("Accept", "application/json")
    }

    fn links_path(&self) -> String {
        format!("/api/v1.0/payment-link-manage/{}", self.account_id)
    }
}

fn new_link(reff_no: &str) -> Value {
    json!({
        "reff_no": reff_no,
        "title": "Invoice May 2026",
        "required_customer_detail": true,
        "max_usage": 100,
        "expired_at": START_MS + 7 * 24 * 3600 * 1000,
        "total_amount": 150000,
        "items": [{"name": "Subscription Plan", "quantity": 1, "unit_price": 150000}],
        "whitelisted_payment_method": ["QRIS", "VA_BRI"],
        "redirect_url": "https://merchant.example.com/payment/success",
        "optional_metadata": {"order": 7}
    })
}

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
    assert_eq!(body["error"]["code"], "unauthorized");

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
        11
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

    let mut bad = new_link("INV-2");
    bad["title"] = json!("");
    bad["max_usage"] = json!(0);
    bad["total_amount"] = json!(999);
    let refused = client
        .call(reqwest::Method::POST, &path)
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused: Value = refused.json().await.unwrap();
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
    assert_eq!(malformed["success"], false);
}

#[tokio::test]
async fn histories_are_listed_filtered_shown_and_simulated() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@toko.id", "Toko Dev").await;
    let mut body = new_link("H-1");
    body["required_customer_detail"] = json!(false);
    body["whitelisted_payment_method"] = Value::Null;
    let created: Value = client
        .call(reqwest::Method::POST, &client.links_path())
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(created["success"], true, "{created}");
    let slug = app.scalar_text("SELECT slug FROM payment_links").await;
    for method in ["VA_BRI", "QRIS", "GOPAY"] {
        let response = app
            .new_browser()
            .call("pay", &[("slug", &slug), ("method", method)])
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{method}");
    }
    let base = format!("/api/v1.0/payment-link-histories/{}", client.account_id);
    let get = |query: String| {
        let request = client.call(reqwest::Method::GET, &format!("{base}{query}"));
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let all = get(String::new()).await;
    assert_eq!(all["data"].as_array().unwrap().len(), 3);
    assert_eq!(all["pagination"]["total"], 3);
    assert_eq!(
        all["data"][0]["payment_method_name"], "GoPay",
        "newest first"
    );
    assert_eq!(all["data"][0]["payment_link_reff_no"], "H-1");
    assert_eq!(all["data"][0]["customer_name"], "");

    let by_name = get("?payment_method_name=va%20bri".into()).await;
    assert_eq!(by_name["data"].as_array().unwrap().len(), 1);
    let va_id = by_name["data"][0]["id"].as_i64().unwrap();
    let ascending = get("?sort_by=amount&sort_order=asc&per_page=2".into()).await;
    assert_eq!(ascending["data"].as_array().unwrap().len(), 2);
    assert_eq!(ascending["pagination"]["totalPages"], 2);
    let none = get("?amount_min=150001".into()).await;
    assert_eq!(none["data"].as_array().unwrap().len(), 0);
    let exact = get("?amount=150000.00&status=pending".into()).await;
    assert_eq!(exact["data"].as_array().unwrap().len(), 3);

    let bad = client
        .call(
            reqwest::Method::GET,
            &format!("{base}?status=settled&sort_by=fee"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad: Value = bad.json().await.unwrap();
    assert!(bad["error"]["errors"]["status"].is_array());
    assert!(bad["error"]["errors"]["sort_by"].is_array());

    let paid = client
        .call(
            reqwest::Method::POST,
            &format!("{base}/{va_id}/simulate-payment"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status(), StatusCode::OK);
    let shown: Value = client
        .call(reqwest::Method::GET, &format!("{base}/{va_id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shown["data"]["status"], "paid");
    assert_eq!(shown["data"]["fee"], 4000);
    assert_eq!(shown["data"]["net_amount"], 146000);
    assert!(shown["data"]["payment_date"]
        .as_str()
        .unwrap()
        .ends_with("+07:00"));
    let paid_only = get("?status=paid&payment_date_from=2026-11-25T00:00:00%2B07:00".into()).await;
    assert_eq!(paid_only["data"].as_array().unwrap().len(), 1);

    let other = ApiClient::new(&app, "other@toko.id", "Toko Lain").await;
    let hidden = other
        .call(reqwest::Method::GET, &format!("{base}/{va_id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    let own_account = other
        .call(
            reqwest::Method::GET,
            &format!(
                "/api/v1.0/payment-link-histories/{}/{va_id}",
                other.account_id
            ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(own_account.status(), StatusCode::NOT_FOUND);
}

/// The secret shown once on the Developers page.
async fn fresh_secret(app: &TestApp) -> (String, String, String) {
    let (status, html) = app.page("/developers").await;
    assert_eq!(status, StatusCode::OK);
    let grab = |label: &str| {
        let start = html
            .find(label)
            .unwrap_or_else(|| panic!("{label} in {html}"));
        let code = &html[start..];
        let open = code.find("<code").unwrap();
        let value_start = open + code[open..].find('>').unwrap() + 1;
        let value_end = value_start + code[value_start..].find('<').unwrap();
        code[value_start..value_end].to_string()
    };
    let fresh = (
        grab("API key (X-PARTNER-ID)"),
        grab("Client ID"),
        grab("Client secret"),
    );
    let (_, again) = app.page("/developers").await;
    assert!(!again.contains(&fresh.2), "the secret is shown once");
    fresh
}

#[tokio::test]
async fn the_developers_page_issues_rotates_and_revokes_credentials() {
    let app = spawn_app().await;
    let account_id = app.sign_up("Toko Dev", "dev@toko.id").await;
    assert_eq!(
        app.call("credential_create", &[]).await.status(),
        StatusCode::OK
    );
    let (api_key, client_id, client_secret) = fresh_secret(&app).await;
    let mut client = ApiClient {
        base: app.address.clone(),
        api_key,
        client_id,
        client_secret,
        account_id,
        token: String::new(),
        http: reqwest::Client::new(),
    };
    let today = wib_date(START_MS);
    let token: Value = client.request_token(&today).await.json().await.unwrap();
    client.token = token["data"]["access_token"].as_str().unwrap().to_string();
    let list = |c: &ApiClient| c.call(reqwest::Method::GET, &c.links_path()).send();
    assert_eq!(list(&client).await.unwrap().status(), StatusCode::OK);

    let id = app
        .scalar("SELECT id FROM api_credentials")
        .await
        .to_string();
    let refused = app
        .call("credential_rotate", &[("credential_id", &id)])
        .await;
    assert_eq!(
        refused.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "needs the confirmation"
    );
    let other = app.new_browser();
    other.sign_up("Toko Lain", "lain@toko.id").await;
    let stolen = other
        .call(
            "credential_rotate",
            &[("credential_id", &id), ("confirm", "yes")],
        )
        .await;
    assert_eq!(stolen.status(), StatusCode::NOT_FOUND);

    let rotated = app
        .call(
            "credential_rotate",
            &[("credential_id", &id), ("confirm", "yes")],
        )
        .await;
    assert_eq!(rotated.status(), StatusCode::OK);
    assert_eq!(
        list(&client).await.unwrap().status(),
        StatusCode::UNAUTHORIZED,
        "old token dead"
    );
    assert_eq!(
        client.request_token(&today).await.status(),
        StatusCode::UNAUTHORIZED,
        "old secret dead"
    );
    client.client_secret = fresh_secret(&app).await.2;
    assert_eq!(client.request_token(&today).await.status(), StatusCode::OK);

    let revoked = app
        .call(
            "credential_revoke",
            &[("credential_id", &id), ("confirm", "yes")],
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(
        client.request_token(&today).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let (_, html) = app.page("/developers").await;
    assert!(html.contains("Revoked"));
}

#[tokio::test]
async fn an_idempotency_key_replays_the_first_answer_and_refuses_another_body() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@toko.id", "Toko Dev").await;
    let post = |body: Value, key: &str| {
        client
            .call(reqwest::Method::POST, &client.links_path())
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let first = post(new_link("IDEM-1"), "order-42").await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let first: Value = first.json().await.unwrap();
    let again = post(new_link("IDEM-1"), "order-42").await.unwrap();
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "replayed, not a duplicate reff_no"
    );
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["data"]["id"], first["data"]["id"]);
    assert_eq!(app.count("payment_links").await, 1);

    let other_body = post(new_link("IDEM-2"), "order-42").await.unwrap();
    assert_eq!(other_body.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("payment_links").await, 1);

    // A refusal is replayed too; after 24 hours the key is free again.
    let mut bad = new_link("IDEM-3");
    bad["title"] = json!("");
    assert_eq!(
        post(bad.clone(), "order-43").await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        post(bad, "order-43").await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    app.clock.advance_ms(24 * 3600 * 1000 + 1);
    let mut client = client;
    client.refresh_token(&app).await;
    let fresh = client
        .call(reqwest::Method::POST, &client.links_path())
        .header("Idempotency-Key", "order-42")
        .json(&new_link("IDEM-2"))
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.status(), StatusCode::OK);
    assert_eq!(app.count("payment_links").await, 2);
}

#[tokio::test]
async fn each_credential_is_rate_limited_with_retry_after() {
    let app = crate::helpers::spawn_app_with(|s| s.api_rate_limit_per_minute = 3).await;
    let client = ApiClient::new(&app, "dev@toko.id", "Toko Dev").await;
    for _ in 0..3 {
        let response = client
            .call(reqwest::Method::GET, &client.links_path())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    let limited = client
        .call(reqwest::Method::GET, &client.links_path())
        .send()
        .await
        .unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    let body: Value = limited.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");

    // Another merchant's credential is not affected; a minute later the first may go on.
    let other = ApiClient::new(&app, "other@toko.id", "Toko Lain").await;
    let response = other
        .call(reqwest::Method::GET, &other.links_path())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    app.clock.advance_ms(60_000);
    let response = client
        .call(reqwest::Method::GET, &client.links_path())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}
