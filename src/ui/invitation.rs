//! `/invitations/{token}`: an invited person sets a password and joins the merchant.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::ui::components::{form_errors, ErrorPanel, FieldError, FormAlert};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub merchant_name: String,
    pub email: String,
    pub role: String,
}

#[cfg(feature = "ssr")]
fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[server(prefix = "/fn", endpoint = "invitation")]
pub async fn get_invitation(token: String) -> Result<InvitationView, AppError> {
    let state = crate::state::app_state()?;
    let open = crate::db::team::find_open(&state.db, &token_hash(&token), state.now_ms()).await?;
    Ok(InvitationView {
        merchant_name: open.merchant_name,
        email: open.email,
        role: open.role,
    })
}

#[server(prefix = "/fn", endpoint = "invitation_accept")]
pub async fn accept_invitation(token: String, password: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    crate::domain::merchant::check_password(&password)
        .map_err(|e| AppError::field("password", e))?;
    let hash = crate::auth::password::hash(password).await?;
    let user_id =
        crate::db::team::accept(&state.db, &token_hash(&token), &hash, state.now_ms()).await?;
    crate::ui::context::start_session(&state, user_id).await?;
    let user = crate::db::merchants::find_current_user(&state.db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    leptos_axum::redirect(&crate::ui::dashboard::landing_path(&state.db, user.merchant_id).await?);
    Ok(())
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let data = Resource::new(token, get_invitation);
    let accept = ServerAction::<AcceptInvitation>::new();
    let errors = Signal::derive(move || form_errors(accept.value().get()));
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, team.join_title)/>
        <main class="page narrow">
            <Suspense fallback=move || view! { <p>{t!(i18n, team.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(invitation) => {
                            let role = crate::domain::merchant::Role::parse(&invitation.role)
                                .map(|role| {
                                    crate::ui::dashboard::team::role_label(i18n, role).to_string()
                                })
                                .unwrap_or(invitation.role);
                            view! {
                                <h1>{tu_string!(i18n, team.join_merchant, merchant = invitation.merchant_name).to_string()}</h1>
                                <p>{tu_string!(i18n, team.invited_as, role, email = invitation.email).to_string()}</p>
                                <FormAlert result=Signal::derive(move || accept.value().get())/>
                                <ActionForm action=accept attr:class="form">
                                    <input type="hidden" name="token" value=token()/>
                                    <label for="password">{t!(i18n, team.choose_password)}</label>
                                    <input type="password" id="password" name="password" required autocomplete="new-password"/>
                                    <FieldError errors field="password"/>
                                    <button type="submit" class="primary">{t!(i18n, team.join_team)}</button>
                                </ActionForm>
                            }.into_any()
                        }
                        Err(AppError::NotFound) => view! {
                            <h1>{t!(i18n, team.invitation_unusable)}</h1>
                            <p>{t!(i18n, team.invitation_unusable_detail)}</p>
                            {crate::ui::context::set_page_status(404)}
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
