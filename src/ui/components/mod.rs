//! Small pieces shared by every page.

mod forms;
mod layout;

pub use forms::{form_errors, FieldError, FormAlert};
pub use layout::{DashboardShell, ErrorPanel, NotFoundPage, Pager, StatusBadge};
