//! Pure domain rules shared by the server and the browser build: no I/O, no clock, no randomness.
//! Callers pass the current time and random bytes in, so every rule here is deterministic and testable.

pub mod account;
pub mod attempt;
pub mod audit;
pub mod brand;
pub mod chart;
pub mod email;
pub mod errors;
pub mod export;
pub mod gateway;
pub mod ids;
pub mod instructions;
pub mod items;
pub mod lang;
pub mod link;
pub mod merchant;
pub mod method;
pub mod money;
pub mod notify;
pub mod order;
pub mod paging;
pub mod payments_query;
pub mod phone;
pub mod reff;
pub mod refund;
pub mod slug;
pub mod text;
pub mod time;
pub mod webhook;

pub use errors::FieldErrors;
pub use money::Rupiah;
