//! CSRF defence for every mutating request that cookies could authenticate: the browser must
//! say (Origin, or Referer when Origin is absent) that the request comes from our own pages.
//! Together with the SameSite=Lax session cookie this refuses cross-site form posts.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::state::AppState;

/// Paths authenticated by API credentials, not cookies, so a forged browser post gains nothing.
/// Provider callbacks are signed; the sandbox bank simulators hold no cookies to abuse.
const TOKEN_AUTHENTICATED_PREFIXES: &[&str] = &["/api/v", "/callbacks/", "/sandbox/"];

pub async fn require_same_origin(
    State(state): State<AppState>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let path = request.uri().path();
    let token_authenticated = TOKEN_AUTHENTICATED_PREFIXES
        .iter()
        .any(|prefix| path.starts_with(prefix));
    if safe || token_authenticated || is_same_origin(&request, &state.settings.public_base_url) {
        return next.run(request).await;
    }
    tracing::warn!(%path, "refused a cross-site request");
    (
        AppError::Forbidden.status_code(),
        "This request did not come from a paylinks page, so it was refused.",
    )
        .into_response()
}

fn is_same_origin(request: &Request<Body>, public_base_url: &str) -> bool {
    let headers = request.headers();
    let claimed = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|value| value.to_str().ok())
        .and_then(|value| url::Url::parse(value).ok());
    let Some(claimed) = claimed else {
        return false;
    };
    let claimed_authority = authority_of(&claimed);
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let public_authority = url::Url::parse(public_base_url)
        .ok()
        .map(|url| authority_of(&url));
    Some(claimed_authority.as_str()) == host
        || Some(&claimed_authority) == public_authority.as_ref()
}

/// `host[:port]` as a Host header spells it (default ports omitted).
fn authority_of(url: &url::Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        _ => String::new(),
    }
}
