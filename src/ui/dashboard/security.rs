//! Sign-in security for the signed-in user: two-factor sign-in (set up, recovery codes, turn
//! off), the browsers signed in as them (end one, or all the others), and for owners the
//! team's rule that every member signs in with two factors.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::domain::time::format_wib;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::model::SignedInSession;
use crate::ui::components::{form_errors, DashboardShell, ErrorPanel, FieldError, FormAlert};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecurityData {
    pub two_factor: bool,
    pub recovery_codes_left: i64,
    pub sessions: Vec<SignedInSession>,
    /// This browser's session, among `sessions`.
    pub this_session: Option<String>,
    pub team_requires_two_factor: bool,
    pub i_am_owner: bool,
}

/// What an authenticator app needs to add the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TwoFactorSetup {
    pub secret: String,
    pub otpauth_url: String,
    pub qr_svg: String,
}

#[server(prefix = "/fn", endpoint = "security")]
pub async fn get_security() -> Result<SecurityData, AppError> {
    let (state, user) = crate::ui::context::signed_in().await?;
    Ok(SecurityData {
        two_factor: user.two_factor,
        recovery_codes_left: crate::db::two_factor::recovery_codes_left(&state.db, user.user_id)
            .await?,
        sessions: crate::db::user_sessions::list(&state.db, user.user_id).await?,
        this_session: crate::auth::session::login_id(&crate::ui::context::session().await?).await?,
        team_requires_two_factor: user.two_factor_required,
        i_am_owner: user.role == crate::domain::merchant::Role::Owner,
    })
}

/// Draws a new secret for the user to add to their authenticator; it takes effect once a
/// code from it is confirmed.
#[server(prefix = "/fn", endpoint = "two_factor_begin")]
pub async fn begin_two_factor() -> Result<TwoFactorSetup, AppError> {
    use crate::auth::two_factor;
    let (state, user) = crate::ui::context::signed_in().await?;
    // Replacing the authenticator would take over the second factor without proving it.
    if user.two_factor {
        return Err(AppError::Conflict(crate::tr!(security.already_on)));
    }
    let secret = two_factor::new_secret();
    crate::db::two_factor::begin(&state.db, user.user_id, &secret).await?;
    let otpauth_url = two_factor::setup_url(&secret, &user.email)?;
    let qr_svg = crate::ui::qr::svg_of(&otpauth_url)?;
    Ok(TwoFactorSetup {
        secret,
        otpauth_url,
        qr_svg,
    })
}

/// Confirms the setup with a code from the new secret; returns the recovery codes, shown once.
#[server(prefix = "/fn", endpoint = "two_factor_enable")]
pub async fn enable_two_factor(code: String) -> Result<Vec<String>, AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    crate::service::security::enable_two_factor(&state, &actor, &code).await
}

/// Turns two-factor sign-in off, with a current code (or a recovery code) as proof.
#[server(prefix = "/fn", endpoint = "two_factor_disable")]
pub async fn disable_two_factor(code: String) -> Result<(), AppError> {
    let (state, user) = crate::ui::context::signed_in().await?;
    let actor = crate::service::Actor::from(&user);
    let required = user.two_factor_required;
    crate::service::security::disable_two_factor(&state, &actor, required, &code).await
}

/// Ends one of the user's own sessions (this one included: that is a log-out).
#[server(prefix = "/fn", endpoint = "session_end")]
pub async fn end_session(login_id: String) -> Result<(), AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    crate::service::security::end_session(&state, &actor, &login_id).await
}

/// Signs the user out of every browser but this one.
#[server(prefix = "/fn", endpoint = "sessions_end_others")]
pub async fn end_other_sessions() -> Result<u64, AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    let session = crate::ui::context::session().await?;
    let this = crate::auth::session::login_id(&session)
        .await?
        .ok_or(AppError::Unauthorized)?;
    crate::service::security::end_other_sessions(&state, &actor, &this).await
}

/// Owners: require (or stop requiring) two-factor sign-in of every member.
#[server(prefix = "/fn", endpoint = "team_two_factor")]
pub async fn require_two_factor(
    #[server(default)] required: Option<String>,
) -> Result<(), AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    let required = required.is_some_and(|v| v == "on" || v == "true");
    crate::service::team::require_two_factor(&state, &actor, required).await
}

#[component]
pub fn SecurityPage() -> impl IntoView {
    let begin = ServerAction::<BeginTwoFactor>::new();
    let enable = ServerAction::<EnableTwoFactor>::new();
    let disable = ServerAction::<DisableTwoFactor>::new();
    let end = ServerAction::<EndSession>::new();
    let end_others = ServerAction::<EndOtherSessions>::new();
    let require = ServerAction::<RequireTwoFactor>::new();
    let data = Resource::new(
        move || {
            (
                enable.version().get(),
                disable.version().get(),
                end.version().get(),
                end_others.version().get(),
                require.version().get(),
            )
        },
        |_| get_security(),
    );
    let enable_errors = Signal::derive(move || form_errors(enable.value().get()));
    let disable_errors = Signal::derive(move || form_errors(disable.value().get()));
    let require_errors = Signal::derive(move || form_errors(require.value().get()));
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, security.title)/>
        <DashboardShell account_id=Signal::derive(|| None::<String>)>
            <h1>{t!(i18n, security.heading)}</h1>
            <FormAlert result=Signal::derive(move || disable.value().get())/>
            <FormAlert result=Signal::derive(move || end.value().get())/>
            <FormAlert result=Signal::derive(move || require.value().get())/>
            <Suspense fallback=move || view! { <p>{t!(i18n, security.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! {
                            <TwoFactorCard data=data.clone() begin enable disable enable_errors disable_errors/>
                            <SessionsCard data=data.clone() end end_others/>
                            <crate::ui::dashboard::notifications::NotificationsCard/>
                            {data.i_am_owner.then(|| view! {
                                <section class="card">
                                    <h2>{t!(i18n, security.team_rule)}</h2>
                                    <ActionForm action=require attr:class="form">
                                        <label>
                                            <input type="checkbox" name="required" checked=data.team_requires_two_factor/>
                                            {t!(i18n, security.every_member)}
                                        </label>
                                        <FieldError errors=require_errors field="required"/>
                                        <button type="submit">{t!(i18n, security.save)}</button>
                                    </ActionForm>
                                </section>
                            })}
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </DashboardShell>
    }
}

#[component]
fn TwoFactorCard(
    data: SecurityData,
    begin: ServerAction<BeginTwoFactor>,
    enable: ServerAction<EnableTwoFactor>,
    disable: ServerAction<DisableTwoFactor>,
    enable_errors: Signal<crate::domain::FieldErrors>,
    disable_errors: Signal<crate::domain::FieldErrors>,
) -> impl IntoView {
    let codes = move || enable.value().get().and_then(Result::ok);
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid="two-factor">
            <h2>{t!(i18n, security.two_factor)}</h2>
            {data.team_requires_two_factor.then(|| view! {
                <p class="alert alert-info">{t!(i18n, security.team_requires)}</p>
            })}
            {move || codes().map(|codes| view! {
                <div class="alert alert-success" role="status">
                    <p>{t!(i18n, security.codes_shown_once)}</p>
                    <ul class="recovery-codes">{codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
                </div>
            })}
            {if data.two_factor {
                view! {
                    <p>{tu_string!(i18n, security.on_codes_left, left = data.recovery_codes_left).to_string()}</p>
                    <ActionForm action=disable attr:class="form inline-form">
                        <label for="disable-code">{t!(i18n, security.code_to_turn_off)}</label>
                        <input id="disable-code" name="code" inputmode="numeric" autocomplete="one-time-code" required/>
                        <button type="submit">{t!(i18n, security.turn_off)}</button>
                        <FieldError errors=disable_errors field="code"/>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <p>{t!(i18n, security.off)}</p>
                    <ActionForm action=begin attr:class="inline-form">
                        <button type="submit">{t!(i18n, security.set_up)}</button>
                    </ActionForm>
                    {move || begin.value().get().and_then(Result::ok).map(|setup| view! {
                        <div class="setup">
                            <p>{t!(i18n, security.scan)}</p>
                            <div class="qr" inner_html=setup.qr_svg></div>
                            <p>{t!(i18n, security.key)}<code data-testid="totp-secret">{setup.secret}</code></p>
                            <ActionForm action=enable attr:class="form inline-form">
                                <label for="enable-code">{t!(i18n, security.code_from_app)}</label>
                                <input id="enable-code" name="code" inputmode="numeric" autocomplete="one-time-code" required/>
                                <button type="submit" class="primary">{t!(i18n, security.turn_on)}</button>
                                <FieldError errors=enable_errors field="code"/>
                            </ActionForm>
                        </div>
                    })}
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn SessionsCard(
    data: SecurityData,
    end: ServerAction<EndSession>,
    end_others: ServerAction<EndOtherSessions>,
) -> impl IntoView {
    let this = data.this_session.clone();
    let others = data.sessions.len() > 1;
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid="sessions">
            <h2>{t!(i18n, security.browsers)}</h2>
            <div class="table-scroll">
                <table class="table">
                    <thead>
                        <tr>
                            <th>{t!(i18n, security.since)}</th>
                            <th>{t!(i18n, security.browser)}</th>
                            <th>{t!(i18n, security.address)}</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>
                        {data.sessions.into_iter().map(|s| {
                            let current = this.as_deref() == Some(s.login_id.as_str());
                            view! {
                                <tr>
                                    <td>{format_wib(s.created_at)}</td>
                                    <td>{s.user_agent.unwrap_or_else(|| "—".into())}</td>
                                    <td>{s.ip_address.unwrap_or_else(|| "—".into())}</td>
                                    <td>{if current {
                                        view! { <span class="muted">{t!(i18n, security.this_browser)}</span> }.into_any()
                                    } else {
                                        view! {
                                            <ActionForm action=end attr:class="inline-form">
                                                <input type="hidden" name="login_id" value=s.login_id/>
                                                <button type="submit">{t!(i18n, security.sign_out)}</button>
                                            </ActionForm>
                                        }.into_any()
                                    }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {others.then(|| view! {
                <ActionForm action=end_others attr:class="inline-form">
                    <button type="submit">{t!(i18n, security.sign_out_others)}</button>
                </ActionForm>
            })}
        </section>
    }
}
