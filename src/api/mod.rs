//! The REST API, compatible with Singapay's payment-link contract. Authenticated by bearer
//! tokens (not cookies); answers in the `{status, success, data}` envelope. Routes are
//! registered together with their OpenAPI description, so the document lists every one.

pub mod auth;
pub mod envelope;
pub mod histories;
pub mod idempotency;
pub mod link_json;
pub mod links;
pub mod links_v2;
pub mod tokens;

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub const OPENAPI_PATH: &str = "/api/openapi.json";

#[derive(OpenApi)]
#[openapi(info(
    title = "paylinks API",
    description = "Reusable payment links, compatible with Singapay's payment-link API."
))]
struct ApiDoc;

/// The API routes and their OpenAPI document.
pub fn routes_and_document() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(tokens::token_v1_1))
        .routes(routes!(tokens::token_v1_0))
        // The literal segment sits beside the account matcher; axum prefers it.
        .routes(routes!(links::payment_methods))
        .routes(routes!(links::list, links::create))
        .routes(routes!(links::show, links::update, links::delete))
        .routes(routes!(histories::list))
        .routes(routes!(histories::show))
        .routes(routes!(histories::simulate_payment))
        .merge(
            OpenApiRouter::new()
                // One path: POST takes an account id, GET a link id.
                .routes(routes!(links_v2::create, links_v2::show))
                .routes(routes!(links_v2::update))
                .layer(axum::middleware::from_fn(envelope::v2_envelope)),
        )
        .split_for_parts()
}

/// Answers any operation may give, whatever its own list says: a malformed request (bad path
/// parameter, query or JSON), a body over the size cap, and the rate limit.
fn document_common_answers(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{RefOr, Response};
    let common = [
        (
            "400",
            "Malformed request: a path parameter, query or body that cannot be read",
        ),
        ("413", "The request body is larger than 1 MB"),
        ("429", "Rate limited; Retry-After says when to try again"),
    ];
    for item in document.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            for (status, description) in common {
                operation
                    .responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| RefOr::T(Response::new(description)));
            }
        }
    }
}

/// The API routes plus `GET /api/openapi.json`.
pub fn routes() -> Router<AppState> {
    let (router, mut document) = routes_and_document();
    document_common_answers(&mut document);
    let document = Arc::new(document);
    router.route(
        OPENAPI_PATH,
        get(move || {
            let document = document.clone();
            async move { Json((*document).clone()) }
        }),
    )
}
