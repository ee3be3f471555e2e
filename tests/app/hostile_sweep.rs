//! Hostile values swept over everything a client can call, taken from the app's own registries
//! (as the isolation sweep does): every server function, every page route and every operation
//! of the OpenAPI document gets each value of a table of hostile input in every field it could
//! read. None may answer 5xx or drop the connection.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::api_client::ApiClient;
use crate::helpers::{spawn_app_with, Browser, TestApp};

/// Text a client can type or forge.
fn hostile_texts() -> Vec<String> {
    vec![
        "\0".into(),
        "Kopi\0susu".into(),
        "\u{1}\u{7}\u{1b}[31m\u{7f}".into(),
        "a\r\nX-Injected: 1".into(),
        "\t//evil.example/x".into(),
        "//evil.example/x".into(),
        "/\\evil.example".into(),
        i64::MAX.to_string(),
        i64::MIN.to_string(),
        "1e30".into(),
        "-1".into(),
        "x".repeat(10 * 1024),
        "[]".into(),
        "{\"a\":1}".into(),
        "' OR 1=1 --".into(),
        "%00".into(),
        // Random, so no compression shrinks it under an index's row size.
        (0..120).map(|_| ulid::Ulid::new().to_string()).collect(),
    ]
}

/// The same in JSON, plus values of the wrong type.
fn hostile_json() -> Vec<Value> {
    let mut values: Vec<Value> = hostile_texts().into_iter().map(Value::String).collect();
    values.extend([
        json!(i64::MAX),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(1e30),
        json!(-0.5),
        json!(true),
        json!(null),
        json!([]),
        json!({}),
        json!([{"name": "\u{0}"}]),
    ]);
    values
}

/// Names the server functions and pages read, besides those the rendered forms name.
const KNOWN_NAMES: &[&str] = &[
    "account_id",
    "link_id",
    "history_id",
    "reff_no",
    "slug",
    "method",
    "page",
    "search",
    "status",
    "q",
    "next",
    "email",
    "password",
    "merchant_name",
    "name",
    "role",
    "format",
    "id",
    "event_id",
    "credential_id",
    "invitation_id",
    "user_id",
    "token",
    "confirm",
    "customer_name",
    "customer_email",
    "customer_phone",
    "payer_phone",
    "lang",
    "transaction_url",
    "inquiry_url",
    "enabled",
    "accounts",
    "before",
    "after",
    "from",
    "to",
    "action",
    "actor",
    "input[reff_no]",
    "input[title]",
    "input[description]",
    "input[items][0][name]",
    "input[items][0][quantity]",
    "input[items][0][unit_price]",
    "input[methods][0]",
    "input[max_usage]",
    "input[expired_at]",
    "input[required_customer_detail]",
    "input[redirect_url]",
    "input[optional_metadata]",
    "query[status]",
    "query[method]",
    "query[link]",
    "query[q]",
    "query[created_from]",
    "query[created_to]",
    "query[paid_from]",
    "query[paid_to]",
    "query[settled_from]",
    "query[settled_to]",
    "query[amount_min]",
    "query[amount_max]",
    "query[settled]",
    "query[sort]",
    "query[order]",
    "query[after]",
    "query[before]",
    "query[actor]",
    "query[action]",
    "query[from]",
    "query[to]",
];

/// Query parameters the dashboard's pages read.
const PAGE_QUERY_NAMES: [&str; 15] = [
    "page",
    "q",
    "search",
    "status",
    "method",
    "from",
    "to",
    "before",
    "after",
    "sort",
    "order",
    "amount_min",
    "lang",
    "next",
    "reff_no",
];

/// Field names in `name="…"` attributes of a page's forms.
fn form_names(html: &str) -> impl Iterator<Item = String> + '_ {
    html.split("name=\"").skip(1).filter_map(|rest| {
        let name = &rest[..rest.find('"')?];
        (!name.is_empty() && name.len() < 80)
            .then(|| name.replace("&#x5B;", "[").replace("&#x5D;", "]"))
    })
}

/// The start of a value, for a failure message.
fn short(value: &str) -> String {
    format!("{:?}", value.chars().take(40).collect::<String>())
}

/// Fails the test on a 5xx or a connection the server dropped.
fn assert_survived(what: &str, outcome: reqwest::Result<reqwest::Response>) {
    match outcome {
        Ok(response) => assert!(
            !response.status().is_server_error(),
            "{what} answered {}",
            response.status()
        ),
        Err(error) => panic!("{what}: no answer ({error})"),
    }
}

fn urlencode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

struct Merchant {
    account: String,
    link: String,
    history: String,
    slug: String,
    reff: String,
}

async fn merchant_with_a_payment(app: &TestApp) -> Merchant {
    let account = app.sign_up("Toko Uji", "owner@uji.id").await;
    let link = app.create_default_link(&account).await;
    let slug = app.slug_of(link).await;
    let reff = app.new_browser().start_payment(&slug, "VA_BRI").await;
    let history = app
        .scalar("SELECT id FROM payment_link_histories")
        .await
        .to_string();
    Merchant {
        account,
        link: link.to_string(),
        history,
        slug,
        reff,
    }
}

#[tokio::test]
async fn hostile_values_in_every_function_page_and_api_operation_never_get_a_5xx() {
    let app = spawn_app_with(|s| s.api_rate_limit_per_minute = 1_000_000).await;
    let ours = merchant_with_a_payment(&app).await;
    let valid = [
        ("account_id", ours.account.as_str()),
        ("link_id", ours.link.as_str()),
        ("history_id", ours.history.as_str()),
        ("slug", ours.slug.as_str()),
        ("reff_no", ours.reff.as_str()),
    ];

    // Every page route, rendered as the merchant, gives its form field names.
    let mut names: BTreeSet<String> = KNOWN_NAMES.iter().map(|n| n.to_string()).collect();
    let routes = paylinks::startup::route_list();
    let fill = |path: &str, value: &str| -> String {
        path.split('/')
            .map(|segment| match segment.strip_prefix(':') {
                Some(name) => valid
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or_else(|| urlencode(value), |(_, v)| v.to_string()),
                None => segment.to_string(),
            })
            .collect::<Vec<_>>()
            .join("/")
    };
    for route in &routes {
        let (_, html) = app.page(&fill(route.path(), "1")).await;
        names.extend(form_names(&html));
    }
    assert!(
        names.contains("accounts[0]"),
        "the pages' own forms are read: {names:?}"
    );

    let mut functions: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .filter_map(|(path, _)| path.strip_prefix("/fn/"))
        // Logging out would end the session the rest of the sweep runs in.
        .filter(|name| *name != "logout")
        .collect();
    functions.sort();
    functions.dedup();
    assert!(functions.len() > 30, "{functions:?}");

    for value in hostile_texts() {
        // All hostile, and the merchant's own ids with everything else hostile.
        let hostile: Vec<(&str, &str)> =
            names.iter().map(|n| (n.as_str(), value.as_str())).collect();
        let mut with_ids = hostile.clone();
        with_ids.retain(|(n, _)| !valid.iter().any(|(v, _)| v == n));
        with_ids.extend(valid);
        for name in &functions {
            for form in [&hostile, &with_ids] {
                let sent = app
                    .client
                    .post(app.url(&format!("/fn/{name}")))
                    .form(form)
                    .send()
                    .await;
                assert_survived(&format!("/fn/{name} with {}", short(&value)), sent);
            }
        }
        for route in &routes {
            // A URL holds one long value, not fifteen.
            let query_names: &[&str] = if value.len() > 1000 {
                &["q"]
            } else {
                &PAGE_QUERY_NAMES
            };
            let query: String = query_names
                .iter()
                .map(|n| format!("{n}={}", urlencode(&value)))
                .collect::<Vec<_>>()
                .join("&");
            for path in [fill(route.path(), &value), fill(route.path(), "1")] {
                let sent = app
                    .client
                    .get(app.url(&format!("{path}?{query}")))
                    .header("accept", "text/html")
                    .send()
                    .await;
                assert_survived(
                    &format!("GET {} with {}", short(&path), short(&value)),
                    sent,
                );
            }
        }
    }
    // Bytes that are not UTF-8 at all, in every field.
    let invalid_utf8: String = names
        .iter()
        .map(|n| format!("{}=%FF%FE%00", urlencode(n)))
        .collect::<Vec<_>>()
        .join("&");
    for name in &functions {
        let sent = app
            .client
            .post(app.url(&format!("/fn/{name}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(invalid_utf8.clone())
            .send()
            .await;
        assert_survived(&format!("/fn/{name} with invalid UTF-8"), sent);
    }

    sweep_the_api(&app, &ours).await;

    // Still serving, and nothing half-written: the one link and its one attempt.
    let after = Browser::new(&app.address).get("/login").await;
    assert_eq!(after.status(), StatusCode::OK);
    assert_eq!(app.count("payment_link_histories").await, 1);
}

/// Every operation of the served OpenAPI document, with each hostile value in the path, in
/// the query and in every field of a JSON body.
async fn sweep_the_api(app: &TestApp, ours: &Merchant) {
    let api = ApiClient::new(app, "dev@uji.id", "Toko Uji API").await;
    let document = app.openapi_document().await;
    let body_fields = [
        "reff_no",
        "title",
        "description",
        "total_amount",
        "max_usage",
        "expired_at",
        "required_customer_detail",
        "whitelisted_payment_method",
        "redirect_url",
        "optional_metadata",
        "status",
        "payment_link_type",
        "grant_type",
        "amount",
    ];
    let query_fields = [
        "page",
        "per_page",
        "status",
        "reff_no",
        "payment_method_name",
        "payment_method_value",
        "amount",
        "amount_min",
        "amount_max",
        "has_settle",
        "created_at_from",
        "created_at_to",
        "sort_by",
        "sort_order",
    ];
    let mut operations = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            operations += 1;
            for value in hostile_json() {
                let text = match &value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let mut body = serde_json::Map::new();
                for field in body_fields {
                    body.insert(field.into(), value.clone());
                }
                body.insert(
                    "items".into(),
                    json!([{"name": value, "quantity": value, "unit_price": value}]),
                );
                let query_names: &[&str] = if text.len() > 1000 {
                    &["reff_no"]
                } else {
                    &query_fields
                };
                let query: String = query_names
                    .iter()
                    .map(|n| format!("{n}={}", urlencode(&text)))
                    .collect::<Vec<_>>()
                    .join("&");
                let filled_with = |param_value: &str| -> String {
                    path.split('/')
                        .map(|segment| {
                            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                                Some("account_id") => ours.account.clone(),
                                Some(_) => urlencode(param_value),
                                None => segment.to_string(),
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("/")
                };
                for target in [filled_with(&text), filled_with(&ours.link)] {
                    let sent = api
                        .call(method.clone(), &format!("{target}?{query}"))
                        .header("X-Signature", urlencode(&text))
                        .json(&body)
                        .send()
                        .await;
                    assert_survived(
                        &format!("{method} {} with {}", short(&target), short(&text)),
                        sent,
                    );
                }
            }
            let sent = api
                .call(
                    method.clone(),
                    path.replace("{account_id}", &ours.account).as_str(),
                )
                .header("content-type", "application/json")
                .body(b"{\"title\": \"\xff\xfe\"}".to_vec())
                .send()
                .await;
            assert_survived(&format!("{method} {path} with invalid UTF-8"), sent);
        }
    }
    assert!(operations >= 10, "{operations} API operations swept");
}
