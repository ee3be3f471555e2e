use leptos::prelude::*;

use crate::domain::FieldErrors;
use crate::error::AppError;

/// The field errors carried by an action's last result (none after a success).
pub fn form_errors<T>(result: Option<Result<T, AppError>>) -> FieldErrors {
    match result {
        Some(Err(AppError::Validation(errors) | AppError::Duplicate(errors))) => errors,
        _ => FieldErrors::default(),
    }
}

/// The message for one field, shown under its input.
#[component]
pub fn FieldError(errors: Signal<FieldErrors>, field: &'static str) -> impl IntoView {
    move || {
        errors
            .with(|e| e.get(field).map(str::to_owned))
            .map(|message| {
                view! { <p class="field-error" data-field=field>{message}</p> }
            })
    }
}

/// A banner for errors that belong to no single field (and for the "form" pseudo-field).
#[component]
pub fn FormAlert<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    move || {
        let message = match result.get() {
            Some(Err(AppError::Validation(errors) | AppError::Duplicate(errors))) => errors
                .get("form")
                .map(str::to_owned)
                .or_else(|| Some(AppError::Validation(errors.clone()).localized())),
            Some(Err(other)) => Some(other.localized()),
            _ => None,
        };
        message.map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })
    }
}
