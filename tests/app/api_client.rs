//! A REST client that signs exactly as the Singapay contract says, for the API tests.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{TestApp, START_MS};
use paylinks::api::tokens::{token_signature, wib_date};

/// An API client holding one credential, signing exactly as the contract says.
pub struct ApiClient {
    pub base: String,
    pub api_key: String,
    pub client_id: String,
    pub client_secret: String,
    pub account_id: String,
    pub token: String,
    pub http: reqwest::Client,
}

/// Issues a credential with the server's own CLI, against the test's database.
pub fn cli_credentials(app: &TestApp, email: &str, merchant: &str) -> Value {
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
    pub async fn new(app: &TestApp, email: &str, merchant: &str) -> ApiClient {
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
    pub async fn refresh_token(&mut self, app: &TestApp) {
        let response = self.request_token(&wib_date(app.state.now_ms())).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        self.token = body["data"]["access_token"].as_str().unwrap().to_string();
    }

    pub async fn request_token(&self, date: &str) -> reqwest::Response {
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

    pub fn call(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("X-PARTNER-ID", &self.api_key)
            .header("Accept", "application/json")
    }

    /// Sends `body` (if any) and reads the JSON answer: (status, body).
    pub async fn json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let request = self.call(method, path);
        let request = match body {
            Some(body) => request.json(body),
            None => request,
        };
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap())
    }

    /// Each body POSTed to `path` is refused with 422 naming its field.
    pub async fn refuses_each(&self, path: &str, cases: &[(Value, &str)]) {
        for (body, field) in cases {
            let (status, answer) = self.json(reqwest::Method::POST, path, Some(body)).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body} → {answer}"
            );
            assert!(answer.to_string().contains(field), "{field} in {answer}");
        }
    }

    pub fn links_path(&self) -> String {
        format!("/api/v1.0/payment-link-manage/{}", self.account_id)
    }
}

pub fn new_link(reff_no: &str) -> Value {
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
