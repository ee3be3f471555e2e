//! The one error type. Server functions return it to the browser (JSON-encoded), the REST API
//! and plain handlers turn it into a response. Internal details are logged, never shown.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

use crate::domain::FieldErrors;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please correct the highlighted fields.")]
    Validation(FieldErrors),
    /// A value that must be unique is taken (a reff_no, an email): a field error, answered 409.
    #[error("Please correct the highlighted fields.")]
    Duplicate(FieldErrors),
    #[error("Please log in to continue.")]
    Unauthorized,
    #[error("You do not have permission to do that.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    /// The request is valid but the current state refuses it (e.g. deleting a paid link).
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// The database gave up on the work because of other work at the same moment (a
    /// deadlock or serialization failure that outlasted its retries): answered 503.
    #[error("We are busy right now. Please try again in a moment.")]
    Busy,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    #[error("Configuration error: {0}")]
    Config(String),
    #[error("{0}")]
    ServerFn(ServerFnErrorErr),
}

impl AppError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        AppError::Validation(errors)
    }

    pub fn duplicate(field: &str, message: impl Into<String>) -> Self {
        AppError::Duplicate(FieldErrors::single(field, message))
    }

    pub fn config(message: impl Into<String>) -> Self {
        AppError::Config(message.into())
    }

    /// Logs the real cause on the server and returns the safe, generic error.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        #[cfg(feature = "ssr")]
        tracing::error!(%cause, "internal error");
        #[cfg(not(feature = "ssr"))]
        let _ = cause;
        AppError::Internal
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Validation(errors) | AppError::Duplicate(errors) => Some(errors),
            _ => None,
        }
    }

    /// The message for a dashboard page, in its language (`Display` stays English: the API's
    /// and the logs' words). Conflicts and field messages were written in the request's
    /// language already.
    pub fn localized(&self) -> String {
        match self {
            AppError::Validation(_) | AppError::Duplicate(_) => crate::tr!(common.correct_fields),
            AppError::Unauthorized => crate::tr!(common.please_log_in),
            AppError::Forbidden => crate::tr!(common.forbidden),
            AppError::NotFound => crate::tr!(common.not_found),
            AppError::Busy => crate::tr!(common.busy),
            AppError::Internal | AppError::Config(_) | AppError::ServerFn(_) => {
                crate::tr!(common.internal)
            }
            AppError::Conflict(message) | AppError::TooManyRequests(message) => message.clone(),
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation(_) => 422,
            AppError::Duplicate(_) => 409,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::TooManyRequests(_) => 429,
            AppError::Busy => 503,
            AppError::Internal | AppError::Config(_) => 500,
            AppError::ServerFn(ServerFnErrorErr::Args(_))
            | AppError::ServerFn(ServerFnErrorErr::MissingArg(_))
            | AppError::ServerFn(ServerFnErrorErr::Deserialization(_)) => 400,
            AppError::ServerFn(_) => 500,
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Validation(errors)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::ServerFn(value)
    }
}

#[cfg(feature = "ssr")]
pub use server::server_fn_error_status;

#[cfg(feature = "ssr")]
mod server {
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Response};

    use super::AppError;

    /// True when the database aborted the statement because of concurrent work rather than
    /// anything in it: a Postgres deadlock or serialization failure, or SQLite still busy after
    /// its busy timeout. Running the whole transaction again is the cure.
    fn is_contention(error: &sqlx::Error) -> bool {
        let sqlx::Error::Database(db) = error else {
            return false;
        };
        matches!(
            db.code().as_deref(),
            // Postgres: deadlock_detected, serialization_failure. SQLite: BUSY_SNAPSHOT, which
            // fails at once. Plain BUSY comes after SQLite's own 10 s busy wait: trying that again
            // would outlast the request's timeout.
            Some("40P01" | "40001" | "517")
        )
    }

    /// True when Postgres refused a parameter's text itself (a NUL, or bytes its encoding cannot
    /// hold): SQLState class 22, character_not_in_repertoire or untranslatable_character.
    fn is_unstorable_text(error: &sqlx::Error) -> bool {
        let sqlx::Error::Database(db) = error else {
            return false;
        };
        matches!(db.code().as_deref(), Some("22021" | "22P05"))
    }

    impl From<sqlx::Error> for AppError {
        fn from(error: sqlx::Error) -> Self {
            match error {
                sqlx::Error::RowNotFound => AppError::NotFound,
                other if is_contention(&other) => {
                    tracing::warn!(error = %other, "the database aborted contended work");
                    AppError::Busy
                }
                // Text no domain rule saw (an identifier, a filter) holding a NUL, which
                // Postgres cannot store: the request's fault, never a 500.
                other if is_unstorable_text(&other) => {
                    tracing::warn!(error = %other, "refused text the database cannot hold");
                    AppError::field(
                        "request",
                        "The request holds characters that cannot be stored, such as NUL.",
                    )
                }
                other => AppError::internal(other),
            }
        }
    }

    impl From<sqlx::migrate::MigrateError> for AppError {
        fn from(error: sqlx::migrate::MigrateError) -> Self {
            AppError::internal(error)
        }
    }

    impl From<tower_sessions::session::Error> for AppError {
        fn from(error: tower_sessions::session::Error) -> Self {
            AppError::internal(error)
        }
    }

    impl AppError {
        pub fn status_code(&self) -> StatusCode {
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        }
    }

    /// Server functions answer every error with 500. Scripts and the hydrated app read the
    /// status too, so give each error its own (422 for validation, 404, 409, …). Plain form
    /// posts are redirects and pass through untouched.
    pub async fn server_fn_error_status(
        request: axum::extract::Request,
        next: axum::middleware::Next,
    ) -> Response {
        let response = next.run(request).await;
        if response.status() != StatusCode::INTERNAL_SERVER_ERROR
            || !response.headers().contains_key("serverfnerror")
        {
            return response;
        }
        let (mut parts, body) = response.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
            return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
        };
        if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
            parts.status = error.status_code();
        }
        Response::from_parts(parts, axum::body::Body::from(bytes))
    }

    /// Plain handlers (QR images, health) answer with the status and the safe message.
    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            (self.status_code(), self.to_string()).into_response()
        }
    }
}
