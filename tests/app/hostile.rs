//! Hostile input: control characters, paging past every bound, crafted redirects, bodies too
//! large in chunks, slow clients, forged origins and forwarded addresses. Each answers with a
//! clear refusal (never a 5xx, never a dropped connection) and changes nothing.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::api_client::{new_link, ApiClient};
use crate::helpers::{field_errors, spawn_app, spawn_app_with, Browser, PASSWORD};

#[tokio::test]
async fn control_characters_in_text_are_refused_by_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let visitor = app.new_browser();
    let refused = visitor
        .call(
            "signup",
            &[
                ("merchant_name", "Toko\0Nul"),
                ("email", "nul@toko.id"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        field_errors(refused).await["merchant_name"].contains("control or invisible characters")
    );
    assert_eq!(app.count("merchants").await, 0);

    let account = app.sign_up("Toko Aman", "owner@aman.id").await;
    for (field, value) in [
        ("input[title]", "Kopi\0"),
        ("input[description]", "Baris\0dua"),
        ("input[items][0][name]", "Kaos\u{1b}[31m"),
    ] {
        let response = app.create_link(&account, &[(field, value)]).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}"
        );
        let errors = field_errors(response).await;
        let name = field
            .trim_start_matches("input[")
            .replace("][", ".")
            .replace("items.0", "items[0]")
            .trim_end_matches(']')
            .to_string();
        assert!(
            errors
                .get(&name)
                .is_some_and(|m| m.contains("control or invisible characters")),
            "{field}: {errors:?}"
        );
    }
    // A description may span lines.
    let multi_line = app
        .create_link(
            &account,
            &[("input[description]", "Baris satu\r\nBaris dua")],
        )
        .await;
    assert_eq!(multi_line.status(), StatusCode::OK);
    assert_eq!(app.count("payment_links").await, 1);

    let renamed = app.call("account_create", &[("name", "Cabang\0Dua")]).await;
    assert_eq!(renamed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_errors(renamed).await.contains_key("name"));
    assert_eq!(app.count("accounts").await, 1);

    let mut api = ApiClient::new(&app, "dev@aman.id", "Toko Aman API").await;
    api.refresh_token(&app).await;
    let mut body = new_link("NUL-1");
    body["title"] = json!("Invoice\u{0}");
    let response = api
        .call(reqwest::Method::POST, &api.links_path())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let answer: Value = response.json().await.unwrap();
    assert!(answer["error"]["errors"]["title"].is_array(), "{answer}");

    let slug = app
        .slug_of(app.scalar("SELECT id FROM payment_links").await)
        .await;
    let required = app
        .create_link_with(&account, &[("input[required_customer_detail]", "true")])
        .await;
    let required_slug = app.slug_of(required).await;
    let payer = app.new_browser();
    let response = payer
        .call(
            "pay",
            &[
                ("slug", &required_slug),
                ("method", "VA_BRI"),
                ("customer_name", "Budi\0"),
                ("customer_email", "budi@contoh.id"),
                ("customer_phone", "081234567890"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_errors(response).await.contains_key("customer_name"));
    assert!(!slug.is_empty());
    assert_eq!(app.count("payment_link_histories").await, 0);
}

#[tokio::test]
async fn paging_past_every_bound_is_refused_by_name() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Halaman", "owner@halaman.id").await;
    let api = ApiClient::new(&app, "dev@halaman.id", "Toko Halaman API").await;
    let huge = i64::MAX.to_string();
    for path in [
        format!("{}?page={huge}&per_page=100", api.links_path()),
        format!(
            "/api/v1.0/payment-link-histories/{}?page={huge}&per_page=100",
            api.account_id
        ),
    ] {
        let response = api.call(reqwest::Method::GET, &path).send().await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}"
        );
        let body: Value = response.json().await.unwrap();
        assert!(body["error"]["errors"]["page"].is_array(), "{path}: {body}");
    }
    // The deepest allowed page is just empty, and a negative one is the first.
    for page in ["1000000", "-9223372036854775808", "0"] {
        let response = api
            .call(
                reqwest::Method::GET,
                &format!("{}?page={page}", api.links_path()),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "page={page}");
    }

    let response = app
        .call("links", &[("account_id", &account), ("page", &huge)])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_errors(response).await.contains_key("page"));
    let (status, _) = app
        .page(&format!("/accounts/{account}/links?page={huge}"))
        .await;
    assert!(status.is_client_error() || status.is_success(), "{status}");
}

#[tokio::test]
async fn log_in_goes_only_to_a_path_of_our_own_origin() {
    let app = spawn_app().await;
    let merchant = app.new_browser();
    merchant.sign_up("Toko Arah", "owner@arah.id").await;
    for next in [
        "/\t/evil.example/x",
        "//evil.example/x",
        "/\\evil.example",
        "https://evil.example/",
        "/..//evil.example",
        "/%2e%2e//evil.example",
        "/ok\r\nSet-Cookie: stolen=1",
        "/ok\nx",
    ] {
        merchant.call("logout", &[]).await;
        let response = merchant
            .call(
                "login",
                &[
                    ("email", "owner@arah.id"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert!(response.status().is_success() || response.status().is_redirection());
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        assert!(
            location.starts_with("/accounts/") && !location.contains("evil"),
            "{next:?} led to {location:?}"
        );
        assert!(response
            .headers()
            .get("set-cookie")
            .is_none_or(|c| { !c.to_str().unwrap().contains("stolen") }));
    }
    merchant.call("logout", &[]).await;
    let response = merchant
        .call(
            "login",
            &[
                ("email", "owner@arah.id"),
                ("password", PASSWORD),
                ("next", "/developers?tab=keys"),
            ],
        )
        .await;
    assert_eq!(response.headers()["location"], "/developers?tab=keys");
}

#[tokio::test]
async fn chunked_bodies_over_a_megabyte_get_413() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Besar", "owner@besar.id").await;
    let api = ApiClient::new(&app, "dev@besar.id", "Toko Besar API").await;
    let chunks = || {
        let chunk = bytes::Bytes::from(vec![b'a'; 64 * 1024]);
        let stream =
            futures::stream::iter((0..20).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
        reqwest::Body::wrap_stream(stream)
    };
    let server_fn = app
        .client
        .post(app.url("/fn/link_create"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(chunks())
        .send()
        .await
        .unwrap();
    assert_eq!(server_fn.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let api_create = api
        .call(reqwest::Method::POST, &api.links_path())
        .header("content-type", "application/json")
        .body(chunks())
        .send()
        .await
        .unwrap();
    assert_eq!(api_create.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // A small chunked body still works.
    let small = app
        .client
        .post(app.url("/fn/links"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(reqwest::Body::wrap_stream(futures::stream::iter([Ok::<
            _,
            std::io::Error,
        >(
            format!("account_id={account}"),
        )])))
        .send()
        .await
        .unwrap();
    assert_eq!(small.status(), StatusCode::OK);
    assert_eq!(app.count("payment_links").await, 0);
}

#[tokio::test]
async fn a_slow_client_is_cut_off_while_others_are_served() {
    let app = spawn_app_with(|s| s.header_read_timeout = Duration::from_secs(1)).await;
    let host = app.address.trim_start_matches("http://").to_string();
    let mut slow = Vec::new();
    for _ in 0..50 {
        let mut stream = tokio::net::TcpStream::connect(&host).await.unwrap();
        // Headers begun and never finished.
        stream
            .write_all(b"GET /login HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        slow.push(stream);
    }
    let idle = tokio::net::TcpStream::connect(&host).await.unwrap();
    slow.push(idle);
    let (status, _) = app.page("/login").await;
    assert_eq!(status, StatusCode::OK, "others are served meanwhile");
    for mut stream in slow {
        let mut buffer = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut buffer))
            .await
            .expect("the server closes a slow connection within its header timeout");
        // Closed (with or without a 408 first), never served.
        assert!(
            read.is_err() || !String::from_utf8_lossy(&buffer).contains("200 OK"),
            "{}",
            String::from_utf8_lossy(&buffer)
        );
    }
}

#[tokio::test]
async fn a_page_of_another_scheme_or_a_forged_host_is_not_our_origin() {
    let app = spawn_app().await;
    let merchant = app.new_browser();
    let account = merchant.sign_up("Toko Asal", "owner@asal.id").await;
    let ours = app.address.clone();
    let host = ours.trim_start_matches("http://").to_string();
    for (origin, forged_host) in [
        (ours.replace("http://", "https://"), host.clone()),
        (
            "http://evil.example".to_string(),
            "evil.example".to_string(),
        ),
        ("null".to_string(), host.clone()),
    ] {
        let response = merchant
            .client
            .post(merchant.url("/fn/account_create"))
            .header("origin", &origin)
            .header("host", &forged_host)
            .form(&[("name", "Cabang")])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "Origin {origin} with Host {forged_host}"
        );
    }
    assert_eq!(app.count("accounts").await, 1);
    assert!(!account.is_empty());
}

#[tokio::test]
async fn behind_a_proxy_the_address_it_appended_is_the_payers() {
    let app = spawn_app_with(|s| {
        s.trusted_proxy_hops = 1;
        s.payer_attempts_per_ip = 2;
    })
    .await;
    let account = app.sign_up("Toko Proksi", "owner@proksi.id").await;
    let link = app
        .create_link_with(&account, &[("input[max_usage]", "100")])
        .await;
    let slug = app.slug_of(link).await;
    let start = |forged: String| {
        let payer = Browser::new(&app.address);
        let slug = slug.clone();
        async move {
            payer
                .client
                .post(payer.url("/fn/pay"))
                // What the client sent, then what our proxy appended.
                .header("x-forwarded-for", format!("{forged}, 203.0.113.9"))
                .form(&[("slug", slug.as_str()), ("method", "VA_BRI")])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(start("6.6.6.1".into()).await, StatusCode::OK);
    assert_eq!(start("6.6.6.2".into()).await, StatusCode::OK);
    assert_eq!(
        start("6.6.6.3".into()).await,
        StatusCode::TOO_MANY_REQUESTS,
        "a new forged first entry does not make a new payer"
    );
    let recorded = app
        .texts("SELECT DISTINCT ip_address FROM payment_link_histories")
        .await;
    assert_eq!(recorded, ["203.0.113.9"]);
}

#[tokio::test]
async fn pages_and_answers_with_private_data_are_kept_by_no_cache() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Privat", "owner@privat.id").await;
    let page = app.get(&format!("/accounts/{account}/links")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let answer = app.call("links", &[("account_id", &account)]).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["cache-control"], "no-store");
}
