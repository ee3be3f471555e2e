//! Merchant notifications: the Singapay signature and the worker that delivers the outbox
//! (the event bodies are in `wire::events`).

pub mod deliver;
pub mod signature;

pub use deliver::{deliver_due, deliver_now, spawn};
