//! Views and the thin server functions behind them.

pub mod auth;
pub mod components;
pub mod context;
pub mod dashboard;
pub mod home;
pub mod invitation;
pub mod payer;
#[cfg(feature = "ssr")]
pub mod qr;
