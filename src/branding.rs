//! Merchants' logos: uploaded from the Branding page as a plain form (it works without
//! JavaScript), checked, redrawn and served back as PNG only. A file is accepted only when it
//! decodes as a PNG, JPEG or WebP image within the limits, and what is stored is the PNG the
//! server encoded from its pixels: nothing a browser could run, whatever was uploaded.

use std::io::Cursor;

use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use image::{ImageFormat, ImageReader, Limits};
use tower_sessions::Session;

use crate::domain::audit::AuditAction;
use crate::domain::merchant::Access;
use crate::error::AppError;
use crate::service::Actor;
use crate::state::AppState;

pub const MAX_LOGO_BYTES: usize = 1024 * 1024;
pub const MAX_SIDE: u32 = 4096;
pub const MIN_SIDE: u32 = 16;
/// Payer pages show a logo at most this big; larger ones are scaled down once, on upload.
pub const STORED_SIDE: u32 = 512;

fn not_an_image() -> String {
    crate::tr!(branding.not_an_image)
}

/// The PNG to store for an uploaded logo, or why it is refused.
pub fn redraw_logo(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if bytes.is_empty() {
        return Err(crate::tr!(branding.choose_file));
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(crate::tr!(branding.logo_too_heavy));
    }
    let format = image::guess_format(bytes).map_err(|_| not_an_image())?;
    if !matches!(
        format,
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP
    ) {
        return Err(not_an_image());
    }
    let reader = || ImageReader::with_format(Cursor::new(bytes), format);
    let (width, height) = reader().into_dimensions().map_err(|_| not_an_image())?;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(crate::tr!(
            branding.logo_too_large,
            max = MAX_SIDE,
            width = width,
            height = height
        ));
    }
    if width < MIN_SIDE || height < MIN_SIDE {
        return Err(crate::tr!(branding.logo_too_small, min = MIN_SIDE));
    }
    let mut decoder = reader();
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(128 * 1024 * 1024);
    decoder.limits(limits);
    let image = decoder.decode().map_err(|_| not_an_image())?;
    let image = if width > STORED_SIDE || height > STORED_SIDE {
        image.resize(
            STORED_SIDE,
            STORED_SIDE,
            image::imageops::FilterType::Triangle,
        )
    } else {
        image
    };
    let mut png = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|_| not_an_image())?;
    Ok(png)
}

const BRANDING_PAGE: &str = "/branding";

/// Back to the Branding page, saying what happened (the page reads it from its address).
fn back(outcome: Result<&str, &str>) -> Response {
    let (key, text) = match outcome {
        Ok(text) => ("saved", text),
        Err(text) => ("logo_error", text),
    };
    let text: String = url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
    Redirect::to(&format!("{BRANDING_PAGE}?{key}={text}")).into_response()
}

/// The member signed in, if they may change the branding.
async fn editor(state: &AppState, session: &Session) -> Result<Actor, AppError> {
    let user = crate::auth::require_user(&state.db, session).await?;
    if user.needs_two_factor_setup() {
        return Err(AppError::Forbidden);
    }
    let actor = Actor::from(&user);
    actor.require(Access::Write)?;
    Ok(actor)
}

/// `POST /branding/logo` (multipart, field `logo`).
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let actor = editor(&state, &session).await?;
    let mut bytes = Vec::new();
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("logo") {
            match field.bytes().await {
                Ok(read) => bytes = read.to_vec(),
                Err(_) => return Ok(back(Err(&crate::tr!(branding.logo_too_heavy)))),
            }
        }
    }
    let png = match redraw_logo(&bytes) {
        Ok(png) => png,
        Err(reason) => return Ok(back(Err(&reason))),
    };
    let key = crate::domain::slug::Slug::from_random_bytes(rand::random()).to_string();
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    crate::db::branding::set_logo(&mut tx, actor.merchant_id(), &key, &png, now).await?;
    actor
        .audit(&mut tx, AuditAction::BrandingChanged, "New logo", now)
        .await?;
    tx.commit().await?;
    state.payer_cache.changed();
    Ok(back(Ok("logo")))
}

/// `POST /branding/logo/remove`.
pub async fn remove(State(state): State<AppState>, session: Session) -> Result<Response, AppError> {
    let actor = editor(&state, &session).await?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    crate::db::branding::remove_logo(&mut tx, actor.merchant_id()).await?;
    actor
        .audit(
            &mut tx,
            AuditAction::BrandingChanged,
            "Removed the logo",
            now,
        )
        .await?;
    tx.commit().await?;
    state.payer_cache.changed();
    Ok(back(Ok("removed")))
}

/// `GET /logos/<key>.png`: public (payer pages and link previews show it), as PNG only, and
/// cached for good (a new upload gets a new key).
pub async fn serve(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let key = file.strip_suffix(".png").ok_or(AppError::NotFound)?;
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(AppError::NotFound);
    }
    let png = crate::db::branding::logo_png(&state.db, key).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CONTENT_DISPOSITION, "inline"),
        ],
        png,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbaImage::from_pixel(width, height, image::Rgba([26, 127, 90, 255]));
        let mut out = Vec::new();
        image::DynamicImage::ImageRgba8(image)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_logo_is_redrawn_as_png_within_bounds() {
        let redrawn = redraw_logo(&png(1024, 300)).unwrap();
        let back = image::load_from_memory_with_format(&redrawn, ImageFormat::Png).unwrap();
        assert_eq!(
            (back.width(), back.height()),
            (512, 150),
            "scaled down, shape kept"
        );
        let small = image::load_from_memory(&redraw_logo(&png(64, 64)).unwrap()).unwrap();
        assert_eq!((small.width(), small.height()), (64, 64));
    }

    #[test]
    fn anything_else_is_refused_with_its_reason() {
        assert!(redraw_logo(b"<html><script>alert(1)</script></html>")
            .unwrap_err()
            .contains("PNG, JPEG or WebP"));
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert!(redraw_logo(svg).unwrap_err().contains("PNG, JPEG or WebP"));
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert!(redraw_logo(gif).unwrap_err().contains("PNG, JPEG or WebP"));
        // A PNG signature over garbage.
        let mut broken = png(32, 32);
        broken.truncate(40);
        assert!(redraw_logo(&broken).is_err());
        assert!(redraw_logo(&png(8, 8))
            .unwrap_err()
            .contains("at least 16×16"));
        assert!(redraw_logo(&png(4097, 16))
            .unwrap_err()
            .contains("at most 4096×4096"));
        assert!(redraw_logo(&vec![0; MAX_LOGO_BYTES + 1])
            .unwrap_err()
            .contains("1 MB"));
        assert_eq!(redraw_logo(&[]).unwrap_err(), "Choose an image file.");
    }
}
