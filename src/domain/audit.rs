//! What the audit log records: each change a member or an API credential can make, named once
//! in words a merchant reads.

/// A change worth recording. The log stores [`AuditAction::label`], so a label, once shipped,
/// names the same change for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    LinkCreated,
    LinkEdited,
    LinkStatusChanged,
    LinkDeleted,
    AccountCreated,
    AccountRenamed,
    AccountStatusChanged,
    CredentialCreated,
    CredentialRevoked,
    SecretRotated,
    WebhookSettingsChanged,
    WebhookTestSent,
    WebhookResent,
    FailedWebhooksResent,
    MemberInvited,
    InvitationWithdrawn,
    MemberRemoved,
    RoleChanged,
    TeamTwoFactorChanged,
    TwoFactorOn,
    TwoFactorOff,
    BrowserSignedOut,
    SignedOutElsewhere,
    PaymentsExported,
    PaymentSimulated,
    GatewayConnected,
    GatewayDisconnected,
    GatewayRouted,
    SandboxSwitched,
    RefundRequested,
    RefundConfirmed,
    RefundCancelled,
    BrandingChanged,
}

impl AuditAction {
    pub fn label(self) -> &'static str {
        use AuditAction::*;
        match self {
            LinkCreated => "Created a payment link",
            LinkEdited => "Edited a payment link",
            LinkStatusChanged => "Closed or reopened a payment link",
            LinkDeleted => "Deleted a payment link",
            AccountCreated => "Created an account",
            AccountRenamed => "Renamed an account",
            AccountStatusChanged => "Changed an account's status",
            CredentialCreated => "Created an API credential",
            CredentialRevoked => "Revoked an API credential",
            SecretRotated => "Rotated an API secret",
            WebhookSettingsChanged => "Changed webhook settings",
            WebhookTestSent => "Sent a test webhook",
            WebhookResent => "Resent a webhook event",
            FailedWebhooksResent => "Resent failed webhook events",
            MemberInvited => "Invited a member",
            InvitationWithdrawn => "Withdrew an invitation",
            MemberRemoved => "Removed a member",
            RoleChanged => "Changed a member's role",
            TeamTwoFactorChanged => "Changed the team's two-factor rule",
            TwoFactorOn => "Turned on two-factor sign-in",
            TwoFactorOff => "Turned off two-factor sign-in",
            BrowserSignedOut => "Signed out a browser",
            SignedOutElsewhere => "Signed out everywhere else",
            PaymentsExported => "Exported payments",
            PaymentSimulated => "Simulated a payment",
            GatewayConnected => "Connected a payment gateway",
            GatewayDisconnected => "Disconnected a payment gateway",
            GatewayRouted => "Routed payment methods to a gateway",
            SandboxSwitched => "Switched the sandbox on or off",
            RefundRequested => "Refunded a payment",
            RefundConfirmed => "Confirmed a refund was transferred",
            RefundCancelled => "Cancelled a refund",
            BrandingChanged => "Changed the payer pages' branding",
        }
    }
}

/// How a link is named in the log: its title and reference, which the merchant recognises.
pub fn link_named(title: &str, reff_no: &str) -> String {
    format!("“{title}” ({reff_no})")
}
