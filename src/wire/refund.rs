//! A refund as the API answers it and as its webhook events carry it.

use serde::Serialize;

use crate::domain::refund::RefundStatus;
use crate::domain::time::to_iso_wib;
use crate::model::Refund;

/// One refund of a paid payment (a history). Amounts in rupiah, times ISO-8601 in Jakarta time.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RefundJson {
    id: i64,
    history_id: i64,
    amount: i64,
    reason: String,
    status: RefundStatus,
    /// The method cannot be reversed by its provider (a VA): the merchant transfers the money
    /// back and confirms it in the dashboard.
    manual: bool,
    /// Why it failed, when it did.
    failure_reason: Option<String>,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    updated_at: String,
}

impl From<&Refund> for RefundJson {
    fn from(refund: &Refund) -> RefundJson {
        RefundJson {
            id: refund.id,
            history_id: refund.history_id.0,
            amount: refund.amount.value(),
            reason: refund.reason.clone(),
            status: refund.status,
            manual: refund.manual,
            failure_reason: refund.failure_reason.clone(),
            created_at: to_iso_wib(refund.created_at),
            updated_at: to_iso_wib(refund.updated_at),
        }
    }
}
