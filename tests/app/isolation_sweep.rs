//! Tenant isolation, swept from the app's own registries rather than a hand-kept list: every
//! page route, every server function and every API operation, called as merchant B with
//! merchant A's ids, answers without A's data and changes nothing of A's.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::api_client::ApiClient;
use crate::helpers::{spawn_app, TestApp};
use paylinks::auth::access::rule;
use paylinks::domain::merchant::Access;

/// Text only merchant A's records hold; B must never see any of it.
const MARKERS: [&str; 4] = ["ALPHA-TITLE", "ALPHA-REF-1", "Alpha Payer", "alpha-hooks"];

/// A's ids by the parameter names routes and functions use.
struct AlphaIds {
    pairs: Vec<(&'static str, String)>,
}

impl AlphaIds {
    fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A route or API path with every `:param` / `{param}` replaced by A's value.
    fn fill(&self, path: &str) -> Option<String> {
        let mut out = Vec::new();
        for segment in path.split('/') {
            let name = segment
                .strip_prefix(':')
                .or_else(|| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')));
            match name {
                Some(name) => out.push(self.get(name)?.to_string()),
                None => out.push(segment.to_string()),
            }
        }
        Some(out.join("/"))
    }
}

fn assert_no_alpha(context: &str, body: &str) {
    for marker in MARKERS {
        assert!(
            !body.contains(marker),
            "{context} shows A's {marker}: {body}"
        );
    }
}

/// Merchant A with a link, a paid attempt, a webhook event, an export and a credential.
async fn alpha(app: &TestApp) -> AlphaIds {
    let account = app.sign_up("Toko Alpha", "owner@alpha.id").await;
    let link: i64 = app
        .create_link(
            &account,
            &[
                ("input[title]", "ALPHA-TITLE"),
                ("input[reff_no]", "ALPHA-REF-1"),
                ("input[required_customer_detail]", "true"),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    let slug = app.slug_of(link).await;
    let payer = app.new_browser();
    let paid = payer
        .call(
            "pay",
            &[
                ("slug", &slug),
                ("method", "VA_BRI"),
                ("customer_name", "Alpha Payer"),
                ("customer_email", "payer@alpha.id"),
                ("customer_phone", "081234567890"),
            ],
        )
        .await;
    assert_eq!(paid.status(), StatusCode::OK);
    let reff: String = paid.json().await.unwrap();
    let history = app
        .scalar(&format!(
            "SELECT id FROM payment_link_histories WHERE reff_no = '{reff}'"
        ))
        .await;
    assert_eq!(
        app.call("credential_create", &[]).await.status(),
        StatusCode::OK
    );
    let credential = app.scalar("SELECT id FROM api_credentials").await;
    app.call(
        "webhook_settings",
        &[
            ("transaction_url", "http://127.0.0.1:9/alpha-hooks"),
            ("enabled", "yes"),
        ],
    )
    .await;
    let test_event: Value = app.call("webhook_test", &[]).await.json().await.unwrap();
    let event = test_event["event_id"].as_str().unwrap().to_string();
    let export: String = app
        .call(
            "export_create",
            &[("account_id", &account), ("format", "csv")],
        )
        .await
        .json()
        .await
        .unwrap();
    let invite: String = app
        .call(
            "team_invite",
            &[("email", "new@alpha.id"), ("role", "viewer")],
        )
        .await
        .json()
        .await
        .unwrap();
    let token = invite.rsplit('/').next().unwrap().to_string();
    let invitation = app.scalar("SELECT id FROM invitations").await;
    let user = app.scalar("SELECT id FROM users").await;
    AlphaIds {
        pairs: vec![
            ("account_id", account),
            ("link_id", link.to_string()),
            ("payment_link_id", link.to_string()),
            ("history_id", history.to_string()),
            ("reff_no", reff),
            ("slug", slug),
            ("event_id", event),
            ("id", export),
            ("credential_id", credential.to_string()),
            ("invitation_id", invitation.to_string()),
            ("user_id", user.to_string()),
            ("token", token),
        ],
    }
}

/// What of A's could change; compared before and after B's sweep.
async fn alpha_state(app: &TestApp) -> String {
    let mut parts = Vec::new();
    for sql in [
        "SELECT status || '/' || current_usage || '/' || title FROM payment_links WHERE reff_no = 'ALPHA-REF-1'",
        "SELECT transaction_url || '/' || CAST(enabled AS TEXT) FROM webhook_settings",
        "SELECT COALESCE(CAST(revoked_at AS TEXT), 'live') FROM api_credentials",
        "SELECT email || '/' || role FROM users WHERE email = 'owner@alpha.id'",
        "SELECT name || '/' || status FROM accounts WHERE name = 'Main account' ORDER BY created_at LIMIT 1",
        "SELECT COALESCE(CAST(revoked_at AS TEXT), 'open') FROM invitations",
    ] {
        parts.push(app.scalar_text(sql).await);
    }
    parts.join(" | ")
}

#[tokio::test]
async fn merchant_b_reaches_nothing_of_merchant_a_anywhere() {
    let app = spawn_app().await;
    let ids = alpha(&app).await;
    let before = alpha_state(&app).await;

    let beta = app.new_browser();
    beta.sign_up("Toko Beta", "owner@beta.id").await;

    // Every page route, with A's ids in it.
    let routes = paylinks::startup::route_list();
    assert!(routes.len() > 15, "{}", routes.len());
    for route in &routes {
        let path = route.path();
        // Payer pages are public by design: they show the link, never the merchant's data.
        if path.starts_with("/pay/") || path.starts_with("/invitations/") {
            continue;
        }
        let Some(filled) = ids.fill(path) else {
            panic!("no value for a parameter of {path}");
        };
        let (status, html) = beta.page(&filled).await;
        if filled != path {
            assert!(
                status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
                "{filled} answered {status}"
            );
        }
        assert_no_alpha(&filled, &html);
    }

    // Every server function, given all of A's ids.
    let form: Vec<(String, String)> = ids
        .pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .chain([
            ("format".to_string(), "csv".to_string()),
            ("status".to_string(), "closed".to_string()),
            ("confirm".to_string(), "yes".to_string()),
            ("role".to_string(), "viewer".to_string()),
            ("name".to_string(), "Beta renamed".to_string()),
        ])
        .collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut functions: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .filter_map(|(path, _)| path.strip_prefix("/fn/"))
        .collect();
    functions.sort();
    functions.dedup();
    for name in functions {
        // Public functions serve payers and visitors by design (checked in public.rs).
        if rule(name) == Access::Public {
            continue;
        }
        let response = beta.call(name, &form).await;
        let status = response.status();
        let body = response.text().await.unwrap();
        assert_no_alpha(&format!("/fn/{name} ({status})"), &body);
    }
    let alpha_download = beta
        .client
        .get(beta.url(&format!("/exports/{}/download", ids.get("id").unwrap())))
        .send()
        .await
        .unwrap();
    assert_eq!(alpha_download.status(), StatusCode::NOT_FOUND);

    // Every API operation in the OpenAPI document, with B's token and A's ids.
    let api = ApiClient::new(&app, "owner@beta.id", "Toko Beta").await;
    let document = app.openapi_document().await;
    let mut operations = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        if !path.contains("{account_id}") {
            continue;
        }
        let filled = ids.fill(path).expect("every API parameter has a value");
        for method in item.as_object().unwrap().keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = api
                .call(method.clone(), &filled)
                .json(&serde_json::json!({"title": "beta", "status": "closed", "max_usage": 1}))
                .send()
                .await
                .unwrap();
            let status = response.status();
            let body = response.text().await.unwrap();
            assert!(
                status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
                "{method} {filled} answered {status}: {body}"
            );
            assert_no_alpha(&format!("{method} {filled}"), &body);
            operations += 1;
        }
    }
    assert!(operations >= 8, "{operations} API operations swept");

    assert_eq!(alpha_state(&app).await, before, "nothing of A's changed");
}
