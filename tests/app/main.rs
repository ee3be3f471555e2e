//! Integration tests: the real router over HTTP, a fresh database per test. They run on SQLite,
//! and on Postgres when TEST_DATABASE_URL points at a server (the test command does this).

mod accounts;
mod api;
mod api_client;
mod api_more;
mod auth;
mod branding;
mod contention;
mod csrf;
mod custom_fields;
mod export_helpers;
mod exports;
mod gateway_refunds;
mod gateways;
mod helpers;
mod holds;
mod hostile;
mod hostile_sweep;
mod isolation;
mod isolation_sweep;
mod jobs;
mod language;
mod links;
mod links_validation;
mod mail;
mod mail_language;
#[path = "../simulators/midtrans.rs"]
mod midtrans_sim;
mod notifications;
mod open_amount;
mod openapi;
mod overview;
mod password_reset;
mod paying;
mod payments;
mod payments_table;
mod public;
mod receiver;
mod refunds;
mod retail;
mod security;
mod service;
mod singapay_contract;
mod stock;
#[path = "../support/mod.rs"]
mod support;
mod team;
mod two_factor;
mod webhooks;
#[path = "../simulators/xendit.rs"]
mod xendit_sim;
