//! Who makes a change: a signed-in member or an API credential. Every operation takes one, is
//! scoped to its merchant, checks its role, and names it in the audit entry it writes.

use crate::db::{audit, Tx};
use crate::domain::audit::AuditAction;
use crate::domain::ids::{MerchantId, UserId};
use crate::domain::merchant::{Access, Role};
use crate::error::AppError;
use crate::model::CurrentUser;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Member {
        merchant_id: MerchantId,
        user_id: UserId,
        email: String,
        role: Role,
    },
    /// An API credential may change what an admin may, never the team.
    Credential {
        merchant_id: MerchantId,
        api_key: String,
    },
    /// Whoever runs the server's command line, with a member's email and password: they hold
    /// the database anyway, so nothing is refused, and the log tells them apart from the
    /// member signed in to the dashboard.
    CommandLine {
        merchant_id: MerchantId,
        user_id: UserId,
        email: String,
    },
}

impl From<&CurrentUser> for Actor {
    fn from(user: &CurrentUser) -> Actor {
        Actor::Member {
            merchant_id: user.merchant_id,
            user_id: user.user_id,
            email: user.email.clone(),
            role: user.role,
        }
    }
}

impl Actor {
    pub fn merchant_id(&self) -> MerchantId {
        match self {
            Actor::Member { merchant_id, .. }
            | Actor::Credential { merchant_id, .. }
            | Actor::CommandLine { merchant_id, .. } => *merchant_id,
        }
    }

    /// 403 unless the actor may do what takes `access`.
    pub fn require(&self, access: Access) -> Result<(), AppError> {
        let allowed = match self {
            Actor::Member { role, .. } => role.allows(access),
            Actor::Credential { .. } => Role::Admin.allows(access),
            Actor::CommandLine { .. } => true,
        };
        if allowed {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Who it is, in the words the audit log and a refund's record use.
    pub fn describe(&self) -> String {
        match self {
            Actor::Member { email, .. } => email.clone(),
            Actor::Credential { api_key, .. } => format!("API key {api_key}"),
            Actor::CommandLine { email, .. } => format!("{email} (command line)"),
        }
    }

    /// Records `action` in the change's own transaction.
    pub async fn audit(
        &self,
        tx: &mut Tx,
        action: AuditAction,
        detail: &str,
        now_ms: i64,
    ) -> Result<(), AppError> {
        let user_id = match self {
            Actor::Member { user_id, .. } | Actor::CommandLine { user_id, .. } => Some(*user_id),
            Actor::Credential { .. } => None,
        };
        audit::record(
            tx,
            audit::NewEntry {
                merchant_id: self.merchant_id(),
                user_id,
                actor: &self.describe(),
                action,
                detail,
                now_ms,
            },
        )
        .await
    }
}
