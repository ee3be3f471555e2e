//! Dashboard authentication: argon2id passwords, database-backed sessions, log-in throttling
//! and the same-origin check that defends every mutating request against CSRF.

pub mod access;
pub mod accounts;
pub mod csrf;
pub mod mail_links;
pub mod password;
pub mod reset;
pub mod session;
pub mod throttle;
pub mod two_factor;
pub mod verify;

pub use session::{current_user, log_in, log_out, require_user};
