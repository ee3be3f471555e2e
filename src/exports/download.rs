//! `GET /exports/{id}/download`: the finished file, streamed, to its merchant only.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tokio_util::io::ReaderStream;
use tower_sessions::Session;

use super::file_path;
use crate::domain::export::ExportStatus;
use crate::domain::time::to_iso_wib;
use crate::error::AppError;
use crate::state::AppState;

pub async fn download(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let user = crate::auth::require_user(&state.db, &session).await?;
    if user.needs_two_factor_setup() {
        return Err(AppError::Forbidden);
    }
    let export = crate::db::exports::find(&state.db, user.merchant_id, &id).await?;
    if export.status != ExportStatus::Done {
        return Err(AppError::Conflict("The export is not ready yet.".into()));
    }
    let format = export.format;
    let file = tokio::fs::File::open(file_path(&state, &export.id, format))
        .await
        .map_err(|_| AppError::NotFound)?;
    let day = to_iso_wib(export.created_at)
        .get(..10)
        .unwrap_or_default()
        .to_string();
    let filename = format!("payments-{day}-{}.{}", export.id, format.as_str());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (
                header::CONTENT_LENGTH,
                export.size_bytes.unwrap_or_default().to_string(),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        Body::from_stream(ReaderStream::new(file)),
    )
        .into_response())
}
