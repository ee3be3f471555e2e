//! The sandbox's stand-ins for banks, wallets and tills: pay a VA by number, pay a QRIS by
//! payload, approve an e-wallet checkout, pay a payment code at an outlet's cashier. Each ends
//! in a signed callback to the app's own callback endpoint, exactly as a real acquirer would
//! notify it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use serde::Deserialize;

use crate::db::{histories, links};
use crate::domain::attempt::is_attempt_reff_no;
use crate::error::AppError;
use crate::model::PaymentAttempt;
use crate::payments::callback::{sign, PaymentNotice, CALLBACK_PATH, SIGNATURE_HEADER};
use crate::payments::sandbox::qris::parse_payload;
use crate::payments::sandbox::retail::Outlet;
use crate::state::AppState;

/// The simulators exist only while the app runs on the sandbox provider.
fn sandbox_only(state: &AppState) -> Result<(), AppError> {
    if state.provider.is_sandbox() {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Sends the signed "paid" notice for an attempt and returns the callback's answer.
pub async fn notify_paid(
    state: &AppState,
    attempt_reff_no: &str,
    amount: i64,
) -> Result<(StatusCode, String), AppError> {
    let notice = PaymentNotice {
        transaction_id: format!("SBX-{}", ulid::Ulid::new()),
        attempt_reff_no: attempt_reff_no.to_string(),
        amount,
    };
    let body = serde_json::to_vec(&notice).map_err(AppError::internal)?;
    let signature = sign(&state.settings.sandbox_callback_secret, &body);
    let url = format!("http://{}{CALLBACK_PATH}", state.settings.site_addr);
    let response = state
        .sandbox_http
        .post(url)
        .header(SIGNATURE_HEADER, signature)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .map_err(AppError::internal)?;
    let status = StatusCode::from_u16(response.status().as_u16())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    Ok((status, response.text().await.unwrap_or_default()))
}

/// The "simulate payment" buttons: pays an attempt in full, as its bank or wallet would.
pub async fn simulate_paid(state: &AppState, attempt: &PaymentAttempt) -> Result<(), AppError> {
    sandbox_only(state)?;
    if attempt.gateway_connection_id.is_some() {
        return Err(AppError::Conflict(
            "A payment gateway issued this attempt: it is paid at the gateway, not simulated."
                .into(),
        ));
    }
    let (status, answer) = notify_paid(state, &attempt.reff_no, attempt.amount.value()).await?;
    if status.is_success() {
        Ok(())
    } else {
        Err(AppError::Conflict(answer))
    }
}

#[derive(Deserialize)]
pub struct VaTransfer {
    pub va_number: String,
    pub amount: i64,
}

/// `POST /sandbox/va/pay`: a transfer to a VA number. Closed-amount VAs take the exact
/// amount only; the callback refuses any other.
pub async fn pay_va(
    State(state): State<AppState>,
    Json(transfer): Json<VaTransfer>,
) -> Result<Response, AppError> {
    sandbox_only(&state)?;
    let number: String = transfer
        .va_number
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let attempt = histories::find_pending_by_value(&state.db, &number, state.now_ms()).await?;
    relay(&state, &attempt, transfer.amount).await
}

#[derive(Deserialize)]
pub struct CounterPayment {
    pub payment_code: String,
}

/// `POST /sandbox/retail/pay`: a cashier keys in a payment code and takes the bill's amount in
/// cash; the till shows the amount, so the payer cannot pay another.
pub async fn pay_retail(
    State(state): State<AppState>,
    Json(counter): Json<CounterPayment>,
) -> Result<Response, AppError> {
    sandbox_only(&state)?;
    let code: String = counter
        .payment_code
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let attempt = histories::find_pending_by_value(&state.db, &code, state.now_ms()).await?;
    // A VA number keyed in at a till pays nothing.
    if Outlet::from_method_code(&attempt.method_code).is_none() {
        return Err(AppError::NotFound);
    }
    relay(&state, &attempt, attempt.amount.value()).await
}

#[derive(Deserialize)]
pub struct QrisScan {
    pub payload: String,
}

/// `POST /sandbox/qris/pay`: an app scans the payload and pays the amount printed in it.
pub async fn pay_qris(
    State(state): State<AppState>,
    Json(scan): Json<QrisScan>,
) -> Result<Response, AppError> {
    sandbox_only(&state)?;
    let parsed = parse_payload(&scan.payload)
        .map_err(|e| AppError::field("payload", format!("Not a valid QRIS payload: {e}")))?;
    let amount = parsed
        .amount()
        .ok_or_else(|| AppError::field("payload", "The QRIS payload carries no amount."))?;
    let attempt =
        histories::find_pending_by_value(&state.db, &scan.payload, state.now_ms()).await?;
    relay(&state, &attempt, amount).await
}

async fn relay(
    state: &AppState,
    attempt: &PaymentAttempt,
    amount: i64,
) -> Result<Response, AppError> {
    let (status, body) = notify_paid(state, &attempt.reff_no, amount).await?;
    Ok((status, body).into_response())
}

/// `GET /sandbox/ewallet/{reff_no}`: the wallet's checkout screen.
pub async fn wallet_checkout(
    State(state): State<AppState>,
    Path(reff_no): Path<String>,
) -> Result<Html<String>, AppError> {
    let attempt = wallet_attempt(&state, &reff_no).await?;
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    Ok(Html(format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>{wallet} sandbox checkout</title><link rel="stylesheet" href="{stylesheet}"></head>
<body><main class="page narrow payer"><p class="muted">Sandbox wallet · no real money moves</p>
<h1>{wallet}</h1><section class="card"><p class="muted">Amount</p><p class="amount">{amount}</p>
<p class="muted">Reference {reff}</p></section>
<form method="post" action="/sandbox/ewallet/{reff}/approve"><button type="submit" class="primary">Approve payment</button></form>
</main></body></html>"#,
        wallet = escape(&attempt.method_name),
        amount = attempt.amount,
        reff = escape(&attempt.reff_no),
        stylesheet = crate::assets::stylesheet_href(&state.leptos_options),
    )))
}

/// `POST /sandbox/ewallet/{reff_no}/approve`: the payer confirms in the wallet, then returns
/// to the attempt page.
pub async fn wallet_approve(
    State(state): State<AppState>,
    Path(reff_no): Path<String>,
) -> Result<Response, AppError> {
    let attempt = wallet_attempt(&state, &reff_no).await?;
    let (status, body) = notify_paid(&state, &attempt.reff_no, attempt.amount.value()).await?;
    if !status.is_success() {
        return Ok((status, body).into_response());
    }
    let link = links::find_by_id(&state.db, attempt.payment_link_id).await?;
    Ok(Redirect::to(&format!("/pay/{}/{}", link.slug, attempt.reff_no)).into_response())
}

async fn wallet_attempt(state: &AppState, reff_no: &str) -> Result<PaymentAttempt, AppError> {
    sandbox_only(state)?;
    if !is_attempt_reff_no(reff_no) {
        return Err(AppError::NotFound);
    }
    let attempt = histories::find_by_reff(&state.db, reff_no).await?;
    let checkout = attempt.value.as_deref().unwrap_or_default();
    if !checkout.contains("/sandbox/ewallet/") {
        return Err(AppError::NotFound);
    }
    Ok(attempt)
}
