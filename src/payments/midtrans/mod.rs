//! A merchant's own Midtrans account, through its Core API (v2): charges for bank-transfer
//! VAs, QRIS, GoPay, ShopeePay and outlet payment codes ("cstore"), status reads, cancels,
//! and the signed HTTP notifications (`notification.rs`). Shapes follow docs.midtrans.com and
//! Midtrans's official libraries: the server key is the HTTP Basic user with an empty
//! password, every answer carries its real outcome in the body's `status_code` (a string),
//! and amounts come back as "N.00".

pub mod notification;

use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{GatewayError, IssueRequest, Issued, PaymentProvider, RefundAnswer, RefundCall};
use crate::domain::method::MethodGroup;
use crate::error::AppError;

pub const SANDBOX_URL: &str = "https://api.sandbox.midtrans.com";
pub const PRODUCTION_URL: &str = "https://api.midtrans.com";

/// Outbound calls give up after this: the payer is waiting on the other end.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The longest label an outlet's till shows (`cstore.message`, String(20)).
const TILL_LABEL_CHARS: usize = 20;

/// What Midtrans's Core API charges for each of our method codes.
fn charge_kind(method_code: &str) -> Option<Value> {
    let bank =
        |bank: &str| json!({ "payment_type": "bank_transfer", "bank_transfer": { "bank": bank } });
    Some(match method_code {
        "VA_BCA" => bank("bca"),
        "VA_BNI" => bank("bni"),
        "VA_BRI" => bank("bri"),
        "VA_PERMATA" => bank("permata"),
        "VA_CIMB" => bank("cimb"),
        "QRIS" => json!({ "payment_type": "qris", "qris": { "acquirer": "gopay" } }),
        "GOPAY" => json!({ "payment_type": "gopay", "gopay": { "enable_callback": true } }),
        "SHOPEEPAY" => json!({ "payment_type": "shopeepay", "shopeepay": {} }),
        // Alfamart's codes are paid at every Alfa group store (Alfamidi, DAN+DAN too).
        "ALFAMART" => json!({ "payment_type": "cstore", "cstore": { "store": "alfamart" } }),
        "INDOMARET" => json!({ "payment_type": "cstore", "cstore": { "store": "indomaret" } }),
        _ => return None,
    })
}

/// Whether a Midtrans account issues the method: its Core API has a charge for it (Danamon
/// VAs only exist in Midtrans's separate SNAP API; Maybank, DANA, LinkAja and OVO are not on
/// its Core API charge).
pub fn issues(method_code: &str) -> bool {
    charge_kind(method_code).is_some()
}

pub struct Midtrans {
    base_url: String,
    server_key: String,
    http: reqwest::Client,
}

/// A charge's answer, as far as issuing instructions needs it.
#[derive(Debug, Deserialize)]
struct Charged {
    status_code: String,
    #[serde(default)]
    status_message: String,
    #[serde(default)]
    transaction_id: Option<String>,
    #[serde(default)]
    va_numbers: Vec<VaNumber>,
    #[serde(default)]
    permata_va_number: Option<String>,
    #[serde(default)]
    qr_string: Option<String>,
    /// What the payer shows an outlet's cashier.
    #[serde(default)]
    payment_code: Option<String>,
    #[serde(default)]
    actions: Vec<Action>,
}

#[derive(Debug, Deserialize)]
struct VaNumber {
    va_number: String,
}

#[derive(Debug, Deserialize)]
struct Action {
    name: String,
    url: String,
}

impl Midtrans {
    /// `base_url` is [`SANDBOX_URL`], [`PRODUCTION_URL`] or a stand-in that speaks the API.
    pub fn new(base_url: &str, server_key: &str) -> Result<Self, AppError> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .map_err(AppError::internal)?;
        Ok(Midtrans {
            base_url: base_url.trim_end_matches('/').to_string(),
            server_key: server_key.to_string(),
            http,
        })
    }

    pub fn server_key(&self) -> &str {
        &self.server_key
    }

    /// Sends one Core API request and reads the body's own `status_code`, which is the outcome
    /// whatever the HTTP status says.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(u16, Value), GatewayError> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base_url))
            .basic_auth(&self.server_key, Some(""))
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(GatewayError::unreachable)?;
        let http_status = response.status();
        let body: Value = response.json().await.map_err(|_| {
            GatewayError::Unavailable(format!("Midtrans answered {http_status} without JSON"))
        })?;
        let code = body
            .get("status_code")
            .and_then(Value::as_str)
            .and_then(|code| code.parse::<u16>().ok())
            .unwrap_or(http_status.as_u16());
        let message = body
            .get("status_message")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        match code {
            401 => Err(GatewayError::Unauthorized),
            500.. => Err(GatewayError::Unavailable(format!(
                "Midtrans {code}: {message}"
            ))),
            _ => Ok((code, body)),
        }
    }

    /// Charges one attempt: its reference is the order id, its window the charge's expiry.
    pub async fn charge(&self, request: &IssueRequest<'_>) -> Result<Issued, GatewayError> {
        let method = request.method;
        let mut body = charge_kind(&method.code).ok_or_else(|| {
            GatewayError::Refused(format!("Midtrans does not offer {}", method.code))
        })?;
        body["transaction_details"] = json!({
            "order_id": request.attempt_reff_no,
            "gross_amount": request.amount.value(),
        });
        // The wallet app sends the payer back to the attempt's page.
        match method.code.as_str() {
            "GOPAY" => body["gopay"]["callback_url"] = json!(request.return_url),
            "SHOPEEPAY" => body["shopeepay"]["callback_url"] = json!(request.return_url),
            // The cashier reads whom the payer pays off the till.
            "ALFAMART" | "INDOMARET" => {
                let label: String = request
                    .merchant_name
                    .chars()
                    .take(TILL_LABEL_CHARS)
                    .collect();
                body["cstore"]["message"] = json!(label);
            }
            _ => {}
        }
        let seconds = (request.expires_at_ms - request.now_ms) / 1000;
        body["custom_expiry"] = json!({ "expiry_duration": seconds.max(1), "unit": "second" });
        let (code, answer) = self
            .call(reqwest::Method::POST, "/v2/charge", Some(&body))
            .await?;
        let charged: Charged = serde_json::from_value(answer).map_err(|error| {
            GatewayError::Unavailable(format!("unreadable Midtrans charge answer: {error}"))
        })?;
        if code != 201 {
            return Err(GatewayError::Refused(format!(
                "Midtrans {}: {}",
                charged.status_code, charged.status_message
            )));
        }
        let action = |name: &str| {
            charged
                .actions
                .iter()
                .find(|action| action.name == name)
                .map(|action| action.url.clone())
        };
        let value = match method.group {
            MethodGroup::Va => charged
                .va_numbers
                .first()
                .map(|va| va.va_number.clone())
                .or(charged.permata_va_number.clone()),
            MethodGroup::Qris => charged.qr_string.clone(),
            MethodGroup::Ewallet => action("deeplink-redirect"),
            MethodGroup::Retail => charged.payment_code.clone(),
        }
        .ok_or_else(|| {
            GatewayError::Unavailable("Midtrans charge answer without instructions".into())
        })?;
        Ok(Issued {
            value,
            additional: None,
            gateway_reference: charged.transaction_id,
        })
    }

    /// What Midtrans knows of an attempt: its signed status, read like a notification.
    pub async fn status(
        &self,
        attempt_reff_no: &str,
    ) -> Result<Option<notification::Notification>, GatewayError> {
        Ok(self.read(attempt_reff_no).await?.map(|(read, _)| read))
    }

    /// The same, with the answer as Midtrans sent it.
    pub async fn read(
        &self,
        attempt_reff_no: &str,
    ) -> Result<Option<(notification::Notification, Value)>, GatewayError> {
        let path = format!("/v2/{attempt_reff_no}/status");
        let (code, body) = self.call(reqwest::Method::GET, &path, None).await?;
        if code == 404 {
            return Ok(None);
        }
        notification::Notification::verified(&body, &self.server_key)
            .map(|read| Some((read, body)))
            .map_err(|error| GatewayError::Unavailable(format!("Midtrans status: {error}")))
    }

    /// Ends a pending charge so its instructions stop working. An attempt Midtrans no longer
    /// holds as pending (never charged, already ended) is fine; a paid one is not.
    pub async fn cancel(&self, attempt_reff_no: &str) -> Result<(), GatewayError> {
        let path = format!("/v2/{attempt_reff_no}/cancel");
        match self.call(reqwest::Method::POST, &path, None).await? {
            (200 | 404, _) => Ok(()),
            (code, body) => Err(GatewayError::Refused(format!(
                "Midtrans {code}: {}",
                body.get("status_message")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            ))),
        }
    }

    /// Refunds a settled GoPay, QRIS or ShopeePay charge through Midtrans's direct refund,
    /// which answers with the outcome at once. The refund key makes a retry the same refund.
    pub async fn refund(&self, call: &RefundCall<'_>) -> Result<RefundAnswer, GatewayError> {
        let path = format!("/v2/{}/refund/online/direct", call.attempt_reff_no);
        let body = json!({
            "refund_key": call.refund_key,
            "amount": call.amount.value(),
            "reason": call.reason,
        });
        match self.call(reqwest::Method::POST, &path, Some(&body)).await? {
            (200, answer) => Ok(RefundAnswer::Succeeded(
                answer
                    .get("refund_chargeback_id")
                    .map(|id| id.as_str().map_or_else(|| id.to_string(), str::to_string))
                    .unwrap_or_else(|| call.refund_key.to_string()),
            )),
            (code, answer) => Err(GatewayError::Refused(format!(
                "Midtrans {code}: {}",
                answer
                    .get("status_message")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            ))),
        }
    }

    /// A harmless authenticated call: the status of an order that does not exist is "not
    /// found" for a good key and "unauthorised" for a wrong one (or the other environment's).
    pub async fn test_connection(&self) -> Result<(), GatewayError> {
        self.status("paylinks-connection-test").await.map(|_| ())
    }
}

#[async_trait]
impl PaymentProvider for Midtrans {
    fn is_sandbox(&self) -> bool {
        false
    }

    async fn issue(&self, request: IssueRequest<'_>) -> Result<Issued, AppError> {
        self.charge(&request).await.map_err(AppError::from)
    }
}
