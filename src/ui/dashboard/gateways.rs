//! Developers → Payment providers: the merchant's own Midtrans or Xendit account, connected
//! with keys the gateway has just accepted, shown only by their last characters.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::domain::gateway::Gateway;
use crate::domain::time::format_wib;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::model::GatewayConnection;
use crate::ui::components::{form_errors, DashboardShell, ErrorPanel, FieldError, FormAlert};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GatewaysData {
    pub connections: Vec<ConnectionView>,
    /// Keys can be kept sealed (the server has `PAYLINKS_SECRET_KEY`).
    pub can_seal: bool,
    /// The sandbox issues the methods no connection issues.
    pub sandbox_issues: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectionView {
    pub connection: GatewayConnection,
    /// Where the gateway is to send its notifications (pasted into its dashboard).
    pub notification_url: String,
    /// The methods its gateway can issue, and those it does.
    pub offered: Vec<String>,
    pub routed: Vec<String>,
}

#[server(prefix = "/fn", endpoint = "gateways")]
pub async fn get_gateways() -> Result<GatewaysData, AppError> {
    use crate::db::gateways;
    let (state, user) = crate::ui::context::signed_in().await?;
    let routes = gateways::routes(&state.db, user.merchant_id).await?;
    let connections = gateways::list(&state.db, user.merchant_id)
        .await?
        .into_iter()
        .map(|connection| ConnectionView {
            notification_url: format!(
                "{}/callbacks/{}/{}",
                state.settings.public_base_url,
                connection.gateway.as_str(),
                connection.id
            ),
            offered: crate::payments::offered(connection.gateway)
                .iter()
                .map(|code| code.to_string())
                .collect(),
            routed: routes
                .iter()
                .filter(|(id, _)| *id == connection.id)
                .map(|(_, code)| code.clone())
                .collect(),
            connection,
        })
        .collect();
    Ok(GatewaysData {
        connections,
        can_seal: state.secrets.is_some(),
        sandbox_issues: gateways::sandbox_issues(&state.db, user.merchant_id).await?,
    })
}

#[server(prefix = "/fn", endpoint = "gateway_sandbox")]
pub async fn switch_sandbox(#[server(default)] on: Option<String>) -> Result<(), AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    crate::service::gateways::set_sandbox(&state, &actor, on.is_some()).await
}

#[server(prefix = "/fn", endpoint = "gateway_route")]
pub async fn route_gateway(
    id: i64,
    #[server(default)] methods: Vec<String>,
) -> Result<(), AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    crate::service::gateways::route(&state, &actor, id, &methods).await
}

#[server(prefix = "/fn", endpoint = "gateway_connect")]
pub async fn connect_gateway(
    gateway: String,
    mode: String,
    secret: String,
    #[server(default)] callback_token: String,
) -> Result<(), AppError> {
    use crate::service::gateways::{connect, ConnectInput};
    let (state, actor) = crate::ui::context::acting().await?;
    let input = ConnectInput {
        gateway: &gateway,
        mode: &mode,
        secret: &secret,
        callback_token: &callback_token,
    };
    connect(&state, &actor, input).await
}

#[server(prefix = "/fn", endpoint = "gateway_test")]
pub async fn test_gateway(id: i64) -> Result<String, AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    crate::service::gateways::test(&state, &actor, id).await?;
    Ok(crate::tr!(gateways.accepted))
}

#[server(prefix = "/fn", endpoint = "gateway_disconnect")]
pub async fn disconnect_gateway(
    id: i64,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    let (state, actor) = crate::ui::context::acting().await?;
    crate::ui::context::confirmed(&confirm, &crate::tr!(gateways.confirm_disconnect))?;
    crate::service::gateways::disconnect(&state, &actor, id).await
}

#[component]
pub fn GatewaysPage() -> impl IntoView {
    let connect = ServerAction::<ConnectGateway>::new();
    let test = ServerAction::<TestGateway>::new();
    let disconnect = ServerAction::<DisconnectGateway>::new();
    let route = ServerAction::<RouteGateway>::new();
    let sandbox = ServerAction::<SwitchSandbox>::new();
    let data = Resource::new(
        move || {
            (
                connect.version().get(),
                disconnect.version().get(),
                route.version().get(),
                sandbox.version().get(),
            )
        },
        |_| get_gateways(),
    );
    let route_result = Signal::derive(move || route.value().get());
    let test_result = Signal::derive(move || test.value().get());
    let disconnect_result = Signal::derive(move || disconnect.value().get());
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, gateways.page_title).to_string()/>
        <DashboardShell account_id=Signal::derive(|| None::<String>)>
            <div class="page-head">
                <h1>{t!(i18n, gateways.title)}</h1>
                <a href="/developers">{t!(i18n, gateways.back_credentials)}</a>
            </div>
            <p class="hint">{t!(i18n, gateways.intro)}</p>
            <FormAlert result=test_result/>
            {move || test_result.get().and_then(Result::ok).map(|message| view! {
                <div class="alert alert-success" role="status">{message}</div>
            })}
            <FormAlert result=disconnect_result/>
            <FormAlert result=route_result/>
            <Transition fallback=move || view! { <p>{t!(i18n, gateways.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! {
                            <Connections connections=data.connections.clone() test disconnect route/>
                            <SandboxSwitch on=data.sandbox_issues action=sandbox/>
                            <ConnectForm can_seal=data.can_seal connect/>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Transition>
        </DashboardShell>
    }
}

#[component]
fn Connections(
    connections: Vec<ConnectionView>,
    test: ServerAction<TestGateway>,
    disconnect: ServerAction<DisconnectGateway>,
    route: ServerAction<RouteGateway>,
) -> impl IntoView {
    let i18n = use_i18n();
    if connections.is_empty() {
        return view! {
            <section class="card empty"><p>{t!(i18n, gateways.empty)}</p></section>
        }
        .into_any();
    }
    let disconnect_errors = Signal::derive(move || form_errors(disconnect.value().get()));
    connections
        .into_iter()
        .map(|view| {
            let c = view.connection;
            let routed = view.routed;
            view! {
                <section class="card gateway" data-testid=format!("gateway-{}", c.id)>
                    <h2>{c.gateway.label()}" · "{c.mode.label()}</h2>
                    <dl class="fields">
                        <dt>{t!(i18n, gateways.key)}</dt><dd><code>{c.secret_hint.clone()}</code></dd>
                        <dt>{t!(i18n, gateways.connected)}</dt><dd>{format_wib(c.updated_at)}</dd>
                        <dt>{t!(i18n, gateways.notification_url)}</dt>
                        <dd><code data-testid="notification-url">{view.notification_url}</code></dd>
                    </dl>
                    <ActionForm action=route>
                        <input type="hidden" name="id" value=c.id/>
                        <fieldset class="methods">
                            <legend>{t!(i18n, gateways.issues_methods)}</legend>
                            {view.offered.into_iter().enumerate().map(|(i, code)| {
                                let checked = routed.contains(&code);
                                view! {
                                    <label class="check">
                                        <input type="checkbox" name=format!("methods[{i}]") value=code.clone() checked=checked/>
                                        {code.clone()}
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                        <button type="submit">{t!(i18n, gateways.save_methods)}</button>
                    </ActionForm>
                    <div class="actions">
                        <ActionForm action=test>
                            <input type="hidden" name="id" value=c.id/>
                            <button type="submit">{t!(i18n, gateways.test_connection)}</button>
                        </ActionForm>
                        <ActionForm action=disconnect>
                            <input type="hidden" name="id" value=c.id/>
                            <label class="check"><input type="checkbox" name="confirm" value="yes"/>{t!(i18n, gateways.sure)}</label>
                            <button type="submit" class="danger">{t!(i18n, gateways.disconnect)}</button>
                        </ActionForm>
                    </div>
                    <FieldError errors=disconnect_errors field="confirm"/>
                </section>
            }
        })
        .collect_view()
        .into_any()
}

/// Whether the sandbox issues the methods no connected account issues.
#[component]
fn SandboxSwitch(on: bool, action: ServerAction<SwitchSandbox>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{t!(i18n, gateways.unrouted_title)}</h2>
            <ActionForm action>
                <label class="check">
                    <input type="checkbox" name="on" value="yes" checked=on data-testid="sandbox-issues"/>
                    {t!(i18n, gateways.sandbox_issues)}
                </label>
                <button type="submit">{t!(i18n, gateways.save)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ConnectForm(can_seal: bool, connect: ServerAction<ConnectGateway>) -> impl IntoView {
    let i18n = use_i18n();
    if !can_seal {
        return view! {
            <section class="card">
                <p class="alert alert-info">{t!(i18n, gateways.needs_secret_key)}</p>
            </section>
        }
        .into_any();
    }
    let result = Signal::derive(move || connect.value().get());
    let errors = Signal::derive(move || form_errors(connect.value().get()));
    view! {
        <section class="card">
            <h2>{t!(i18n, gateways.connect_title)}</h2>
            <FormAlert result/>
            <ActionForm action=connect attr:class="form">
                <label for="gateway">{t!(i18n, gateways.gateway)}</label>
                <select id="gateway" name="gateway">
                    {Gateway::ALL.into_iter().map(|g| view! {
                        <option value=g.as_str()>{g.label()}</option>
                    }).collect_view()}
                </select>
                <FieldError errors field="gateway"/>
                <label for="mode">{t!(i18n, gateways.mode)}</label>
                <select id="mode" name="mode">
                    <option value="sandbox">{t!(i18n, gateways.sandbox_option)}</option>
                    <option value="production">{t!(i18n, gateways.production_option)}</option>
                </select>
                <FieldError errors field="mode"/>
                <label for="secret">{t!(i18n, gateways.secret_field)}</label>
                <input id="secret" name="secret" type="password" autocomplete="off" required/>
                <FieldError errors field="secret"/>
                <label for="callback_token">{t!(i18n, gateways.callback_token_field)}</label>
                <input id="callback_token" name="callback_token" type="password" autocomplete="off"/>
                <FieldError errors field="callback_token"/>
                <button type="submit" class="primary">{t!(i18n, gateways.check_and_connect)}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
