//! Sign up, log in, log out.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;
use crate::ui::components::{form_errors, FieldError, FormAlert};

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
        return Err(AppError::field("form", "Wrong email or password."));
    };
    if let (Some(secret), _) = crate::db::two_factor::secrets(&state.db, user_id).await? {
        let code = code.unwrap_or_default();
        if code.trim().is_empty() {
            return Err(AppError::field(
                "code",
                "Enter the 6-digit code from your authenticator app, or a recovery code.",
            ));
        }
        throttle::check_second_factor(&state.db, user_id, now).await?;
        if !crate::auth::two_factor::accept(&state.db, user_id, &secret, &code, now).await? {
            throttle::second_factor_failed(&state.db, user_id, now).await?;
            return Err(AppError::field(
                "code",
                "That code is not right. Enter the one your app shows now, or a recovery code.",
            ));
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
    view! {
        <Title text="Sign up · paylinks"/>
        <main class="page narrow">
            <h1>"Create your merchant account"</h1>
            <FormAlert result/>
            <ActionForm action attr:class="form">
                <label for="merchant_name">"Business name"</label>
                <input id="merchant_name" name="merchant_name" required autocomplete="organization"/>
                <FieldError errors field="merchant_name"/>
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" required autocomplete="email"/>
                <FieldError errors field="email"/>
                <label for="password">"Password"</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    required
                    minlength="10"
                    autocomplete="new-password"
                />
                <p class="hint">"At least 10 characters."</p>
                <FieldError errors field="password"/>
                <button type="submit" class="primary" disabled=busy aria-busy=move || busy().to_string()>
                    {move || if busy() { "Creating your account…" } else { "Create account" }}
                </button>
            </ActionForm>
            <p>"Already have an account? "<a href="/login">"Log in"</a></p>
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
    view! {
        <Title text="Log in · paylinks"/>
        <main class="page narrow">
            <h1>"Log in"</h1>
            {move || reset().then(|| view! {
                <p class="alert alert-success" role="status">
                    "Your password was changed. Log in with the new one."
                </p>
            })}
            <FormAlert result/>
            <ActionForm action attr:class="form">
                <input type="hidden" name="next" value=next/>
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" required autocomplete="email"/>
                <FieldError errors field="email"/>
                <label for="password">"Password"</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    required
                    autocomplete="current-password"
                />
                <FieldError errors field="password"/>
                <label for="code">"Two-factor code"</label>
                <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code"/>
                <p class="hint">"Only if you turned on two-factor sign-in: the code your authenticator app shows, or a recovery code."</p>
                <FieldError errors field="code"/>
                <button type="submit" class="primary">"Log in"</button>
            </ActionForm>
            <p><a href="/forgot-password">"Forgot password?"</a></p>
            <p>"New to paylinks? "<a href="/signup">"Create a merchant account"</a></p>
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
    view! {
        <Title text="Confirm your email · paylinks"/>
        <main class="page narrow">
            <h1>"Confirm your email"</h1>
            <Show
                when=done
                fallback=move || view! {
                    <FormAlert result/>
                    <ActionForm action attr:class="form">
                        <input type="hidden" name="token" value=token/>
                        <button type="submit" class="primary">"Confirm my email"</button>
                    </ActionForm>
                }
            >
                <p class="alert alert-success" role="status">"Your email is confirmed. Thank you."</p>
                <p><a href="/dashboard" rel="external">"Go to the dashboard"</a></p>
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
    view! {
        <Title text="Forgot password · paylinks"/>
        <main class="page narrow">
            <h1>"Forgot your password?"</h1>
            <Show
                when=sent
                fallback=move || view! {
                    <FormAlert result/>
                    <ActionForm action attr:class="form">
                        <label for="email">"Email"</label>
                        <input id="email" name="email" type="email" required autocomplete="email"/>
                        <FieldError errors field="email"/>
                        <button type="submit" class="primary">"Email me a reset link"</button>
                    </ActionForm>
                }
            >
                <p class="alert alert-success" role="status">
                    "If an account uses this email, a link to choose a new password is on its way. "
                    "It works once, for an hour."
                </p>
            </Show>
            <p><a href="/login">"Back to log in"</a></p>
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
    view! {
        <Title text="Choose a new password · paylinks"/>
        <main class="page narrow">
            <h1>"Choose a new password"</h1>
            <FormAlert result/>
            <ActionForm action attr:class="form">
                <input type="hidden" name="token" value=token/>
                <label for="password">"New password"</label>
                <input id="password" name="password" type="password" required minlength="10" autocomplete="new-password"/>
                <p class="hint">"At least 10 characters. Every browser signed in to your account is signed out."</p>
                <FieldError errors field="password"/>
                <button type="submit" class="primary">"Set the new password"</button>
            </ActionForm>
        </main>
    }
}
