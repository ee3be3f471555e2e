//! The REST API, compatible with Singapay's payment-link contract. Authenticated by bearer
//! tokens (not cookies); answers in the `{status, success, data}` envelope.

pub mod auth;
pub mod envelope;
pub mod histories;
pub mod idempotency;
pub mod link_json;
pub mod links;
pub mod links_v2;
pub mod rate_limit;
pub mod tokens;

use axum::routing::{get, post, put};
use axum::Router;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1.1/access-token/b2b", post(tokens::token_v1_1))
        .route("/api/v1.0/access-token/b2b", post(tokens::token_v1_0))
        // The literal segment is registered beside the account matcher; axum prefers it.
        .route(
            "/api/v1.0/payment-link-manage/payment-methods",
            get(links::payment_methods),
        )
        .route(
            "/api/v1.0/payment-link-manage/{account_id}",
            get(links::list).post(links::create),
        )
        .route(
            "/api/v1.0/payment-link-manage/{account_id}/{payment_link_id}",
            get(links::show).put(links::update).delete(links::delete),
        )
        .route(
            "/api/v1.0/payment-link-histories/{account_id}",
            get(histories::list),
        )
        .route(
            "/api/v1.0/payment-link-histories/{account_id}/{history_id}",
            get(histories::show),
        )
        .route(
            "/api/v1.0/payment-link-histories/{account_id}/{history_id}/simulate-payment",
            post(histories::simulate_payment),
        )
        // One path: POST takes an account id, GET a link id.
        .route(
            "/api/v2.0/payment-link/{id}",
            post(links_v2::create).get(links_v2::show),
        )
        .route(
            "/api/v2.0/payment-link/update/{payment_link_id}",
            put(links_v2::update),
        )
}
