//! Who may call which server function, enforced in one place for all of them. A server
//! function missing from [`RULES`] counts as a change that needs an admin: a new endpoint is
//! closed to viewers until it is listed as a read. (The service operations check the role
//! again and write the audit entry, in the change's own transaction.)

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use crate::auth::current_user;
use crate::domain::merchant::Access;
use crate::error::AppError;
use crate::state::AppState;

/// Every server function and who may call it.
pub const RULES: &[(&str, Access)] = &[
    // Payers and visitors.
    ("attempt", Access::Public),
    // The payer holding the attempt (its cookie) gives it up; checked by the function.
    ("change_method", Access::Public),
    ("invitation", Access::Public),
    ("invitation_accept", Access::Public),
    ("login", Access::Public),
    ("logout", Access::Public),
    ("email_verify", Access::Public),
    ("password_forgot", Access::Public),
    ("password_reset", Access::Public),
    ("pay", Access::Public),
    ("payer_link", Access::Public),
    ("signup", Access::Public),
    ("simulate", Access::Public),
    // Reading, for every member.
    ("accounts", Access::Read),
    ("dashboard_nav", Access::Read),
    ("developers", Access::Read),
    ("exports", Access::Read),
    ("gateways", Access::Read),
    ("link", Access::Read),
    ("link_attempts", Access::Read),
    ("link_form_options", Access::Read),
    ("links", Access::Read),
    ("overview", Access::Read),
    ("payment", Access::Read),
    ("payments", Access::Read),
    ("security", Access::Read),
    ("team", Access::Read),
    ("webhook_event", Access::Read),
    ("webhooks", Access::Read),
    // An export only reads, though the log records who took the data out.
    ("export_create", Access::Read),
    // Every member guards their own sign-in, viewers included.
    ("two_factor_begin", Access::Read),
    ("two_factor_enable", Access::Read),
    ("two_factor_disable", Access::Read),
    ("session_end", Access::Read),
    ("sessions_end_others", Access::Read),
    // And confirms their own address, and chooses what they hear of by email.
    ("email_verify_resend", Access::Read),
    ("notifications", Access::Read),
    ("notifications_save", Access::Read),
    ("branding", Access::Read),
    // Any payer may simulate a sandbox payment on the payer page; a viewer may too.
    ("attempt_simulate", Access::Read),
    // Changes, for admins and owners.
    ("account_create", Access::Write),
    ("branding_color", Access::Write),
    ("account_rename", Access::Write),
    ("account_status", Access::Write),
    ("credential_create", Access::Write),
    ("credential_revoke", Access::Write),
    ("credential_rotate", Access::Write),
    // Gateway keys are money: connected only by who may change links.
    ("gateway_connect", Access::Write),
    ("gateway_disconnect", Access::Write),
    ("gateway_route", Access::Write),
    ("gateway_sandbox", Access::Write),
    ("refund", Access::Write),
    ("refund_end", Access::Write),
    ("gateway_test", Access::Write),
    ("link_create", Access::Write),
    ("link_delete", Access::Write),
    ("link_status", Access::Write),
    ("link_update", Access::Write),
    ("webhook_resend", Access::Write),
    ("webhook_resend_failed", Access::Write),
    ("webhook_settings", Access::Write),
    ("webhook_test", Access::Write),
    // The team and its record, for owners.
    ("audit", Access::Owner),
    ("team_invite", Access::Owner),
    ("team_invitation_revoke", Access::Owner),
    ("team_remove", Access::Owner),
    ("team_role", Access::Owner),
    ("team_two_factor", Access::Owner),
];

/// The rule of a server function endpoint (the last path segment).
pub fn rule(endpoint: &str) -> Access {
    RULES
        .iter()
        .find(|(name, _)| *name == endpoint)
        .map(|(_, access)| *access)
        .unwrap_or(Access::Write)
}

/// What a member whose team requires two-factor sign-in may still do before turning it on:
/// turn it on, and manage or end their sessions.
pub const WITHOUT_TWO_FACTOR: &[&str] = &[
    "dashboard_nav",
    "security",
    "two_factor_begin",
    "two_factor_enable",
    "session_end",
    "sessions_end_others",
];

/// Middleware on `/fn/*`: refuses members whose role does not allow the call (403).
pub async fn enforce(
    State(state): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    let Some(endpoint) = request
        .uri()
        .path()
        .strip_prefix("/fn/")
        .map(str::to_string)
    else {
        return next.run(request).await;
    };
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let access = rule(&endpoint);
    if access == Access::Public {
        return next.run(request).await;
    }
    let user = match current_user(&state.db, &session).await {
        Ok(Some(user)) => user,
        // Signed out: the function itself answers 401.
        Ok(None) => return next.run(request).await,
        Err(error) => return error.into_response(),
    };
    if !user.role.allows(access) {
        return forbidden();
    }
    if user.needs_two_factor_setup() && !WITHOUT_TWO_FACTOR.contains(&endpoint.as_str()) {
        let message = crate::tr!(security.setup_needed);
        let body = serde_json::to_string(&AppError::Conflict(message)).unwrap_or_default();
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    }
    // The function reads the user from here instead of looking it up a second time.
    let mut request = request;
    request.extensions_mut().insert(user);
    next.run(request).await
}

/// The refusal, encoded as the server function's own errors are.
fn forbidden() -> Response {
    let body = serde_json::to_string(&AppError::Forbidden).unwrap_or_default();
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_endpoints_need_an_admin() {
        assert_eq!(rule("something_new"), Access::Write);
        assert_eq!(rule("payments"), Access::Read);
        assert_eq!(rule("team_role"), Access::Owner);
        let names: std::collections::BTreeSet<_> = RULES.iter().map(|r| r.0).collect();
        assert_eq!(names.len(), RULES.len(), "each endpoint once");
    }
}
