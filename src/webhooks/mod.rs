//! Merchant notifications: event bodies, the Singapay signature, and the worker that
//! delivers the outbox.

pub mod deliver;
pub mod events;
pub mod signature;

pub use deliver::{deliver_due, deliver_now, spawn};
