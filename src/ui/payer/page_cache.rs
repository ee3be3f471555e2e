//! The payer page a first-time payer sees, served from memory. Without cookies the page
//! depends only on the link and the browser's language, so one render serves every payer who
//! opens the link within the cache's moment. The kept page carries nothing per request (its
//! script is allowed by its hash, Leptos's unread hydration data is cut out), so it is kept
//! compressed too.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::cache::{accepts_gzip, PageKey, RenderedPage};
use crate::security::page_nonce;
use crate::state::AppState;

/// A payer page is some 20 KB; the bound only guards memory.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

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
    let gzip = accepts_gzip(request.headers());
    if let Some(page) = state.payer_cache.page(&key) {
        return page.respond(gzip);
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
    match RenderedPage::of(&parts.headers, &body, &nonce) {
        // The first payer gets the page as the others will.
        Some(page) => {
            let response = page.respond(gzip);
            state.payer_cache.keep_page(key, page, generation);
            response
        }
        None => Response::from_parts(parts, Body::from(body)),
    }
}
