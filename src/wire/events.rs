//! What each state change tells the merchant: the bodies of the events, built from the
//! attempt and link as they stand inside the transaction that changed them.

use serde_json::{json, Value};

use crate::domain::ids::{AccountId, AttemptId, LinkId};
use crate::domain::time::{month_abbr, to_iso_wib, wib_wall};
use crate::domain::webhook::EventType;
use crate::model::{LinkSnapshot, PaymentAttempt};
use crate::wire::history::HistoryJson;
use crate::wire::normalized_body;

/// Which configured URL receives an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Transaction,
    Inquiry,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Transaction => "transaction",
            Target::Inquiry => "inquiry",
        }
    }
}

/// An outbox row about to be written.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub event_id: String,
    pub event_type: EventType,
    pub target: Target,
    pub account_id: AccountId,
    pub history_id: Option<AttemptId>,
    pub payment_link_id: Option<LinkId>,
    /// The normalised JSON body, signed and sent as is on every try.
    pub payload: String,
}

/// Everything an event body is made from.
pub struct Subject<'a> {
    pub attempt: &'a PaymentAttempt,
    pub link: &'a LinkSnapshot,
    /// Origin of payer URLs, e.g. `https://pay.example.com`.
    pub public_base_url: &'a str,
    pub now_ms: i64,
}

impl Subject<'_> {
    fn event(&self, event_type: EventType, target: Target, body: Value) -> NewEvent {
        NewEvent {
            event_id: new_event_id(),
            event_type,
            target,
            account_id: self.link.account_id.clone(),
            history_id: Some(self.attempt.id),
            payment_link_id: Some(self.link.id),
            payload: normalized_body(&body),
        }
    }

    fn payment_url(&self) -> String {
        format!("{}/pay/{}", self.public_base_url, self.link.slug)
    }

    /// Our own events: the API's history object plus the link's counters.
    fn rich(&self, event_type: EventType) -> NewEvent {
        self.event(event_type, Target::Transaction, self.rich_body(event_type))
    }

    fn rich_body(&self, event_type: EventType) -> Value {
        let link = self.link;
        let mut body = json!({
            "status": 200,
            "success": true,
            "event": event_type.as_str(),
            "timestamp": to_iso_wib(self.now_ms),
            "data": {
                "history": HistoryJson::new(self.attempt, self.now_ms),
                "payment_link": {
                    "id": link.id,
                    "reff_no": link.reff_no,
                    "title": link.title,
                    "status": link.status,
                    "payment_url": self.payment_url(),
                    "max_usage": link.max_usage,
                    "current_usage": link.current_usage,
                    "total_amount": link.total_amount,
                    "expired_at": link.expired_at.map(to_iso_wib),
                    "account_id": link.account_id,
                },
            },
        });
        // As in the API's link object: present only on a link with a stock, so a receiver
        // sees how many units are left after each payment.
        if let Some(units) = link.stock {
            body["data"]["payment_link"]["stock"] =
                json!({"units": units, "paid": link.units_paid});
        }
        body
    }

    /// The contract's inquiry payload (§7.5): the attempt as a transaction and as the API's
    /// history object (SDKs read its reference from `payment_link_history.reff_no`), the
    /// channel the payer chose, and the link.
    fn inquiry(&self, event_type: EventType) -> NewEvent {
        let attempt = self.attempt;
        let link = self.link;
        let body = json!({
            "status": 200,
            "success": true,
            "event": event_type.as_str(),
            "timestamp": singapay_time(self.now_ms),
            "data": {
                "transaction": {
                    "reff_no": attempt.reff_no,
                    "type": "pl",
                    "status": attempt.status.as_str(),
                    "amount": { "value": decimal(attempt.amount.value()), "currency": "IDR" },
                    "post_timestamp": singapay_time(attempt.created_at),
                    "expired_at": singapay_time(attempt.expired_at),
                },
                "payment_link_history": HistoryJson::new(attempt, self.now_ms),
                "payment": {
                    "method": "payment_link",
                    "channel": { "code": attempt.method_code, "name": attempt.method_name },
                },
                "payment_link": {
                    "id": link.id,
                    "reff_no": link.reff_no,
                    "title": link.title,
                    "payment_url": self.payment_url(),
                },
            },
        });
        self.event(event_type, Target::Inquiry, body)
    }

    /// The contract's transaction payload (§7.4), field for field. `account_id` is the
    /// account's id as the API knows it: this product has no second, numeric account id.
    fn singapay_transaction(&self, status: &str) -> Value {
        let attempt = self.attempt;
        let link = self.link;
        json!({
            "status": 200,
            "success": true,
            "event": EventType::PaymentLinkTransaction.as_str(),
            "timestamp": singapay_time(self.now_ms),
            "data": {
                "transaction": {
                    "reff_no": attempt.reff_no,
                    "type": "pl",
                    "status": status,
                    "amount": { "value": decimal(attempt.amount.value()), "currency": "IDR" },
                    "tip": null,
                    "post_timestamp": singapay_time(attempt.created_at),
                    "processed_timestamp": singapay_time(
                        attempt.processed_timestamp.unwrap_or(self.now_ms)
                    ),
                },
                "customer": {
                    "id": null,
                    "name": attempt.customer_name.clone().unwrap_or_default(),
                    "email": attempt.customer_email.clone().unwrap_or_default(),
                    "phone": attempt.customer_phone.clone().unwrap_or_default(),
                },
                "payment": {
                    "method": "payment_link",
                    "additional_info": {
                        "payment_link": {
                            "id": link.id,
                            "reff_no": link.reff_no,
                            "title": link.title,
                            "payment_date": attempt.payment_date.map(to_iso_wib),
                            "payment_url": self.payment_url(),
                            "status": link.status,
                            "max_usage": link.max_usage,
                            "current_usage": link.current_usage,
                            "expired_at": link.expired_at.map(to_iso_wib),
                            "total_amount": decimal(link.total_amount),
                            "account_id": link.account_id,
                        }
                    }
                }
            }
        })
    }
}

/// An attempt was paid: the contract's event, ours, and "exhausted" when that payment used
/// the link's last slot.
pub fn on_paid(subject: &Subject<'_>) -> Vec<NewEvent> {
    let mut events = vec![
        subject.event(
            EventType::PaymentLinkTransaction,
            Target::Transaction,
            subject.singapay_transaction("paid"),
        ),
        subject.rich(EventType::HistoryPaid),
    ];
    if crate::domain::link::is_exhausted(subject.link.current_usage, subject.link.max_usage) {
        events.push(subject.rich(EventType::LinkExhausted));
    }
    events
}

/// A payer picked a method and was given instructions: the contract's inquiry event, when
/// an inquiry URL is set.
pub fn on_issued(subject: &Subject<'_>, has_inquiry_url: bool) -> Vec<NewEvent> {
    if has_inquiry_url {
        vec![subject.inquiry(EventType::Inquiry)]
    } else {
        Vec::new()
    }
}

/// An attempt expired unpaid: ours, and the contract's inquiry event when an inquiry URL is set.
pub fn on_expired(subject: &Subject<'_>, has_inquiry_url: bool) -> Vec<NewEvent> {
    let mut events = vec![subject.rich(EventType::HistoryExpired)];
    if has_inquiry_url {
        events.push(subject.inquiry(EventType::InquiryExpired));
    }
    events
}

/// The provider could not issue the payer's VA, QR or checkout.
pub fn on_failed(subject: &Subject<'_>) -> Vec<NewEvent> {
    vec![subject.rich(EventType::HistoryFailed)]
}

/// A refund of a paid payment succeeded or failed: ours, with the refund beside the history.
pub fn on_refund(subject: &Subject<'_>, refund: &crate::model::Refund) -> Vec<NewEvent> {
    let event_type = match refund.status {
        crate::domain::refund::RefundStatus::Failed => EventType::HistoryRefundFailed,
        _ => EventType::HistoryRefunded,
    };
    let mut body = subject.rich_body(event_type);
    body["data"]["refund"] = json!(crate::wire::refund::RefundJson::from(refund));
    vec![subject.event(event_type, Target::Transaction, body)]
}

/// "Send test event": a signed body a receiver can check its verification with.
pub fn test_event(account_id: &AccountId, now_ms: i64) -> NewEvent {
    let body = json!({
        "status": 200,
        "success": true,
        "event": EventType::Test.as_str(),
        "timestamp": to_iso_wib(now_ms),
        "data": "Payment link notification testing",
    });
    NewEvent {
        event_id: new_event_id(),
        event_type: EventType::Test,
        target: Target::Transaction,
        account_id: account_id.clone(),
        history_id: None,
        payment_link_id: None,
        payload: normalized_body(&body),
    }
}

fn new_event_id() -> String {
    format!("evt_{}", ulid::Ulid::new())
}

/// Rupiah as the contract writes money in webhooks: "10000.00".
fn decimal(rupiah: i64) -> String {
    format!("{rupiah}.00")
}

/// The contract's event time: `d M Y H:i:s` in Jakarta, e.g. "05 Nov 2025 16:09:49".
fn singapay_time(ms: i64) -> String {
    match wib_wall(ms) {
        Some(t) => format!(
            "{:02} {} {:04} {:02}:{:02}:{:02}",
            t.day(),
            month_abbr(t.month()),
            t.year(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        None => ms.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_time_formats() {
        // 2025-11-05 09:09:49.123 UTC = 16:09:49 WIB.
        let ms = 1_762_333_789_123;
        assert_eq!(singapay_time(ms), "05 Nov 2025 16:09:49");
        assert_eq!(to_iso_wib(ms), "2025-11-05T16:09:49+07:00");
        assert_eq!(decimal(10_000), "10000.00");
    }
}
