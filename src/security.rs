//! Response headers that hold on every page: a Content-Security-Policy whose only scripts are
//! our own files, the inline hydration scripts carrying this response's nonce and the payer
//! pages' script by its hash, no framing, no MIME sniffing, a strict referrer policy; and a
//! cap on request bodies.

use std::sync::{Arc, LazyLock};

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::state::AppState;

/// The largest request body accepted; larger ones are answered 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The policy of an HTML page rendered with `nonce`. Styles may be inline (the usage bar's
/// width); scripts may not, except the nonce-bearing ones Leptos writes for hydration and the
/// payer pages' script.
fn page_policy(nonce: &str) -> String {
    let payer_script = &*PAYER_SCRIPT_SOURCE;
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' {payer_script} 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
    )
}

/// The payer pages' inline script, allowed by its hash rather than a nonce: a payer page is
/// then the same bytes for every payer, so it is rendered and compressed once for all of them
/// (`cache::RenderedPage`).
static PAYER_SCRIPT_SOURCE: LazyLock<String> = LazyLock::new(|| {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(crate::ui::payer::ENHANCE_SCRIPT.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
});

/// For everything that is not a rendered page (JSON, images, files).
const DEFAULT_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// The nonce of the page being answered. It is drawn before rendering and the policy is set
/// from it after, so the header never depends on what the render did with its context.
#[derive(Clone)]
struct PageNonce(Arc<str>);

/// Middleware: draws the nonce of a page request and gives every HTML answer the page policy
/// carrying it. Leptos writes the same nonce into its scripts (`ui::context::provide_page_nonce`).
pub async fn page_policy_layer(mut request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let nonce: Arc<str> = leptos::nonce::Nonce::new().to_string().into();
    request.extensions_mut().insert(PageNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        if let Ok(value) = HeaderValue::from_str(&page_policy(&nonce)) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

/// The nonce [`page_policy_layer`] drew for this request (every GET and HEAD).
pub fn page_nonce(extensions: &http::Extensions) -> Option<Arc<str>> {
    extensions
        .get::<PageNonce>()
        .map(|PageNonce(nonce)| nonce.clone())
}

pub fn with_security_headers(router: Router<AppState>) -> Router<AppState> {
    let set = |name, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        .layer(set(header::CONTENT_SECURITY_POLICY, DEFAULT_POLICY))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin",
        ))
        .layer(axum::middleware::from_fn(limit_body))
        .layer(axum::middleware::from_fn(no_store_by_default))
}

/// Pages and JSON answers hold a merchant's data or a payer's payment instructions: no
/// browser or shared cache may keep them (a shared computer's back button, a proxy) unless
/// the answer says otherwise. Files (scripts, styles, images) keep their own caching.
async fn no_store_by_default(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let private = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    if private && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Answers 413 to a body over [`MAX_BODY_BYTES`], whether it announces its length or is sent
/// in chunks. A chunked body is read here (at most the limit) so that going over it is a 413
/// at once, not a read error deep in whichever extractor meets it (which answered 400).
async fn limit_body(request: Request, next: Next) -> Response {
    use axum::response::IntoResponse;
    let too_large = || {
        (
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "The request body is larger than 1 MB.",
        )
            .into_response()
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(length) if length > MAX_BODY_BYTES as u64 => too_large(),
        Some(_) => next.run(request).await,
        None if !request.headers().contains_key(header::TRANSFER_ENCODING) => {
            next.run(request).await
        }
        None => {
            let (parts, body) = request.into_parts();
            match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
                Ok(bytes) => {
                    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                        .await
                }
                Err(error) => {
                    let error = error.into_inner();
                    if error.is::<http_body_util::LengthLimitError>() {
                        too_large()
                    } else {
                        (
                            axum::http::StatusCode::BAD_REQUEST,
                            "The request body could not be read.",
                        )
                            .into_response()
                    }
                }
            }
        }
    }
}
