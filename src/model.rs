//! Records the server reads from the database and the dashboard renders. Shared by both
//! targets, so they hold plain data only; rules live in `domain/`.

use serde::{Deserialize, Serialize};

use crate::domain::account::AccountStatus;
use crate::domain::attempt::{AttemptStatus, PaymentFlag};
use crate::domain::export::{ExportFormat, ExportStatus};
use crate::domain::ids::{AccountId, AttemptId, LinkId, MerchantId, UserId};
use crate::domain::items::LineItem;
use crate::domain::link::{is_expired, ComputedStatus, LinkState, LinkStatus};
use crate::domain::merchant::Role;
use crate::domain::webhook::DeliveryStatus;
use crate::domain::Rupiah;

/// The signed-in dashboard user and the merchant they act for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub user_id: UserId,
    pub merchant_id: MerchantId,
    pub merchant_name: String,
    pub email: String,
    pub role: Role,
    /// The user signs in with a second factor.
    pub two_factor: bool,
    /// The user's team requires a second factor of every member.
    pub two_factor_required: bool,
}

impl CurrentUser {
    /// The team requires two-factor sign-in and this member has not turned it on: until they
    /// do, they may only set it up (and manage their sessions).
    pub fn needs_two_factor_setup(&self) -> bool {
        self.two_factor_required && !self.two_factor
    }
}

/// A browser signed in as a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SignedInSession {
    pub login_id: String,
    pub created_at: i64,
    pub user_agent: Option<String>,
    pub ip_address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: AccountId,
    pub name: String,
    pub status: AccountStatus,
    pub created_at: i64,
}

/// A payment link as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentLink {
    pub id: LinkId,
    pub account_id: AccountId,
    pub slug: String,
    pub reff_no: String,
    pub title: String,
    pub description: Option<String>,
    pub items: Vec<LineItem>,
    /// An open-amount link's minimum.
    pub total_amount: Rupiah,
    /// Set when the payer chooses the amount.
    pub open_amount: Option<crate::domain::link::OpenAmount>,
    /// Units the link sells in all, and the units its payments took.
    pub stock: Option<i64>,
    pub units_paid: i64,
    /// Questions its payers answer.
    #[serde(default)]
    pub custom_fields: Vec<crate::domain::link::CustomField>,
    pub required_customer_detail: bool,
    pub max_usage: i64,
    pub current_usage: i64,
    pub expired_at: Option<i64>,
    pub status: LinkStatus,
    pub whitelisted_payment_method: Option<Vec<String>>,
    pub redirect_url: Option<String>,
    pub optional_metadata: serde_json::Map<String, serde_json::Value>,
    pub source: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Whether any attempt was recorded on the link; such a link cannot be deleted.
    pub has_history: bool,
}

impl PaymentLink {
    /// What the dashboard shows; the API answers [`Self::status_computed`].
    pub fn state(&self, now_ms: i64) -> LinkState {
        LinkState::of(
            self.status,
            self.current_usage,
            self.max_usage,
            self.expired_at,
            now_ms,
        )
    }

    pub fn status_computed(&self, now_ms: i64) -> ComputedStatus {
        self.state(now_ms).computed()
    }

    pub fn is_expired(&self, now_ms: i64) -> bool {
        is_expired(self.expired_at, now_ms)
    }

    pub fn is_exhausted(&self) -> bool {
        crate::domain::link::is_exhausted(self.current_usage, self.max_usage)
    }
}

/// One row of the links list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkSummary {
    pub id: LinkId,
    pub reff_no: String,
    pub title: String,
    pub total_amount: Rupiah,
    /// The payer chooses the amount; `total_amount` is the least they may give.
    pub open_amount: bool,
    pub max_usage: i64,
    pub current_usage: i64,
    pub expired_at: Option<i64>,
    pub status: LinkStatus,
    pub created_at: i64,
}

impl LinkSummary {
    pub fn state(&self, now_ms: i64) -> LinkState {
        LinkState::of(
            self.status,
            self.current_usage,
            self.max_usage,
            self.expired_at,
            now_ms,
        )
    }
}

/// A page of results plus what the pager needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn total_pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page.max(1)).max(1)
    }
}

/// One payment attempt on a link (a "history" in the API's words).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentAttempt {
    pub id: AttemptId,
    /// What the attempt takes from its link's stock, and the quantities its payer chose (one
    /// per item; `None`: as the link offers them).
    pub units: i64,
    pub quantities: Option<Vec<i64>>,
    /// The payer's answers to the link's questions, with their labels.
    pub custom_values: Vec<crate::domain::link::Answer>,
    pub reff_no: String,
    pub payment_link_id: LinkId,
    pub method_code: String,
    pub method_name: String,
    /// VA number, QRIS payload or e-wallet checkout URL; `None` for an attempt the provider
    /// never answered (stored empty by versions that reserved before issuing).
    pub value: Option<String>,
    /// e.g. the VA holder name.
    pub additional: Option<String>,
    pub amount: Rupiah,
    pub fee: Rupiah,
    pub net_amount: Rupiah,
    pub status: AttemptStatus,
    pub expired_at: i64,
    pub payment_date: Option<i64>,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub customer_phone: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub payment_link_reff_no: String,
    pub processed_timestamp: Option<i64>,
    pub ip_address: Option<String>,
    pub has_settle: bool,
    pub settle_at: Option<i64>,
    /// Set when a credited payment needs the merchant's attention.
    pub flag: Option<PaymentFlag>,
    /// The merchant's gateway connection that issued it (`None`: the sandbox), and the
    /// gateway's id of the charge.
    pub gateway_connection_id: Option<i64>,
    pub gateway_reference: Option<String>,
    /// Every refund not failed (pending included): what can no longer be refunded.
    pub refund_reserved: Rupiah,
    /// Refunds that succeeded: what the figures take off.
    pub refunded: Rupiah,
    /// The language the payer used, which their receipt speaks.
    pub payer_lang: crate::domain::lang::Lang,
}

impl PaymentAttempt {
    pub fn status_computed(&self, now_ms: i64) -> AttemptStatus {
        self.status.computed(self.expired_at, now_ms)
    }

    pub fn refund_state(&self) -> crate::domain::refund::RefundState {
        crate::domain::refund::RefundState::of(self.amount, self.refunded)
    }
}

/// A refund of a paid payment (or of part of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refund {
    pub id: i64,
    pub merchant_id: MerchantId,
    pub history_id: AttemptId,
    pub amount: Rupiah,
    pub reason: String,
    pub status: crate::domain::refund::RefundStatus,
    /// The merchant transfers the money back and confirms it (a VA cannot be reversed).
    pub manual: bool,
    pub provider_refund_id: Option<String>,
    pub failure_reason: Option<String>,
    pub requested_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Where a merchant's notifications go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSettings {
    pub transaction_url: String,
    pub inquiry_url: Option<String>,
    pub enabled: bool,
    pub updated_at: i64,
}

/// A merchant's account at a payment gateway, as the dashboard shows it: never its keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GatewayConnection {
    pub id: i64,
    pub gateway: crate::domain::gateway::Gateway,
    pub mode: crate::domain::gateway::GatewayMode,
    /// The key's last characters, e.g. "…1234".
    pub secret_hint: String,
    pub has_callback_token: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One event of the outbox as the delivery log lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEvent {
    pub id: i64,
    pub event_id: String,
    pub event_type: String,
    pub account_id: AccountId,
    pub history_id: Option<AttemptId>,
    pub payment_link_id: Option<LinkId>,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_response_status: Option<i64>,
    pub last_error: Option<String>,
    pub delivered_at: Option<i64>,
    pub created_at: i64,
}

/// One try at delivering an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct WebhookDelivery {
    pub id: i64,
    pub url: String,
    pub attempted_at: i64,
    pub response_status: Option<i64>,
    pub latency_ms: i64,
    pub response_excerpt: Option<String>,
    pub error: Option<String>,
}

/// A provider's notification about an attempt, as kept, and how applying it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ProviderNotification {
    pub transaction_id: String,
    pub amount: i64,
    /// `received` (still to apply), `applied` or `refused`.
    pub status: String,
    /// What applying it gave, or the last error while it is still to apply.
    pub outcome: Option<String>,
    pub tries: i64,
    pub received_at: i64,
}

/// Count of a payments filter's attempts, and the money of its paid ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PaymentTotals {
    pub count: i64,
    pub paid_count: i64,
    pub gross: i64,
    pub fee: i64,
    pub net: i64,
    /// What refunds that succeeded gave back of those payments.
    pub refunded: i64,
}

/// A payments export as its page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Export {
    pub id: String,
    pub account_id: AccountId,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub format: ExportFormat,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub status: ExportStatus,
    pub total_rows: i64,
    pub done_rows: i64,
    pub size_bytes: Option<i64>,
    pub error: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

/// Revenue and conversion over one window of the overview.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowFigures {
    /// Payments made in the window, and their gross and net.
    pub paid: i64,
    pub gross: i64,
    pub net: i64,
    /// What refunds gave back of those payments (the net does not count it yet).
    pub refunded: i64,
    /// Attempts started in the window, and how many of those were paid.
    pub attempts: i64,
    pub attempts_paid: i64,
}

impl WindowFigures {
    /// Paid attempts per started attempt, in percent; `None` without attempts.
    pub fn conversion_percent(&self) -> Option<f64> {
        (self.attempts > 0).then(|| 100.0 * self.attempts_paid as f64 / self.attempts as f64)
    }
}

/// Revenue of one WIB day (days since 1970-01-01 in WIB).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DayRevenue {
    pub day: i64,
    pub count: i64,
    pub gross: i64,
}

/// Revenue of one group: a payment method, or a link (label = title, detail = reference).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct GroupRevenue {
    pub label: String,
    pub detail: String,
    pub count: i64,
    pub gross: i64,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditEntry {
    pub id: i64,
    /// The user's email, or "API key …" for API calls.
    pub actor: String,
    pub action: String,
    pub detail: String,
    pub created_at: i64,
}

/// A member of the merchant's team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Member {
    pub user_id: UserId,
    pub email: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub role: Role,
    pub created_at: i64,
}

/// An invitation not yet accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Invitation {
    pub id: i64,
    pub email: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub role: Role,
    pub created_at: i64,
    pub expires_at: i64,
}

/// The link fields events carry, read in the same transaction as the change.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct LinkSnapshot {
    pub id: LinkId,
    pub merchant_id: MerchantId,
    pub account_id: AccountId,
    pub slug: String,
    pub reff_no: String,
    pub title: String,
    pub status: String,
    pub max_usage: i64,
    pub current_usage: i64,
    pub expired_at: Option<i64>,
    pub total_amount: i64,
    pub stock: Option<i64>,
    pub units_paid: i64,
}
