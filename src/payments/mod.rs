//! Money moves through a payment provider. The built-in one is a sandbox acquirer; a real
//! acquirer implements the same trait.

pub mod callback;
pub mod midtrans;
pub mod sandbox;
pub mod xendit;

use async_trait::async_trait;

use crate::domain::method::PaymentMethod;
use crate::domain::Rupiah;
use crate::error::AppError;

/// What the provider needs to issue payment instructions for one attempt.
pub struct IssueRequest<'a> {
    pub attempt_reff_no: &'a str,
    pub method: &'a PaymentMethod,
    pub amount: Rupiah,
    pub merchant_name: &'a str,
    /// For push payments (OVO): the payer's phone in +62 form.
    pub payer_phone: Option<&'a str>,
    pub now_ms: i64,
    /// When the attempt ends: a gateway's instructions must stop working then too.
    pub expires_at_ms: i64,
    /// The attempt's page, where an e-wallet sends the payer back.
    pub return_url: &'a str,
}

/// The instructions issued: a VA number, a QRIS payload or an e-wallet checkout URL/phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub value: String,
    /// e.g. the VA holder name, "a.n. TOKO SINAR".
    pub additional: Option<String>,
    /// The gateway's own id of the charge, when it gives one.
    pub gateway_reference: Option<String>,
}

/// An attempt as a gateway sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatewayStatus {
    Pending,
    Paid,
    Expired,
    Failed,
    /// Paid, then (partly) given back.
    Refunded,
}

/// A charge as its gateway reports it when asked (reconciliation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayPayment {
    pub status: GatewayStatus,
    /// Whole rupiah.
    pub amount: i64,
    /// The gateway's id of the payment, as its notifications name it.
    pub transaction_id: String,
    /// The answer as received.
    pub body: String,
}

/// Why a payment gateway did not do what it was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// Timed out, unreachable, a 5xx or an unreadable answer: the outcome is unknown, and
    /// another gateway may be asked instead.
    #[error("the gateway is unavailable: {0}")]
    Unavailable(String),
    /// The gateway refused the request (a 4xx): asking it again will not help.
    #[error("the gateway refused: {0}")]
    Refused(String),
    /// The keys are wrong, or belong to the gateway's other environment.
    #[error("the gateway does not accept these keys")]
    Unauthorized,
}

impl GatewayError {
    fn unreachable(error: reqwest::Error) -> Self {
        GatewayError::Unavailable(error.to_string())
    }
}

/// The method codes a gateway's connector issues.
/// A refund asked of the gateway that took the payment.
pub struct RefundCall<'a> {
    pub attempt_reff_no: &'a str,
    pub gateway_reference: Option<&'a str>,
    /// Ours, the same on every retry: the gateway refunds once per key.
    pub refund_key: &'a str,
    pub amount: Rupiah,
    pub reason: &'a str,
}

/// The gateway's answer to a refund, with its id for the refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundAnswer {
    Succeeded(String),
    /// Taken, to be settled later (some e-wallets): asked again by the job loop.
    Pending(String),
}

/// Whether the gateway refunds the method's payments through its API; neither can reverse a
/// transfer to a VA nor cash paid at an outlet, so their refunds are the merchant's transfers.
pub fn refunds_by_api(gateway: crate::domain::gateway::Gateway, method_code: &str) -> bool {
    use crate::domain::gateway::Gateway;
    match gateway {
        Gateway::Midtrans => ["QRIS", "GOPAY", "SHOPEEPAY"].contains(&method_code),
        Gateway::Xendit => ["QRIS", "GOPAY", "SHOPEEPAY", "DANA", "LINKAJA"].contains(&method_code),
    }
}

/// The catalogue's methods a gateway issues, in catalogue order: read off its connector's own
/// map, so the list and the requests cannot disagree.
pub fn offered(gateway: crate::domain::gateway::Gateway) -> Vec<&'static str> {
    let issues = match gateway {
        crate::domain::gateway::Gateway::Midtrans => midtrans::issues,
        crate::domain::gateway::Gateway::Xendit => xendit::issues,
    };
    crate::domain::method::CATALOGUE_CODES
        .into_iter()
        .filter(|code| issues(code))
        .collect()
}

/// A merchant's account at a gateway, ready to call.
pub enum Connector {
    Midtrans(midtrans::Midtrans),
    Xendit(xendit::Xendit),
}

impl Connector {
    /// `base_url` is the gateway's own API or a stand-in for it.
    pub fn new(
        gateway: crate::domain::gateway::Gateway,
        base_url: &str,
        secret: &str,
    ) -> Result<Connector, AppError> {
        use crate::domain::gateway::Gateway;
        Ok(match gateway {
            Gateway::Midtrans => Connector::Midtrans(midtrans::Midtrans::new(base_url, secret)?),
            Gateway::Xendit => Connector::Xendit(xendit::Xendit::new(base_url, secret)?),
        })
    }

    pub async fn charge(&self, request: &IssueRequest<'_>) -> Result<Issued, GatewayError> {
        match self {
            Connector::Midtrans(midtrans) => midtrans.charge(request).await,
            Connector::Xendit(xendit) => xendit.charge(request).await,
        }
    }

    /// Stops an attempt's charge from taking money: Midtrans knows it by the attempt's
    /// reference, Xendit by its payment request id (the attempt's gateway reference).
    pub async fn refund(&self, call: &RefundCall<'_>) -> Result<RefundAnswer, GatewayError> {
        match self {
            Connector::Midtrans(midtrans) => midtrans.refund(call).await,
            Connector::Xendit(xendit) => xendit.refund(call).await,
        }
    }

    /// Where a pending refund stands: Midtrans's direct refunds never are; Xendit is asked.
    pub async fn refund_status(
        &self,
        call: &RefundCall<'_>,
        refund_id: &str,
    ) -> Result<RefundAnswer, GatewayError> {
        match self {
            Connector::Midtrans(midtrans) => midtrans.refund(call).await,
            Connector::Xendit(xendit) => xendit.refund_status(refund_id).await,
        }
    }

    pub async fn cancel(
        &self,
        attempt_reff_no: &str,
        gateway_reference: Option<&str>,
    ) -> Result<(), GatewayError> {
        match self {
            Connector::Midtrans(midtrans) => midtrans.cancel(attempt_reff_no).await,
            Connector::Xendit(xendit) => match gateway_reference {
                Some(id) => xendit.cancel(id).await,
                None => Ok(()),
            },
        }
    }

    /// What the gateway says of an attempt's charge (`None`: it knows none).
    pub async fn read(
        &self,
        attempt_reff_no: &str,
        gateway_reference: Option<&str>,
    ) -> Result<Option<GatewayPayment>, GatewayError> {
        match self {
            Connector::Midtrans(midtrans) => {
                Ok(midtrans
                    .read(attempt_reff_no)
                    .await?
                    .map(|(read, body)| GatewayPayment {
                        status: read.status,
                        amount: read.amount,
                        transaction_id: read.transaction_id,
                        body: body.to_string(),
                    }))
            }
            Connector::Xendit(xendit) => {
                let Some(id) = gateway_reference else {
                    return Ok(None);
                };
                Ok(xendit.read(id).await?.map(|(status, body)| GatewayPayment {
                    status,
                    amount: body
                        .get("request_amount")
                        .and_then(|amount| {
                            amount
                                .as_i64()
                                .or_else(|| amount.as_str().and_then(|a| a.parse().ok()))
                        })
                        .unwrap_or_default(),
                    transaction_id: body
                        .get("latest_payment_id")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or(id)
                        .to_string(),
                    body: body.to_string(),
                }))
            }
        }
    }

    /// A harmless authenticated call: whether the gateway takes the key.
    pub async fn test_connection(&self) -> Result<(), GatewayError> {
        match self {
            Connector::Midtrans(midtrans) => midtrans.test_connection().await,
            Connector::Xendit(xendit) => xendit.test_connection().await,
        }
    }
}

impl From<GatewayError> for AppError {
    fn from(error: GatewayError) -> Self {
        AppError::internal(error)
    }
}

#[async_trait]
pub trait PaymentProvider: Send + Sync {
    /// Sandbox providers let payers and merchants simulate payments.
    fn is_sandbox(&self) -> bool;

    /// Issues instructions. Called again on a value collision, so each call must draw anew.
    async fn issue(&self, request: IssueRequest<'_>) -> Result<Issued, AppError>;
}
