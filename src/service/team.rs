//! The merchant's team, for owners: invitations, roles, removals and the two-factor rule. A
//! merchant always keeps at least one owner.

use crate::db::team::{self, NewInvitation};
use crate::db::two_factor;
use crate::domain::audit::AuditAction;
use crate::domain::ids::UserId;
use crate::domain::merchant::{Access, Email, Role};
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::model::Member;
use crate::service::Actor;
use crate::state::AppState;

/// Invitations stay usable this long.
pub const INVITATION_DAYS: i64 = 7;

/// Invites `email` as `role`; returns the invitation's secret token, to be shown once.
pub async fn invite(
    state: &AppState,
    actor: &Actor,
    email: &str,
    role: &str,
) -> Result<String, AppError> {
    use rand::Rng;
    use sha2::{Digest, Sha256};
    actor.require(Access::Owner)?;
    let Actor::Member { user_id, .. } = actor else {
        return Err(AppError::Forbidden);
    };
    let mut errors = FieldErrors::new();
    let email = Email::parse(email).map_err(|e| errors.add("email", e)).ok();
    let role = Role::parse(role)
        .map_err(|_| errors.add("role", crate::tr!(team.choose_role)))
        .ok();
    let (Some(email), Some(role)) = (email, role) else {
        return Err(AppError::Validation(errors));
    };
    let token = hex::encode(rand::thread_rng().gen::<[u8; 32]>());
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    if team::email_taken(&mut tx, email.as_str()).await? {
        return Err(AppError::duplicate("email", crate::tr!(team.email_taken)));
    }
    team::invite(
        &mut tx,
        NewInvitation {
            merchant_id: actor.merchant_id(),
            email: email.as_str(),
            role,
            token_hash: &hex::encode(Sha256::digest(token.as_bytes())),
            invited_by: *user_id,
            now_ms,
            expires_at: now_ms + INVITATION_DAYS * crate::domain::time::DAY_MS,
        },
    )
    .await?;
    let detail = format!("{} as {}", email.as_str(), role.as_str());
    actor
        .audit(&mut tx, AuditAction::MemberInvited, &detail, now_ms)
        .await?;
    // With mail on, the invitee gets the link too, in the language of the owner inviting
    // them (the invitee has none yet); the owner still sees it once.
    if state.mailer.is_some() {
        let merchant = crate::db::emails::merchant_name(&mut tx, actor.merchant_id()).await?;
        let message = crate::domain::email::invitation(
            crate::i18n::current().into(),
            &merchant,
            &actor.describe(),
            role,
            &invitation_url(state, &token),
            INVITATION_DAYS,
        );
        let key = format!(
            "invitation:{}",
            hex::encode(Sha256::digest(token.as_bytes()))
        );
        crate::db::emails::queue(
            &mut tx,
            actor.merchant_id(),
            "invitation",
            &key,
            email.as_str(),
            &message,
            now_ms,
        )
        .await?;
        state.mail_wakeup.notify_one();
    }
    tx.commit().await?;
    Ok(token)
}

/// Where an invitation is accepted.
pub fn invitation_url(state: &AppState, token: &str) -> String {
    format!("{}/invitations/{token}", state.settings.public_base_url)
}

pub async fn revoke_invitation(
    state: &AppState,
    actor: &Actor,
    invitation_id: i64,
) -> Result<(), AppError> {
    actor.require(Access::Owner)?;
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    let email =
        team::revoke_invitation(&mut tx, actor.merchant_id(), invitation_id, now_ms).await?;
    actor
        .audit(&mut tx, AuditAction::InvitationWithdrawn, &email, now_ms)
        .await?;
    tx.commit().await
}

/// Gives a member another role (`Some`) or removes them (`None`); the last owner stays.
pub async fn change_member(
    state: &AppState,
    actor: &Actor,
    user_id: UserId,
    role: Option<Role>,
) -> Result<(), AppError> {
    actor.require(Access::Owner)?;
    let merchant_id = actor.merchant_id();
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    let members = team::lock_members(&mut tx, merchant_id).await?;
    let member = members
        .iter()
        .find(|m| m.user_id == user_id)
        .ok_or(AppError::NotFound)?;
    let is_owner = |m: &Member| m.role == Role::Owner;
    let owners = members.iter().filter(|m| is_owner(m)).count();
    if is_owner(member) && role != Some(Role::Owner) && owners <= 1 {
        return Err(AppError::Conflict(crate::tr!(team.last_owner)));
    }
    let (action, detail) = match role {
        Some(role) => {
            team::set_role(&mut tx, merchant_id, user_id, role).await?;
            let detail = format!(
                "{} from {} to {}",
                member.email,
                member.role.as_str(),
                role.as_str()
            );
            (AuditAction::RoleChanged, detail)
        }
        None => {
            team::remove(&mut tx, merchant_id, user_id).await?;
            (AuditAction::MemberRemoved, member.email.clone())
        }
    };
    actor.audit(&mut tx, action, &detail, now_ms).await?;
    tx.commit().await
}

/// Requires (or stops requiring) two-factor sign-in of every member. An owner must have it on
/// before requiring it, so the rule cannot shut them out of their own dashboard.
pub async fn require_two_factor(
    state: &AppState,
    actor: &Actor,
    required: bool,
) -> Result<(), AppError> {
    actor.require(Access::Owner)?;
    let Actor::Member { user_id, .. } = actor else {
        return Err(AppError::Forbidden);
    };
    let (own_secret, _) = two_factor::secrets(&state.db, *user_id).await?;
    if required && own_secret.is_none() {
        return Err(AppError::field(
            "required",
            crate::tr!(team.two_factor_first),
        ));
    }
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    two_factor::set_required(&mut tx, actor.merchant_id(), required).await?;
    let detail = if required {
        "Every member must use it"
    } else {
        "Members may choose"
    };
    actor
        .audit(&mut tx, AuditAction::TeamTwoFactorChanged, detail, now_ms)
        .await?;
    tx.commit().await
}
