//! The served OpenAPI document describes the contract a client can be generated from: typed
//! request bodies and answers, both envelopes, the error shapes, method codes, and examples
//! the server accepts as they stand. (A generated Python client drives it in the test
//! command, scripts/api_client_check.py; Schemathesis checks answers against it.)

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::api_client::ApiClient;
use crate::helpers::spawn_app;

fn schema_ref(content: &Value) -> Option<&str> {
    content["application/json"]["schema"]["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
}

#[tokio::test]
async fn every_operation_has_typed_bodies_answers_and_errors() {
    let app = spawn_app().await;
    let document = app.openapi_document().await;
    let schemas = document["components"]["schemas"].as_object().unwrap();
    let mut operation_ids = std::collections::BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        let v2 = path.starts_with("/api/v2.0/");
        for (method, operation) in item.as_object().unwrap() {
            let at = format!("{method} {path}");
            let id = operation["operationId"].as_str().unwrap_or_default();
            assert!(
                operation_ids.insert(id.to_string()),
                "{at}: operationId {id:?} unique"
            );
            if matches!(method.as_str(), "post" | "put") && !path.ends_with("simulate-payment") {
                let body = schema_ref(&operation["requestBody"]["content"]);
                assert!(
                    body.is_some_and(|name| schemas.contains_key(name)),
                    "{at}: a request body schema"
                );
            }
            for (status, response) in operation["responses"].as_object().unwrap() {
                let named = schema_ref(&response["content"]);
                match status.as_str() {
                    "200" => {
                        let name = named.unwrap_or_else(|| panic!("{at}: 200 has a schema"));
                        let envelope = &schemas[name]["properties"];
                        let keys = if v2 {
                            ["response_code", "response_message", "data"]
                        } else {
                            ["status", "success", "data"]
                        };
                        for key in keys {
                            assert!(envelope[key].is_object(), "{at}: {name} has {key}");
                        }
                    }
                    // The body cap answers before any route, in plain text.
                    "413" => assert_eq!(named, None, "{at}"),
                    _ => assert_eq!(
                        named,
                        Some(if v2 {
                            "ErrorResponseV2"
                        } else {
                            "ErrorResponse"
                        }),
                        "{at}: {status} is the error envelope of its version"
                    ),
                }
            }
            let secured = operation["security"]
                .as_array()
                .is_some_and(|s| !s.is_empty());
            assert_eq!(secured, !path.contains("access-token"), "{at}: security");
        }
    }
    let codes: Vec<&str> = schemas["SpCode"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    for code in [
        "SP000", "SP004", "SP012", "SP013", "SP014", "SP015", "SP018",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    let statuses = &schemas["AttemptStatus"]["enum"];
    assert_eq!(
        statuses,
        &serde_json::json!(["pending", "paid", "failed", "expired"])
    );
}

#[tokio::test]
async fn the_method_code_enums_are_the_catalogue_and_its_aliases() {
    let app = spawn_app().await;
    let document = app.openapi_document().await;
    let client = ApiClient::new(&app, "dev@kode.id", "Toko Kode").await;
    let (status, methods) = client
        .json(
            Method::GET,
            "/api/v1.0/payment-link-manage/payment-methods",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut catalogue: Vec<&str> = methods["data"]["payment_methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["code"].as_str().unwrap())
        .collect();
    let strings = |schema: &str| -> Vec<String> {
        document["components"]["schemas"][schema]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{schema} is an enum"))
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    let mut answered = strings("MethodCode");
    catalogue.sort_unstable();
    answered.sort_unstable();
    assert_eq!(answered, catalogue);
    let accepted = strings("MethodCodeInput");
    for alias in [
        "EWALLET_DANA",
        "EWALLET_OVO",
        "EWALLET_SHOPEEPAY",
        "EWALLET_GOPAY",
        "EWALLET_LINKAJA",
    ] {
        assert!(accepted.iter().any(|c| c == alias), "{alias}");
    }
}

/// The document's request examples, sent as they stand, do what they say.
#[tokio::test]
async fn the_documents_examples_are_accepted_as_they_stand() {
    let app = spawn_app().await;
    let document = app.openapi_document().await;
    let example = |name: &str| document["components"]["schemas"][name]["example"].clone();
    let client = ApiClient::new(&app, "dev@contoh.id", "Toko Contoh").await;

    let (status, v1) = client
        .json(
            Method::POST,
            &client.links_path(),
            Some(&example("CreateLinkV1")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v1}");
    let id = v1["data"]["id"].as_i64().unwrap();
    let (status, updated) = client
        .json(
            Method::PUT,
            &format!("{}/{id}", client.links_path()),
            Some(&example("UpdateLinkV1")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["data"]["max_usage"], 10);

    let (status, v2) = client
        .json(
            Method::POST,
            &format!("/api/v2.0/payment-link/{}", client.account_id),
            Some(&example("CreateLinkV2")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v2}");
    assert_eq!(v2["response_code"], "SP000");
    let id = v2["data"]["id"].as_i64().unwrap();
    let (status, updated) = client
        .json(
            Method::PUT,
            &format!("/api/v2.0/payment-link/update/{id}"),
            Some(&example("UpdateLinkV2")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(
        updated["data"]["max_usage"], 0,
        "the example makes it unlimited"
    );
}

/// A path parameter axum cannot read is answered in the error envelope of its version, as
/// the document says, not in plain text.
#[tokio::test]
async fn unreadable_path_parameters_answer_in_the_envelope() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@jalur.id", "Toko Jalur").await;
    let (status, v1) = client
        .json(
            Method::GET,
            &format!("{}/not-a-number", client.links_path()),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        (&v1["success"], &v1["error"]["code"]),
        (&Value::Bool(false), &Value::from("SP012")),
        "{v1}"
    );
    let (status, v2) = client
        .json(Method::GET, "/api/v2.0/payment-link/not-a-number", None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v2["response_code"], "SP012", "{v2}");
    assert!(v2["response_message"].is_string());
}
