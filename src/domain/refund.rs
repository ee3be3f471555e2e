//! Refunds of a paid payment: their states, what a request must hold, and how much of a
//! payment is still refundable. Several partial refunds add up to at most what was paid.

use serde::{Deserialize, Serialize};

use super::{FieldErrors, Rupiah};

/// Longest reason kept with a refund.
pub const REASON_MAX_CHARS: usize = 200;

/// Words in a sandbox refund's reason that make the sandbox refuse it, to try the failure path.
pub const SANDBOX_FAIL_MARK: &str = "[sandbox:fail]";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RefundStatus {
    /// Asked of the provider, or (a VA) waiting for the merchant to confirm the transfer back.
    Pending,
    Succeeded,
    Failed,
}

impl RefundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RefundStatus::Pending => "pending",
            RefundStatus::Succeeded => "succeeded",
            RefundStatus::Failed => "failed",
        }
    }

    /// The status in the dashboard's words (`as_str` is the API's).
    pub fn label(self) -> String {
        match self {
            RefundStatus::Pending => crate::tr!(payments.refund_pending),
            RefundStatus::Succeeded => crate::tr!(payments.refund_succeeded),
            RefundStatus::Failed => crate::tr!(payments.refund_failed),
        }
    }

    pub fn parse(s: &str) -> Option<RefundStatus> {
        [
            RefundStatus::Pending,
            RefundStatus::Succeeded,
            RefundStatus::Failed,
        ]
        .into_iter()
        .find(|status| status.as_str() == s)
    }
}

/// Why a refund failed, as kept with it: in English, the language of the API that also gives
/// it, whoever asked. The dashboard shows it in its reader's words ([`failure_in_words`]).
pub const SANDBOX_REFUSED: &str = "The sandbox refused the refund, as its reason asked.";
pub const GATEWAY_KEY_REFUSED: &str = "The gateway no longer accepts this connection's key.";
/// Followed by the gateway's own words.
pub const GATEWAY_REFUSED: &str = "The gateway refused the refund: ";
/// Followed by who cancelled it and a full stop.
pub const CANCELLED_BY: &str = "Cancelled by ";

/// A kept failure reason in the language of the work being done; one written otherwise is
/// shown as it is.
pub fn failure_in_words(kept: &str) -> String {
    if kept == SANDBOX_REFUSED {
        crate::tr!(payments.sandbox_refused)
    } else if kept == GATEWAY_KEY_REFUSED {
        crate::tr!(payments.gateway_key_refused)
    } else if let Some(why) = kept.strip_prefix(GATEWAY_REFUSED) {
        crate::tr!(payments.gateway_refused, why = why)
    } else if let Some(who) = kept
        .strip_prefix(CANCELLED_BY)
        .and_then(|rest| rest.strip_suffix('.'))
    {
        crate::tr!(payments.cancelled_by, who = who)
    } else {
        kept.to_string()
    }
}

/// How much of a payment has gone back, as the payment shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefundState {
    None,
    PartiallyRefunded,
    Refunded,
}

impl RefundState {
    pub fn of(paid: Rupiah, refunded: Rupiah) -> RefundState {
        if refunded.value() <= 0 {
            RefundState::None
        } else if refunded.value() >= paid.value() {
            RefundState::Refunded
        } else {
            RefundState::PartiallyRefunded
        }
    }

    pub fn label(self) -> String {
        match self {
            RefundState::None => String::new(),
            RefundState::PartiallyRefunded => crate::tr!(payments.refund_partial),
            RefundState::Refunded => crate::tr!(payments.refund_full),
        }
    }
}

/// A refund as asked for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    pub amount: Rupiah,
    pub reason: String,
}

impl RefundRequest {
    /// Checks the amount against what is still refundable (`paid` less every refund not
    /// failed) and trims the reason; the errors name the fields.
    pub fn parse(
        amount: i64,
        reason: &str,
        paid: Rupiah,
        reserved: Rupiah,
    ) -> Result<RefundRequest, FieldErrors> {
        let mut errors = FieldErrors::new();
        let left = paid.value() - reserved.value();
        if amount <= 0 {
            errors.add("amount", crate::tr!(payments.amount_at_least));
        } else if left <= 0 {
            errors.add("amount", crate::tr!(payments.refunded_in_full));
        } else if amount > left {
            errors.add(
                "amount",
                crate::tr!(payments.at_most_refundable, left = Rupiah(left)),
            );
        }
        let reason = reason.trim();
        if reason.chars().count() > REASON_MAX_CHARS {
            errors.add(
                "reason",
                crate::tr!(payments.reason_too_long, max = REASON_MAX_CHARS),
            );
        }
        if errors.is_empty() {
            Ok(RefundRequest {
                amount: Rupiah(amount),
                reason: reason.to_string(),
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refunds_add_up_to_at_most_what_was_paid() {
        let paid = Rupiah(200_000);
        let ok = RefundRequest::parse(50_000, "  rusak ", paid, Rupiah(150_000)).unwrap();
        assert_eq!(ok.amount, Rupiah(50_000));
        assert_eq!(ok.reason, "rusak");
        let over = RefundRequest::parse(50_001, "", paid, Rupiah(150_000)).unwrap_err();
        assert!(over.0["amount"].contains("Rp 50.000"), "{over:?}");
        let done = RefundRequest::parse(1, "", paid, paid).unwrap_err();
        assert!(done.0["amount"].contains("in full"));
        assert!(RefundRequest::parse(0, "", paid, Rupiah(0)).is_err());
        assert!(RefundRequest::parse(-5, "", paid, Rupiah(0)).is_err());
        let long = "x".repeat(REASON_MAX_CHARS + 1);
        let both = RefundRequest::parse(0, &long, paid, Rupiah(0)).unwrap_err();
        assert_eq!(both.0.len(), 2, "each field named: {both:?}");
    }

    #[test]
    fn a_payment_reads_as_refunded_in_part_or_in_full() {
        let paid = Rupiah(100);
        assert_eq!(RefundState::of(paid, Rupiah(0)), RefundState::None);
        assert_eq!(
            RefundState::of(paid, Rupiah(40)),
            RefundState::PartiallyRefunded
        );
        assert_eq!(RefundState::of(paid, Rupiah(100)), RefundState::Refunded);
        for status in ["pending", "succeeded", "failed"] {
            assert_eq!(RefundStatus::parse(status).unwrap().as_str(), status);
        }
        assert_eq!(RefundStatus::parse("done"), None);
    }

    #[test]
    fn kept_failure_reasons_read_back_unchanged_in_english() {
        for kept in [
            SANDBOX_REFUSED.to_string(),
            GATEWAY_KEY_REFUSED.to_string(),
            format!("{GATEWAY_REFUSED}insufficient balance"),
            format!("{CANCELLED_BY}owner@toko.id."),
            "Something else.".to_string(),
        ] {
            assert_eq!(failure_in_words(&kept), kept);
        }
    }
}
