//! What a dashboard user can choose to hear of by email.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Topic {
    PaymentReceived,
    LinkExhausted,
    WebhookFailing,
    ExportReady,
}

impl Topic {
    pub const ALL: [Topic; 4] = [
        Topic::PaymentReceived,
        Topic::LinkExhausted,
        Topic::WebhookFailing,
        Topic::ExportReady,
    ];

    /// The user's column that holds the choice.
    pub fn column(self) -> &'static str {
        match self {
            Topic::PaymentReceived => "notify_payments",
            Topic::LinkExhausted => "notify_exhausted",
            Topic::WebhookFailing => "notify_webhooks",
            Topic::ExportReady => "notify_exports",
        }
    }

    /// The form field and the outbox's kind of message.
    pub fn key(self) -> &'static str {
        match self {
            Topic::PaymentReceived => "payment_received",
            Topic::LinkExhausted => "link_exhausted",
            Topic::WebhookFailing => "webhook_failing",
            Topic::ExportReady => "export_ready",
        }
    }

    pub fn label(self) -> String {
        match self {
            Topic::PaymentReceived => crate::tr!(notifications.topic_payment_received),
            Topic::LinkExhausted => crate::tr!(notifications.topic_link_exhausted),
            Topic::WebhookFailing => crate::tr!(notifications.topic_webhook_failing),
            Topic::ExportReady => crate::tr!(notifications.topic_export_ready),
        }
    }
}

/// A user's choices, in [`Topic::ALL`]'s order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choices(pub [bool; 4]);

impl Choices {
    pub fn wants(self, topic: Topic) -> bool {
        Topic::ALL
            .iter()
            .position(|t| *t == topic)
            .is_some_and(|i| self.0[i])
    }
}
