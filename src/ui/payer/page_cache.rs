//! The payer page a first-time payer sees, served from memory. Without cookies the page
//! depends only on the link and the browser's language, so one render serves every payer who
//! opens the link within the cache's moment; each response still gets its own CSP nonce.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::domain::lang::Lang;
use crate::domain::slug::Slug;
use crate::security::page_nonce;
use crate::state::AppState;

/// A payer page is some 20 KB; the bound only guards memory.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    slug: Slug,
    lang: Lang,
}

impl PageKey {
    /// The key of a request whose page is the same for every payer: a plain `GET /pay/{slug}`
    /// from a browser without cookies (no attempt to resume, no remembered language) and
    /// without a query (`?lang=` is remembered in a new session).
    pub fn of(request: &Request) -> Option<PageKey> {
        let slug = request.uri().path().strip_prefix("/pay/")?;
        let plain = request.method() == Method::GET
            && request.uri().query().is_none()
            && !request.headers().contains_key(header::COOKIE);
        if !plain {
            return None;
        }
        let accept = request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        Some(PageKey {
            slug: Slug::parse(slug)?,
            lang: Lang::from_accept_language(accept),
        })
    }
}

/// A rendered page with its nonce cut out: `parts` joined by another nonce is the page again.
pub struct RenderedPage {
    headers: HeaderMap,
    parts: Vec<String>,
}

impl RenderedPage {
    /// The page of a successful render with this nonce that sets no cookie; `None` otherwise.
    fn of(headers: &HeaderMap, body: &[u8], nonce: &str) -> Option<RenderedPage> {
        if headers.contains_key(header::SET_COOKIE) {
            return None;
        }
        let body = std::str::from_utf8(body).ok()?;
        let mut headers = headers.clone();
        headers.remove(header::CONTENT_SECURITY_POLICY);
        headers.remove(header::CONTENT_LENGTH);
        Some(RenderedPage {
            headers,
            parts: body.split(nonce).map(str::to_string).collect(),
        })
    }

    /// The page with this request's nonce; the policy layer around sets the policy from it.
    fn respond(&self, nonce: &str) -> Response {
        let mut response = Response::new(Body::from(self.parts.join(nonce)));
        *response.headers_mut() = self.headers.clone();
        response
    }
}

/// Middleware: answers a plain payer page request from memory when rendered lately, and keeps
/// what it renders otherwise.
pub async fn serve_from_memory(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (Some(key), Some(nonce)) = (PageKey::of(&request), page_nonce(request.extensions())) else {
        return next.run(request).await;
    };
    if let Some(page) = state.payer_cache.page(&key) {
        return page.respond(&nonce);
    }
    let generation = state.payer_cache.generation();
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, "payer page body could not be read");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if let Some(page) = RenderedPage::of(&parts.headers, &body, &nonce) {
        state.payer_cache.keep_page(key, page, generation);
    }
    Response::from_parts(parts, Body::from(body))
}
