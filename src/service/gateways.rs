//! A merchant's own gateway accounts (Midtrans, Xendit): connected with keys the gateway has
//! just accepted, kept sealed, shown only by their last characters, never written to the log.

use crate::db::gateways::{self, NewConnection};
use crate::domain::audit::AuditAction;
use crate::domain::gateway::{key_hint, parse_key, Gateway, GatewayMode};
use crate::domain::merchant::Access;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::payments::GatewayError;
use crate::secrets::SecretBox;
use crate::service::Actor;
use crate::state::AppState;

/// The connect form as sent, not yet checked.
pub struct ConnectInput<'a> {
    pub gateway: &'a str,
    pub mode: &'a str,
    pub secret: &'a str,
    /// Xendit's callback verification token; ignored for Midtrans.
    pub callback_token: &'a str,
}

/// Where the gateway's API answers: the configured stand-in, else the gateway's own.
fn base_url(state: &AppState, gateway: Gateway, mode: GatewayMode) -> String {
    let settings = &state.settings;
    match gateway {
        Gateway::Midtrans => settings.midtrans_base_url.clone().unwrap_or_else(|| {
            match mode {
                GatewayMode::Sandbox => crate::payments::midtrans::SANDBOX_URL,
                GatewayMode::Production => crate::payments::midtrans::PRODUCTION_URL,
            }
            .into()
        }),
        // Xendit has one address; the key itself is a test or a live one.
        Gateway::Xendit => settings
            .xendit_base_url
            .clone()
            .unwrap_or_else(|| crate::payments::xendit::BASE_URL.into()),
    }
}

fn secrets(state: &AppState) -> Result<&SecretBox, AppError> {
    state.secrets.as_deref().ok_or_else(|| {
        AppError::Conflict(
            "Connecting a gateway needs PAYLINKS_SECRET_KEY set on the server, to keep its keys \
             sealed."
                .into(),
        )
    })
}

/// What a sealed value is bound to: its merchant, gateway, mode and field.
fn place(actor: &Actor, gateway: Gateway, mode: GatewayMode, field: &str) -> String {
    format!(
        "gateway/{}/{}/{}/{field}",
        actor.merchant_id(),
        gateway.as_str(),
        mode.as_str()
    )
}

/// The gateway's answer to a key, in the merchant's terms.
fn explain(gateway: Gateway, mode: GatewayMode, error: GatewayError) -> AppError {
    match error {
        GatewayError::Unauthorized => AppError::field(
            "secret",
            format!(
                "{} does not accept this {} in {} mode.",
                gateway.label(),
                gateway.secret_label().to_lowercase(),
                mode.as_str()
            ),
        ),
        GatewayError::Unavailable(cause) | GatewayError::Refused(cause) => {
            tracing::warn!(gateway = gateway.as_str(), %cause, "gateway connection test failed");
            AppError::Conflict(format!(
                "{} could not be reached to check the key. Try again in a moment.",
                gateway.label()
            ))
        }
    }
}

/// Connects (or re-keys) the merchant's account at a gateway once the gateway has accepted
/// the key.
pub async fn connect(
    state: &AppState,
    actor: &Actor,
    input: ConnectInput<'_>,
) -> Result<(), AppError> {
    actor.require(Access::Write)?;
    let mut errors = FieldErrors::default();
    let gateway = Gateway::parse(input.gateway)
        .map_err(|e| errors.add("gateway", e))
        .ok();
    let mode = GatewayMode::parse(input.mode)
        .map_err(|e| errors.add("mode", e))
        .ok();
    let what = gateway.map_or("key", |g| g.secret_label());
    let secret = parse_key(input.secret, &what.to_lowercase())
        .map_err(|e| errors.add("secret", e))
        .ok();
    let callback_token = match gateway {
        Some(g) if g.needs_callback_token() => {
            parse_key(input.callback_token, "callback verification token")
                .map_err(|e| errors.add("callback_token", e))
                .ok()
        }
        _ => None,
    };
    errors.into_result(())?;
    let (Some(gateway), Some(mode), Some(secret)) = (gateway, mode, secret) else {
        return Err(AppError::internal("checked fields missing"));
    };
    let secrets = secrets(state)?;
    crate::payments::test_connection(gateway, &base_url(state, gateway, mode), &secret)
        .await
        .map_err(|error| explain(gateway, mode, error))?;
    let secret_sealed = secrets.seal(&secret, &place(actor, gateway, mode, "secret"))?;
    let callback_token_sealed = callback_token
        .map(|token| secrets.seal(&token, &place(actor, gateway, mode, "callback_token")))
        .transpose()?;
    let hint = key_hint(&secret);
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    gateways::save(
        &mut tx,
        actor.merchant_id(),
        &NewConnection {
            gateway,
            mode,
            secret_sealed: &secret_sealed,
            secret_hint: &hint,
            callback_token_sealed: callback_token_sealed.as_deref(),
            now_ms,
        },
    )
    .await?;
    let detail = format!("{} ({}), key {hint}", gateway.label(), mode.as_str());
    actor
        .audit(&mut tx, AuditAction::GatewayConnected, &detail, now_ms)
        .await?;
    tx.commit().await
}

/// Asks the gateway again whether it takes the stored key.
pub async fn test(state: &AppState, actor: &Actor, id: i64) -> Result<(), AppError> {
    actor.require(Access::Write)?;
    let stored = gateways::find(&state.db, actor.merchant_id(), id).await?;
    let (gateway, mode) = (stored.connection.gateway, stored.connection.mode);
    let secret = secrets(state)?.open(
        &stored.secret_sealed,
        &place(actor, gateway, mode, "secret"),
    )?;
    crate::payments::test_connection(gateway, &base_url(state, gateway, mode), &secret)
        .await
        .map_err(|error| explain(gateway, mode, error))
}

/// Forgets the merchant's account at a gateway, keys and all.
pub async fn disconnect(state: &AppState, actor: &Actor, id: i64) -> Result<(), AppError> {
    actor.require(Access::Write)?;
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    let removed = gateways::delete(&mut tx, actor.merchant_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let detail = format!("{} ({})", removed.gateway.label(), removed.mode.as_str());
    actor
        .audit(&mut tx, AuditAction::GatewayDisconnected, &detail, now_ms)
        .await?;
    tx.commit().await
}
