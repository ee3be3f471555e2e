//! The sandbox acquirer's notification that money arrived, sent to `POST /callbacks/sandbox`:
//! its body, and its signature, HMAC-SHA256 over the exact bytes (`callbacks` receives it).

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

pub const SIGNATURE_HEADER: &str = "x-sandbox-signature";
pub const CALLBACK_PATH: &str = "/callbacks/sandbox";

/// What the acquirer reports: this transaction paid this attempt this amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentNotice {
    pub transaction_id: String,
    pub attempt_reff_no: String,
    pub amount: i64,
}

/// Hex HMAC-SHA256 of `body` under `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Constant-time check of a hex signature.
pub fn verify(secret: &str, body: &[u8], signature_hex: &str) -> bool {
    let Ok(signature) = hex::decode(signature_hex.trim()) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    mac.verify_slice(&signature).is_ok()
}
