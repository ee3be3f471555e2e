//! What the audit log records: each change a member or an API credential can make, named once
//! in words a merchant reads.

/// Declares the actions with their labels once: the enum, [`AuditAction::label`] and
/// [`AuditAction::ALL`] all come from the one list.
macro_rules! audit_actions {
    ($($action:ident => $label:literal,)*) => {
        /// A change worth recording. The log stores [`AuditAction::label`], so a label, once
        /// shipped, names the same change for good.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum AuditAction {
            $($action,)*
        }

        impl AuditAction {
            pub fn label(self) -> &'static str {
                match self {
                    $(AuditAction::$action => $label,)*
                }
            }

            /// Every action, to read a stored label back.
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$action,)*];
        }
    };
}

audit_actions! {
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

impl AuditAction {
    /// The action a stored [`label`](AuditAction::label) names.
    pub fn from_label(label: &str) -> Option<AuditAction> {
        AuditAction::ALL
            .iter()
            .copied()
            .find(|action| action.label() == label)
    }

    /// The label in the language of the work being done (the log keeps the English one).
    pub fn label_in_words(self) -> String {
        use AuditAction::*;
        match self {
            LinkCreated => crate::tr!(audit.link_created),
            LinkEdited => crate::tr!(audit.link_edited),
            LinkStatusChanged => crate::tr!(audit.link_status_changed),
            LinkDeleted => crate::tr!(audit.link_deleted),
            AccountCreated => crate::tr!(audit.account_created),
            AccountRenamed => crate::tr!(audit.account_renamed),
            AccountStatusChanged => crate::tr!(audit.account_status_changed),
            CredentialCreated => crate::tr!(audit.credential_created),
            CredentialRevoked => crate::tr!(audit.credential_revoked),
            SecretRotated => crate::tr!(audit.secret_rotated),
            WebhookSettingsChanged => crate::tr!(audit.webhook_settings_changed),
            WebhookTestSent => crate::tr!(audit.webhook_test_sent),
            WebhookResent => crate::tr!(audit.webhook_resent),
            FailedWebhooksResent => crate::tr!(audit.failed_webhooks_resent),
            MemberInvited => crate::tr!(audit.member_invited),
            InvitationWithdrawn => crate::tr!(audit.invitation_withdrawn),
            MemberRemoved => crate::tr!(audit.member_removed),
            RoleChanged => crate::tr!(audit.role_changed),
            TeamTwoFactorChanged => crate::tr!(audit.team_two_factor_changed),
            TwoFactorOn => crate::tr!(audit.two_factor_on),
            TwoFactorOff => crate::tr!(audit.two_factor_off),
            BrowserSignedOut => crate::tr!(audit.browser_signed_out),
            SignedOutElsewhere => crate::tr!(audit.signed_out_elsewhere),
            PaymentsExported => crate::tr!(audit.payments_exported),
            PaymentSimulated => crate::tr!(audit.payment_simulated),
            GatewayConnected => crate::tr!(audit.gateway_connected),
            GatewayDisconnected => crate::tr!(audit.gateway_disconnected),
            GatewayRouted => crate::tr!(audit.gateway_routed),
            SandboxSwitched => crate::tr!(audit.sandbox_switched),
            RefundRequested => crate::tr!(audit.refund_requested),
            RefundConfirmed => crate::tr!(audit.refund_confirmed),
            RefundCancelled => crate::tr!(audit.refund_cancelled),
            BrandingChanged => crate::tr!(audit.branding_changed),
        }
    }
}

/// How a link is named in the log: its title and reference, which the merchant recognises.
pub fn link_named(title: &str, reff_no: &str) -> String {
    format!("“{title}” ({reff_no})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_labels_read_back_and_say_the_same_in_english() {
        for &action in AuditAction::ALL {
            assert_eq!(AuditAction::from_label(action.label()), Some(action));
            assert_eq!(action.label_in_words(), action.label());
        }
        assert_eq!(AuditAction::from_label("Something else"), None);
    }
}
