//! The history object of the contract: one payer's attempt, as the API answers it and as
//! webhook bodies carry it.

use serde::Serialize;

use crate::domain::attempt::AttemptStatus;
use crate::domain::time::to_iso_wib;
use crate::model::PaymentAttempt;

/// The history object of the contract (§3.2): one payer's attempt. Amounts in rupiah, times
/// ISO-8601 in Jakarta time (+07:00).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HistoryJson {
    id: i64,
    /// The attempt's own reference, which the transaction webhook names.
    #[schema(example = "18917720251110094037705")]
    reff_no: String,
    /// The link's reference.
    payment_link_reff_no: String,
    #[schema(value_type = crate::wire::method_code::MethodCode)]
    payment_method_code: String,
    payment_method_name: String,
    /// What the payer was given: a VA number, a QRIS payload, a checkout URL (empty for an
    /// attempt the provider never answered: the contract's field is a string).
    payment_method_value: String,
    payment_method_additional: Option<String>,
    #[schema(format = DateTime)]
    expired_at: String,
    is_expired: bool,
    amount: i64,
    fee: i64,
    net_amount: i64,
    /// Ours: what refunds that succeeded gave back (0 when none).
    refunded_amount: i64,
    /// Ours, present only when the payer chose quantities: one per item of the link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quantities: Option<Vec<i64>>,
    /// Ours, present only when the payer answered the link's questions: each answer with the
    /// (Indonesian) label it answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<AnswerJson>)]
    custom_fields: Vec<crate::domain::link::Answer>,
    #[schema(format = DateTime)]
    payment_date: Option<String>,
    balance_after: Option<i64>,
    status: AttemptStatus,
    /// `pending` past its expiry reads `expired` here before the expiry job has run.
    status_computed: AttemptStatus,
    customer_name: String,
    customer_email: String,
    customer_phone: String,
    ip_address: Option<String>,
    /// Always null.
    #[schema(value_type = Option<Object>)]
    locations: serde_json::Value,
    #[schema(format = DateTime)]
    processed_timestamp: Option<String>,
    has_settle: bool,
    #[schema(format = DateTime)]
    settle_at: Option<String>,
    /// Always null.
    #[schema(value_type = Option<Object>)]
    optional_metadata: serde_json::Value,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    updated_at: String,
}

impl HistoryJson {
    pub fn new(a: &PaymentAttempt, now_ms: i64) -> HistoryJson {
        HistoryJson {
            id: a.id.0,
            reff_no: a.reff_no.clone(),
            payment_link_reff_no: a.payment_link_reff_no.clone(),
            payment_method_code: a.method_code.clone(),
            payment_method_name: a.method_name.clone(),
            payment_method_value: a.value.clone().unwrap_or_default(),
            payment_method_additional: a.additional.clone(),
            expired_at: to_iso_wib(a.expired_at),
            is_expired: a.expired_at <= now_ms,
            amount: a.amount.value(),
            fee: a.fee.value(),
            net_amount: a.net_amount.value(),
            refunded_amount: a.refunded.value(),
            quantities: a.quantities.clone(),
            custom_fields: a.custom_values.clone(),
            payment_date: a.payment_date.map(to_iso_wib),
            // Not tracked: payment links credit no wallet balance here.
            balance_after: None,
            status: a.status,
            status_computed: a.status_computed(now_ms),
            // The contract sends empty strings, not null, when no detail was asked.
            customer_name: a.customer_name.clone().unwrap_or_default(),
            customer_email: a.customer_email.clone().unwrap_or_default(),
            customer_phone: a.customer_phone.clone().unwrap_or_default(),
            ip_address: a.ip_address.clone(),
            // null, not {}: the same object goes into signed webhook bodies, and a PHP client
            // that re-encodes the body before checking its hash turns {} into [].
            locations: serde_json::Value::Null,
            processed_timestamp: a.processed_timestamp.map(to_iso_wib),
            has_settle: a.has_settle,
            settle_at: a.settle_at.map(to_iso_wib),
            optional_metadata: serde_json::Value::Null,
            created_at: to_iso_wib(a.created_at),
            updated_at: to_iso_wib(a.updated_at),
        }
    }
}

/// One answer to a link's question, as a history carries it.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct AnswerJson {
    #[schema(example = "Ukuran kaos")]
    label: String,
    #[schema(example = "M")]
    value: String,
}
