//! Xendit's Payments API v3 callbacks. A callback counts only when its `x-callback-token`
//! header equals the account's verification token (compared in constant time): Xendit signs
//! nothing else. `payment.capture` is the money; `payment.failure` and
//! `payment_request.expiry` end the attempt.

use serde_json::Value;
use subtle::ConstantTimeEq;

use crate::payments::GatewayStatus;

pub const TOKEN_HEADER: &str = "x-callback-token";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    pub event: String,
    /// Our attempt reference: the `reference_id` of every payment request.
    pub reference_id: String,
    pub payment_request_id: String,
    /// The payment's own id (`py-…`): what "credited once" is counted by.
    pub payment_id: Option<String>,
    pub status: GatewayStatus,
    /// Whole rupiah: what was captured for a payment, else what was asked.
    pub amount: i64,
}

/// A number Xendit may write as `10000` or `"10000"`.
fn rupiah(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

impl Callback {
    pub fn verified(token: Option<&str>, body: &Value, expected: &str) -> Result<Callback, String> {
        let given = token.ok_or("no verification token")?;
        if expected.is_empty() || !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
            return Err("the verification token is not this account's".into());
        }
        let event = body["event"].as_str().ok_or("no event")?.to_string();
        let data = &body["data"];
        let text = |field: &str| data[field].as_str().map(str::to_string);
        let status = match event.as_str() {
            "payment.capture" => GatewayStatus::Paid,
            "payment.failure" => GatewayStatus::Failed,
            "payment_request.expiry" => GatewayStatus::Expired,
            other => return Err(format!("an event this integration does not use: {other}")),
        };
        let captured = data["captures"].as_array().map(|captures| {
            captures
                .iter()
                .map(|capture| rupiah(&capture["capture_amount"]))
                .sum::<Option<i64>>()
        });
        let amount = match captured {
            Some(Some(sum)) if status == GatewayStatus::Paid => Some(sum),
            _ => rupiah(&data["request_amount"]),
        }
        .ok_or("no readable amount")?;
        Ok(Callback {
            reference_id: text("reference_id").ok_or("no reference_id")?,
            payment_request_id: text("payment_request_id").ok_or("no payment_request_id")?,
            payment_id: text("payment_id"),
            event,
            status,
            amount,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TOKEN: &str = "xendit-callback-token-1";

    /// Xendit's documented `payment.capture` for a BNI VA (docs.xendit.co, reusable codes).
    fn capture() -> Value {
        json!({"created":"2025-02-09T06:50:19.852Z","business_id":"62440e322008e87fb29c1fd0","event":"payment.capture",
         "data":{"type":"REUSABLE_PAYMENT_CODE","status":"SUCCEEDED","country":"ID",
          "created":"2025-02-09T06:50:18.000Z","updated":"2025-02-09T06:50:18.000Z",
          "captures":[{"capture_id":"cptr-fa2abf5c-b5e4-4cd5-95df-f2c949eba332","capture_amount":10000,
                       "capture_timestamp":"2025-02-09T06:50:18.927Z"}],
          "currency":"IDR","payment_id":"py-4e0209e9-67a2-449a-9748-57df6a8bddad","business_id":"62440e322008e87fb29c1fd0",
          "channel_code":"BNI_VIRTUAL_ACCOUNT","reference_id":"test-1739083782","capture_method":"AUTOMATIC",
          "request_amount":10000,"payment_details":{},"payment_request_id":"pr-4f978be5-0e6a-4218-a281-155b362a9ffb"},
         "api_version":"v3"})
    }

    #[test]
    fn the_documented_capture_reads_as_paid_with_its_token() {
        let read = Callback::verified(Some(TOKEN), &capture(), TOKEN).unwrap();
        assert_eq!(read.status, GatewayStatus::Paid);
        assert_eq!(read.amount, 10_000);
        assert_eq!(read.reference_id, "test-1739083782");
        assert_eq!(
            read.payment_id.as_deref(),
            Some("py-4e0209e9-67a2-449a-9748-57df6a8bddad")
        );
    }

    #[test]
    fn a_missing_or_other_token_is_refused() {
        assert!(Callback::verified(None, &capture(), TOKEN).is_err());
        assert!(Callback::verified(Some("guess"), &capture(), TOKEN).is_err());
        assert!(Callback::verified(Some(""), &capture(), "").is_err());
    }

    #[test]
    fn failures_and_expiries_end_the_attempt() {
        let mut failed = capture();
        failed["event"] = json!("payment.failure");
        failed["data"]["status"] = json!("FAILED");
        assert_eq!(
            Callback::verified(Some(TOKEN), &failed, TOKEN)
                .unwrap()
                .status,
            GatewayStatus::Failed
        );
        let mut expired = capture();
        expired["event"] = json!("payment_request.expiry");
        assert_eq!(
            Callback::verified(Some(TOKEN), &expired, TOKEN)
                .unwrap()
                .status,
            GatewayStatus::Expired
        );
        let mut unknown = capture();
        unknown["event"] = json!("payment_token.activation");
        assert!(Callback::verified(Some(TOKEN), &unknown, TOKEN).is_err());
    }
}
