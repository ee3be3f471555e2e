//! Server side of the payer pages: language choice, the payer's live attempt (kept in a
//! cookie), and starting a payment.

use std::sync::Arc;

use super::texts;
use super::{OfferedMethod, PayerLink, ReturnedForm, Unpayable};
use crate::cache::PayerLinkRead;
use crate::db::{histories, links};
use crate::domain::attempt::{is_attempt_reff_no, AttemptStatus};
use crate::domain::lang::Lang;
use crate::domain::link::custom_fields::answers;
use crate::domain::link::open_amount::amount_range;
use crate::domain::link::ComputedStatus;
use crate::domain::method::offered_between;
use crate::domain::order::{as_offered, choose, is_adjustable, Order};
use crate::domain::phone::{CustomerInput, PhoneNumber};
use crate::domain::slug::Slug;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::model::PaymentLink;
use crate::service::attempts::{self, Started};
use crate::state::{app_state, AppState};
use crate::ui::context::{browser_lang, cookie, dashboard_lang, with_request};

/// The payer's language is kept in a cookie of its own, not the session: the page's shell
/// reads it before anything async runs (for `<html lang>`), and choosing a language writes no
/// session row.
const LANG_COOKIE: &str = "payer_lang";

/// An explicit choice (`?lang=`) wins and is remembered; then the remembered one; then the
/// browser's Accept-Language; Indonesian by default.
pub(super) fn resolve_lang(state: &AppState, asked: Option<&str>) -> Lang {
    if let Some(lang) = asked.and_then(Lang::parse) {
        set_cookie(
            state,
            LANG_COOKIE,
            lang.as_str(),
            365 * crate::domain::time::DAY_MS,
        );
        return lang;
    }
    with_request(remembered_or_browser_lang).unwrap_or(Lang::Id)
}

fn remembered_or_browser_lang(parts: &http::request::Parts) -> Lang {
    cookie(&parts.headers, LANG_COOKIE)
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_else(|| browser_lang(&parts.headers))
}

/// The language of the page a request renders, for `<html lang>`: a payer page's as
/// [`resolve_lang`] picks it (the address first), the dashboard's as its user chose.
pub fn page_lang(parts: &http::request::Parts) -> Lang {
    if !parts.uri.path().starts_with("/pay/") {
        return dashboard_lang(&parts.headers);
    }
    let asked = parts.uri.query().and_then(|query| {
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == "lang")
            .and_then(|(_, value)| Lang::parse(&value))
    });
    asked.unwrap_or_else(|| remembered_or_browser_lang(parts))
}

pub(super) fn attempt_path(slug: &str, reff_no: &str) -> String {
    format!("/pay/{slug}/{reff_no}")
}

/// The payer's attempt on a link is remembered in a cookie of its own rather than in the
/// session, so starting a payment writes the attempt and nothing else. The cookie carries
/// only the attempt's reference, which grants no more than the attempt's URL already does: a
/// forged one sends its holder to an attempt page they could open anyway, and only while
/// that attempt is pending on this link.
fn attempt_cookie(slug: &str) -> String {
    format!("attempt-{slug}")
}

fn remember_attempt(state: &AppState, slug: &str, reff_no: &str, live_for_ms: i64) {
    set_cookie(state, &attempt_cookie(slug), reff_no, live_for_ms);
}

fn remembered_attempt(slug: &str) -> Option<String> {
    with_request(|parts| cookie(&parts.headers, &attempt_cookie(slug)))
        .flatten()
        .filter(|reff_no| is_attempt_reff_no(reff_no))
}

/// Sets a first-party cookie on the answer being written, for `live_for_ms`.
fn set_cookie(state: &AppState, name: &str, value: &str, live_for_ms: i64) {
    set_cookie_on(state, "/", name, value, live_for_ms);
}

/// Like [`set_cookie`], sent back only to pages under `path`.
fn set_cookie_on(state: &AppState, path: &str, name: &str, value: &str, live_for_ms: i64) {
    use tower_sessions::cookie::{time::Duration, Cookie, SameSite};
    let cookie = Cookie::build((name, value))
        .path(path.to_string())
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.cookie_secure)
        .max_age(Duration::milliseconds(live_for_ms.max(0)));
    let response = leptos::prelude::use_context::<leptos_axum::ResponseOptions>();
    if let (Some(response), Ok(value)) = (response, cookie.to_string().parse()) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// The payer's attempt on this link that can still be paid, if any.
async fn live_attempt(state: &AppState, link: &PaymentLink) -> Result<Option<String>, AppError> {
    let Some(reff_no) = remembered_attempt(&link.slug) else {
        return Ok(None);
    };
    match histories::find_on_link(&state.db, link.id, &reff_no).await {
        Ok(attempt) if attempt.status_computed(state.now_ms()) == AttemptStatus::Pending => {
            Ok(Some(reff_no))
        }
        Ok(_) | Err(AppError::NotFound) => Ok(None),
        Err(other) => Err(other),
    }
}

/// A malformed slug names no link: answered without asking the database.
fn well_formed(slug: &str) -> Result<(), AppError> {
    Slug::parse(slug).map(|_| ()).ok_or(AppError::NotFound)
}

async fn link_by_slug(state: &AppState, slug: &str) -> Result<PaymentLink, AppError> {
    well_formed(slug)?;
    links::find_by_slug(&state.db, slug).await
}

/// The link and its merchant's name as the payer memory holds them (`super::cache`).
async fn remembered_link(state: &AppState, slug: &str) -> Result<Arc<PayerLinkRead>, AppError> {
    well_formed(slug)?;
    state.payer_cache.link(&state.db, slug).await
}

fn payer_brand(state: &AppState, read: &PayerLinkRead) -> super::PayerBrand {
    super::PayerBrand {
        color: read.brand.color.clone(),
        logo_url: read.brand.logo_url(&state.settings.public_base_url),
    }
}

fn unpayable(link: &PaymentLink, now_ms: i64) -> Option<Unpayable> {
    match link.status_computed(now_ms) {
        ComputedStatus::Open if link.stock.is_some_and(|stock| link.units_paid >= stock) => {
            Some(Unpayable::SoldOut)
        }
        ComputedStatus::Open => None,
        ComputedStatus::Expired => Some(Unpayable::Expired),
        ComputedStatus::Closed if link.is_exhausted() => Some(Unpayable::Full),
        ComputedStatus::Closed => Some(Unpayable::Closed),
    }
}

pub(super) async fn payer_link(slug: String, lang: Option<String>) -> Result<PayerLink, AppError> {
    let state = app_state()?;
    let read = remembered_link(&state, &slug).await?;
    let link = &read.link;
    // A payer coming back to the link continues the attempt they hold: never a second VA.
    if let Some(reff_no) = live_attempt(&state, link).await? {
        leptos_axum::redirect(&attempt_path(&link.slug, &reff_no));
    }
    let lang = resolve_lang(&state, lang.as_deref());
    let catalogue = state.catalogue.get(&state.db).await?;
    let (low, high) = amount_range(link.total_amount, link.open_amount.as_ref(), &link.items);
    let methods = offered_between(
        &catalogue,
        link.whitelisted_payment_method.as_deref(),
        low,
        high,
    )
    .into_iter()
    .filter(|m| read.can_issue(&m.code))
    .map(|m| OfferedMethod {
        code: m.code.clone(),
        name: m.name.clone(),
        group: m.group,
        min_amount: m.min_amount,
        max_amount: m.max_amount,
    })
    .collect();
    Ok(PayerLink {
        unpayable: unpayable(link, state.now_ms()),
        merchant_name: read.merchant_name.clone(),
        slug: link.slug.clone(),
        title: link.title.clone(),
        description: link.description.clone(),
        items: link.items.clone(),
        total_amount: link.total_amount,
        open_amount: link.open_amount.clone(),
        custom_fields: link.custom_fields.clone(),
        brand: payer_brand(&state, &read),
        expired_at: link.expired_at,
        required_customer_detail: link.required_customer_detail,
        methods,
        lang,
        returned: handed_back(&state, &link.slug),
    })
}

/// The cookie that carries a refused form back to its page, for a minute at most.
const RETURNED_COOKIE: &str = "payer_form";
const RETURNED_FOR_MS: i64 = 60_000;

/// Whether the request is a browser's own form post (no JavaScript on the page): it asks for
/// HTML, where the page's script asks for data.
fn from_plain_form() -> bool {
    with_request(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
    .unwrap_or(false)
}

/// Keeps a refused form for its page to show again, on that page's path only.
fn hand_back(state: &AppState, slug: &str, form: &ReturnedForm) {
    use base64::Engine;
    let Ok(json) = serde_json::to_vec(form) else {
        return;
    };
    let value = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
    set_cookie_on(
        state,
        &format!("/pay/{slug}"),
        RETURNED_COOKIE,
        &value,
        RETURNED_FOR_MS,
    );
}

/// The form handed back to this page, if any; read once (the cookie is cleared).
fn handed_back(state: &AppState, slug: &str) -> Option<ReturnedForm> {
    use base64::Engine;
    let value = with_request(|parts| cookie(&parts.headers, RETURNED_COOKIE)).flatten()?;
    set_cookie_on(state, &format!("/pay/{slug}"), RETURNED_COOKIE, "", 0);
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(value)
        .ok()?;
    serde_json::from_slice(&json).ok()
}

pub(super) struct StartPayment {
    pub slug: String,
    pub lang: Option<String>,
    /// On an open-amount link: what the payer typed, else the suggestion they picked.
    pub amount: String,
    /// The quantity of each item, where the payer may choose it.
    pub quantities: Vec<String>,
    /// Answers to the link's questions, in their order.
    pub custom: Vec<String>,
    pub method: String,
    pub customer_name: String,
    pub customer_email: String,
    pub customer_phone: String,
    pub payer_phone: String,
}

/// Starts a payment. Refused without JavaScript, the payer is sent back to a clean page
/// address that shows what they typed and why it was refused (not to the address with the
/// error encoded in it, on an emptied form).
pub(super) async fn start_payment(input: StartPayment) -> Result<String, AppError> {
    let slug = input.slug.clone();
    let sent = ReturnedForm {
        amount: input.amount.clone(),
        quantities: input.quantities.clone(),
        custom: input.custom.clone(),
        method: input.method.clone(),
        customer_name: input.customer_name.clone(),
        customer_email: input.customer_email.clone(),
        customer_phone: input.customer_phone.clone(),
        payer_phone: input.payer_phone.clone(),
        error: None,
    };
    match start(input).await {
        Err(error) if from_plain_form() && Slug::parse(&slug).is_some() => {
            let state = app_state()?;
            let returned = ReturnedForm {
                error: Some(error),
                ..sent
            };
            hand_back(&state, &slug, &returned);
            leptos_axum::redirect(&format!("/pay/{slug}"));
            Ok(String::new())
        }
        started => started,
    }
}

async fn start(input: StartPayment) -> Result<String, AppError> {
    let state = app_state()?;
    // The link as the payer page read it (at most the cache's ttl ago, and never before a
    // change made on this instance): status, expiry and usage are checked again by the
    // reservation itself, and the total and items cannot change.
    let read = remembered_link(&state, &input.slug).await?;
    let link = &read.link;
    if let Some(reff_no) = live_attempt(&state, link).await? {
        leptos_axum::redirect(&attempt_path(&link.slug, &reff_no));
        return Ok(reff_no);
    }
    let lang = resolve_lang(&state, input.lang.as_deref());
    let now = state.now_ms();
    if let Some(reason) = unpayable(link, now) {
        return Err(AppError::Conflict(reason.text().get(lang).into()));
    }

    let mut errors = FieldErrors::new();
    let order = match &link.open_amount {
        Some(open) => open
            .payer_amount(&input.amount, lang)
            .map(|amount| Order {
                quantities: Vec::new(),
                amount,
                units: 1,
            })
            .map_err(|e| errors.add("amount", e))
            .ok(),
        None if is_adjustable(&link.items) => choose(&link.items, &input.quantities, lang)
            .map_err(|e| errors.merge(e))
            .ok(),
        None => Some(as_offered(&link.items, link.total_amount)),
    };
    let amount = order.as_ref().map(|order| order.amount);
    let answers = answers(&link.custom_fields, &input.custom, lang)
        .map_err(|e| errors.merge(e))
        .ok();
    let catalogue = state.catalogue.get(&state.db).await?;
    let whitelist = link.whitelisted_payment_method.as_deref();
    let offered = |(low, high)| {
        offered_between(&catalogue, whitelist, low, high)
            .into_iter()
            .find(|m| m.code == input.method && read.can_issue(&m.code))
    };
    let method = amount.and_then(|amount| offered((amount, amount)));
    if method.is_none() {
        let range = amount_range(link.total_amount, link.open_amount.as_ref(), &link.items);
        let message = match (amount, offered(range)) {
            // Offered on the page, but not for the amount this payer chose.
            (Some(_), Some(m)) => texts::METHOD_LIMITS
                .get(lang)
                .replace("{method}", &m.name)
                .replace("{min}", &m.min_amount.to_string())
                .replace("{max}", &m.max_amount.to_string()),
            (None, Some(_)) => String::new(),
            (_, None) => texts::CHOOSE_ONE.get(lang).to_string(),
        };
        if !message.is_empty() {
            errors.add("method", message);
        }
    }
    let customer = if link.required_customer_detail {
        let parsed = CustomerInput {
            name: input.customer_name,
            email: input.customer_email,
            phone: input.customer_phone,
        }
        .parse(lang);
        match parsed {
            Ok(customer) => Some(customer),
            Err(field_errors) => {
                field_errors
                    .into_iter()
                    .for_each(|(field, message)| errors.add(field, message));
                None
            }
        }
    } else {
        None
    };
    // OVO pushes to a phone: the customer's, or one typed for OVO alone.
    let payer_phone = match (&method, &customer) {
        (Some(m), None) if m.pushes_to_phone() => match PhoneNumber::parse(&input.payer_phone) {
            Ok(phone) => Some(phone),
            Err(e) => {
                errors.add("payer_phone", e.message(lang));
                None
            }
        },
        (_, Some(customer)) => Some(customer.phone.clone()),
        _ => None,
    };
    let (Some(method), Some(order), Some(answers)) =
        (method.filter(|_| errors.is_empty()), order, answers)
    else {
        return Err(AppError::Validation(errors));
    };

    let ip_address = client_ip(&state);
    admit_attempt(&state, ip_address.as_deref(), link.id.0, now, lang).await?;
    let started = attempts::start(
        &state,
        attempts::Start {
            link,
            merchant_name: &read.merchant_name,
            method,
            order: &order,
            answers: &answers,
            customer: customer.as_ref(),
            payer_phone: payer_phone.as_ref(),
            ip_address: ip_address.as_deref(),
            announce: read.announces_attempts,
            lang,
            routed: read.routed(&method.code),
        },
    )
    .await?;
    match started {
        Started::Issued {
            reff_no,
            expires_at,
        } => {
            remember_attempt(&state, &link.slug, &reff_no, expires_at - now);
            leptos_axum::redirect(&attempt_path(&link.slug, &reff_no));
            Ok(reff_no)
        }
        Started::NoSlot if link.stock.is_some() => {
            Err(AppError::Conflict(texts::STOCK_SHORT.get(lang).into()))
        }
        // Tell the truth: a place held by another payer's unpaid attempt frees when it ends.
        Started::NoSlot => match histories::first_hold_ends(&state.db, link.id, now).await? {
            Some(ends) => {
                let when = crate::domain::time::format_wib_in(ends, lang);
                let text = texts::ALL_BEING_PAID.get(lang).replace("{time}", &when);
                Err(AppError::Conflict(text))
            }
            None => Err(AppError::Conflict(texts::FULL.get(lang).into())),
        },
    }
}

/// The payer's address, as [`crate::client_addr`] reads it.
fn client_ip(state: &AppState) -> Option<String> {
    crate::ui::context::client_address(state).map(|ip| ip.to_string())
}

/// Refuses a new attempt when its address or its link has started too many lately: a bot
/// cannot hold a link's slots or flood the acquirer with numbers.
async fn admit_attempt(
    state: &AppState,
    ip: Option<&str>,
    link_id: i64,
    now_ms: i64,
    lang: Lang,
) -> Result<(), AppError> {
    let by_ip = match ip {
        Some(ip) => state.payer_ip_limiter.check(ip.to_string(), now_ms).await,
        None => Ok(()),
    };
    let by_link = state.payer_link_limiter.check(link_id, now_ms).await;
    match by_ip.and(by_link) {
        Ok(()) => Ok(()),
        Err(seconds) => Err(AppError::TooManyRequests(format!(
            "{} ({} min)",
            texts::TOO_MANY_ATTEMPTS.get(lang),
            seconds.div_ceil(60)
        ))),
    }
}

pub(super) async fn attempt_view(
    slug: String,
    reff_no: String,
    lang: Option<String>,
) -> Result<super::attempt::AttemptView, AppError> {
    use super::attempt::{AttemptView, ChannelSteps};
    use crate::domain::instructions::retail::{self, retail_outlet};
    use crate::domain::instructions::{
        clearing_code, ewallet_steps, fill, qris_steps, va_instructions, va_note, Filling,
    };
    use crate::domain::method::{pushes_to_phone, MethodGroup};

    if !is_attempt_reff_no(&reff_no) {
        return Err(AppError::NotFound);
    }
    let state = app_state()?;
    let read = remembered_link(&state, &slug).await?;
    let link = &read.link;
    let attempt = histories::find_on_link(&state.db, link.id, &reff_no).await?;
    let lang = resolve_lang(&state, lang.as_deref());
    let group = state
        .catalogue
        .get(&state.db)
        .await?
        .iter()
        .find(|m| m.code == attempt.method_code)
        .map(|m| m.group)
        .ok_or_else(|| AppError::internal("attempt of an unknown method"))?;
    // An attempt the provider never answered has nothing to show; it fails shortly.
    let value = attempt.value.clone().unwrap_or_default();
    let value_display = match group {
        MethodGroup::Va | MethodGroup::Retail => crate::domain::attempt::group_va_number(&value),
        MethodGroup::Ewallet if pushes_to_phone(&attempt.method_code) => PhoneNumber::parse(&value)
            .map(|p| p.national())
            .unwrap_or_else(|_| value.clone()),
        _ => value.clone(),
    };
    let amount = attempt.amount.to_string();
    let filling = Filling {
        value: &value,
        amount: &amount,
        clearing: clearing_code(&attempt.method_code).unwrap_or_default(),
        merchant: &read.merchant_name,
    };
    let render = |steps: &[crate::domain::lang::Text]| -> Vec<String> {
        steps.iter().map(|s| fill(s.get(lang), &filling)).collect()
    };
    let instructions: Vec<ChannelSteps> = match group {
        MethodGroup::Va => va_instructions(&attempt.method_code)
            .unwrap_or_default()
            .iter()
            .map(|set| ChannelSteps {
                title: set.channel.title().get(lang).to_string(),
                steps: render(set.steps),
            })
            .collect(),
        MethodGroup::Qris => vec![ChannelSteps {
            title: "QRIS".into(),
            steps: render(qris_steps()),
        }],
        MethodGroup::Ewallet => ewallet_steps(&attempt.method_code)
            .map(|steps| ChannelSteps {
                title: attempt.method_name.clone(),
                steps: render(steps),
            })
            .into_iter()
            .collect(),
        MethodGroup::Retail => retail_outlet(&attempt.method_code)
            .map(|outlet| ChannelSteps {
                title: outlet.title.get(lang).to_string(),
                steps: render(outlet.steps),
            })
            .into_iter()
            .collect(),
    };
    let note = match group {
        MethodGroup::Retail => Some(retail::NOTE),
        _ => va_note(&attempt.method_code),
    };
    let held_here = remembered_attempt(&link.slug).as_deref() == Some(attempt.reff_no.as_str());
    // Simulating is for what the sandbox issued; a gateway's attempt is paid at the gateway.
    let is_sandbox = state.provider.is_sandbox() && attempt.gateway_connection_id.is_none();
    Ok(AttemptView {
        status: attempt.status_computed(state.now_ms()),
        held_here,
        merchant_name: read.merchant_name.clone(),
        brand: payer_brand(&state, &read),
        note: note.map(|n| n.get(lang).to_string()),
        slug: link.slug.clone(),
        reff_no: attempt.reff_no,
        title: link.title.clone(),
        amount: attempt.amount,
        method_code: attempt.method_code,
        method_name: attempt.method_name,
        group,
        value,
        value_display,
        additional: attempt.additional,
        expired_at: attempt.expired_at,
        instructions,
        payment_date: attempt.payment_date,
        redirect_url: link.redirect_url.clone(),
        is_sandbox,
        lang,
        link_unpayable: unpayable(link, state.now_ms()),
    })
}

/// The payer who started an attempt gives it up to choose again: it ends at once (see
/// [`attempts::cancel`]) and they are back on the link's page. Only from the browser that
/// holds it: anyone else with its address could otherwise switch off a payer's VA.
pub(super) async fn change_method(slug: String, reff_no: String) -> Result<(), AppError> {
    let state = app_state()?;
    if !is_attempt_reff_no(&reff_no) {
        return Err(AppError::NotFound);
    }
    let link = link_by_slug(&state, &slug).await?;
    if remembered_attempt(&link.slug).as_deref() != Some(reff_no.as_str()) {
        return Err(AppError::Forbidden);
    }
    // A refusal (the gateway cannot stop the charge) is told in the payer's language.
    let lang = with_request(remembered_or_browser_lang).unwrap_or_default();
    if crate::i18n::speaking(lang.into(), attempts::cancel(&state, &link, &reff_no)).await? {
        remember_attempt(&state, &link.slug, "", 0);
        leptos_axum::redirect(&format!("/pay/{}", link.slug));
    } else {
        // Paid or ended meanwhile: its page says which.
        leptos_axum::redirect(&attempt_path(&link.slug, &reff_no));
    }
    Ok(())
}

pub(super) async fn simulate(slug: String, reff_no: String) -> Result<(), AppError> {
    let state = app_state()?;
    if !is_attempt_reff_no(&reff_no) {
        return Err(AppError::NotFound);
    }
    let link = link_by_slug(&state, &slug).await?;
    let attempt = histories::find_on_link(&state.db, link.id, &reff_no).await?;
    crate::sandbox_bank::simulate_paid(&state, &attempt).await?;
    leptos_axum::redirect(&attempt_path(&link.slug, &attempt.reff_no));
    Ok(())
}
