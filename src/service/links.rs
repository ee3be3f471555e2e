//! Changing a payment link. Every change here forgets the payer pages this instance keeps,
//! so a payer never sees a closed, deleted or changed link as it was.

use crate::db::links::{self, LinkKey};
use crate::domain::link::{LinkSettings, LinkStatus};
use crate::error::AppError;
use crate::state::AppState;

/// Writes the settings, and the status when one is given, at once.
pub async fn change(
    state: &AppState,
    key: LinkKey<'_>,
    settings: &LinkSettings,
    status: Option<LinkStatus>,
) -> Result<(), AppError> {
    links::update_settings(&state.db, key, settings, status, state.now_ms()).await?;
    state.payer_cache.changed();
    Ok(())
}

/// Opens or closes the link.
pub async fn set_status(
    state: &AppState,
    key: LinkKey<'_>,
    status: LinkStatus,
) -> Result<(), AppError> {
    links::set_status(&state.db, key, status, state.now_ms()).await?;
    state.payer_cache.changed();
    Ok(())
}

/// Deletes a link without payment attempts (one with attempts is closed instead).
pub async fn delete(state: &AppState, key: LinkKey<'_>) -> Result<(), AppError> {
    links::delete(&state.db, key).await?;
    state.payer_cache.changed();
    Ok(())
}
