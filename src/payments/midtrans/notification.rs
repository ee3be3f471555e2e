//! Midtrans's HTTP notifications, and its status answers (which carry the same fields and
//! signature). A body counts only once its `signature_key` checks out:
//! `hex(SHA512(order_id + status_code + gross_amount + server key))`, over the strings exactly
//! as Midtrans sent them (the amount as "150000.00").

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha512};
use subtle::ConstantTimeEq;

use crate::payments::GatewayStatus;

/// A verified notification or status answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Our attempt reference: it is the order id of every charge.
    pub order_id: String,
    pub transaction_id: String,
    pub status: GatewayStatus,
    /// Whole rupiah.
    pub amount: i64,
    /// As Midtrans names it ("bank_transfer", "qris", …): a GoPay charge paid by scanning its
    /// QR arrives as "qris", so attempts are found by order id, never by this.
    pub payment_type: String,
}

#[derive(Deserialize)]
struct Body {
    order_id: String,
    status_code: String,
    gross_amount: String,
    signature_key: String,
    #[serde(default)]
    transaction_id: String,
    transaction_status: String,
    #[serde(default)]
    fraud_status: Option<String>,
    #[serde(default)]
    payment_type: String,
}

/// The signature Midtrans puts on a notification.
pub fn signature(
    order_id: &str,
    status_code: &str,
    gross_amount: &str,
    server_key: &str,
) -> String {
    let mut hash = Sha512::new();
    for part in [order_id, status_code, gross_amount, server_key] {
        hash.update(part.as_bytes());
    }
    hex::encode(hash.finalize())
}

impl Notification {
    /// Reads a notification body, refusing it unless its signature is the server key's.
    pub fn verified(body: &Value, server_key: &str) -> Result<Notification, String> {
        let body = Body::deserialize(body).map_err(|error| format!("unreadable: {error}"))?;
        let expected = signature(
            &body.order_id,
            &body.status_code,
            &body.gross_amount,
            server_key,
        );
        let given = body.signature_key.to_ascii_lowercase();
        if !bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
            return Err("the signature does not match this account's server key".into());
        }
        Ok(Notification {
            status: status_of(&body.transaction_status, body.fraud_status.as_deref())?,
            amount: whole_rupiah(&body.gross_amount)?,
            order_id: body.order_id,
            transaction_id: body.transaction_id,
            payment_type: body.payment_type,
        })
    }
}

/// "150000.00" → 150000. Rupiah have no fractions; a fraction is refused, not rounded.
fn whole_rupiah(amount: &str) -> Result<i64, String> {
    let whole = match amount.split_once('.') {
        Some((whole, fraction)) if fraction.bytes().all(|b| b == b'0') => whole,
        Some(_) => return Err(format!("an amount with a fraction: {amount}")),
        None => amount,
    };
    whole
        .parse()
        .map_err(|_| format!("an unreadable amount: {amount}"))
}

/// Midtrans's transaction status onto an attempt's: paid is `settlement`, or `capture` the
/// fraud check accepted; a denied fraud check fails whatever the status says.
fn status_of(
    transaction_status: &str,
    fraud_status: Option<&str>,
) -> Result<GatewayStatus, String> {
    let fraud = fraud_status.map(str::to_ascii_lowercase);
    if fraud.as_deref() == Some("deny") {
        return Ok(GatewayStatus::Failed);
    }
    Ok(match transaction_status.to_ascii_lowercase().as_str() {
        "settlement" => GatewayStatus::Paid,
        "capture" if fraud.as_deref() == Some("challenge") => GatewayStatus::Pending,
        "capture" => GatewayStatus::Paid,
        "pending" | "authorize" => GatewayStatus::Pending,
        "expire" => GatewayStatus::Expired,
        "deny" | "cancel" | "failure" => GatewayStatus::Failed,
        "refund" | "partial_refund" | "chargeback" | "partial_chargeback" => {
            GatewayStatus::Refunded
        }
        other => return Err(format!("an unknown transaction status: {other}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KEY: &str = "SB-Mid-server-EXAMPLEKEY123";

    fn settlement() -> Value {
        json!({
            "transaction_time": "2025-01-01 10:00:00",
            "transaction_status": "settlement",
            "transaction_id": "9aed5972-5b6a-401e-894b-a32c91ed1a3a",
            "status_message": "midtrans payment notification",
            "status_code": "200",
            "signature_key": "ebb51cf37610c75fd403ca4e4486841a1f03d00563ca3905be5e83d09192793e466d0fdecd4128caece07c33c1c5bd9d12bfdd70d1477deb94a0d4254db9ce71",
            "settlement_time": "2025-01-01 10:01:05",
            "payment_type": "bank_transfer",
            "order_id": "LINK-20250101-0001",
            "merchant_id": "G141532850",
            "gross_amount": "150000.00",
            "fraud_status": "accept",
            "currency": "IDR",
            "va_numbers": [{"va_number": "812785002530231", "bank": "bca"}],
            "payment_amounts": []
        })
    }

    #[test]
    fn the_signature_is_sha512_of_the_fields_as_sent() {
        // The documented rule over the notification's own strings: "150000.00", not 150000.
        assert_eq!(
            signature("LINK-20250101-0001", "200", "150000.00", KEY),
            settlement()["signature_key"].as_str().unwrap()
        );
        assert_ne!(
            signature("LINK-20250101-0001", "200", "150000", KEY),
            signature("LINK-20250101-0001", "200", "150000.00", KEY)
        );
    }

    #[test]
    fn a_signed_settlement_reads_as_paid() {
        let read = Notification::verified(&settlement(), KEY).unwrap();
        assert_eq!(read.status, GatewayStatus::Paid);
        assert_eq!(read.amount, 150_000);
        assert_eq!(read.order_id, "LINK-20250101-0001");
        assert_eq!(read.transaction_id, "9aed5972-5b6a-401e-894b-a32c91ed1a3a");
    }

    #[test]
    fn another_key_or_a_changed_field_is_refused() {
        assert!(Notification::verified(&settlement(), "SB-Mid-server-OTHER").is_err());
        let mut changed = settlement();
        changed["gross_amount"] = json!("1500000.00");
        assert!(Notification::verified(&changed, KEY).is_err());
        let mut unsigned = settlement();
        unsigned.as_object_mut().unwrap().remove("signature_key");
        assert!(Notification::verified(&unsigned, KEY).is_err());
    }

    #[test]
    fn statuses_map_onto_an_attempts() {
        let cases = [
            ("settlement", None, GatewayStatus::Paid),
            ("settlement", Some("deny"), GatewayStatus::Failed),
            ("capture", Some("accept"), GatewayStatus::Paid),
            ("capture", Some("challenge"), GatewayStatus::Pending),
            ("pending", Some("accept"), GatewayStatus::Pending),
            ("PENDING", None, GatewayStatus::Pending),
            ("expire", None, GatewayStatus::Expired),
            ("cancel", None, GatewayStatus::Failed),
            ("deny", None, GatewayStatus::Failed),
            ("refund", None, GatewayStatus::Refunded),
        ];
        for (status, fraud, expected) in cases {
            assert_eq!(status_of(status, fraud), Ok(expected), "{status} {fraud:?}");
        }
        assert!(status_of("teleported", None).is_err());
    }

    #[test]
    fn amounts_are_whole_rupiah() {
        assert_eq!(whole_rupiah("150000.00"), Ok(150_000));
        assert_eq!(whole_rupiah("44000"), Ok(44_000));
        assert!(whole_rupiah("100.50").is_err());
        assert!(whole_rupiah("lots").is_err());
    }
}
