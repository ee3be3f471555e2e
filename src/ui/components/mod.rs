//! Small pieces shared by every page.

mod forms;
mod layout;
mod params;

pub use forms::{form_errors, FieldError, FormAlert};
pub use layout::{
    hydrated_marker, title_text, DashboardShell, ErrorPanel, FollowLanguageChoice, LanguageSwitch,
    NotFoundPage, Pager, StatusBadge,
};
pub use params::{account_param, link_param};
