//! A stand-in for Xendit's Payments API v3, checking each request the way docs.xendit.co
//! specifies it (Basic auth with the secret key, `api-version`, the required fields, the
//! channels' amount limits, HTTPS return URLs), answering with the documented shapes, and
//! sending `payment.capture` with the callback token when a test pays. Written from the
//! documentation, not from our connector.

#![allow(dead_code)] // Each test crate uses its own part of this.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde_json::{json, Value};

#[derive(Clone)]
pub struct PaymentRequest {
    pub id: String,
    pub reference_id: String,
    pub channel_code: String,
    pub amount: i64,
    pub status: &'static str,
    pub channel_properties: Value,
    pub actions: Value,
    /// The payment that paid it, once paid.
    pub payment_id: Option<String>,
}

#[derive(Default)]
struct Books {
    requests: HashMap<String, PaymentRequest>,
    /// Answers already given per idempotency key.
    replays: HashMap<String, Value>,
    failing: usize,
    /// Refunds by id, as answered.
    refunds: HashMap<String, Value>,
    /// Leave new refunds PENDING, as e-wallets that settle refunds later do.
    refunds_wait: bool,
}

#[derive(Clone)]
pub struct XenditSim {
    pub base_url: String,
    pub secret_key: String,
    pub callback_token: String,
    books: Arc<Mutex<Books>>,
}

type Answer = (StatusCode, Json<Value>);

fn error(status: u16, code: &str, message: &str) -> Answer {
    (
        StatusCode::from_u16(status).unwrap(),
        Json(json!({ "error_code": code, "message": message })),
    )
}

fn invalid(message: &str) -> Answer {
    error(400, "API_VALIDATION_ERROR", message)
}

/// Per channel: (kind, minimum, maximum) in rupiah, from the channel pages.
fn channel(code: &str) -> Option<(&'static str, i64, i64)> {
    Some(match code {
        "BCA_VIRTUAL_ACCOUNT" => ("va", 10_000, 50_000_000),
        // CIMB's page states no limits; it is held to its peers'.
        "BNI_VIRTUAL_ACCOUNT"
        | "BRI_VIRTUAL_ACCOUNT"
        | "MANDIRI_VIRTUAL_ACCOUNT"
        | "CIMB_VIRTUAL_ACCOUNT" => ("va", 1, 50_000_000_000),
        "PERMATA_VIRTUAL_ACCOUNT" => ("va", 1, 9_999_999_999),
        "QRIS" => ("qr", 1, 10_000_000),
        "OVO" | "DANA" => ("ewallet", 100, 20_000_000),
        "SHOPEEPAY" => ("ewallet", 1, 20_000_000),
        "LINKAJA" => ("ewallet", 100, 10_000_000),
        "GOPAY" => ("ewallet", 1, 50_000_000),
        "ALFAMART" | "INDOMARET" => ("otc", 10_000, 5_000_000),
        _ => return None,
    })
}

impl XenditSim {
    pub async fn start(secret_key: &str, callback_token: &str) -> XenditSim {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sim = XenditSim {
            base_url: format!("http://{}", listener.local_addr().unwrap()),
            secret_key: secret_key.to_string(),
            callback_token: callback_token.to_string(),
            books: Arc::default(),
        };
        let app = Router::new()
            .route("/v3/payment_requests", post(create))
            .route("/v3/payment_requests/{id}", get(read))
            .route("/v3/payment_requests/{id}/cancel", post(cancel))
            .route("/refunds", post(refund))
            .route("/refunds/{id}", get(refund_status))
            .with_state(sim.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        sim
    }

    pub fn request_for(&self, reference_id: &str) -> Option<PaymentRequest> {
        let books = self.books.lock().unwrap();
        books
            .requests
            .values()
            .filter(|r| r.reference_id == reference_id)
            .last()
            .cloned()
    }

    /// New refunds stay PENDING until [`XenditSim::complete_refunds`].
    pub fn hold_refunds(&self) {
        self.books.lock().unwrap().refunds_wait = true;
    }

    pub fn complete_refunds(&self) {
        let mut books = self.books.lock().unwrap();
        books.refunds_wait = false;
        for refund in books.refunds.values_mut() {
            refund["status"] = json!("SUCCEEDED");
        }
    }

    /// What refunds gave back of a payment request (pending ones too).
    pub fn refunded(&self, payment_request_id: &str) -> i64 {
        let books = self.books.lock().unwrap();
        books
            .refunds
            .values()
            .filter(|r| r["payment_request_id"] == payment_request_id && r["status"] != "FAILED")
            .map(|r| r["amount"].as_i64().unwrap())
            .sum()
    }

    pub fn count(&self) -> usize {
        self.books.lock().unwrap().requests.len()
    }

    pub fn fail_next(&self, requests: usize) {
        self.books.lock().unwrap().failing = requests;
    }

    /// The payer pays in full: the request succeeds and `payment.capture` goes to `url`.
    pub async fn pay(&self, payment_request_id: &str, url: &str) -> reqwest::Response {
        let body = {
            let mut books = self.books.lock().unwrap();
            let request = books
                .requests
                .get_mut(payment_request_id)
                .expect("a request");
            assert_eq!(
                request.status, "REQUIRES_ACTION",
                "only a live request is paid"
            );
            request.status = "SUCCEEDED";
            let payment_id = format!("py-{}", uuid::Uuid::new_v4());
            request.payment_id = Some(payment_id.clone());
            json!({
                "created": "2026-11-25T03:05:00.000Z",
                "business_id": "5f27a14a9bf05c73dd040bc8",
                "event": "payment.capture",
                "api_version": "v3",
                "data": {
                    "payment_id": payment_id,
                    "business_id": "5f27a14a9bf05c73dd040bc8",
                    "reference_id": request.reference_id,
                    "payment_request_id": request.id,
                    "type": "PAY",
                    "country": "ID",
                    "currency": "IDR",
                    "request_amount": request.amount,
                    "capture_method": "AUTOMATIC",
                    "channel_code": request.channel_code,
                    "channel_properties": request.channel_properties,
                    "captures": [{
                        "capture_id": format!("cptr-{}", uuid::Uuid::new_v4()),
                        "capture_amount": request.amount,
                        "capture_timestamp": "2026-11-25T03:05:00.000Z",
                    }],
                    "status": "SUCCEEDED",
                    "payment_details": {},
                    "created": "2026-11-25T03:05:00.000Z",
                    "updated": "2026-11-25T03:05:00.000Z",
                },
            })
        };
        reqwest::Client::new()
            .post(url)
            .header("x-callback-token", &self.callback_token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// The payer pays but the callback is lost on the way.
    pub fn pay_without_notifying(&self, payment_request_id: &str) {
        let mut books = self.books.lock().unwrap();
        let request = books
            .requests
            .get_mut(payment_request_id)
            .expect("a request");
        request.status = "SUCCEEDED";
        request.payment_id = Some(format!("py-{}", uuid::Uuid::new_v4()));
    }

    /// Basic auth with the secret key and an empty password, and the API version.
    fn arrive(&self, headers: &HeaderMap) -> Result<(), Answer> {
        {
            let mut books = self.books.lock().unwrap();
            if books.failing > 0 {
                books.failing -= 1;
                return Err(error(
                    503,
                    "CHANNEL_UNAVAILABLE",
                    "The channel is unavailable.",
                ));
            }
        }
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Basic "))
            .and_then(|v| base64::engine::general_purpose::STANDARD.decode(v).ok())
            .and_then(|v| String::from_utf8(v).ok());
        if given.as_deref() != Some(&format!("{}:", self.secret_key)) {
            return Err(error(
                401,
                "INVALID_API_KEY",
                "The API key provided is invalid. Please make sure to use the secret/public API key that you can obtain from the Xendit Dashboard",
            ));
        }
        if headers.get("api-version").and_then(|v| v.to_str().ok()) != Some("2024-11-11") {
            return Err(invalid("api-version must be 2024-11-11"));
        }
        Ok(())
    }

    fn answer(request: &PaymentRequest) -> Value {
        json!({
            "business_id": "5f27a14a9bf05c73dd040bc8",
            "reference_id": request.reference_id,
            "payment_request_id": request.id,
            "type": "PAY",
            "country": "ID",
            "currency": "IDR",
            "request_amount": request.amount,
            "capture_method": "AUTOMATIC",
            "channel_code": request.channel_code,
            "channel_properties": request.channel_properties,
            "actions": request.actions,
            "status": request.status,
            "latest_payment_id": request.payment_id,
            "created": "2026-11-25T03:00:00Z",
            "updated": "2026-11-25T03:00:00Z",
        })
    }
}

fn digits(n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rand::random::<u8>() % 10))
        .collect()
}

/// `POST /v3/payment_requests` for `type: PAY`.
async fn create(
    State(sim): State<XenditSim>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Answer {
    if let Err(refused) = sim.arrive(&headers) {
        return refused;
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(replay) = key
        .as_ref()
        .and_then(|k| sim.books.lock().unwrap().replays.get(k).cloned())
    {
        return (StatusCode::CREATED, Json(replay));
    }
    for field in [
        "reference_id",
        "type",
        "country",
        "currency",
        "request_amount",
        "channel_code",
    ] {
        if body.get(field).is_none() {
            return invalid(&format!("{field} is required"));
        }
    }
    let reference_id = body["reference_id"].as_str().unwrap_or_default();
    if reference_id.is_empty() || reference_id.len() > 255 {
        return invalid("reference_id must be 1 to 255 characters");
    }
    if body["type"] != "PAY" || body["country"] != "ID" || body["currency"] != "IDR" {
        return invalid("type, country or currency is not supported here");
    }
    let channel_code = body["channel_code"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let Some((kind, min, max)) = channel(&channel_code) else {
        return invalid("channel_code is not supported");
    };
    let Some(amount) = body["request_amount"].as_i64() else {
        return invalid("request_amount must be a number");
    };
    if amount < min || amount > max {
        return error(
            400,
            "INVALID_VALUE_ERROR",
            "request_amount is outside the channel's limits",
        );
    }
    let properties = body.get("channel_properties").cloned().unwrap_or(json!({}));
    let https = |field: &str| {
        properties[field]
            .as_str()
            .is_some_and(|url| url.starts_with("https://") && (11..=255).contains(&url.len()))
    };
    let actions = match kind {
        "va" => {
            if properties["display_name"]
                .as_str()
                .is_none_or(str::is_empty)
            {
                return invalid("channel_properties.display_name is required");
            }
            if let Some(at) = properties.get("expires_at") {
                if at.as_str().and_then(|at| at.strip_suffix('Z')).is_none() {
                    return invalid("channel_properties.expires_at must be ISO-8601 UTC");
                }
            }
            json!([{ "type": "PRESENT_TO_CUSTOMER", "descriptor": "VIRTUAL_ACCOUNT_NUMBER",
                     "value": format!("8808{}", digits(8)) }])
        }
        "otc" => {
            if properties["payer_name"].as_str().is_none_or(str::is_empty) {
                return invalid("channel_properties.payer_name is required");
            }
            if let Some(at) = properties.get("expires_at") {
                if at.as_str().and_then(|at| at.strip_suffix('Z')).is_none() {
                    return invalid("channel_properties.expires_at must be ISO-8601 UTC");
                }
            }
            // The merchant's prefix (3 to 6 characters, set at activation), then Xendit's.
            json!([{ "type": "PRESENT_TO_CUSTOMER", "descriptor": "PAYMENT_CODE",
                     "value": format!("TOKO{}", digits(8)) }])
        }
        "qr" => json!([{ "type": "PRESENT_TO_CUSTOMER", "descriptor": "QR_STRING",
                         "value": format!("00020101021226660014ID.CO.QRIS.WWW540{amount}6304ABCD") }]),
        _ => {
            if !https("success_return_url") {
                return invalid("channel_properties.success_return_url must be an HTTPS URL");
            }
            json!([{ "type": "REDIRECT_CUSTOMER", "descriptor": "WEB_URL",
                     "value": format!("https://checkout.xendit.example/{}", digits(12)) }])
        }
    };
    let request = PaymentRequest {
        id: format!("pr-{}", uuid::Uuid::new_v4()),
        reference_id: reference_id.to_string(),
        channel_code,
        amount,
        status: "REQUIRES_ACTION",
        channel_properties: properties,
        actions,
        payment_id: None,
    };
    let answer = XenditSim::answer(&request);
    let mut books = sim.books.lock().unwrap();
    books.requests.insert(request.id.clone(), request);
    if let Some(key) = key {
        books.replays.insert(key, answer.clone());
    }
    (StatusCode::CREATED, Json(answer))
}

/// `GET /v3/payment_requests/{id}`.
async fn read(State(sim): State<XenditSim>, headers: HeaderMap, Path(id): Path<String>) -> Answer {
    if let Err(refused) = sim.arrive(&headers) {
        return refused;
    }
    match sim.books.lock().unwrap().requests.get(&id) {
        Some(request) => (StatusCode::OK, Json(XenditSim::answer(request))),
        None => error(404, "DATA_NOT_FOUND", "Payment request not found"),
    }
}

/// `POST /v3/payment_requests/{id}/cancel`: only while it can still be paid.
async fn cancel(
    State(sim): State<XenditSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    if let Err(refused) = sim.arrive(&headers) {
        return refused;
    }
    let mut books = sim.books.lock().unwrap();
    match books.requests.get_mut(&id) {
        None => error(404, "DATA_NOT_FOUND", "Payment request not found"),
        Some(request) if request.status == "REQUIRES_ACTION" => {
            request.status = "CANCELED";
            (StatusCode::OK, Json(XenditSim::answer(request)))
        }
        Some(_) => error(
            400,
            "INACTIVE_PAYMENT_REQUEST",
            "The payment request is no longer active",
        ),
    }
}

/// `POST /refunds`: a paid QRIS or e-wallet payment request, in parts up to its amount; the
/// same idempotency key again answers the first refund.
async fn refund(
    State(sim): State<XenditSim>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Answer {
    if let Err(refused) = sim.arrive(&headers) {
        return refused;
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut books = sim.books.lock().unwrap();
    if let Some(replay) = key.as_ref().and_then(|k| books.replays.get(k).cloned()) {
        let id = replay["id"].as_str().unwrap_or_default();
        let now = books.refunds.get(id).cloned().unwrap_or(replay);
        return (StatusCode::OK, Json(now));
    }
    let Some(request_id) = body["payment_request_id"].as_str() else {
        return invalid("payment_request_id is required");
    };
    if body["currency"] != "IDR" {
        return invalid("currency must be IDR");
    }
    let reasons = [
        "FRAUDULENT",
        "DUPLICATE",
        "REQUESTED_BY_CUSTOMER",
        "CANCELLATION",
        "OTHERS",
    ];
    if !body["reason"]
        .as_str()
        .is_some_and(|r| reasons.contains(&r))
    {
        return invalid("reason must be one of FRAUDULENT, DUPLICATE, REQUESTED_BY_CUSTOMER, CANCELLATION, OTHERS");
    }
    let Some(paid) = books.requests.get(request_id).cloned() else {
        return error(404, "DATA_NOT_FOUND", "Payment request not found");
    };
    if paid.status != "SUCCEEDED" {
        return error(
            400,
            "INELIGIBLE_TRANSACTION",
            "Only a succeeded payment can be refunded",
        );
    }
    // Transfers to a VA and cash at a till cannot be given back through the API.
    if matches!(channel(&paid.channel_code), Some(("va" | "otc", ..))) {
        return error(
            400,
            "UNSUPPORTED_CHANNEL",
            "This channel does not support refunds",
        );
    }
    let done: i64 = books
        .refunds
        .values()
        .filter(|r| r["payment_request_id"] == request_id && r["status"] != "FAILED")
        .map(|r| r["amount"].as_i64().unwrap())
        .sum();
    let amount = match body.get("amount") {
        None => paid.amount - done,
        Some(amount) => match amount.as_i64() {
            Some(amount) if amount > 0 => amount,
            _ => return invalid("amount must be a positive number"),
        },
    };
    if done + amount > paid.amount {
        return error(
            400,
            "REFUND_AMOUNT_EXCEEDED",
            "The refund amount exceeds what is left",
        );
    }
    let id = format!("rfd-{}", uuid::Uuid::new_v4());
    let status = if books.refunds_wait {
        "PENDING"
    } else {
        "SUCCEEDED"
    };
    let answer = json!({
        "id": id,
        "payment_request_id": request_id,
        "payment_id": paid.payment_id,
        "reference_id": body["reference_id"],
        "amount": amount,
        "currency": "IDR",
        "channel_code": paid.channel_code,
        "status": status,
        "reason": body["reason"],
        "failure_code": null,
        "created": "2026-11-25T04:00:00Z",
        "updated": "2026-11-25T04:00:00Z",
    });
    books.refunds.insert(id, answer.clone());
    if let Some(key) = key {
        books.replays.insert(key, answer.clone());
    }
    (StatusCode::OK, Json(answer))
}

/// `GET /refunds/{id}`.
async fn refund_status(
    State(sim): State<XenditSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    if let Err(refused) = sim.arrive(&headers) {
        return refused;
    }
    match sim.books.lock().unwrap().refunds.get(&id) {
        Some(refund) => (StatusCode::OK, Json(refund.clone())),
        None => error(404, "DATA_NOT_FOUND", "Refund not found"),
    }
}
