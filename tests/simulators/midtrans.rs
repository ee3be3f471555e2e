//! A stand-in for Midtrans's Core API (v2), checking each request the way docs.midtrans.com
//! specifies it, answering with the documented shapes, and sending signed HTTP notifications
//! when a test pays a charge. Written from the documentation, not from our connector.

#![allow(dead_code)] // Each test crate uses its own part of this.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha512};

#[derive(Clone)]
pub struct Charge {
    pub order_id: String,
    pub transaction_id: String,
    pub payment_type: String,
    pub bank: Option<String>,
    pub amount: i64,
    pub status: &'static str,
    pub va_number: Option<String>,
    /// `cstore.store` as sent, lower-cased ("alfamart", "indomaret").
    pub store: Option<String>,
    /// `cstore.message`: the label the outlet's till shows.
    pub store_message: Option<String>,
    pub payment_code: Option<String>,
    /// `custom_expiry` as sent: (duration, unit).
    pub expiry: Option<(i64, String)>,
}

#[derive(Default)]
struct Books {
    charges: HashMap<String, Charge>,
    /// Answer the next this many requests with a 503, as a gateway having a bad minute.
    failing: usize,
    requests: usize,
    /// Refunds by refund_key: (order id, amount, chargeback id).
    refunds: HashMap<String, (String, i64, i64)>,
}

#[derive(Clone)]
pub struct MidtransSim {
    pub base_url: String,
    pub server_key: String,
    books: Arc<Mutex<Books>>,
    http: reqwest::Client,
}

type Answer = (StatusCode, Json<Value>);

fn answer(code: u16, body: Value) -> Answer {
    (StatusCode::from_u16(code).unwrap(), Json(body))
}

fn refusal(code: u16, message: &str) -> Answer {
    answer(
        code,
        json!({ "status_code": code.to_string(), "status_message": message, "id": uuid() }),
    )
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The documented signature: hex(SHA512(order_id + status_code + gross_amount + key)).
pub fn sign(order_id: &str, status_code: &str, gross_amount: &str, key: &str) -> String {
    hex::encode(Sha512::digest(
        format!("{order_id}{status_code}{gross_amount}{key}").as_bytes(),
    ))
}

impl MidtransSim {
    pub async fn start(server_key: &str) -> MidtransSim {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sim = MidtransSim {
            base_url: format!("http://{}", listener.local_addr().unwrap()),
            server_key: server_key.to_string(),
            books: Arc::default(),
            http: reqwest::Client::new(),
        };
        let app = Router::new()
            .route("/v2/charge", post(charge))
            .route("/v2/{id}/status", get(status))
            .route("/v2/{id}/cancel", post(cancel))
            .route("/v2/{id}/refund/online/direct", post(direct_refund))
            .with_state(sim.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        sim
    }

    pub fn charge_of(&self, order_id: &str) -> Option<Charge> {
        self.books.lock().unwrap().charges.get(order_id).cloned()
    }

    /// What refunds gave back of an order.
    pub fn refunded(&self, order_id: &str) -> i64 {
        let books = self.books.lock().unwrap();
        books
            .refunds
            .values()
            .filter(|(order, ..)| order == order_id)
            .map(|(_, amount, _)| amount)
            .sum()
    }

    pub fn requests(&self) -> usize {
        self.books.lock().unwrap().requests
    }

    pub fn fail_next(&self, requests: usize) {
        self.books.lock().unwrap().failing = requests;
    }

    /// The payer pays: the charge settles, and when `notify_url` is given Midtrans tells it.
    pub async fn pay(&self, order_id: &str, notify_url: Option<&str>) -> reqwest::Response {
        let body = {
            let mut books = self.books.lock().unwrap();
            let charge = books.charges.get_mut(order_id).expect("a charge to pay");
            assert_eq!(
                charge.status, "pending",
                "only a pending charge can be paid"
            );
            charge.status = "settlement";
            self.notification(charge)
        };
        let url = notify_url.expect("where to notify");
        self.http
            .post(url)
            .header(header::USER_AGENT, "Veritrans")
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// The payer pays but the notification is lost on the way.
    pub fn pay_without_notifying(&self, order_id: &str) {
        let mut books = self.books.lock().unwrap();
        let charge = books.charges.get_mut(order_id).expect("a charge to pay");
        charge.status = "settlement";
    }

    /// The signed notification Midtrans sends about a charge as it stands now.
    pub fn notification_for(&self, order_id: &str) -> Value {
        let books = self.books.lock().unwrap();
        self.notification(books.charges.get(order_id).expect("a charge"))
    }

    /// A charge as Midtrans reports it in notifications and status answers, signed.
    fn notification(&self, charge: &Charge) -> Value {
        let status_code = match charge.status {
            "settlement" => "200",
            "pending" => "201",
            _ => "202",
        };
        let gross_amount = format!("{}.00", charge.amount);
        let mut body = json!({
            "transaction_time": "2026-11-25 10:00:00",
            "transaction_status": charge.status,
            "transaction_id": charge.transaction_id,
            "status_message": "midtrans payment notification",
            "status_code": status_code,
            "signature_key": sign(&charge.order_id, status_code, &gross_amount, &self.server_key),
            "payment_type": charge.payment_type,
            "order_id": charge.order_id,
            "merchant_id": "G000000001",
            "gross_amount": gross_amount,
            "fraud_status": "accept",
            "currency": "IDR",
        });
        if let (Some(bank), Some(va)) = (&charge.bank, &charge.va_number) {
            body["va_numbers"] = json!([{ "bank": bank, "va_number": va }]);
        }
        if let (Some(store), Some(code)) = (&charge.store, &charge.payment_code) {
            body["store"] = json!(store);
            body["payment_code"] = json!(code);
        }
        body
    }

    /// Basic auth with the server key as the user and an empty password, or 401.
    fn authorised(&self, headers: &HeaderMap) -> Result<(), Answer> {
        let unauthorised = || {
            refusal(
                401,
                "Transaction cannot be authorized with the current client/server key.",
            )
        };
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Basic "))
            .and_then(|v| base64::engine::general_purpose::STANDARD.decode(v).ok())
            .and_then(|v| String::from_utf8(v).ok())
            .ok_or_else(unauthorised)?;
        if given != format!("{}:", self.server_key) {
            return Err(unauthorised());
        }
        Ok(())
    }

    /// Every request is counted; a failing spell answers 503 before anything is checked.
    fn arrive(&self, headers: &HeaderMap) -> Result<(), Answer> {
        {
            let mut books = self.books.lock().unwrap();
            books.requests += 1;
            if books.failing > 0 {
                books.failing -= 1;
                return Err(refusal(
                    503,
                    "Bank/partner is experiencing connection issue.",
                ));
            }
        }
        self.authorised(headers)?;
        if headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) != Some("application/json") {
            return Err(refusal(400, "Accept must be application/json."));
        }
        Ok(())
    }
}

fn invalid(message: &str) -> Answer {
    answer(
        400,
        json!({
            "status_code": "400",
            "status_message": "One or more parameters in the payload is invalid.",
            "validation_messages": [message],
            "id": uuid(),
        }),
    )
}

fn digits(n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rand::random::<u8>() % 10))
        .collect()
}

/// `POST /v2/charge`.
async fn charge(
    State(sim): State<MidtransSim>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Answer {
    if let Err(refused) = sim.arrive(&headers) {
        return refused;
    }
    if headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        != Some("application/json")
    {
        return invalid("Content-Type must be application/json");
    }
    if body.len() > 16_000 {
        return invalid("request is larger than 16 KB");
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return refusal(
            413,
            "The request cannot be processed due to syntax error in the request body",
        );
    };
    let order_id = request["transaction_details"]["order_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    if order_id.is_empty()
        || order_id.len() > 50
        || !order_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_~.".contains(&b))
    {
        return invalid("transaction_details.order_id is invalid");
    }
    // An integer, above zero: "Do not add decimal."
    let Some(amount) = request["transaction_details"]["gross_amount"]
        .as_i64()
        .filter(|amount| *amount > 0)
    else {
        return invalid("transaction_details.gross_amount must be a whole number above 0");
    };
    if let Some(items) = request["item_details"].as_array() {
        let sum: i64 = items
            .iter()
            .map(|item| {
                item["price"].as_i64().unwrap_or(0) * item["quantity"].as_i64().unwrap_or(0)
            })
            .sum();
        if sum != amount {
            return invalid(
                "transaction_details.gross_amount is not equal to the sum of item_details",
            );
        }
    }
    let expiry = match request.get("custom_expiry") {
        None => None,
        Some(expiry) => {
            let unit = expiry["unit"].as_str().unwrap_or("minute").to_string();
            let Some(duration) = expiry["expiry_duration"].as_i64().filter(|d| *d > 0) else {
                return invalid("custom_expiry.expiry_duration must be a whole number above 0");
            };
            if !["second", "minute", "hour", "day"].contains(&unit.as_str()) {
                return invalid("custom_expiry.unit is invalid");
            }
            Some((duration, unit))
        }
    };
    let payment_type = request["payment_type"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let bank = match payment_type.as_str() {
        "bank_transfer" => match request["bank_transfer"]["bank"].as_str() {
            Some(bank @ ("bca" | "bni" | "bri" | "cimb" | "permata")) => Some(bank.to_string()),
            _ => return invalid("bank_transfer.bank is invalid"),
        },
        "permata" => Some("permata".to_string()),
        "qris" => {
            match request["qris"]["acquirer"].as_str() {
                None | Some("gopay" | "airpay shopee") => {}
                Some(_) => return invalid("qris.acquirer is invalid"),
            }
            None
        }
        "gopay" | "shopeepay" | "cstore" => None,
        _ => return invalid("payment_type is invalid"),
    };
    let store = match payment_type.as_str() {
        "cstore" => match cstore(&request["cstore"], amount) {
            Ok(store) => Some(store),
            Err(refused) => return refused,
        },
        _ => None,
    };
    let mut books = sim.books.lock().unwrap();
    if let Some(existing) = books.charges.get(&order_id) {
        if !["cancel", "expire"].contains(&existing.status) {
            return refusal(
                406,
                "The request could not be completed due to a conflict with the current state of the target resource, please try again",
            );
        }
    }
    let transaction_id = uuid();
    let va_number = bank.as_ref().map(|bank| match bank.as_str() {
        "bni" => format!("9888{}", digits(12)),
        "bri" => format!("77{}", digits(14)),
        _ => format!("81278{}", digits(10)),
    });
    // Alfamart's codes are 16 digits, Indomaret's 12, as Midtrans's examples show them.
    let payment_code = store.as_deref().map(|store| match store {
        "alfamart" => digits(16),
        _ => digits(12),
    });
    let charge = Charge {
        order_id: order_id.clone(),
        transaction_id: transaction_id.clone(),
        payment_type: if payment_type == "permata" {
            "bank_transfer".into()
        } else {
            payment_type.clone()
        },
        bank: bank.clone(),
        amount,
        status: "pending",
        va_number: va_number.clone(),
        store: store.clone(),
        store_message: request["cstore"]["message"].as_str().map(str::to_string),
        payment_code: payment_code.clone(),
        expiry,
    };
    books.charges.insert(order_id.clone(), charge.clone());
    let mut created = json!({
        "status_code": "201",
        "transaction_id": transaction_id,
        "order_id": order_id,
        "merchant_id": "G000000001",
        "gross_amount": format!("{amount}.00"),
        "currency": "IDR",
        "payment_type": charge.payment_type,
        "transaction_time": "2026-11-25 10:00:00",
        "transaction_status": "pending",
        "fraud_status": "accept",
    });
    let api = &sim.base_url;
    match (payment_type.as_str(), bank.as_deref()) {
        ("permata", _) | ("bank_transfer", Some("permata")) => {
            created["status_message"] = json!("Success, PERMATA VA transaction is successful");
            created["permata_va_number"] = json!(va_number);
        }
        ("bank_transfer", Some(bank)) => {
            created["status_message"] = json!("Success, Bank Transfer transaction is created");
            created["va_numbers"] = json!([{ "bank": bank, "va_number": va_number }]);
        }
        ("qris", _) => {
            created["status_message"] = json!("QRIS transaction is created");
            created["qr_string"] = json!(format!(
                "00020101021226620014COM.GO-JEK.WWW011993600914349052630304UMI51440014ID.CO.QRIS.WWW0215ID10200000000010303UMI5204581253033605405{amount:0>5}5802ID5904TOKO6007JAKARTA6304ABCD"
            ));
            created["acquirer"] = json!("gopay");
            created["actions"] = json!([{ "name": "generate-qr-code", "method": "GET",
                "url": format!("{api}/v2/qris/{}/qr-code", charge.transaction_id) }]);
        }
        ("cstore", _) => {
            created["status_message"] = json!("Success, cstore transaction is successful");
            created["payment_code"] = json!(payment_code);
            created["store"] = json!(store);
        }
        ("gopay", _) => {
            created["status_message"] = json!("GO-PAY transaction is created");
            created["actions"] = json!([
                { "name": "generate-qr-code", "method": "GET", "url": format!("{api}/v2/gopay/{}/qr-code", charge.transaction_id) },
                { "name": "deeplink-redirect", "method": "GET", "url": format!("https://simulator.sandbox.midtrans.com/gopay/ui/checkout?referenceid={}", charge.transaction_id) },
                { "name": "get-status", "method": "GET", "url": format!("{api}/v2/{}/status", charge.transaction_id) },
                { "name": "cancel", "method": "POST", "url": format!("{api}/v2/{}/cancel", charge.transaction_id) },
            ]);
        }
        _ => {
            created["status_message"] = json!("ShopeePay transaction is created");
            created["actions"] = json!([{ "name": "deeplink-redirect", "method": "GET",
                "url": format!("https://simulator.sandbox.midtrans.com/shopeepay/ui/checkout?reference={}", charge.transaction_id) }]);
        }
    }
    answer(201, created)
}

/// Checks a `cstore` object for a charge of `amount`: a known store, its labels within their
/// lengths, the amount within what the store takes in cash. The store, lower-cased.
fn cstore(cstore: &Value, amount: i64) -> Result<String, Answer> {
    let store = cstore["store"]
        .as_str()
        .map(str::to_ascii_lowercase)
        .ok_or_else(|| invalid("cstore.store is required"))?;
    // Alfamart takes at most Rp 2.500.000 in cash; Indomaret from Rp 10.000 to Rp 5.000.000.
    let (min, max) = match store.as_str() {
        "alfamart" => (1, 2_500_000),
        "indomaret" => (10_000, 5_000_000),
        _ => return Err(invalid("cstore.store is invalid")),
    };
    for (field, longest) in [
        ("message", 20),
        ("alfamart_free_text_1", 40),
        ("alfamart_free_text_2", 40),
        ("alfamart_free_text_3", 40),
    ] {
        match cstore.get(field) {
            None => {}
            Some(Value::String(text)) if text.chars().count() <= longest => {}
            Some(_) => {
                return Err(invalid(&format!(
                    "cstore.{field} must be text of at most {longest} characters"
                )))
            }
        }
    }
    if !(min..=max).contains(&amount) {
        return Err(invalid(
            "transaction_details.gross_amount is outside the store's limits",
        ));
    }
    Ok(store)
}

/// `GET /v2/{order_id}/status`.
async fn status(
    State(sim): State<MidtransSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    if let Err(refused) = sim.arrive(&headers) {
        return refused;
    }
    let books = sim.books.lock().unwrap();
    match books.charges.get(&id) {
        None => refusal(404, "The requested resource is not found"),
        Some(charge) => {
            let mut body = sim.notification(charge);
            body["status_message"] = json!("Success, transaction is found");
            let code = body["status_code"].as_str().unwrap().parse().unwrap();
            answer(code, body)
        }
    }
}

/// `POST /v2/{order_id}/cancel`: only a pending charge.
async fn cancel(
    State(sim): State<MidtransSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    if let Err(refused) = sim.arrive(&headers) {
        return refused;
    }
    let mut books = sim.books.lock().unwrap();
    match books.charges.get_mut(&id) {
        None => refusal(404, "The requested resource is not found"),
        Some(charge) if charge.status == "pending" => {
            charge.status = "cancel";
            answer(
                200,
                json!({
                    "status_code": "200",
                    "status_message": "Success, transaction is canceled",
                    "transaction_id": charge.transaction_id,
                    "order_id": charge.order_id,
                    "gross_amount": format!("{}.00", charge.amount),
                    "transaction_status": "cancel",
                }),
            )
        }
        Some(_) => refusal(412, "Merchant cannot modify the status of the transaction"),
    }
}

/// `POST /v2/{order_id}/refund/online/direct`: a settled GoPay, QRIS or ShopeePay charge, in
/// full or in parts up to what is left; the same refund_key again is the same refund.
async fn direct_refund(
    State(sim): State<MidtransSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(request): Json<Value>,
) -> Answer {
    if let Err(refused) = sim.arrive(&headers) {
        return refused;
    }
    let key = match request.get("refund_key").map(|k| k.as_str()) {
        None => uuid(),
        Some(Some(key))
            if !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            key.to_string()
        }
        Some(_) => return invalid("refund_key may hold letters, digits, - and _ only"),
    };
    let mut books = sim.books.lock().unwrap();
    let Some(charge) = books.charges.get(&id).cloned() else {
        return refusal(404, "The requested resource is not found");
    };
    let done: i64 = books
        .refunds
        .values()
        .filter(|(order, ..)| *order == charge.order_id)
        .map(|(_, amount, _)| amount)
        .sum();
    let amount = match request.get("amount") {
        None => charge.amount - done,
        Some(amount) => match amount.as_i64() {
            Some(amount) if amount > 0 => amount,
            _ => return invalid("amount must be a positive whole number"),
        },
    };
    let replay = books.refunds.get(&key).cloned();
    let chargeback_id = match replay {
        Some((order, ..)) if order != charge.order_id => {
            return refusal(406, "Duplicate refund_key for another transaction")
        }
        Some((_, earlier, chargeback_id)) if earlier == amount => chargeback_id,
        Some(_) => return refusal(406, "Duplicate refund_key with another amount"),
        None => {
            if !["gopay", "qris", "shopeepay"].contains(&charge.payment_type.as_str()) {
                return refusal(412, "Payment type does not support direct refund");
            }
            if !["settlement", "partial_refund"].contains(&charge.status) {
                return refusal(412, "Merchant cannot modify the status of the transaction");
            }
            if done + amount > charge.amount {
                return refusal(412, "Refund amount exceeds the remaining amount");
            }
            let chargeback_id = i64::try_from(books.refunds.len()).unwrap() + 1000;
            books.refunds.insert(
                key.clone(),
                (charge.order_id.clone(), amount, chargeback_id),
            );
            let left = charge.amount - done - amount;
            if let Some(stored) = books.charges.get_mut(&id) {
                stored.status = if left == 0 {
                    "refund"
                } else {
                    "partial_refund"
                };
            }
            chargeback_id
        }
    };
    let status = books.charges.get(&id).map_or("refund", |c| c.status);
    answer(
        200,
        json!({
            "status_code": "200",
            "status_message": "Success, refund request is approved",
            "transaction_id": charge.transaction_id,
            "order_id": charge.order_id,
            "gross_amount": format!("{}.00", charge.amount),
            "currency": "IDR",
            "payment_type": charge.payment_type,
            "transaction_status": status,
            "refund_chargeback_id": chargeback_id,
            "refund_amount": format!("{amount}.00"),
            "refund_key": key,
        }),
    )
}
