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
        crate::tr!(auth.cross_site_refused),
    )
        .into_response()
}

/// The page's origin (scheme, host and port) must be the site's own, `PUBLIC_BASE_URL`. The
/// request's `Host` header proves nothing: whoever sends the request chooses it, and it carries
/// no scheme, so an `http://` page could post to the `https://` site.
fn is_same_origin(request: &Request<Body>, public_base_url: &str) -> bool {
    let headers = request.headers();
    let claimed = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|value| value.to_str().ok())
        .and_then(|value| url::Url::parse(value).ok());
    let ours = url::Url::parse(public_base_url).ok();
    match (claimed, ours) {
        (Some(claimed), Some(ours)) => {
            claimed.origin().is_tuple() && claimed.origin() == ours.origin()
        }
        _ => false,
    }
}
