//! Team: members and their roles, invitations by link. Every member can see the team; only
//! owners invite, change roles and remove, and the last owner cannot be demoted or removed.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::domain::ids::UserId;
use crate::domain::merchant::Role;
use crate::domain::time::format_wib;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n, Locale};
use crate::model::{Invitation, Member};
use crate::ui::components::{form_errors, DashboardShell, ErrorPanel, FieldError, FormAlert};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamData {
    pub members: Vec<Member>,
    pub invitations: Vec<Invitation>,
    /// Invitations are emailed too.
    pub mail_on: bool,
    pub me: crate::domain::ids::UserId,
    pub i_am_owner: bool,
}

#[server(prefix = "/fn", endpoint = "team")]
pub async fn get_team() -> Result<TeamData, AppError> {
    let (state, user) = crate::ui::context::signed_in().await?;
    Ok(TeamData {
        members: crate::db::team::members(&state.db, user.merchant_id).await?,
        invitations: crate::db::team::open_invitations(&state.db, user.merchant_id, state.now_ms())
            .await?,
        me: user.user_id,
        mail_on: state.mailer.is_some(),
        i_am_owner: user.role == Role::Owner,
    })
}

/// Returns the invitation link: the one time it is shown.
#[server(prefix = "/fn", endpoint = "team_invite")]
pub async fn invite_member(email: String, role: String) -> Result<String, AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    let token = crate::service::team::invite(&state, &actor, &email, &role).await?;
    Ok(crate::service::team::invitation_url(&state, &token))
}

#[server(prefix = "/fn", endpoint = "team_invitation_revoke")]
pub async fn revoke_invitation(invitation_id: i64) -> Result<(), AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    crate::service::team::revoke_invitation(&state, &actor, invitation_id).await
}

#[server(prefix = "/fn", endpoint = "team_role")]
pub async fn change_role(user_id: UserId, role: String) -> Result<(), AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    let role =
        Role::parse(&role).map_err(|_| AppError::field("role", crate::tr!(team.choose_role)))?;
    crate::service::team::change_member(&state, &actor, user_id, Some(role)).await
}

#[server(prefix = "/fn", endpoint = "team_remove")]
pub async fn remove_member(
    user_id: UserId,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    crate::ui::context::confirmed(&confirm, &crate::tr!(team.confirm_remove))?;
    crate::service::team::change_member(&state, &actor, user_id, None).await
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let invite = ServerAction::<InviteMember>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let role = ServerAction::<ChangeRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let data = Resource::new(
        move || {
            (
                invite.version().get(),
                revoke.version().get(),
                role.version().get(),
                remove.version().get(),
            )
        },
        |_| get_team(),
    );
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, team.title)/>
        <DashboardShell account_id=Signal::derive(|| None::<String>)>
            <h1>{t!(i18n, common.team)}</h1>
            <p class="hint">{t!(i18n, team.hint)}</p>
            <FormAlert result=Signal::derive(move || role.value().get())/>
            <FormAlert result=Signal::derive(move || remove.value().get())/>
            <FormAlert result=Signal::derive(move || revoke.value().get())/>
            <Transition fallback=move || view! { <p>{t!(i18n, team.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <Team data invite role remove revoke/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Transition>
        </DashboardShell>
    }
}

#[component]
fn Team(
    data: TeamData,
    invite: ServerAction<InviteMember>,
    role: ServerAction<ChangeRole>,
    remove: ServerAction<RemoveMember>,
    revoke: ServerAction<RevokeInvitation>,
) -> impl IntoView {
    let owner = data.i_am_owner;
    let mail_on = data.mail_on;
    let invite_errors = Signal::derive(move || form_errors(invite.value().get()));
    let remove_errors = Signal::derive(move || form_errors(remove.value().get()));
    let i18n = use_i18n();
    view! {
        <table class="table" data-testid="members">
            <thead>
                <tr>
                    <th>{t!(i18n, team.email)}</th>
                    <th>{t!(i18n, team.role)}</th>
                    <th>{t!(i18n, team.since)}</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>
                {data.members.into_iter().map(|m| {
                    let me = m.user_id == data.me;
                    view! {
                        <tr data-member=m.email.clone()>
                            <td>{m.email.clone()}{me.then_some(tu_string!(i18n, team.you))}</td>
                            <td>
                                {if owner {
                                    let current = m.role;
                                    view! {
                                        <ActionForm action=role attr:class="inline-form">
                                            <input type="hidden" name="user_id" value=m.user_id.0/>
                                            <select name="role" aria-label=tu_string!(i18n, team.role)>
                                                {Role::ALL.into_iter().map(|r| view! {
                                                    <option value=r.as_str() selected=current == r>{role_label(i18n, r)}</option>
                                                }).collect_view()}
                                            </select>
                                            <button type="submit">{t!(i18n, team.change)}</button>
                                        </ActionForm>
                                    }.into_any()
                                } else {
                                    view! { <span>{role_label(i18n, m.role)}</span> }.into_any()
                                }}
                            </td>
                            <td>{format_wib(m.created_at)}</td>
                            <td class="actions">
                                {owner.then(|| view! {
                                    <ActionForm action=remove attr:class="inline-form">
                                        <input type="hidden" name="user_id" value=m.user_id.0/>
                                        <label class="check">
                                            <input type="checkbox" name="confirm" value="yes"/>
                                            {t!(i18n, team.sure)}
                                        </label>
                                        <button type="submit" class="danger">{t!(i18n, team.remove)}</button>
                                    </ActionForm>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <FieldError errors=remove_errors field="confirm"/>
        {owner.then(|| view! {
            <section class="card">
                <h2>{t!(i18n, team.invite_member)}</h2>
                <ActionForm action=invite attr:class="form">
                    <label for="invite_email">{t!(i18n, team.email)}</label>
                    <input type="email" id="invite_email" name="email" required/>
                    <FieldError errors=invite_errors field="email"/>
                    <label for="invite_role">{t!(i18n, team.role)}</label>
                    <select id="invite_role" name="role">
                        <option value="viewer">{t!(i18n, team.role_viewer)}</option>
                        <option value="admin">{t!(i18n, team.role_admin)}</option>
                        <option value="owner">{t!(i18n, team.role_owner)}</option>
                    </select>
                    <FieldError errors=invite_errors field="role"/>
                    <button type="submit" class="primary">{t!(i18n, team.create_invitation_link)}</button>
                </ActionForm>
                {move || invite.value().get().and_then(Result::ok).map(|link| {
                    let mail = format!(
                        "mailto:?subject={}&body={link}",
                        tu_string!(i18n, team.mail_subject)
                    );
                    let lead = if mail_on {
                        tu_string!(i18n, team.link_emailed)
                    } else {
                        tu_string!(i18n, team.link_to_send)
                    };
                    view! {
                        <p class="alert alert-info" data-testid="invitation-link">
                            {lead}<code>{link}</code>" · "<a href=mail>{t!(i18n, team.email_it)}</a>
                        </p>
                    }
                })}
            </section>
        })}
        {(!data.invitations.is_empty()).then(|| view! {
            <h2>{t!(i18n, team.open_invitations)}</h2>
            <table class="table">
                <thead>
                    <tr>
                        <th>{t!(i18n, team.email)}</th>
                        <th>{t!(i18n, team.role)}</th>
                        <th>{t!(i18n, team.expires)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    {data.invitations.into_iter().map(|i| view! {
                        <tr>
                            <td>{i.email}</td>
                            <td>{role_label(i18n, i.role)}</td>
                            <td>{format_wib(i.expires_at)}</td>
                            <td>{owner.then(|| view! {
                                <ActionForm action=revoke attr:class="inline-form">
                                    <input type="hidden" name="invitation_id" value=i.id/>
                                    <button type="submit">{t!(i18n, team.withdraw)}</button>
                                </ActionForm>
                            })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}

/// A role as the dashboard names it to people (the form values stay `Role::as_str`).
pub fn role_label(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Owner => tu_string!(i18n, team.role_owner),
        Role::Admin => tu_string!(i18n, team.role_admin),
        Role::Viewer => tu_string!(i18n, team.role_viewer),
    }
}
