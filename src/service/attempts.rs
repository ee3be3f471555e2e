//! Starting a payer's attempt: the provider issues the instructions (a VA number, a QRIS
//! payload, a checkout), then the attempt is stored with its slot in one write, with its
//! inquiry event when the merchant wants one.

use crate::db::{outcomes, reservations};
use crate::domain::attempt::{attempt_expiry, attempt_reff_no};
use crate::domain::lang::Lang;
use crate::domain::link::Answer;
use crate::domain::method::PaymentMethod;
use crate::domain::order::Order;
use crate::domain::phone::{CustomerDetail, PhoneNumber};
use crate::error::AppError;
use crate::model::PaymentLink;
use crate::payments::IssueRequest;
use crate::service::gateways;
use crate::state::AppState;

/// Tries at drawing a random value that turned out taken: an attempt reference, or issued
/// instructions equal to another live attempt's (e.g. a VA number).
const DRAW_TRIES: usize = 5;

/// A payer's choice, checked by the caller against what the link offers.
pub struct Start<'a> {
    pub link: &'a PaymentLink,
    pub merchant_name: &'a str,
    pub method: &'a PaymentMethod,
    /// What the payer buys: the link's total or what they chose, and the units it takes.
    pub order: &'a Order,
    /// The payer's answers to the link's questions.
    pub answers: &'a [Answer],
    pub customer: Option<&'a CustomerDetail>,
    /// For a method that pushes to the payer's phone.
    pub payer_phone: Option<&'a PhoneNumber>,
    pub ip_address: Option<&'a str>,
    /// Write the merchant's inquiry event with the attempt (their inquiry URL is set).
    pub announce: bool,
    /// The payer's language, for a gateway's refusal.
    pub lang: Lang,
    /// The method is routed to one of the merchant's gateway connections (else the sandbox
    /// issues it, without asking the database for connections).
    pub routed: bool,
}

pub enum Started {
    /// Issued and stored: the attempt's reference, and when it expires.
    Issued { reff_no: String, expires_at: i64 },
    /// The link has no free slot (or closed or expired meanwhile).
    NoSlot,
}

/// Issues and stores a new attempt. Instructions issued for a link that filled up meanwhile
/// are never shown to anyone and lapse at the provider; a provider that cannot issue leaves a
/// failed attempt the merchant sees, with its event, and its error is returned.
pub async fn start(state: &AppState, start: Start<'_>) -> Result<Started, AppError> {
    let Start {
        link,
        merchant_name,
        method,
        order,
        answers,
        customer,
        payer_phone,
        ip_address,
        announce,
        lang,
        routed,
    } = start;
    // Kept only when the payer chose them: otherwise they are the link's own.
    let quantities = crate::domain::order::is_adjustable(&link.items)
        .then(|| serde_json::to_string(&order.quantities).expect("numbers serialise"));
    let custom_values =
        (!answers.is_empty()).then(|| serde_json::to_string(answers).expect("answers serialise"));
    let now = state.now_ms();
    let capped = link.max_usage != crate::domain::link::UNLIMITED_USAGE;
    let expires_at = attempt_expiry(now, method.expiry_seconds, link.expired_at, capped);
    // Each draw fills in its reference and what was issued.
    let unissued = reservations::NewAttempt {
        link_id: link.id,
        reff_no: "",
        method_code: &method.code,
        method_name: &method.name,
        value: "",
        additional: None,
        amount: order.amount,
        units: order.units,
        quantities: quantities.as_deref(),
        custom_values: custom_values.as_deref(),
        fee: method.fee_for(order.amount),
        expires_at,
        customer_name: customer.map(|c| c.name.as_str()),
        customer_email: customer.map(|c| c.email.as_str()),
        customer_phone: customer.map(|c| c.phone.as_str()),
        ip_address,
        now_ms: now,
        announce_with: None,
        gateway_connection_id: None,
        gateway_reference: None,
        payer_lang: lang,
    };
    let announce_with = announce.then_some(state.settings.public_base_url.as_str());
    for _ in 0..DRAW_TRIES {
        let reff_no = attempt_reff_no(now, rand::random::<u32>());
        let return_url = format!("{}/{reff_no}", state.payer_url(&link.slug));
        let request = IssueRequest {
            attempt_reff_no: &reff_no,
            method,
            amount: order.amount,
            merchant_name,
            payer_phone: payer_phone.map(PhoneNumber::as_str),
            now_ms: now,
            expires_at_ms: expires_at,
            return_url: &return_url,
        };
        let issued = if routed {
            gateways::issue(state, link.id, request, lang).await
        } else {
            state
                .provider
                .issue(request)
                .await
                .map(|issued| (issued, None))
        };
        let (issued, issuer) = match issued {
            Ok(issued) => issued,
            Err(error) => {
                let failed = reservations::NewAttempt {
                    reff_no: &reff_no,
                    ..unissued
                };
                if let Some(id) = state.reservations.reserve(failed).await? {
                    let base = &state.settings.public_base_url;
                    outcomes::mark_failed(&state.db, id, now, base).await?;
                }
                return Err(error);
            }
        };
        let attempt = reservations::NewAttempt {
            reff_no: &reff_no,
            value: &issued.value,
            additional: issued.additional.as_deref(),
            announce_with,
            gateway_connection_id: issuer,
            gateway_reference: issued.gateway_reference.as_deref(),
            ..unissued
        };
        match state.reservations.reserve(attempt).await {
            Ok(Some(_)) => {
                metrics::counter!(crate::metrics::ATTEMPTS_STARTED).increment(1);
                return Ok(Started::Issued {
                    reff_no,
                    expires_at,
                });
            }
            Ok(None) => return Ok(Started::NoSlot),
            Err(AppError::Duplicate(_)) => continue,
            Err(other) => return Err(other),
        }
    }
    Err(AppError::internal(
        "could not draw a free attempt reference and unique instructions",
    ))
}

/// The payer gives up their pending attempt to pay another way (or not at all): its charge is
/// cancelled at the gateway that issued it (if one did), then it ends at once, its
/// instructions stop working and its slot is free for the next payer. False when it was no
/// longer pending (paid, ended, or its money is being applied).
pub async fn cancel(state: &AppState, link: &PaymentLink, reff_no: &str) -> Result<bool, AppError> {
    let attempt = crate::db::histories::find_on_link(&state.db, link.id, reff_no).await?;
    if attempt.status_computed(state.now_ms()) != crate::domain::attempt::AttemptStatus::Pending {
        return Ok(false);
    }
    // A gateway's charge is stopped there first: money must not arrive for an attempt ended.
    gateways::cancel_charge(state, &attempt).await?;
    let base = &state.settings.public_base_url;
    outcomes::cancel(&state.db, attempt.id, state.now_ms(), base).await
}
