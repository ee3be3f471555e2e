//! What Singapay's public clients send and read, replayed field for field (the TypeScript and
//! Laravel SDKs' documented payment-link calls). Grows with each part of the contract.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::api_client::{new_link, ApiClient};
use crate::helpers::spawn_app;
use crate::receiver::{signature_is_valid, Receiver};
use paylinks::webhooks::deliver_due;

const METHODS_PATH: &str = "/api/v1.0/payment-link-manage/payment-methods";

#[tokio::test]
async fn singapay_ewallet_codes_are_accepted_and_answered_in_one_spelling() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@alias.id", "Toko Alias").await;
    let mut body = new_link("ALIAS-1");
    body["whitelisted_payment_method"] = json!(["EWALLET_DANA", "VA_BRI", "ewallet_ovo", "DANA"]);
    let (status, created) = client
        .json(Method::POST, &client.links_path(), Some(&body))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        created["data"]["whitelisted_payment_method"],
        json!(["VA_BRI", "DANA", "OVO"]),
        "aliases answered as the catalogue's codes, once each, in the catalogue's order"
    );
    let (_, methods) = client.json(Method::GET, METHODS_PATH, None).await;
    let listed: Vec<&str> = methods["data"]["available_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(listed.contains(&"DANA") && !listed.iter().any(|c| c.starts_with("EWALLET_")));

    let mut unknown = new_link("ALIAS-2");
    unknown["whitelisted_payment_method"] = json!(["EWALLET_NOPE"]);
    let (status, refused) = client
        .json(Method::POST, &client.links_path(), Some(&unknown))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused["error"]["errors"]["whitelisted_payment_method"].is_array(),
        "{refused}"
    );
}

#[tokio::test]
async fn fixed_fields_are_refused_when_changed_and_accepted_when_repeated() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@tetap.id", "Toko Tetap").await;
    let (_, created) = client
        .json(
            Method::POST,
            &client.links_path(),
            Some(&new_link("FIXED-1")),
        )
        .await;
    let id = created["data"]["id"].as_i64().unwrap();
    let v1 = format!("{}/{id}", client.links_path());
    let v2 = format!("/api/v2.0/payment-link/update/{id}");
    let same = json!({
        "status": "open", "max_usage": 5, "reff_no": "FIXED-1", "title": "Invoice May 2026",
        "total_amount": "150000",
        "items": [{"name": "Subscription Plan", "quantity": 1, "unit_price": 150000}]
    });
    let (status, _) = client.json(Method::PUT, &v1, Some(&same)).await;
    assert_eq!(status, StatusCode::OK, "the same values are accepted");

    for (path, field, value) in [
        (&v1, "total_amount", json!(99_000)),
        (&v1, "reff_no", json!("FIXED-2")),
        (&v2, "title", json!("Another title")),
        (
            &v2,
            "items",
            json!([{"name": "Subscription Plan", "quantity": 2, "unit_price": 150000}]),
        ),
    ] {
        let mut body = json!({"status": "open", "max_usage": 7});
        body[field] = value;
        let (status, body) = client.json(Method::PUT, path, Some(&body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        // v1 nests its error; v2 answers in its own envelope.
        let (code, errors) = if *path == v1 {
            (&body["error"]["code"], &body["error"]["errors"])
        } else {
            (&body["response_code"], &body["errors"])
        };
        assert_eq!(code, "SP018");
        assert!(
            errors[field][0]
                .as_str()
                .unwrap()
                .contains("cannot be changed"),
            "{field}: {body}"
        );
    }
    let stored = app
        .scalar_text("SELECT reff_no || '/' || title || '/' || total_amount || '/' || max_usage FROM payment_links")
        .await;
    assert_eq!(
        stored, "FIXED-1/Invoice May 2026/150000/5",
        "nothing changed"
    );
}

#[tokio::test]
async fn an_empty_whitelist_means_every_method_and_answers_always_list_the_offer() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@semua.id", "Toko Semua").await;
    let (_, methods) = client.json(Method::GET, METHODS_PATH, None).await;
    let active = methods["data"]["available_codes"].clone();
    assert!(active.as_array().unwrap().len() > 5);
    for (n, whitelist) in [None, Some(json!(null)), Some(json!([]))]
        .into_iter()
        .enumerate()
    {
        let mut body = new_link(&format!("ALL-{n}"));
        match whitelist {
            None => {
                body.as_object_mut()
                    .unwrap()
                    .remove("whitelisted_payment_method");
            }
            Some(value) => body["whitelisted_payment_method"] = value,
        }
        let (_, created) = client
            .json(Method::POST, &client.links_path(), Some(&body))
            .await;
        assert_eq!(
            created["data"]["whitelisted_payment_method"], active,
            "whitelist {n}: every active method, as an array"
        );
    }
    // Past QRIS's limit the payer is not offered QRIS, and the answer says so.
    let mut large = new_link("LARGE-1");
    large["whitelisted_payment_method"] = json!(["QRIS", "VA_BRI"]);
    large["total_amount"] = json!(20_000_000);
    large["items"] = json!([{"name": "Mesin", "quantity": 1, "unit_price": 20_000_000}]);
    let (_, created) = client
        .json(Method::POST, &client.links_path(), Some(&large))
        .await;
    assert_eq!(
        created["data"]["whitelisted_payment_method"],
        json!(["VA_BRI"])
    );
}

#[tokio::test]
async fn max_usage_zero_is_unlimited_and_shown_so() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@bebas.id", "Toko Bebas").await;
    let mut body = new_link("UNLIMITED-1");
    body["max_usage"] = json!(0);
    body["required_customer_detail"] = json!(false);
    let (status, created) = client
        .json(Method::POST, &client.links_path(), Some(&body))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(created["data"]["max_usage"], 0);
    let id = created["data"]["id"].as_i64().unwrap();
    let slug = app.slug_of(id).await;
    for n in 0..12 {
        let reff = app.new_browser().start_payment(&slug, "VA_BRI").await;
        let paid = app
            .bank_pays(&reff, &format!("BANK-UNL-{n}"), 150_000)
            .await;
        assert_eq!(paid.status(), StatusCode::OK);
    }
    let (_, shown) = client
        .json(Method::GET, &format!("{}/{id}", client.links_path()), None)
        .await;
    assert_eq!(shown["data"]["current_usage"], 12);
    assert_eq!(shown["data"]["status_computed"], "open", "never exhausted");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_link_histories WHERE flag IS NOT NULL")
            .await,
        0,
        "nothing is past a cap that does not exist"
    );

    // A capped link with payments can become unlimited, and back to a cap above its usage.
    let v2 = format!("/api/v2.0/payment-link/update/{id}");
    for (max_usage, expected) in [
        (5, StatusCode::UNPROCESSABLE_ENTITY),
        (20, StatusCode::OK),
        (0, StatusCode::OK),
    ] {
        let (status, _) = client
            .json(Method::PUT, &v2, Some(&json!({"max_usage": max_usage})))
            .await;
        assert_eq!(status, expected, "max_usage {max_usage}");
    }
    let account = app.scalar_text("SELECT id FROM accounts").await;
    let owner = app.new_browser();
    owner.log_in("dev@bebas.id", crate::helpers::PASSWORD).await;
    let (_, page) = owner.page(&format!("/accounts/{account}/links")).await;
    assert!(
        page.contains("12 / Unlimited"),
        "the dashboard says unlimited"
    );
}

/// POSTs a v2 create body as singapay-js's `paymentLinks.create` does.
async fn create_v2(client: &ApiClient, body: Value) -> (StatusCode, Value) {
    let path = format!("/api/v2.0/payment-link/{}", client.account_id);
    client.json(Method::POST, &path, Some(&body)).await
}

#[tokio::test]
async fn v2_creates_both_link_types_as_the_sdks_document_them() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@v2.id", "Toko Dua").await;
    // singapay-js's own example: a reference, the type and the amount, nothing else.
    let (status, total) = create_v2(
        &client,
        json!({"reff_no": "INV-1001", "payment_link_type": "total", "total_amount": 150_000}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{total}");
    assert_eq!(
        total["response_code"], "SP000",
        "answered in the v2 envelope"
    );
    let link = &total["data"];
    assert_eq!(link["total_amount"], 150_000);
    assert_eq!(link["max_usage"], 1, "max_usage defaults to 1");
    assert_eq!(link["title"], "Pembayaran", "a title the payer understands");
    assert_eq!(
        link["items"],
        json!([{"name": "Pembayaran", "quantity": 1, "unit_price": 150_000, "subtotal": 150_000}])
    );

    // The Laravel SDK's "items" example: the server adds it up; a discount line is negative.
    let (status, items) = create_v2(
        &client,
        json!({
            "reff_no": "INV-2026-0002", "payment_link_type": "items",
            "items": [
                {"name": "Product A", "quantity": 2, "unit_price": 25_000},
                {"name": "Discount", "quantity": 1, "unit_price": -5_000}
            ],
            "max_usage": 0, "expired_at": "2030-01-31T23:59:00+07:00"
        }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{items}");
    assert_eq!(items["data"]["total_amount"], 45_000);
    assert_eq!(items["data"]["max_usage"], 0);

    // A total that disagrees with the items, a type that does not exist, a missing amount.
    for (body, field) in [
        (
            json!({"reff_no": "BAD-1", "payment_link_type": "items", "total_amount": 99_000,
                   "items": [{"name": "A", "quantity": 1, "unit_price": 50_000}]}),
            "total_amount",
        ),
        (
            json!({"reff_no": "BAD-2", "payment_link_type": "donation", "total_amount": 50_000}),
            "payment_link_type",
        ),
        (
            json!({"reff_no": "BAD-3", "payment_link_type": "total"}),
            "total_amount",
        ),
    ] {
        let (status, answer) = create_v2(&client, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["response_code"], "SP018", "the v2 envelope");
        assert!(answer["errors"][field].is_array(), "{field}: {answer}");
    }
    assert_eq!(app.count("payment_links").await, 2);

    // v1 keeps its own, stricter contract.
    let v1 = json!({"reff_no": "V1-1", "payment_link_type": "total", "total_amount": 150_000});
    let (status, _) = client
        .json(Method::POST, &client.links_path(), Some(&v1))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Every object in `value` that is empty, by path.
fn empty_objects(value: &Value, path: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(map) if map.is_empty() => found.push(path.to_string()),
        Value::Object(map) => {
            for (key, child) in map {
                empty_objects(child, &format!("{path}.{key}"), found);
            }
        }
        Value::Array(items) => {
            for (n, child) in items.iter().enumerate() {
                empty_objects(child, &format!("{path}[{n}]"), found);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn webhook_bodies_survive_a_php_round_trip_and_give_times_in_wib() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Hook", "owner@hook.id").await;
    app.enable_webhooks("http://127.0.0.1:9/hooks").await;
    let link = app.create_default_link(&account).await;
    let slug = app.slug_of(link).await;
    let reff = app.new_browser().start_payment(&slug, "VA_BRI").await;
    assert_eq!(
        app.bank_pays(&reff, "BANK-PHP-1", 200_000).await.status(),
        StatusCode::OK
    );
    let payloads = app.texts("SELECT payload FROM webhook_events").await;
    assert!(payloads.len() >= 2, "{payloads:?}");
    for payload in &payloads {
        let body: Value = serde_json::from_str(payload).unwrap();
        // PHP's json_decode + json_encode turns {} into [], so a client re-encoding the body
        // before hashing it would see another body: the signed form has no empty object.
        let mut found = Vec::new();
        empty_objects(&body, "", &mut found);
        assert!(found.is_empty(), "empty objects at {found:?} in {body}");
    }
    let transaction: Value = serde_json::from_str(
        &app.scalar_text(
            "SELECT payload FROM webhook_events WHERE event_type = 'payment-link-transaction'",
        )
        .await,
    )
    .unwrap();
    let paid_at = transaction["data"]["payment"]["additional_info"]["payment_link"]["payment_date"]
        .as_str()
        .unwrap();
    assert!(
        paid_at.ends_with("+07:00") && !paid_at.contains('.'),
        "{paid_at}"
    );
}

#[tokio::test]
async fn inquiry_and_transaction_webhooks_verify_and_name_the_attempt() {
    let app = spawn_app().await;
    let receiver = Receiver::spawn(0).await;
    let account = app.sign_up("Toko Tanya", "owner@tanya.id").await;
    assert_eq!(
        app.call("credential_create", &[]).await.status(),
        StatusCode::OK
    );
    let (_, _, secret) = app.fresh_secret().await;
    let link = app
        .create_link_with(
            &account,
            &[("input[max_usage]", "2"), ("input[reff_no]", "INV-TANYA")],
        )
        .await;
    let slug = app.slug_of(link).await;

    // Without an inquiry URL a payer's start writes no event.
    app.enable_webhooks(&receiver.url).await;
    app.new_browser().start_payment(&slug, "VA_BRI").await;
    assert_eq!(app.count("webhook_events").await, 0);

    let inquiry_url = format!("{}&kind=inquiry", receiver.url);
    let saved = app
        .call(
            "webhook_settings",
            &[
                ("transaction_url", receiver.url.as_str()),
                ("inquiry_url", &inquiry_url),
                ("enabled", "yes"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let reff = app.new_browser().start_payment(&slug, "QRIS").await;
    // The link is full now: a payer refused a slot is announced to nobody.
    let refused = app
        .new_browser()
        .call("pay", &[("slug", &slug), ("method", "VA_BNI")])
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert_eq!(
        app.texts("SELECT event_type FROM webhook_events ORDER BY id")
            .await,
        ["payment_link.inquiry"]
    );

    deliver_due(&app.state).await.unwrap();
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    let delivery = &received[0];
    assert!(delivery.path_and_query.ends_with("kind=inquiry"));
    assert!(signature_is_valid(delivery, &secret), "{}", delivery.json());
    let body = delivery.json();
    assert_eq!(body["event"], "payment_link.inquiry");
    // Where the Laravel SDK reads the inquiry's reference, and where the transaction
    // webhook's readers look for it.
    assert_eq!(
        body["data"]["payment_link_history"]["reff_no"],
        reff.as_str()
    );
    assert_eq!(body["data"]["transaction"]["reff_no"], reff.as_str());
    assert_eq!(body["data"]["transaction"]["status"], "pending");
    assert_eq!(body["data"]["transaction"]["type"], "pl");
    assert_eq!(body["data"]["payment"]["channel"]["code"], "QRIS");
    assert_eq!(
        body["data"]["payment_link_history"]["payment_method_code"],
        "QRIS"
    );
    assert_eq!(body["data"]["payment_link"]["reff_no"], "INV-TANYA");
    assert!(body["data"]["payment_link"]["payment_url"]
        .as_str()
        .unwrap()
        .ends_with(&slug));
    let expires = body["data"]["payment_link_history"]["expired_at"]
        .as_str()
        .unwrap();
    assert!(
        expires.ends_with("+07:00") && !expires.contains('.'),
        "{expires}"
    );

    // The payment's own webhook verifies the same way and names both references.
    assert_eq!(
        app.bank_pays(&reff, "BANK-TANYA-1", 200_000).await.status(),
        StatusCode::OK
    );
    deliver_due(&app.state).await.unwrap();
    let received = receiver.received();
    let paid = received
        .iter()
        .find(|r| r.json()["event"] == "payment-link-transaction")
        .expect("the transaction webhook was delivered");
    assert!(signature_is_valid(paid, &secret), "{}", paid.json());
    let body = paid.json();
    assert_eq!(body["data"]["transaction"]["reff_no"], reff.as_str());
    assert_eq!(body["data"]["transaction"]["status"], "paid");
    assert_eq!(
        body["data"]["payment"]["additional_info"]["payment_link"]["reff_no"],
        "INV-TANYA"
    );
}
