//! Choosing the dashboard's language. A plain form posted from any dashboard or sign-in page
//! (it works without JavaScript): the choice is remembered in the browser and, for a signed-in
//! user, stored as theirs, so their next sign-in elsewhere and their email use it too.

use axum::extract::{Form, State};
use axum::http::header::SET_COOKIE;
use axum::http::StatusCode;
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use crate::domain::lang::Lang;
use crate::error::AppError;
use crate::state::AppState;
use crate::ui::context::{dashboard_lang_cookie, safe_next};

#[derive(Deserialize)]
pub struct Choice {
    lang: String,
    /// The page to return to, in the new language.
    next: Option<String>,
}

pub async fn choose(
    State(state): State<AppState>,
    session: Session,
    Form(choice): Form<Choice>,
) -> Result<Response, AppError> {
    // The form's only value is hidden: anything else was crafted, and is told what we speak.
    let Some(lang) = Lang::parse(&choice.lang) else {
        let refusal = crate::tr!(common.unknown_language);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, refusal).into_response());
    };
    if let Some(user) = crate::auth::current_user(&state.db, &session).await? {
        crate::db::merchants::set_language(&state.db, user.user_id, lang).await?;
    }
    let back = safe_next(choice.next.as_deref(), &state.settings.public_base_url)
        .unwrap_or_else(|| "/dashboard".to_string());
    let cookie = dashboard_lang_cookie(lang, state.settings.cookie_secure);
    Ok((AppendHeaders([(SET_COOKIE, cookie)]), Redirect::to(&back)).into_response())
}

/// Paths answered to programs, not people: they keep English whatever a header says (the
/// API as Singapay's contract; the words providers' notifications leave in the records).
const MACHINE_PREFIXES: &[&str] = &["/api/", "/callbacks/", "/sandbox/"];

/// Middleware: a dashboard request is answered in its user's language (see
/// [`crate::ui::context::dashboard_lang`]); programs are answered in English.
pub async fn speak_request_language(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path();
    if MACHINE_PREFIXES
        .iter()
        .any(|prefix| path.starts_with(prefix))
    {
        return next.run(request).await;
    }
    let lang = crate::ui::context::dashboard_lang(request.headers());
    crate::i18n::speaking(lang.into(), next.run(request)).await
}
