//! The use cases, one home each, shared by the dashboard's server functions and the API's
//! handlers: they do the writes and tell the caches, so the adapters only parse, call and
//! answer. Grows use case by use case.

pub mod accounts;
pub mod actor;
pub mod attempts;
pub mod credentials;
pub mod exports;
pub mod gateways;
pub mod links;
pub mod payments;
pub mod refunds;
pub mod security;
pub mod team;
pub mod webhooks;

pub use actor::Actor;
