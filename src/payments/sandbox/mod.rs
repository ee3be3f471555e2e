//! The sandbox acquirer: realistic VA numbers, dynamic QRIS payloads, e-wallet checkouts and
//! retail payment codes, with fictitious identities that no real bank, app or till resolves.

pub mod qris;
pub mod retail;
pub mod va;

use async_trait::async_trait;
use rand::Rng;

use self::qris::{dynamic_payload, QrisMerchant};
use self::retail::{payment_code, Outlet};
use self::va::{random_digits_needed, va_number, VaBank, VaPrefixes};
use super::{IssueRequest, Issued, PaymentProvider};
use crate::domain::method::MethodGroup;
use crate::error::AppError;

pub struct SandboxProvider {
    pub va_prefixes: VaPrefixes,
    /// The acquirer identity in QRIS payloads; the merchant name is filled per attempt.
    pub qris_acquirer: QrisMerchant,
    /// Where sandbox e-wallet checkouts live, e.g. `https://pay.example.com`.
    pub public_base_url: String,
}

impl SandboxProvider {
    pub fn new(public_base_url: &str, va_prefixes: VaPrefixes) -> Self {
        SandboxProvider {
            va_prefixes,
            qris_acquirer: QrisMerchant {
                acquirer_guid: "ID.CO.SANDBOXPAY.WWW".into(),
                merchant_pan: "936009993000123457".into(),
                merchant_id: "SBX0000001".into(),
                criteria: "UMI".into(),
                nmid: "ID1025000000001".into(),
                mcc: "5999".into(),
                name: String::new(),
                city: "JAKARTA".into(),
                postal_code: None,
            },
            public_base_url: public_base_url.trim_end_matches('/').to_string(),
        }
    }

    /// The sandbox wallet's checkout page for an attempt.
    pub fn checkout_url(&self, attempt_reff_no: &str) -> String {
        format!("{}/sandbox/ewallet/{attempt_reff_no}", self.public_base_url)
    }
}

#[async_trait]
impl PaymentProvider for SandboxProvider {
    fn is_sandbox(&self) -> bool {
        true
    }

    async fn issue(&self, request: IssueRequest<'_>) -> Result<Issued, AppError> {
        let method = request.method;
        match method.group {
            MethodGroup::Va => {
                let bank = VaBank::from_method_code(&method.code)
                    .ok_or_else(|| AppError::internal(format!("no VA bank for {}", method.code)))?;
                let digits = random_digits(random_digits_needed(bank, &self.va_prefixes));
                let number =
                    va_number(bank, &self.va_prefixes, &digits).map_err(AppError::internal)?;
                Ok(Issued {
                    value: number,
                    additional: Some(holder(request.merchant_name)),
                    gateway_reference: None,
                })
            }
            MethodGroup::Qris => {
                // Tag 59 is ASCII: a name in another script would fold to nothing.
                let name = if request
                    .merchant_name
                    .chars()
                    .any(|c| c.is_ascii_alphanumeric())
                {
                    request.merchant_name
                } else {
                    "MERCHANT"
                };
                let merchant = QrisMerchant {
                    name: name.to_string(),
                    ..self.qris_acquirer.clone()
                };
                let payload =
                    dynamic_payload(&merchant, request.amount.value(), request.attempt_reff_no)
                        .map_err(AppError::internal)?;
                Ok(Issued {
                    value: payload,
                    additional: None,
                    gateway_reference: None,
                })
            }
            MethodGroup::Ewallet if method.pushes_to_phone() => {
                // OVO pushes the payment to the payer's app; the phone is the instruction.
                let phone = request
                    .payer_phone
                    .ok_or_else(|| AppError::field("payer_phone", "OVO needs a phone number."))?;
                Ok(Issued {
                    value: phone.to_string(),
                    additional: Some("OVO push".into()),
                    gateway_reference: None,
                })
            }
            MethodGroup::Ewallet => Ok(Issued {
                value: self.checkout_url(request.attempt_reff_no),
                additional: Some(method.name.clone()),
                gateway_reference: None,
            }),
            MethodGroup::Retail => {
                let outlet = Outlet::from_method_code(&method.code)
                    .ok_or_else(|| AppError::internal(format!("no outlet for {}", method.code)))?;
                let code = payment_code(outlet, &random_digits(outlet.random_digits_needed()))
                    .map_err(AppError::internal)?;
                // The till names who is paid once the cashier keys the code in.
                Ok(Issued {
                    value: code,
                    additional: Some(holder(request.merchant_name)),
                    gateway_reference: None,
                })
            }
        }
    }
}

/// `n` random ASCII digits. A number another live attempt holds is drawn again by the caller:
/// the live-value index refuses it.
fn random_digits(n: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..n)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

/// Whom the payer's bank or the outlet's till names as paid, "a.n. TOKO SINAR".
fn holder(merchant_name: &str) -> String {
    format!("a.n. {}", merchant_name.to_uppercase())
}
