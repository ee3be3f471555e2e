//! Response headers that hold on every page: a Content-Security-Policy whose only scripts are
//! our own files and the inline hydration scripts carrying this response's nonce, no framing,
//! no MIME sniffing, a strict referrer policy; and a cap on request bodies.

use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::state::AppState;

/// The largest request body accepted; larger ones are answered 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The policy of an HTML page rendered with `nonce`. Styles may be inline (the usage bar's
/// width); scripts may not, except the nonce-bearing ones Leptos writes for hydration.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
    )
}

/// For everything that is not a rendered page (JSON, images, files).
const DEFAULT_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// Called while rendering the document shell: sets the page's policy with its nonce.
pub fn set_content_security_policy() {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&page_policy(&nonce.to_string())) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
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
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
}
