//! The REST API beyond links: histories, the Developers page, idempotency, rate limits.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::api_client::{new_link, ApiClient};
use crate::helpers::{spawn_app, START_MS};
use paylinks::api::tokens::wib_date;

#[tokio::test]
async fn histories_are_listed_filtered_shown_and_simulated() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@toko.id", "Toko Dev").await;
    let mut body = new_link("H-1");
    body["required_customer_detail"] = json!(false);
    body["whitelisted_payment_method"] = Value::Null;
    let created: Value = client
        .call(reqwest::Method::POST, &client.links_path())
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(created["success"], true, "{created}");
    let slug = app.scalar_text("SELECT slug FROM payment_links").await;
    for method in ["VA_BRI", "QRIS", "GOPAY"] {
        let response = app
            .new_browser()
            .call("pay", &[("slug", &slug), ("method", method)])
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{method}");
    }
    let base = format!("/api/v1.0/payment-link-histories/{}", client.account_id);
    let get = |query: String| {
        let request = client.call(reqwest::Method::GET, &format!("{base}{query}"));
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let all = get(String::new()).await;
    assert_eq!(all["data"].as_array().unwrap().len(), 3);
    assert_eq!(all["pagination"]["total"], 3);
    assert_eq!(
        all["data"][0]["payment_method_name"], "GoPay",
        "newest first"
    );
    assert_eq!(all["data"][0]["payment_link_reff_no"], "H-1");
    assert_eq!(all["data"][0]["customer_name"], "");

    let by_name = get("?payment_method_name=va%20bri".into()).await;
    assert_eq!(by_name["data"].as_array().unwrap().len(), 1);
    let va_id = by_name["data"][0]["id"].as_i64().unwrap();
    let ascending = get("?sort_by=amount&sort_order=asc&per_page=2".into()).await;
    assert_eq!(ascending["data"].as_array().unwrap().len(), 2);
    assert_eq!(ascending["pagination"]["totalPages"], 2);
    let none = get("?amount_min=150001".into()).await;
    assert_eq!(none["data"].as_array().unwrap().len(), 0);
    let exact = get("?amount=150000.00&status=pending".into()).await;
    assert_eq!(exact["data"].as_array().unwrap().len(), 3);

    let bad = client
        .call(
            reqwest::Method::GET,
            &format!("{base}?status=settled&sort_by=fee"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad: Value = bad.json().await.unwrap();
    assert!(bad["error"]["errors"]["status"].is_array());
    assert!(bad["error"]["errors"]["sort_by"].is_array());

    let paid = client
        .call(
            reqwest::Method::POST,
            &format!("{base}/{va_id}/simulate-payment"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status(), StatusCode::OK);
    let shown: Value = client
        .call(reqwest::Method::GET, &format!("{base}/{va_id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shown["data"]["status"], "paid");
    assert_eq!(shown["data"]["fee"], 4000);
    assert_eq!(shown["data"]["net_amount"], 146000);
    assert!(shown["data"]["payment_date"]
        .as_str()
        .unwrap()
        .ends_with("+07:00"));
    let paid_only = get("?status=paid&payment_date_from=2026-11-25T00:00:00%2B07:00".into()).await;
    assert_eq!(paid_only["data"].as_array().unwrap().len(), 1);

    let other = ApiClient::new(&app, "other@toko.id", "Toko Lain").await;
    let hidden = other
        .call(reqwest::Method::GET, &format!("{base}/{va_id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    let own_account = other
        .call(
            reqwest::Method::GET,
            &format!(
                "/api/v1.0/payment-link-histories/{}/{va_id}",
                other.account_id
            ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(own_account.status(), StatusCode::NOT_FOUND);
}

/// The secret shown once on the Developers page.

#[tokio::test]
async fn the_developers_page_issues_rotates_and_revokes_credentials() {
    let app = spawn_app().await;
    let account_id = app.sign_up("Toko Dev", "dev@toko.id").await;
    assert_eq!(
        app.call("credential_create", &[]).await.status(),
        StatusCode::OK
    );
    let (api_key, client_id, client_secret) = app.fresh_secret().await;
    let mut client = ApiClient {
        base: app.address.clone(),
        api_key,
        client_id,
        client_secret,
        account_id,
        token: String::new(),
        http: reqwest::Client::new(),
    };
    let today = wib_date(START_MS);
    let token: Value = client.request_token(&today).await.json().await.unwrap();
    client.token = token["data"]["access_token"].as_str().unwrap().to_string();
    let list = |c: &ApiClient| c.call(reqwest::Method::GET, &c.links_path()).send();
    assert_eq!(list(&client).await.unwrap().status(), StatusCode::OK);

    let id = app
        .scalar("SELECT id FROM api_credentials")
        .await
        .to_string();
    let refused = app
        .call("credential_rotate", &[("credential_id", &id)])
        .await;
    assert_eq!(
        refused.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "needs the confirmation"
    );
    let other = app.new_browser();
    other.sign_up("Toko Lain", "lain@toko.id").await;
    let stolen = other
        .call(
            "credential_rotate",
            &[("credential_id", &id), ("confirm", "yes")],
        )
        .await;
    assert_eq!(stolen.status(), StatusCode::NOT_FOUND);

    let rotated = app
        .call(
            "credential_rotate",
            &[("credential_id", &id), ("confirm", "yes")],
        )
        .await;
    assert_eq!(rotated.status(), StatusCode::OK);
    assert_eq!(
        list(&client).await.unwrap().status(),
        StatusCode::UNAUTHORIZED,
        "old token dead"
    );
    assert_eq!(
        client.request_token(&today).await.status(),
        StatusCode::UNAUTHORIZED,
        "old secret dead"
    );
    client.client_secret = app.fresh_secret().await.2;
    assert_eq!(client.request_token(&today).await.status(), StatusCode::OK);

    let revoked = app
        .call(
            "credential_revoke",
            &[("credential_id", &id), ("confirm", "yes")],
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(
        client.request_token(&today).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let (_, html) = app.page("/developers").await;
    assert!(html.contains("Revoked"));
}

#[tokio::test]
async fn an_idempotency_key_replays_the_first_answer_and_refuses_another_body() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@toko.id", "Toko Dev").await;
    let post = |body: Value, key: &str| {
        client
            .call(reqwest::Method::POST, &client.links_path())
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let first = post(new_link("IDEM-1"), "order-42").await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let first: Value = first.json().await.unwrap();
    let again = post(new_link("IDEM-1"), "order-42").await.unwrap();
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "replayed, not a duplicate reff_no"
    );
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["data"]["id"], first["data"]["id"]);
    assert_eq!(app.count("payment_links").await, 1);

    let other_body = post(new_link("IDEM-2"), "order-42").await.unwrap();
    assert_eq!(other_body.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("payment_links").await, 1);

    // A refusal is replayed too; after 24 hours the key is free again.
    let mut bad = new_link("IDEM-3");
    bad["title"] = json!("");
    assert_eq!(
        post(bad.clone(), "order-43").await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        post(bad, "order-43").await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    app.clock.advance_ms(24 * 3600 * 1000 + 1);
    let mut client = client;
    client.refresh_token(&app).await;
    let fresh = client
        .call(reqwest::Method::POST, &client.links_path())
        .header("Idempotency-Key", "order-42")
        .json(&new_link("IDEM-2"))
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.status(), StatusCode::OK);
    assert_eq!(app.count("payment_links").await, 2);
}

#[tokio::test]
async fn an_idempotency_key_left_unfinished_by_a_crash_is_free_again_after_its_lease() {
    use sha2::Digest;
    let app = spawn_app().await;
    let mut client = ApiClient::new(&app, "dev@toko.id", "Toko Dev").await;
    let body = new_link("IDEM-CRASH");
    // What a create killed mid-flight leaves: the key claimed for this very request, no answer.
    let mut hash = sha2::Sha256::new();
    hash.update(client.links_path().as_bytes());
    hash.update([0]);
    hash.update(serde_json::to_vec(&body).unwrap());
    let credential = app
        .scalar(&format!(
            "SELECT id FROM api_credentials WHERE api_key = '{}'",
            client.api_key
        ))
        .await;
    app.execute(&format!(
        "INSERT INTO api_idempotency_keys (credential_id, idempotency_key, request_hash, created_at)
         VALUES ({credential}, 'order-9', '{}', {})",
        hex::encode(hash.finalize()),
        app.state.now_ms()
    ))
    .await;
    let post = |client: &ApiClient| {
        client
            .call(reqwest::Method::POST, &client.links_path())
            .header("Idempotency-Key", "order-9")
            .json(&body)
            .send()
    };
    let during_lease = post(&client).await.unwrap();
    assert_eq!(
        during_lease.status(),
        StatusCode::CONFLICT,
        "a live request may hold it"
    );
    assert_eq!(app.count("payment_links").await, 0);

    // Past twice the request timeout no request can still hold it: the retry runs, once.
    app.clock.advance_ms(61_000);
    client.refresh_token(&app).await;
    let retried = post(&client).await.unwrap();
    assert_eq!(retried.status(), StatusCode::OK);
    let replayed = post(&client).await.unwrap();
    assert_eq!(replayed.status(), StatusCode::OK);
    assert_eq!(replayed.headers()["idempotent-replayed"], "true");
    assert_eq!(app.count("payment_links").await, 1);
}

#[tokio::test]
async fn each_credential_is_rate_limited_with_retry_after() {
    let app = crate::helpers::spawn_app_with(|s| s.api_rate_limit_per_minute = 3).await;
    let client = ApiClient::new(&app, "dev@toko.id", "Toko Dev").await;
    for _ in 0..3 {
        let response = client
            .call(reqwest::Method::GET, &client.links_path())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    let limited = client
        .call(reqwest::Method::GET, &client.links_path())
        .send()
        .await
        .unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    let body: Value = limited.json().await.unwrap();
    assert_eq!(body["error"]["code"], "SP019");

    // Another merchant's credential is not affected; a minute later the first may go on.
    let other = ApiClient::new(&app, "other@toko.id", "Toko Lain").await;
    let response = other
        .call(reqwest::Method::GET, &other.links_path())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    app.clock.advance_ms(60_000);
    let response = client
        .call(reqwest::Method::GET, &client.links_path())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/api/openapi.json")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let document: Value = response.json().await.unwrap();
    assert!(
        document["openapi"].as_str().unwrap().starts_with("3.1"),
        "{document}"
    );
    let expected = [
        ("/api/v1.1/access-token/b2b", "post"),
        ("/api/v1.0/access-token/b2b", "post"),
        ("/api/v1.0/payment-link-manage/payment-methods", "get"),
        ("/api/v1.0/payment-link-manage/{account_id}", "get"),
        ("/api/v1.0/payment-link-manage/{account_id}", "post"),
        (
            "/api/v1.0/payment-link-manage/{account_id}/{payment_link_id}",
            "get",
        ),
        (
            "/api/v1.0/payment-link-manage/{account_id}/{payment_link_id}",
            "put",
        ),
        (
            "/api/v1.0/payment-link-manage/{account_id}/{payment_link_id}",
            "delete",
        ),
        ("/api/v1.0/payment-link-histories/{account_id}", "get"),
        (
            "/api/v1.0/payment-link-histories/{account_id}/{history_id}",
            "get",
        ),
        (
            "/api/v1.0/payment-link-histories/{account_id}/{history_id}/simulate-payment",
            "post",
        ),
        (
            "/api/v1.0/payment-link-histories/{account_id}/{history_id}/refunds",
            "post",
        ),
        (
            "/api/v1.0/payment-link-histories/{account_id}/{history_id}/refunds",
            "get",
        ),
        ("/api/v2.0/payment-link/{id}", "post"),
        ("/api/v2.0/payment-link/{id}", "get"),
        ("/api/v2.0/payment-link/update/{payment_link_id}", "put"),
    ];
    let paths = document["paths"].as_object().unwrap();
    let listed: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(
        listed,
        expected.len(),
        "no undocumented extra: {:?}",
        paths.keys()
    );
    for (path, method) in expected {
        assert!(
            paths[path][method].is_object(),
            "{method} {path} is documented"
        );
    }
    // The page developers read links to it.
    app.sign_up("Toko", "owner@toko.id").await;
    let (_, html) = app.page("/developers").await;
    assert!(html.contains("/api/openapi.json"));
}

#[tokio::test]
async fn a_credential_bound_to_an_account_reaches_only_that_account() {
    let app = spawn_app().await;
    let main = app.sign_up("Toko Dev", "dev@toko.id").await;
    let branch: String = app
        .call("account_create", &[("name", "Cabang")])
        .await
        .json()
        .await
        .unwrap();
    app.create_default_link(&branch).await;
    let branch_link = app.scalar("SELECT id FROM payment_links").await;
    let bound = app
        .call("credential_create", &[("accounts[0]", main.as_str())])
        .await;
    assert_eq!(bound.status(), StatusCode::OK);
    let (api_key, client_id, client_secret) = app.fresh_secret().await;
    let (_, html) = app.page("/developers").await;
    assert!(html.contains("Main account"), "the binding is listed");
    let mut client = ApiClient {
        base: app.address.clone(),
        api_key,
        client_id,
        client_secret,
        account_id: main.clone(),
        token: String::new(),
        http: reqwest::Client::new(),
    };
    client.refresh_token(&app).await;
    let get = |path: String| client.call(reqwest::Method::GET, &path).send();
    assert_eq!(
        get(client.links_path()).await.unwrap().status(),
        StatusCode::OK
    );
    let other = format!("/api/v1.0/payment-link-manage/{branch}");
    assert_eq!(get(other).await.unwrap().status(), StatusCode::FORBIDDEN);
    let histories = format!("/api/v1.0/payment-link-histories/{branch}");
    assert_eq!(
        get(histories).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let by_id = format!("/api/v2.0/payment-link/{branch_link}");
    assert_eq!(get(by_id).await.unwrap().status(), StatusCode::FORBIDDEN);

    let unknown = app
        .call(
            "credential_create",
            &[("accounts[0]", "01ZZZZZZZZZZZZZZZZZZZZZZZZ")],
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
