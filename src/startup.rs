//! Building the app: one `build_router` shared by `main.rs` and the integration tests.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

use crate::app::{shell, App};
use crate::auth::{csrf, current_user};
use crate::cache::PayerCache;
use crate::callbacks;
use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use crate::db::methods::CachedCatalogue;
use crate::db::sessions::Sessions;
use crate::db::Db;
use crate::error::AppError;
use crate::payments::callback::CALLBACK_PATH;
use crate::payments::sandbox::SandboxProvider;
use crate::sandbox_bank as bank;
use crate::state::{AppServices, AppState};
use crate::ui::{dashboard, qr};

pub const SESSION_COOKIE: &str = "paylinks_session";

/// Pages that need a signed-in merchant; anyone else is sent to the log-in page.
const DASHBOARD_PREFIXES: &[&str] = &[
    "/dashboard",
    "/accounts",
    "/developers",
    "/team",
    "/audit",
    "/security",
];

pub fn build_state(
    settings: Settings,
    db: Db,
    leptos_options: LeptosOptions,
    clock: Arc<dyn Clock>,
) -> AppState {
    let provider = Arc::new(SandboxProvider::new(
        &settings.public_base_url,
        settings.va_prefixes.clone(),
    ));
    use crate::rate_limit::{RateLimiter, SharedCounts, MINUTE_MS};
    // Checked when the settings were read.
    let shared_counts = settings
        .redis_url
        .as_deref()
        .and_then(|url| SharedCounts::new(url, &settings.redis_prefix).ok())
        .map(Arc::new);
    let api_rate_limiter = Arc::new(RateLimiter::new(
        "api",
        settings.api_rate_limit_per_minute,
        shared_counts.clone(),
    ));
    let payer_ip_limiter = Arc::new(RateLimiter::per_window(
        "payer-address",
        settings.payer_attempts_per_ip,
        10 * MINUTE_MS,
        shared_counts.clone(),
    ));
    let payer_link_limiter = Arc::new(RateLimiter::new(
        "payer-link",
        settings.payer_attempts_per_link,
        shared_counts.clone(),
    ));
    // Checked when the settings were read.
    let secrets = settings
        .secret_key
        .as_deref()
        .and_then(|key| crate::secrets::SecretBox::from_base64(key).ok())
        .map(Arc::new);
    // Checked when the settings were read.
    let mailer = settings
        .smtp_url
        .as_deref()
        .and_then(|url| crate::mail::Mailer::new(url, &settings.mail_from).ok())
        .map(Arc::new);
    AppState::new(AppServices {
        reservations: crate::db::reservations::Reservations::new(&db),
        mailer,
        mail_wakeup: Arc::new(tokio::sync::Notify::new()),
        secrets,
        api_rate_limiter,
        payer_ip_limiter,
        payer_link_limiter,
        shared_counts,
        leptos_options,
        db,
        settings: Arc::new(settings),
        clock,
        provider,
        webhook_wakeup: Arc::new(tokio::sync::Notify::new()),
        catalogue: Arc::new(CachedCatalogue::new(std::time::Duration::from_secs(60))),
        payer_cache: Arc::new(PayerCache::new(std::time::Duration::from_secs(1))),
        sandbox_http: reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .expect("an HTTP client with a timeout builds"),
    })
}

/// The route list, generated once per process. Generating it suspends resource loading
/// process-wide for a moment, which would stall any page rendering at that instant in a
/// process serving several apps (the integration tests).
pub fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn build_router(state: AppState) -> Router {
    let routes = route_list();
    let metrics_on = state.settings.metrics_token.is_some();
    if metrics_on {
        crate::metrics::install();
    }
    let router = Router::new()
        // Up: the process answers. Ready: it can reach its database, so a load balancer
        // stops sending traffic while it cannot.
        .route("/health", get(|| async { "ok" }))
        .route("/ready", get(ready))
        .route("/metrics", get(crate::metrics::scrape))
        // Browsers ask for /favicon.ico whatever the page names; the icon is an SVG.
        .route(
            "/favicon.ico",
            get(|| async { axum::response::Redirect::permanent("/favicon.svg") }),
        )
        .route("/dashboard", get(dashboard::dashboard_home))
        .merge(
            crate::api::routes().route_layer(middleware::from_fn_with_state(
                state.clone(),
                crate::api::idempotency::idempotent,
            )),
        )
        .route("/exports/{id}/download", get(crate::exports::download))
        .route("/language", post(crate::language::choose))
        .route("/branding/logo", post(crate::branding::upload))
        .route("/branding/logo/remove", post(crate::branding::remove))
        .route("/logos/{file}", get(crate::branding::serve))
        .route("/pay/{slug}/qr.svg", get(qr::svg))
        .route("/pay/{slug}/qr.png", get(qr::png))
        .route("/pay/{slug}/{reff_no}/code.svg", get(qr::attempt_svg))
        .route("/pay/{slug}/{reff_no}/code.png", get(qr::attempt_png))
        .route(CALLBACK_PATH, post(callbacks::receive))
        .route(
            "/callbacks/{gateway}/{connection_id}",
            post(callbacks::receive_gateway),
        )
        .route("/sandbox/va/pay", post(bank::pay_va))
        .route("/sandbox/qris/pay", post(bank::pay_qris))
        .route("/sandbox/retail/pay", post(bank::pay_retail))
        .route("/sandbox/ewallet/{reff_no}", get(bank::wallet_checkout))
        .route(
            "/sandbox/ewallet/{reff_no}/approve",
            post(bank::wallet_approve),
        )
        .leptos_routes_with_context(&state, routes, crate::ui::context::provide_page_nonce, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(crate::ui::context::provide_page_nonce, shell))
        .layer(middleware::from_fn(crate::error::server_fn_error_status))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::auth::access::enforce,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            require_dashboard_login,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            csrf::require_same_origin,
        ))
        // Outside the guards, so their refusals are in the user's language too.
        .layer(middleware::from_fn(crate::language::speak_request_language));
    let secure = state.settings.cookie_secure;
    let router = router.layer(session_layer(Sessions::new(state.db.clone()), secure));
    // Outside the session and sign-in layers: the front end is the same for everyone.
    let router = router.merge(front_end_files(&state.leptos_options));
    // The layers below run once per request, before routing. Added to the router above, each
    // would wrap every route, and a request clones the route it reaches with all of its layers
    // (the Leptos routes carry their options): that cost a payer page served from memory more
    // than serving it did.
    let router = Router::new().fallback_service(router.with_state(state.clone()));
    // Outside the session layer: a page served from memory touches no session store.
    let router = router.layer(middleware::from_fn_with_state(
        state.clone(),
        crate::ui::payer::page_cache::serve_from_memory,
    ));
    // Outside the page memory too: every page, rendered or kept, gets its nonce and policy here.
    let router = router.layer(middleware::from_fn(crate::security::page_policy_layer));
    crate::security::with_security_headers(router)
        // Pages and API answers go out gzip-compressed to clients that accept it: a payer on a
        // slow phone network waits for bytes, not for the CPU. Not brotli on the fly: its
        // encoder sets up megabytes of window and hash tables for every response, which cost
        // a cached payer page five times what serving it did; gzip's output is a few hundred
        // bytes longer. The built files keep their precompressed brotli (served as they are).
        .layer(CompressionLayer::new().no_br())
        // No request may hold a connection forever: a stuck one answers 408 after this.
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            crate::config::REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn(
            move |request: Request, next: Next| async move {
                if metrics_on {
                    crate::metrics::measure(request, next).await
                } else {
                    next.run(request).await
                }
            },
        ))
        // Every request gets an id (a client's own X-Request-Id is kept), answered in the
        // same header and carried by its span, so each log line names its request.
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

fn request_span(request: &Request) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|id| id.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %request.uri().path()
    )
}

/// The built front end (script, WebAssembly, styles) and the icon. With hashed file names a
/// name never changes content, so browsers keep the files a year and a payer's second visit
/// fetches only the page; without them they ask each time (answered 304 when unchanged). The
/// brotli and gzip copies a release build makes are sent as they are, not compressed again.
fn front_end_files(options: &LeptosOptions) -> Router<AppState> {
    let dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let caching = if options.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let files = tower_http::services::ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip();
    let cache_for = |value: &'static str| {
        tower_http::set_header::SetResponseHeaderLayer::overriding(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static(value),
        )
    };
    // The icon keeps its name across builds: kept a day, then asked again.
    let icon = tower_http::services::ServeFile::new(
        std::path::Path::new(&*options.site_root).join("favicon.svg"),
    );
    Router::new()
        .nest_service(&format!("/{}", options.site_pkg_dir), files)
        .layer(cache_for(caching))
        .merge(
            Router::new()
                .route_service("/favicon.svg", icon)
                .layer(cache_for("public, max-age=86400")),
        )
}

fn session_layer(store: Sessions, secure: bool) -> SessionManagerLayer<Sessions> {
    SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::days(7),
        ))
}

async fn require_dashboard_login(
    State(state): State<AppState>,
    session: Session,
    request: Request<Body>,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if !DASHBOARD_PREFIXES.iter().any(|p| path.starts_with(p)) {
        return next.run(request).await;
    }
    match current_user(&state.db, &session).await {
        // A team that requires two-factor sign-in sends a member without it to set it up.
        Ok(Some(user)) if user.needs_two_factor_setup() && !path.starts_with("/security") => {
            Redirect::to("/security").into_response()
        }
        Ok(Some(_)) => next.run(request).await,
        Ok(None) => {
            let next_path = request
                .uri()
                .path_and_query()
                .map(|pq| pq.as_str())
                .unwrap_or("/dashboard");
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("next", next_path)
                .finish();
            Redirect::to(&format!("/login?{query}")).into_response()
        }
        Err(error) => error.into_response(),
    }
}

/// `GET /ready`: 200 while the database answers within two seconds, 503 otherwise.
async fn ready(State(state): State<AppState>) -> Response {
    let within = std::time::Duration::from_secs(2);
    let unready = |what| (axum::http::StatusCode::SERVICE_UNAVAILABLE, what).into_response();
    if !state.db.answers(within).await {
        return unready("the database does not answer");
    }
    if let Some(shared) = &state.shared_counts {
        if !shared.answers(within).await {
            return unready("Redis does not answer");
        }
    }
    "ready".into_response()
}

/// Reads settings, prepares the database and serves until Ctrl-C or SIGTERM.
pub async fn run() -> Result<(), AppError> {
    let settings = Settings::from_env()?;
    let filter = tracing_subscriber::EnvFilter::new(&settings.log_filter);
    if settings.log_json {
        tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let leptos_options = leptos_options(&settings)?;
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    let addr = settings.site_addr;
    let base = settings.public_base_url.clone();
    let session_cleanup = spawn_session_cleanup(&db);
    let checkpoints = match &db {
        Db::Sqlite(_) => Some(crate::db::checkpoint::spawn(&settings.database_url)?),
        Db::Postgres(_) => None,
    };
    let header_read_timeout = settings.header_read_timeout;
    let state = build_state(settings, db, leptos_options, Arc::new(SystemClock));
    let jobs = crate::jobs::spawn(state.clone());
    // Aborting mid-send at shutdown loses nothing: the claim lapses and another pass resends.
    let webhooks = crate::webhooks::spawn(state.clone());
    let mail = crate::mail::spawn(state.clone());
    let app = build_router(state);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| AppError::config(format!("cannot listen on {addr}: {e}")))?;
    tracing::info!("paylinks is listening on http://{addr}");
    println!("\n  paylinks is running: open {base}/signup to create the first merchant.\n");
    crate::serve::serve(listener, app, header_read_timeout, shutdown_signal()).await;
    session_cleanup.abort();
    if let Some(task) = checkpoints {
        task.abort();
    }
    jobs.abort();
    webhooks.abort();
    mail.abort();
    Ok(())
}

/// Deletes expired sessions hourly, so abandoned log-ins do not pile up in the database.
fn spawn_session_cleanup(db: &Db) -> tokio::task::JoinHandle<()> {
    let sessions = Sessions::new(db.clone());
    tokio::spawn(async move {
        let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            hourly.tick().await;
            if let Err(error) = sessions.delete_expired().await {
                tracing::warn!(%error, "expired sessions not deleted; trying again in an hour");
            }
        }
    })
}

/// Leptos settings: from `Leptos.toml` when present (a built server run on its own), with
/// `LEPTOS_*` variables (set by cargo-leptos) taking precedence; the address always comes from
/// our own settings.
fn leptos_options(settings: &Settings) -> Result<LeptosOptions, AppError> {
    let file = std::path::Path::new("Leptos.toml")
        .exists()
        .then_some("Leptos.toml");
    let mut options = leptos::config::get_configuration(file)
        .map_err(|e| AppError::config(format!("Leptos settings: {e}")))?
        .leptos_options;
    options.site_addr = settings.site_addr;
    if options.hash_files && !crate::assets::hash_file_present(&options) {
        tracing::warn!("file hashing is on but no hash file is beside the binary: unhashed names");
        options.hash_files = false;
    }
    Ok(options)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
