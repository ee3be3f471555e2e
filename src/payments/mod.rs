//! Money moves through a payment provider. The built-in one is a sandbox acquirer; a real
//! acquirer implements the same trait.

pub mod callback;
pub mod sandbox;

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
}

/// The instructions issued: a VA number, a QRIS payload or an e-wallet checkout URL/phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub value: String,
    /// e.g. the VA holder name, "a.n. TOKO SINAR".
    pub additional: Option<String>,
}

#[async_trait]
pub trait PaymentProvider: Send + Sync {
    /// Sandbox providers let payers and merchants simulate payments.
    fn is_sandbox(&self) -> bool;

    /// Issues instructions. Called again on a value collision, so each call must draw anew.
    async fn issue(&self, request: IssueRequest<'_>) -> Result<Issued, AppError>;
}
