//! Sign up, log in, log out.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::ui::components::{form_errors, FieldError, FormAlert, LanguageSwitch};

#[server(prefix = "/fn", endpoint = "signup")]
pub async fn sign_up(
    merchant_name: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    use crate::domain::merchant::SignUpInput;
    use crate::state::app_state;
    use crate::ui::dashboard::landing_path;

    let state = app_state()?;
    let input = SignUpInput {
        merchant_name,
        email: email.clone(),
        password,
    };
    let (user_id, merchant_id) =
        crate::auth::accounts::register(&state.db, input, state.now_ms()).await?;
    crate::auth::verify::send(&state, user_id, merchant_id, email.trim()).await?;
    crate::ui::context::start_session(&state, user_id).await?;
    // Straight to a page of the app: the hydrated router cannot follow /dashboard's redirect.
    leptos_axum::redirect(&landing_path(&state.db, merchant_id).await?);
    Ok(())
}

#[server(prefix = "/fn", endpoint = "login")]
pub async fn log_in(
    email: String,
    password: String,
    #[server(default)] next: Option<String>,
    #[server(default)] code: Option<String>,
) -> Result<(), AppError> {
    use crate::db::merchants;
    use crate::state::app_state;
    use crate::ui::context::safe_next;

    use crate::auth::throttle::{self, LoginKeys};

    let state = app_state()?;
    let now = state.now_ms();
    let keys = LoginKeys::new(&email, crate::ui::context::client_address(&state));
    throttle::admit(&state.db, &keys, now).await?;
    let authenticated = crate::auth::accounts::authenticate(&state.db, &email, password).await?;
    let Some(user_id) = authenticated else {
        return Err(AppError::field("form", crate::tr!(auth.wrong_credentials)));
    };
    if let (Some(secret), _) = crate::db::two_factor::secrets(&state.db, user_id).await? {
        let code = code.unwrap_or_default();
        if code.trim().is_empty() {
            return Err(AppError::field("code", crate::tr!(auth.code_required)));
        }
        throttle::check_second_factor(&state.db, user_id, now).await?;
        if !crate::auth::two_factor::accept(&state.db, user_id, &secret, &code, now).await? {
            throttle::second_factor_failed(&state.db, user_id, now).await?;
            return Err(AppError::field("code", crate::tr!(auth.code_wrong)));
        }
    }
    throttle::succeeded(&state.db, &keys, now).await?;
    crate::ui::context::start_session(&state, user_id).await?;
    let target = match safe_next(next.as_deref(), &state.settings.public_base_url) {
        Some(next) => next,
        None => {
            let user = merchants::find_current_user(&state.db, user_id)
                .await?
                .ok_or(AppError::Unauthorized)?;
            crate::ui::dashboard::landing_path(&state.db, user.merchant_id).await?
        }
    };
    leptos_axum::redirect(&target);
    Ok(())
}

#[server(prefix = "/fn", endpoint = "logout")]
pub async fn log_out() -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    crate::auth::log_out(&state.db, &crate::ui::context::session().await?).await?;
    leptos_axum::redirect("/login");
    Ok(())
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let result = Signal::derive(move || action.value().get());
    let errors = Signal::derive(move || form_errors(action.value().get()));
    // Busy from the click until the dashboard replaces the page (its module loads after the
    // answer), so the filled form never sits there looking ignored.
    let busy = move || action.pending().get() || matches!(action.value().get(), Some(Ok(_)));
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, auth.sign_up_title)/>
        <main class="page narrow">
            <h1>{t!(i18n, auth.sign_up_heading)}</h1>
            <FormAlert result/>
            <ActionForm action attr:class="form">
                <label for="merchant_name">{t!(i18n, auth.business_name)}</label>
                <input id="merchant_name" name="merchant_name" required autocomplete="organization"/>
                <FieldError errors field="merchant_name"/>
                <label for="email">{t!(i18n, auth.email)}</label>
                <input id="email" name="email" type="email" required autocomplete="email"/>
                <FieldError errors field="email"/>
                <label for="password">{t!(i18n, auth.password)}</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    required
                    minlength="10"
                    autocomplete="new-password"
                />
                <p class="hint">{t!(i18n, auth.password_hint)}</p>
                <FieldError errors field="password"/>
                <button type="submit" class="primary" disabled=busy aria-busy=move || busy().to_string()>
                    {move || {
                        if busy() {
                            tu_string!(i18n, auth.creating_account)
                        } else {
                            tu_string!(i18n, auth.create_account)
                        }
                    }}
                </button>
            </ActionForm>
            <p>{t!(i18n, auth.have_account)}<a href="/login">{t!(i18n, auth.log_in)}</a></p>
            <LanguageSwitch/>
        </main>
    }
}

#[component]
pub fn LogInPage() -> impl IntoView {
    let action = ServerAction::<LogIn>::new();
    let result = Signal::derive(move || action.value().get());
    let errors = Signal::derive(move || form_errors(action.value().get()));
    let next = move || use_query_map().with(|q| q.get("next").unwrap_or_default());
    let reset = move || use_query_map().with(|q| q.get("reset").is_some());
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, auth.log_in_title)/>
        <main class="page narrow">
            <h1>{t!(i18n, auth.log_in)}</h1>
            {move || reset().then(|| view! {
                <p class="alert alert-success" role="status">
                    {t!(i18n, auth.password_changed)}
                </p>
            })}
            <FormAlert result/>
            <ActionForm action attr:class="form">
                <input type="hidden" name="next" value=next/>
                <label for="email">{t!(i18n, auth.email)}</label>
                <input id="email" name="email" type="email" required autocomplete="email"/>
                <FieldError errors field="email"/>
                <label for="password">{t!(i18n, auth.password)}</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    required
                    autocomplete="current-password"
                />
                <FieldError errors field="password"/>
                <label for="code">{t!(i18n, auth.two_factor_code)}</label>
                <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code"/>
                <p class="hint">{t!(i18n, auth.two_factor_hint)}</p>
                <FieldError errors field="code"/>
                <button type="submit" class="primary">{t!(i18n, auth.log_in)}</button>
            </ActionForm>
            <p><a href="/forgot-password">{t!(i18n, auth.forgot_password_link)}</a></p>
            <p>
                {t!(i18n, auth.new_to_paylinks)}
                <a href="/signup">{t!(i18n, auth.create_merchant_account)}</a>
            </p>
            <LanguageSwitch/>
        </main>
    }
}

#[server(prefix = "/fn", endpoint = "password_forgot")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let address = crate::ui::context::client_address(&state);
    crate::auth::reset::request(&state, &email, address).await
}

#[server(prefix = "/fn", endpoint = "password_reset")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    crate::auth::reset::complete(&state, &token, &password).await?;
    leptos_axum::redirect("/login?reset=done");
    Ok(())
}

#[server(prefix = "/fn", endpoint = "email_verify")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    crate::auth::verify::confirm(&state, &token).await
}

/// Confirms the address a sign-up link was sent to: a button, so a mail scanner that opens the
/// link confirms nothing.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let action = ServerAction::<VerifyEmail>::new();
    let result = Signal::derive(move || action.value().get());
    let token = move || use_query_map().with(|q| q.get("token").unwrap_or_default());
    let done = move || matches!(action.value().get(), Some(Ok(())));
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, auth.verify_title)/>
        <main class="page narrow">
            <h1>{t!(i18n, auth.verify_heading)}</h1>
            <Show
                when=done
                fallback=move || view! {
                    <FormAlert result/>
                    <ActionForm action attr:class="form">
                        <input type="hidden" name="token" value=token/>
                        <button type="submit" class="primary">{t!(i18n, auth.verify_button)}</button>
                    </ActionForm>
                }
            >
                <p class="alert alert-success" role="status">{t!(i18n, auth.verified)}</p>
                <p><a href="/dashboard" rel="external">{t!(i18n, auth.go_to_dashboard)}</a></p>
            </Show>
        </main>
    }
}

/// Asks for a reset link; the answer is the same whether or not the email has an account.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let result = Signal::derive(move || action.value().get());
    let errors = Signal::derive(move || form_errors(action.value().get()));
    let sent = move || matches!(action.value().get(), Some(Ok(())));
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, auth.forgot_title)/>
        <main class="page narrow">
            <h1>{t!(i18n, auth.forgot_heading)}</h1>
            <Show
                when=sent
                fallback=move || view! {
                    <FormAlert result/>
                    <ActionForm action attr:class="form">
                        <label for="email">{t!(i18n, auth.email)}</label>
                        <input id="email" name="email" type="email" required autocomplete="email"/>
                        <FieldError errors field="email"/>
                        <button type="submit" class="primary">{t!(i18n, auth.send_reset_link)}</button>
                    </ActionForm>
                }
            >
                <p class="alert alert-success" role="status">
                    {t!(i18n, auth.reset_link_sent)}
                </p>
            </Show>
            <p><a href="/login">{t!(i18n, auth.back_to_log_in)}</a></p>
        </main>
    }
}

/// Chooses a new password with the link's token.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let result = Signal::derive(move || action.value().get());
    let errors = Signal::derive(move || form_errors(action.value().get()));
    let token = move || use_query_map().with(|q| q.get("token").unwrap_or_default());
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, auth.reset_title)/>
        <main class="page narrow">
            <h1>{t!(i18n, auth.reset_heading)}</h1>
            <FormAlert result/>
            <ActionForm action attr:class="form">
                <input type="hidden" name="token" value=token/>
                <label for="password">{t!(i18n, auth.new_password)}</label>
                <input id="password" name="password" type="password" required minlength="10" autocomplete="new-password"/>
                <p class="hint">{t!(i18n, auth.new_password_hint)}</p>
                <FieldError errors field="password"/>
                <button type="submit" class="primary">{t!(i18n, auth.set_new_password)}</button>
            </ActionForm>
        </main>
    }
}
