//! A payer page as rendered, kept to be served again with another request's nonce.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, Method};
use axum::response::Response;

use crate::domain::lang::Lang;
use crate::domain::slug::Slug;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    slug: Slug,
    lang: Lang,
}

impl PageKey {
    /// The key of a request whose page is the same for every payer: a plain `GET /pay/{slug}`
    /// from a browser without cookies (no attempt to resume, no remembered language) and
    /// without a query (`?lang=` is remembered in a cookie).
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
    pub fn of(headers: &HeaderMap, body: &[u8], nonce: &str) -> Option<RenderedPage> {
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
    pub fn respond(&self, nonce: &str) -> Response {
        let mut response = Response::new(Body::from(self.parts.join(nonce)));
        *response.headers_mut() = self.headers.clone();
        response
    }
}
