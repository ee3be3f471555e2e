//! A merchant's own gateway accounts (Midtrans, Xendit): connected with keys the gateway has
//! just accepted, kept sealed, shown only by their last characters, never written to the log.

use crate::db::gateways::{self, NewConnection, Sealed};
use crate::domain::audit::AuditAction;
use crate::domain::gateway::{key_hint, parse_key, Gateway, GatewayMode};
use crate::domain::ids::{LinkId, MerchantId};
use crate::domain::lang::{Lang, Text};
use crate::domain::merchant::Access;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::model::PaymentAttempt;
use crate::payments::{Connector, GatewayError, IssueRequest, Issued};
use crate::secrets::SecretBox;
use crate::service::Actor;
use crate::state::AppState;

const GATEWAY_DOWN: Text = Text::new(
    "Penyedia pembayaran sedang tidak menjawab. Coba lagi sebentar lagi atau pilih metode lain.",
    "The payment provider is not answering. Try again in a moment or choose another method.",
);
const GATEWAY_REFUSED: Text = Text::new(
    "Penyedia pembayaran menolak pembayaran ini. Pilih metode lain.",
    "The payment provider refused this payment. Choose another method.",
);

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
    state
        .secrets
        .as_deref()
        .ok_or_else(|| AppError::Conflict(crate::tr!(gateways.server_needs_secret_key)))
}

/// What a sealed value is bound to: its merchant, gateway, mode and field.
fn place(merchant_id: MerchantId, gateway: Gateway, mode: GatewayMode, field: &str) -> String {
    format!(
        "gateway/{merchant_id}/{}/{}/{field}",
        gateway.as_str(),
        mode.as_str()
    )
}

/// A stored connection, its key opened, ready to call.
pub(crate) fn connector(state: &AppState, sealed: &Sealed) -> Result<Connector, AppError> {
    let (gateway, mode) = (sealed.connection.gateway, sealed.connection.mode);
    let secret = secrets(state)?.open(
        &sealed.secret_sealed,
        &place(sealed.merchant_id, gateway, mode, "secret"),
    )?;
    Connector::new(gateway, &base_url(state, gateway, mode), &secret)
}

/// The gateway's answer to a key, in the merchant's terms.
fn explain(gateway: Gateway, mode: GatewayMode, error: GatewayError) -> AppError {
    match error {
        GatewayError::Unauthorized => AppError::field(
            "secret",
            crate::tr!(
                gateways.not_accepted,
                gateway = gateway.label(),
                what = gateway.secret_label(),
                mode = mode.label()
            ),
        ),
        GatewayError::Unavailable(cause) | GatewayError::Refused(cause) => {
            tracing::warn!(gateway = gateway.as_str(), %cause, "gateway connection test failed");
            AppError::Conflict(crate::tr!(gateways.unreachable, gateway = gateway.label()))
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
    // Real money waits for a confirmed address.
    if let (Some(GatewayMode::Production), Actor::Member { user_id, .. }) = (mode, actor) {
        if crate::auth::verify::pending(state, *user_id).await? {
            errors.add("mode", crate::tr!(gateways.confirm_email_first));
        }
    }
    let what = gateway.map_or_else(|| crate::tr!(gateways.key_noun), |g| g.secret_label());
    let secret = parse_key(input.secret, &what)
        .map_err(|e| errors.add("secret", e))
        .ok();
    let callback_token = match gateway {
        Some(g) if g.needs_callback_token() => parse_key(
            input.callback_token,
            &crate::tr!(gateways.callback_token_noun),
        )
        .map_err(|e| errors.add("callback_token", e))
        .ok(),
        _ => None,
    };
    errors.into_result(())?;
    let (Some(gateway), Some(mode), Some(secret)) = (gateway, mode, secret) else {
        return Err(AppError::internal("checked fields missing"));
    };
    let secrets = secrets(state)?;
    Connector::new(gateway, &base_url(state, gateway, mode), &secret)?
        .test_connection()
        .await
        .map_err(|error| explain(gateway, mode, error))?;
    let merchant_id = actor.merchant_id();
    let secret_sealed = secrets.seal(&secret, &place(merchant_id, gateway, mode, "secret"))?;
    let callback_token_sealed = callback_token
        .map(|token| secrets.seal(&token, &place(merchant_id, gateway, mode, "callback_token")))
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
    connector(state, &stored)?
        .test_connection()
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

/// Sets which methods one of the merchant's connections issues (only methods its gateway
/// offers).
pub async fn route(
    state: &AppState,
    actor: &Actor,
    id: i64,
    methods: &[String],
) -> Result<(), AppError> {
    actor.require(Access::Write)?;
    let stored = gateways::find(&state.db, actor.merchant_id(), id).await?;
    let gateway = stored.connection.gateway;
    let offered = crate::payments::offered(gateway);
    if let Some(other) = methods.iter().find(|m| !offered.contains(&m.as_str())) {
        return Err(AppError::field(
            "methods",
            crate::tr!(
                gateways.does_not_issue,
                gateway = gateway.label(),
                method = other.clone()
            ),
        ));
    }
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    if !gateways::save_routes(&mut tx, actor.merchant_id(), id, methods).await? {
        return Err(AppError::NotFound);
    }
    let detail = format!(
        "{} ({}) issues {}",
        gateway.label(),
        stored.connection.mode.as_str(),
        if methods.is_empty() {
            "nothing".to_string()
        } else {
            methods.join(", ")
        }
    );
    actor
        .audit(&mut tx, AuditAction::GatewayRouted, &detail, now_ms)
        .await?;
    tx.commit().await?;
    // The payer pages show no method detail that depends on this, but keep one truth.
    state.payer_cache.changed();
    Ok(())
}

/// Whether the built-in sandbox issues the methods no connection issues. Off, payers are
/// offered only the routed methods: a merchant taking real money never shows a sandbox VA.
pub async fn set_sandbox(state: &AppState, actor: &Actor, on: bool) -> Result<(), AppError> {
    actor.require(Access::Write)?;
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    gateways::set_sandbox_issues(&mut tx, actor.merchant_id(), on).await?;
    let detail = if on {
        "The sandbox issues the methods no gateway issues"
    } else {
        "Only the methods routed to a gateway are offered"
    };
    actor
        .audit(&mut tx, AuditAction::SandboxSwitched, detail, now_ms)
        .await?;
    tx.commit().await?;
    // The payer pages offer other methods now.
    state.payer_cache.changed();
    Ok(())
}

/// Issues an attempt's instructions through the merchant's connections routed for its
/// method, the earliest connected first and the next only when one cannot answer (timed out,
/// 5xx); through the built-in sandbox when none is routed (any more). Returns which
/// connection issued.
pub async fn issue(
    state: &AppState,
    link_id: LinkId,
    request: IssueRequest<'_>,
    lang: Lang,
) -> Result<(Issued, Option<i64>), AppError> {
    let issuers = gateways::issuers(&state.db, link_id, &request.method.code).await?;
    if issuers.is_empty() {
        return state
            .provider
            .issue(request)
            .await
            .map(|issued| (issued, None));
    }
    for sealed in &issuers {
        let connection = &sealed.connection;
        match connector(state, sealed)?.charge(&request).await {
            Ok(issued) => return Ok((issued, Some(connection.id))),
            Err(GatewayError::Unavailable(cause)) => {
                tracing::warn!(gateway = connection.gateway.as_str(), %cause, "gateway unavailable; trying the next");
            }
            Err(error) => {
                tracing::warn!(gateway = connection.gateway.as_str(), %error, "gateway refused an attempt");
                return Err(AppError::Conflict(GATEWAY_REFUSED.get(lang).into()));
            }
        }
    }
    Err(AppError::Conflict(GATEWAY_DOWN.get(lang).into()))
}

/// A gateway's notification, verified with the key of the connection its URL names.
pub struct Heard {
    pub gateway: Gateway,
    pub attempt_reff_no: String,
    /// The gateway's id of the payment: what "credited once" counts.
    pub transaction_id: String,
    pub amount: i64,
    pub paid: bool,
}

/// Reads and verifies a notification sent to `/callbacks/{gateway}/{connection id}`: from
/// the gateway that connection is at, signed with its key (Midtrans) or carrying its token
/// (Xendit), and when it is a payment, about an attempt that connection issued.
pub async fn hear(
    state: &AppState,
    gateway: &str,
    connection_id: i64,
    token: Option<&str>,
    body: &[u8],
) -> Result<Heard, AppError> {
    let gateway = Gateway::parse(gateway).map_err(|_| AppError::NotFound)?;
    let stored = gateways::find_any(&state.db, connection_id).await?;
    let connection = &stored.connection;
    if connection.gateway != gateway {
        return Err(AppError::NotFound);
    }
    let body: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| AppError::field("body", e.to_string()))?;
    let secrets = secrets(state)?;
    let open = |sealed: &str, field: &str| {
        secrets.open(
            sealed,
            &place(stored.merchant_id, gateway, connection.mode, field),
        )
    };
    let refused = |why: String| {
        tracing::warn!(gateway = gateway.as_str(), %why, "refused a gateway notification");
        AppError::Unauthorized
    };
    let heard = match gateway {
        Gateway::Midtrans => {
            let key = open(&stored.secret_sealed, "secret")?;
            let read = crate::payments::midtrans::notification::Notification::verified(&body, &key)
                .map_err(refused)?;
            Heard {
                gateway,
                paid: read.status == crate::payments::GatewayStatus::Paid,
                attempt_reff_no: read.order_id,
                transaction_id: read.transaction_id,
                amount: read.amount,
            }
        }
        Gateway::Xendit => {
            let sealed = stored
                .callback_token_sealed
                .as_deref()
                .ok_or_else(|| refused("no callback token kept".into()))?;
            let expected = open(sealed, "callback_token")?;
            let read =
                crate::payments::xendit::callback::Callback::verified(token, &body, &expected)
                    .map_err(refused)?;
            Heard {
                gateway,
                paid: read.status == crate::payments::GatewayStatus::Paid,
                transaction_id: read.payment_id.unwrap_or(read.payment_request_id),
                attempt_reff_no: read.reference_id,
                amount: read.amount,
            }
        }
    };
    // Only the connection that issued an attempt may pay it. (Other news is only noted: a
    // charge's "pending" can arrive before its attempt is stored.)
    if heard.paid
        && crate::db::histories::issued_by(&state.db, &heard.attempt_reff_no).await?
            != Some(connection_id)
    {
        return Err(AppError::NotFound);
    }
    Ok(heard)
}

/// Stops a gateway's charge for an attempt the payer gave up, before it ends here: once it
/// answers, no money can arrive for it. Nothing to do for the sandbox's attempts. An error
/// when the gateway refuses (it was paid meanwhile) or does not answer: the attempt then
/// stays as it is.
pub async fn cancel_charge(state: &AppState, attempt: &PaymentAttempt) -> Result<(), AppError> {
    let Some(connection_id) = attempt.gateway_connection_id else {
        return Ok(());
    };
    let attempt_reff_no = attempt.reff_no.as_str();
    let stored = gateways::find_any(&state.db, connection_id).await?;
    let reference = attempt.gateway_reference.as_deref();
    connector(state, &stored)?
        .cancel(attempt_reff_no, reference)
        .await
        .map_err(|error| {
            tracing::warn!(%error, attempt = attempt_reff_no, "the gateway did not cancel a charge");
            AppError::Conflict(crate::tr!(gateways.cannot_stop))
        })
}

/// How long a gateway's attempt stays pending before the gateway is asked about it, how
/// often it is asked again, and how many are asked per pass.
const QUIET_FOR_MS: i64 = 3 * 60 * 1000;
const ASK_EVERY_MS: i64 = 5 * 60 * 1000;
const RECONCILE_BATCH: i64 = 50;

/// Reconciliation (the job loop): asks the gateways about their attempts pending for a few
/// minutes, and about those past their end before they expire here. A payment the gateway
/// took is credited as its notification would have been, so a lost notification never loses
/// a payment; a charge still open after its attempt's end is cancelled there, so no money can
/// arrive for an attempt ended here. Returns how many were asked.
pub async fn reconcile(state: &AppState) -> Result<u64, AppError> {
    let now = state.now_ms();
    let due = crate::db::histories::gateway_due(
        &state.db,
        now,
        QUIET_FOR_MS,
        ASK_EVERY_MS,
        RECONCILE_BATCH,
    )
    .await?;
    let mut asked = 0;
    for attempt in &due {
        match reconcile_one(state, attempt, now).await {
            Ok(()) => {
                crate::db::histories::gateway_checked(&state.db, &attempt.reff_no, now).await?;
                asked += 1;
            }
            // Asked again on the next pass; the attempt does not expire meanwhile.
            Err(error) => {
                tracing::warn!(%error, attempt = %attempt.reff_no, "reconciling with a gateway failed")
            }
        }
    }
    Ok(asked)
}

async fn reconcile_one(
    state: &AppState,
    attempt: &crate::db::histories::GatewayPending,
    now: i64,
) -> Result<(), AppError> {
    let stored = match gateways::find_any(&state.db, attempt.gateway_connection_id).await {
        Ok(stored) => stored,
        // Disconnected since: nobody left to ask.
        Err(AppError::NotFound) => return Ok(()),
        Err(other) => return Err(other),
    };
    let connector = connector(state, &stored)?;
    let reference = attempt.gateway_reference.as_deref();
    let read = connector
        .read(&attempt.reff_no, reference)
        .await
        .map_err(AppError::from)?;
    match read {
        Some(payment) if payment.status == crate::payments::GatewayStatus::Paid => {
            // The gateway took it while its charge was open, which ended with the attempt.
            let record = crate::db::notifications::Record {
                provider: stored.connection.gateway.as_str(),
                transaction_id: &payment.transaction_id,
                attempt_reff_no: &attempt.reff_no,
                amount: payment.amount,
                body: &payment.body,
                received_at: now.min(attempt.expired_at - 1),
            };
            match crate::service::payments::apply(state, &record, 0).await {
                crate::service::payments::Applied::Lost => Err(AppError::Busy),
                _ => Ok(()),
            }
        }
        Some(payment)
            if payment.status == crate::payments::GatewayStatus::Pending
                && attempt.expired_at <= now =>
        {
            connector
                .cancel(&attempt.reff_no, reference)
                .await
                .map_err(AppError::from)
        }
        _ => Ok(()),
    }
}
