//! A merchant's own Xendit account, through the Payments API v3 (`/v3/payment_requests`,
//! `api-version: 2024-11-11`), which Xendit documents as the stack for new integrations; its
//! per-product APIs (`/callback_virtual_accounts`, `/qr_codes`, `/ewallets/charges`) are
//! legacy. The secret key is the HTTP Basic user with an empty password; callbacks carry the
//! account's verification token in `x-callback-token` (`callback.rs`).

pub mod callback;

use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    GatewayError, GatewayStatus, IssueRequest, Issued, PaymentProvider, RefundAnswer, RefundCall,
};
use crate::domain::method::MethodGroup;
use crate::error::AppError;

pub const BASE_URL: &str = "https://api.xendit.co";
pub const API_VERSION: &str = "2024-11-11";

/// Outbound calls give up after this: the payer is waiting on the other end.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Xendit's channel for each of our method codes. OVO is left out until its v3 field for the
/// payer's phone is confirmed; Maybank and Danamon VAs are not among Xendit's channels.
fn channel_code(method_code: &str) -> Option<&'static str> {
    Some(match method_code {
        "VA_BCA" => "BCA_VIRTUAL_ACCOUNT",
        "VA_BNI" => "BNI_VIRTUAL_ACCOUNT",
        "VA_BRI" => "BRI_VIRTUAL_ACCOUNT",
        "VA_PERMATA" => "PERMATA_VIRTUAL_ACCOUNT",
        "VA_CIMB" => "CIMB_VIRTUAL_ACCOUNT",
        "QRIS" => "QRIS",
        "GOPAY" => "GOPAY",
        "SHOPEEPAY" => "SHOPEEPAY",
        "DANA" => "DANA",
        "LINKAJA" => "LINKAJA",
        "ALFAMART" => "ALFAMART",
        "INDOMARET" => "INDOMARET",
        _ => return None,
    })
}

/// Whether a Xendit account issues the method: it has a channel.
pub fn issues(method_code: &str) -> bool {
    channel_code(method_code).is_some()
}

pub struct Xendit {
    base_url: String,
    secret_key: String,
    http: reqwest::Client,
}

/// A payment request as Xendit answers it.
#[derive(Debug, Deserialize)]
struct PaymentRequest {
    payment_request_id: String,
    status: String,
    #[serde(default)]
    actions: Vec<Action>,
}

#[derive(Debug, Deserialize)]
struct Action {
    descriptor: String,
    value: String,
}

/// "2026-11-25T10:30:00Z" for an instant in milliseconds.
fn iso_utc(ms: i64) -> String {
    ::time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| {
            t.format(&::time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// A payment request's status onto an attempt's.
pub fn status_of(status: &str) -> Result<GatewayStatus, String> {
    Ok(match status {
        "REQUIRES_ACTION" | "ACCEPTING_PAYMENTS" | "PENDING" | "AUTHORIZED" => {
            GatewayStatus::Pending
        }
        "SUCCEEDED" => GatewayStatus::Paid,
        "EXPIRED" => GatewayStatus::Expired,
        "CANCELED" | "FAILED" => GatewayStatus::Failed,
        other => return Err(format!("an unknown payment request status: {other}")),
    })
}

impl Xendit {
    /// `base_url` is [`BASE_URL`] or a stand-in that speaks the API.
    pub fn new(base_url: &str, secret_key: &str) -> Result<Self, AppError> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .map_err(AppError::internal)?;
        Ok(Xendit {
            base_url: base_url.trim_end_matches('/').to_string(),
            secret_key: secret_key.to_string(),
            http,
        })
    }

    /// One call: 2xx answers their JSON; 401 is a wrong key, a 5xx or no answer is
    /// "unavailable", any other 4xx a refusal with Xendit's error code.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        idempotency_key: Option<&str>,
    ) -> Result<(u16, Value), GatewayError> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base_url))
            .basic_auth(&self.secret_key, Some(""))
            .header("api-version", API_VERSION);
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(key) = idempotency_key {
            request = request.header("idempotency-key", key);
        }
        let response = request.send().await.map_err(GatewayError::unreachable)?;
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        let error = || {
            format!(
                "Xendit {status} {}: {}",
                body.get("error_code")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
                body.get("message")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            )
        };
        match status {
            200..=299 if body.is_object() => Ok((status, body)),
            200..=299 => Err(GatewayError::Unavailable(format!(
                "Xendit {status} without JSON"
            ))),
            401 => Err(GatewayError::Unauthorized),
            404 => Ok((status, body)),
            500.. => Err(GatewayError::Unavailable(error())),
            _ => Err(GatewayError::Refused(error())),
        }
    }

    /// Requests one attempt's payment: its reference is the request's `reference_id` (and
    /// idempotency key, so a retried request cannot charge twice).
    pub async fn charge(&self, request: &IssueRequest<'_>) -> Result<Issued, GatewayError> {
        let method = request.method;
        let channel = channel_code(&method.code).ok_or_else(|| {
            GatewayError::Refused(format!("Xendit does not offer {}", method.code))
        })?;
        let properties = match method.group {
            MethodGroup::Va => json!({
                "display_name": request.merchant_name,
                "expires_at": iso_utc(request.expires_at_ms),
            }),
            MethodGroup::Qris => json!({}),
            MethodGroup::Ewallet => json!({
                "success_return_url": request.return_url,
                "failure_return_url": request.return_url,
            }),
            // A PAY request, as for a VA: one payment of the attempt's amount, where a
            // REUSABLE_PAYMENT_CODE would take any number. The till shows `payer_name`; the
            // payer's own name is not asked for, so it is the merchant's.
            MethodGroup::Retail => json!({
                "payer_name": request.merchant_name,
                "expires_at": iso_utc(request.expires_at_ms),
            }),
        };
        let body = json!({
            "reference_id": request.attempt_reff_no,
            "type": "PAY",
            "country": "ID",
            "currency": "IDR",
            "request_amount": request.amount.value(),
            "channel_code": channel,
            "channel_properties": properties,
        });
        let (status, answer) = self
            .call(
                reqwest::Method::POST,
                "/v3/payment_requests",
                Some(&body),
                Some(request.attempt_reff_no),
            )
            .await?;
        if status == 404 {
            return Err(GatewayError::Refused("Xendit 404 on create".into()));
        }
        let created: PaymentRequest = serde_json::from_value(answer).map_err(|error| {
            GatewayError::Unavailable(format!("unreadable Xendit payment request: {error}"))
        })?;
        if status_of(&created.status) != Ok(GatewayStatus::Pending) {
            return Err(GatewayError::Refused(format!(
                "Xendit created the payment request as {}",
                created.status
            )));
        }
        let wanted: &[&str] = match method.group {
            MethodGroup::Va => &["VIRTUAL_ACCOUNT_NUMBER"],
            MethodGroup::Qris => &["QR_STRING"],
            MethodGroup::Ewallet => &["WEB_URL", "DEEPLINK_URL"],
            MethodGroup::Retail => &["PAYMENT_CODE"],
        };
        let value = wanted
            .iter()
            .find_map(|descriptor| {
                created
                    .actions
                    .iter()
                    .find(|action| action.descriptor == *descriptor)
            })
            .map(|action| action.value.clone())
            .ok_or_else(|| {
                GatewayError::Unavailable("Xendit payment request without instructions".into())
            })?;
        Ok(Issued {
            value,
            additional: None,
            gateway_reference: Some(created.payment_request_id),
        })
    }

    /// What Xendit knows of a payment request (by its id, kept as the attempt's gateway
    /// reference); `None` when it knows none.
    pub async fn status(
        &self,
        payment_request_id: &str,
    ) -> Result<Option<GatewayStatus>, GatewayError> {
        Ok(self
            .read(payment_request_id)
            .await?
            .map(|(status, _)| status))
    }

    /// The same, with the answer as Xendit sent it (its `latest_payment_id` names the
    /// payment, as the callback's `payment_id` does).
    pub async fn read(
        &self,
        payment_request_id: &str,
    ) -> Result<Option<(GatewayStatus, Value)>, GatewayError> {
        let path = format!("/v3/payment_requests/{payment_request_id}");
        let (status, body) = self.call(reqwest::Method::GET, &path, None, None).await?;
        if status == 404 {
            return Ok(None);
        }
        let read = body
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let status = status_of(read).map_err(GatewayError::Unavailable)?;
        Ok(Some((status, body)))
    }

    /// Stops a payment request from taking money. One Xendit no longer holds is fine.
    pub async fn cancel(&self, payment_request_id: &str) -> Result<(), GatewayError> {
        let path = format!("/v3/payment_requests/{payment_request_id}/cancel");
        self.call(reqwest::Method::POST, &path, None, None)
            .await
            .map(|_| ())
    }

    /// Refunds a paid QRIS or e-wallet payment request; the refund key is the request's
    /// idempotency key, so a retry is the same refund. E-wallets may answer PENDING and
    /// settle the refund later ([`Xendit::refund_status`]).
    pub async fn refund(&self, call: &RefundCall<'_>) -> Result<RefundAnswer, GatewayError> {
        let Some(payment_request_id) = call.gateway_reference else {
            return Err(GatewayError::Refused(
                "no Xendit payment request to refund".into(),
            ));
        };
        let body = json!({
            "payment_request_id": payment_request_id,
            "reference_id": call.refund_key,
            "currency": "IDR",
            "amount": call.amount.value(),
            "reason": "REQUESTED_BY_CUSTOMER",
            "metadata": { "reason": call.reason },
        });
        let (_, answer) = self
            .call(
                reqwest::Method::POST,
                "/refunds",
                Some(&body),
                Some(call.refund_key),
            )
            .await?;
        refund_answer(&answer)
    }

    /// Where a refund Xendit left PENDING stands now.
    pub async fn refund_status(&self, refund_id: &str) -> Result<RefundAnswer, GatewayError> {
        let path = format!("/refunds/{refund_id}");
        let (_, answer) = self.call(reqwest::Method::GET, &path, None, None).await?;
        refund_answer(&answer)
    }

    /// A harmless authenticated call that needs only the "money in" permission a payment
    /// link uses: a payment request that cannot exist is "not found" for a good key.
    pub async fn test_connection(&self) -> Result<(), GatewayError> {
        self.status("pr-00000000-0000-0000-0000-000000000000")
            .await
            .map(|_| ())
    }
}

fn refund_answer(answer: &Value) -> Result<RefundAnswer, GatewayError> {
    let id = answer
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    match answer.get("status").and_then(Value::as_str) {
        Some("SUCCEEDED") => Ok(RefundAnswer::Succeeded(id)),
        Some("PENDING") => Ok(RefundAnswer::Pending(id)),
        Some(status) => Err(GatewayError::Refused(format!(
            "Xendit refund {status}: {}",
            answer
                .get("failure_code")
                .and_then(Value::as_str)
                .unwrap_or_default()
        ))),
        None => Err(GatewayError::Unavailable(
            "Xendit answered a refund without its status".into(),
        )),
    }
}

#[async_trait]
impl PaymentProvider for Xendit {
    fn is_sandbox(&self) -> bool {
        false
    }

    async fn issue(&self, request: IssueRequest<'_>) -> Result<Issued, AppError> {
        self.charge(&request).await.map_err(AppError::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_is_written_in_utc() {
        // 2026-11-25 10:00:00 WIB.
        assert_eq!(iso_utc(1_795_575_600_000), "2026-11-25T03:00:00Z");
    }

    #[test]
    fn every_offered_method_has_a_channel() {
        for code in [
            "VA_BCA",
            "VA_PERMATA",
            "QRIS",
            "DANA",
            "LINKAJA",
            "INDOMARET",
        ] {
            assert!(issues(code), "{code}");
        }
        assert_eq!(channel_code("OVO"), None);
    }

    #[test]
    fn statuses_map_onto_an_attempts() {
        assert_eq!(status_of("REQUIRES_ACTION"), Ok(GatewayStatus::Pending));
        assert_eq!(status_of("SUCCEEDED"), Ok(GatewayStatus::Paid));
        assert_eq!(status_of("EXPIRED"), Ok(GatewayStatus::Expired));
        assert_eq!(status_of("CANCELED"), Ok(GatewayStatus::Failed));
        assert!(status_of("MAYBE").is_err());
    }
}
