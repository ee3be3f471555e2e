//! Who may call which server function, enforced in one place for all of them, and the audit
//! entry every change leaves. A server function missing from [`RULES`] counts as a change
//! that needs an admin: a new endpoint is closed to viewers until it is listed as a read.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use crate::auth::current_user;
use crate::domain::merchant::Access;
use crate::error::AppError;
use crate::state::AppState;

/// Every server function: who may call it and, for changes, what the audit log calls it.
pub const RULES: &[(&str, Access, Option<&str>)] = &[
    // Payers and visitors.
    ("attempt", Access::Public, None),
    ("invitation", Access::Public, None),
    ("invitation_accept", Access::Public, None),
    ("login", Access::Public, None),
    ("logout", Access::Public, None),
    ("pay", Access::Public, None),
    ("payer_link", Access::Public, None),
    ("signup", Access::Public, None),
    ("simulate", Access::Public, None),
    // Reading, for every member.
    ("accounts", Access::Read, None),
    ("dashboard_nav", Access::Read, None),
    ("developers", Access::Read, None),
    ("exports", Access::Read, None),
    ("link", Access::Read, None),
    ("link_attempts", Access::Read, None),
    ("link_form_options", Access::Read, None),
    ("links", Access::Read, None),
    ("overview", Access::Read, None),
    ("payment", Access::Read, None),
    ("payments", Access::Read, None),
    ("security", Access::Read, None),
    ("team", Access::Read, None),
    ("webhook_event", Access::Read, None),
    ("webhooks", Access::Read, None),
    // An export reads, but who took the data out is worth knowing.
    ("export_create", Access::Read, Some("Exported payments")),
    // Every member guards their own sign-in, viewers included.
    ("two_factor_begin", Access::Read, None),
    (
        "two_factor_enable",
        Access::Read,
        Some("Turned on two-factor sign-in"),
    ),
    (
        "two_factor_disable",
        Access::Read,
        Some("Turned off two-factor sign-in"),
    ),
    ("session_end", Access::Read, Some("Signed out a browser")),
    (
        "sessions_end_others",
        Access::Read,
        Some("Signed out everywhere else"),
    ),
    // Any payer may simulate a sandbox payment on the payer page; a viewer may too.
    (
        "attempt_simulate",
        Access::Read,
        Some("Simulated a payment"),
    ),
    // Changes, for admins and owners.
    ("account_create", Access::Write, Some("Created an account")),
    ("account_rename", Access::Write, Some("Renamed an account")),
    (
        "account_status",
        Access::Write,
        Some("Changed an account's status"),
    ),
    (
        "credential_create",
        Access::Write,
        Some("Created an API credential"),
    ),
    (
        "credential_revoke",
        Access::Write,
        Some("Revoked an API credential"),
    ),
    (
        "credential_rotate",
        Access::Write,
        Some("Rotated an API secret"),
    ),
    ("link_create", Access::Write, Some("Created a payment link")),
    ("link_delete", Access::Write, Some("Deleted a payment link")),
    (
        "link_status",
        Access::Write,
        Some("Closed or reopened a payment link"),
    ),
    ("link_update", Access::Write, Some("Edited a payment link")),
    (
        "webhook_resend",
        Access::Write,
        Some("Resent a webhook event"),
    ),
    (
        "webhook_resend_failed",
        Access::Write,
        Some("Resent failed webhook events"),
    ),
    (
        "webhook_settings",
        Access::Write,
        Some("Changed webhook settings"),
    ),
    ("webhook_test", Access::Write, Some("Sent a test webhook")),
    // The team and its record, for owners.
    ("audit", Access::Owner, None),
    ("team_invite", Access::Owner, Some("Invited a member")),
    (
        "team_invitation_revoke",
        Access::Owner,
        Some("Withdrew an invitation"),
    ),
    ("team_remove", Access::Owner, Some("Removed a member")),
    ("team_role", Access::Owner, Some("Changed a member's role")),
    (
        "team_two_factor",
        Access::Owner,
        Some("Changed the team's two-factor rule"),
    ),
];

/// The rule of a server function endpoint (the last path segment).
pub fn rule(endpoint: &str) -> (Access, &'static str) {
    RULES
        .iter()
        .find(|(name, ..)| *name == endpoint)
        .map(|(_, access, label)| (*access, label.unwrap_or("")))
        .unwrap_or((Access::Write, "Changed something"))
}

/// Form fields never written to the log.
const SECRET_FIELDS: [&str; 5] = ["password", "secret", "token", "confirm", "code"];

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
const DETAIL_CHARS: usize = 500;

/// Middleware on `/fn/*`: refuses members whose role does not allow the call (403), and logs
/// each successful change with the fields it was made with.
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
    let (access, label) = rule(&endpoint);
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
        let body = serde_json::to_string(&AppError::Conflict(
            "Your team requires two-factor sign-in: turn it on under Security first.".into(),
        ))
        .unwrap_or_default();
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    }
    // The function reads the user from here instead of looking it up a second time.
    let mut request = request;
    request.extensions_mut().insert(user.clone());
    if label.is_empty() {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, crate::security::MAX_BODY_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.").into_response();
    };
    let detail = describe(&endpoint, &bytes);
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if succeeded(&response) {
        let entry = crate::db::audit::NewEntry {
            merchant_id: user.merchant_id,
            user_id: Some(user.user_id),
            actor: &user.email,
            action: label,
            detail: &detail,
            now_ms: state.now_ms(),
        };
        if let Err(error) = crate::db::audit::record(&state.db, entry).await {
            tracing::error!(%error, "writing an audit entry failed");
        }
    }
    response
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

/// A server function succeeded unless it answered an error, or redirected a plain form post
/// back with one (`__err` in the address).
fn succeeded(response: &Response) -> bool {
    let back_with_error = response
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .is_some_and(|l| l.contains("__err="));
    response.status().as_u16() < 400
        && !response.headers().contains_key("serverfnerror")
        && !back_with_error
}

/// `endpoint: field=value, …` from the form, without secrets, cut to a readable length.
pub fn describe(endpoint: &str, form: &[u8]) -> String {
    let fields: Vec<String> = url::form_urlencoded::parse(form)
        .filter(|(key, value)| !value.is_empty() && !SECRET_FIELDS.iter().any(|s| key.contains(s)))
        .map(|(key, value)| {
            let value: String = value.chars().take(80).collect();
            format!("{key}={value}")
        })
        .collect();
    let detail = format!("{endpoint}: {}", fields.join(", "));
    match detail.char_indices().nth(DETAIL_CHARS) {
        Some((cut, _)) => format!("{}…", &detail[..cut]),
        None => detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_leave_secrets_out() {
        let detail = describe(
            "team_invite",
            b"email=budi%40toko.id&role=viewer&password=hunter2&confirm=yes&empty=",
        );
        assert_eq!(detail, "team_invite: email=budi@toko.id, role=viewer");
    }

    #[test]
    fn unknown_endpoints_need_an_admin_and_are_logged() {
        assert_eq!(rule("something_new"), (Access::Write, "Changed something"));
        assert_eq!(rule("payments"), (Access::Read, ""));
        assert_eq!(rule("team_role").0, Access::Owner);
        let names: std::collections::BTreeSet<_> = RULES.iter().map(|r| r.0).collect();
        assert_eq!(names.len(), RULES.len(), "each endpoint once");
    }
}
