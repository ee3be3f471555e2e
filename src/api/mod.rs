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
pub mod refunds;
pub mod schema;
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
#[openapi(
    info(
        title = "paylinks API",
        description = "Reusable payment links, compatible with Singapay's payment-link API. \
            v1.0 answers `{status, success, data}` and errors `{status, success: false, error: \
            {code, message, errors}}`; v2.0 answers `{response_code, response_message, data}` \
            and errors `{response_code, response_message, errors}`. Error codes are Singapay's \
            SP codes (SP004 a taken reference, SP018 field errors, SP013 unauthorized, SP014 \
            not found, SP015 forbidden, SP012 a malformed request)."
    ),
    components(schemas(schema::ErrorResponse, schema::ErrorResponseV2))
)]
struct ApiDoc;

/// The API routes and their OpenAPI document.
pub fn routes_and_document() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let json_errors = || axum::middleware::from_fn(envelope::json_errors);
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
        .routes(routes!(refunds::create, refunds::list))
        .layer(json_errors())
        .merge(
            OpenApiRouter::new()
                // One path: POST takes an account id, GET a link id.
                .routes(routes!(links_v2::create, links_v2::show))
                .routes(routes!(links_v2::update))
                .layer(json_errors())
                .layer(axum::middleware::from_fn(envelope::v2_envelope)),
        )
        .split_for_parts()
}

/// What the operations' own lists leave out: the answers any of them may give (a malformed
/// request, a body over the size cap, the rate limit, a contended database), the error
/// envelope of its version on every error, and the credentials all but the token requests need.
fn document_common_answers(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::security::{
        ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
    };
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response};
    let common = [
        (
            "400",
            "Malformed request: a path parameter, query or body that cannot be read",
        ),
        ("413", "The request body is larger than 1 MB"),
        ("429", "Rate limited; Retry-After says when to try again"),
        ("503", "The database was busy; try again"),
    ];
    for (path, item) in document.paths.paths.iter_mut() {
        let error_schema = if path.starts_with("/api/v2.0/") {
            "ErrorResponseV2"
        } else {
            "ErrorResponse"
        };
        let needs_token = !path.contains("/access-token/");
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
            for (status, response) in operation.responses.responses.iter_mut() {
                // The body cap answers before any route does, in plain text.
                let enveloped = !status.starts_with('2') && status != "413";
                if let (true, RefOr::T(response)) = (enveloped, response) {
                    let content = ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(error_schema)))
                        .build();
                    response
                        .content
                        .insert("application/json".to_string(), RefOr::T(content));
                }
            }
            if needs_token {
                let both: [(&str, [&str; 0]); 2] = [("bearer", []), ("partner_id", [])];
                operation.security = Some(vec![SecurityRequirement::default()
                    .add(both[0].0, both[0].1)
                    .add(both[1].0, both[1].1)]);
            }
        }
    }
    let components = document.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("The access token from /api/v1.1/access-token/b2b"))
                .build(),
        ),
    );
    components.add_security_scheme(
        "partner_id",
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "X-PARTNER-ID",
            "The API key of the credential the token was issued to",
        ))),
    );
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
