//! QR codes of a link's payer URL, as SVG (for screens and print) and PNG (for chat apps).
//! The URL is public anyway, so these need no log-in; unknown slugs answer 404.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use qrcode::{Color, EcLevel, QrCode};

use crate::error::AppError;
use crate::state::AppState;

/// Pixels per module in the PNG and the blank border in modules (the spec's quiet zone).
const PNG_SCALE: usize = 8;
const QUIET_ZONE: usize = 4;

async fn payer_qr(state: &AppState, slug: &str) -> Result<QrCode, AppError> {
    if crate::domain::slug::Slug::parse(slug).is_none() {
        return Err(AppError::NotFound);
    }
    let link = crate::db::links::find_by_slug(&state.db, slug).await?;
    QrCode::with_error_correction_level(state.payer_url(&link.slug), EcLevel::M)
        .map_err(AppError::internal)
}

pub async fn svg(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    Ok(svg_response(&payer_qr(&state, &slug).await?))
}

pub async fn png(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    png_response(&payer_qr(&state, &slug).await?)
}

/// The QR of an attempt's QRIS payload or e-wallet checkout URL. VA attempts have none.
async fn attempt_qr(state: &AppState, slug: &str, reff_no: &str) -> Result<QrCode, AppError> {
    if crate::domain::slug::Slug::parse(slug).is_none()
        || !crate::domain::attempt::is_attempt_reff_no(reff_no)
    {
        return Err(AppError::NotFound);
    }
    let link = crate::db::links::find_by_slug(&state.db, slug).await?;
    let attempt = crate::db::histories::find_on_link(&state.db, link.id, reff_no).await?;
    let scannable = |value: &String| attempt.method_code == "QRIS" || value.starts_with("http");
    let Some(value) = attempt.value.as_ref().filter(|v| scannable(v)) else {
        return Err(AppError::NotFound);
    };
    QrCode::with_error_correction_level(value, EcLevel::M).map_err(AppError::internal)
}

pub async fn attempt_svg(
    State(state): State<AppState>,
    Path((slug, reff_no)): Path<(String, String)>,
) -> Result<impl IntoResponse, AppError> {
    Ok((
        PRIVATE,
        svg_response(&attempt_qr(&state, &slug, &reff_no).await?),
    ))
}

pub async fn attempt_png(
    State(state): State<AppState>,
    Path((slug, reff_no)): Path<(String, String)>,
) -> Result<impl IntoResponse, AppError> {
    Ok((
        PRIVATE,
        png_response(&attempt_qr(&state, &slug, &reff_no).await?)?,
    ))
}

/// An attempt's code is one payer's payment instructions: no cache may keep it.
const PRIVATE: [(header::HeaderName, &str); 1] = [(header::CACHE_CONTROL, "no-store")];

fn svg_response(code: &QrCode) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "image/svg+xml")], render_svg(code))
}

fn render_svg(code: &QrCode) -> String {
    code.render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build()
}

/// The SVG markup of a QR code of `text` (e.g. an authenticator's setup URL), to inline.
pub fn svg_of(text: &str) -> Result<String, AppError> {
    let code = QrCode::with_error_correction_level(text, EcLevel::M).map_err(AppError::internal)?;
    Ok(render_svg(&code))
}

fn png_response(code: &QrCode) -> Result<impl IntoResponse, AppError> {
    Ok(([(header::CONTENT_TYPE, "image/png")], encode_png(code)?))
}

/// Draws the modules as an 8-bit greyscale image and encodes it.
fn encode_png(code: &QrCode) -> Result<Vec<u8>, AppError> {
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET_ZONE) * PNG_SCALE;
    let mut pixels = vec![255u8; side * side];
    for (index, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (x, y) = (index % modules + QUIET_ZONE, index / modules + QUIET_ZONE);
        for row in y * PNG_SCALE..(y + 1) * PNG_SCALE {
            pixels[row * side + x * PNG_SCALE..row * side + (x + 1) * PNG_SCALE].fill(0);
        }
    }
    let mut bytes = Vec::new();
    let side = u32::try_from(side).map_err(AppError::internal)?;
    let mut encoder = png::Encoder::new(&mut bytes, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(AppError::internal)?;
    writer
        .write_image_data(&pixels)
        .map_err(AppError::internal)?;
    writer.finish().map_err(AppError::internal)?;
    Ok(bytes)
}
