//! What server functions need from the request, and the HTTP status of a rendered page.

/// Sets the status of the page being rendered on the server; a no-op in the browser.
pub fn set_page_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(code) = axum::http::StatusCode::from_u16(status) {
            response.set_status(code);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

#[cfg(feature = "ssr")]
mod server {
    use tower_sessions::Session;

    use crate::auth::require_user;
    use crate::error::AppError;
    use crate::model::CurrentUser;
    use crate::state::{app_state, AppState};

    /// Reads the request being answered in place (`leptos_axum::extract` copies all of its
    /// parts for each look); `None` outside a request.
    pub fn with_request<R>(read: impl FnOnce(&http::request::Parts) -> R) -> Option<R> {
        leptos::reactive::owner::with_context::<http::request::Parts, _>(read)
    }

    pub async fn session() -> Result<Session, AppError> {
        leptos_axum::extract::<Session>()
            .await
            .map_err(AppError::internal)
    }

    /// The state and the signed-in user, or 401: every dashboard server function starts here.
    pub async fn signed_in() -> Result<(AppState, CurrentUser), AppError> {
        let state = app_state()?;
        // Server functions get the user the access guard already read; pages look it up.
        let checked =
            with_request(|parts| parts.extensions.get::<CurrentUser>().cloned()).flatten();
        let user = match checked {
            Some(user) => user,
            None => require_user(&state.db, &session().await?).await?,
        };
        Ok((state, user))
    }

    /// Like [`signed_in`], and 403 unless the user's role allows `access`. The `/fn` guard
    /// checks the same rule first; this keeps the function safe wherever it is called from.
    pub async fn signed_in_with(
        access: crate::domain::merchant::Access,
    ) -> Result<(AppState, CurrentUser), AppError> {
        let (state, user) = signed_in().await?;
        if user.role.allows(access) {
            Ok((state, user))
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Only local paths, so a crafted `next` cannot send users to another site.
    pub fn safe_next(next: Option<&str>) -> Option<String> {
        next.filter(|path| {
            path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.starts_with("/dashboard")
        })
        .map(str::to_string)
    }
}

#[cfg(feature = "ssr")]
pub use server::*;
