//! A payer page as rendered, kept with its gzip-compressed copy to be served again as it is.

use std::io::Write;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method};
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

/// A rendered page, and the same compressed once: compressing it again for every payer cost
/// more than everything else serving it did.
pub struct RenderedPage {
    headers: HeaderMap,
    body: Bytes,
    gzipped: Bytes,
}

impl RenderedPage {
    /// The page of a successful render that sets no cookie, kept without the scripts carrying
    /// the render's `nonce`: Leptos writes its hydration data into them, which a payer page
    /// (never hydrated) does not read and the next payer's policy would not allow. `None`
    /// when the nonce is anywhere else.
    pub fn of(headers: &HeaderMap, body: &[u8], nonce: &str) -> Option<RenderedPage> {
        if headers.contains_key(header::SET_COOKIE) {
            return None;
        }
        let html = without_scripts_carrying(std::str::from_utf8(body).ok()?, nonce)?;
        if html.contains(nonce) {
            return None;
        }
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(html.as_bytes()).ok()?;
        let gzipped = Bytes::from(encoder.finish().ok()?);
        let mut headers = headers.clone();
        headers.remove(header::CONTENT_SECURITY_POLICY);
        headers.remove(header::CONTENT_LENGTH);
        Some(RenderedPage {
            headers,
            body: Bytes::from(html),
            gzipped,
        })
    }

    /// The page, compressed when the client takes gzip ([`accepts_gzip`]). The policy layer
    /// around adds the page's policy.
    pub fn respond(&self, gzip: bool) -> Response {
        let body = if gzip { &self.gzipped } else { &self.body };
        let mut response = Response::new(Body::from(body.clone()));
        let headers = response.headers_mut();
        *headers = self.headers.clone();
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if gzip {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        response
    }
}

/// `html` without its `<script nonce="…">` elements; `None` if one is not closed. (Leptos
/// escapes `<` in the data it writes there, so the first `</script>` closes each.)
fn without_scripts_carrying(html: &str, nonce: &str) -> Option<String> {
    const CLOSING: &str = "</script>";
    let opening = format!("<script nonce=\"{nonce}\">");
    let mut kept = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(&opening) {
        kept.push_str(&rest[..start]);
        let end = start + rest[start..].find(CLOSING)? + CLOSING.len();
        rest = &rest[end..];
    }
    kept.push_str(rest);
    Some(kept)
}

/// Whether `Accept-Encoding` takes gzip (by name or `*`) with a weight above zero.
pub fn accepts_gzip(request: &HeaderMap) -> bool {
    request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let weighted_out = parts.any(|param| {
                param
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            ["gzip", "x-gzip", "*"]
                .iter()
                .any(|taken| name.eq_ignore_ascii_case(taken))
                && !weighted_out
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taking(value: &str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        accepts_gzip(&headers)
    }

    #[test]
    fn only_the_scripts_carrying_the_nonce_are_cut() {
        let html = r#"<p>a</p><script>keep()</script><script nonce="n1">__DATA=[1];</script><p>b</p><script nonce="n1">__X=[];</script>"#;
        assert_eq!(
            without_scripts_carrying(html, "n1").unwrap(),
            "<p>a</p><script>keep()</script><p>b</p>"
        );
        assert_eq!(
            without_scripts_carrying(r#"<script nonce="n1">x"#, "n1"),
            None
        );
    }

    #[test]
    fn gzip_is_taken_by_name_or_star_unless_weighted_zero() {
        assert!(taking("gzip, deflate, br, zstd"));
        assert!(taking("br;q=1.0, GZIP;q=0.5"));
        assert!(taking("*"));
        assert!(!taking("br"));
        assert!(!taking("gzip;q=0, br"));
        assert!(!taking("identity"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
