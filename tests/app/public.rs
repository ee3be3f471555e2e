use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn qr_codes_of_the_payer_url_come_as_svg_and_png() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko", "owner@toko.id").await;
    app.create_default_link(&account).await;
    let slug = app.scalar_text("SELECT slug FROM payment_links").await;

    let anonymous = reqwest::Client::new();
    let svg = anonymous
        .get(app.url(&format!("/pay/{slug}/qr.svg")))
        .send()
        .await
        .unwrap();
    assert_eq!(svg.status(), StatusCode::OK);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains("<svg"));

    let png = anonymous
        .get(app.url(&format!("/pay/{slug}/qr.png")))
        .send()
        .await
        .unwrap();
    assert_eq!(png.status(), StatusCode::OK);
    assert_eq!(png.headers()["content-type"], "image/png");
    let bytes = png.bytes().await.unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");

    let missing = anonymous
        .get(app.url("/pay/AAAAAAAAAAAAAAAAAAAAAA/qr.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_payer_page_shows_what_is_paid_and_hides_merchant_internals() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@toko.id").await;
    let id = app
        .create_link_with(&account, &[("input[reff_no]", "SECRET-REF-9")])
        .await;
    let slug = app.scalar_text("SELECT slug FROM payment_links").await;

    let anonymous = reqwest::Client::new();
    let response = anonymous
        .get(app.url(&format!("/pay/{slug}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("Kaos dan topi"));
    assert!(html.contains("Toko Sinar"));
    assert!(html.contains("Rp 200.000"));
    assert!(html.contains("noindex"));
    assert!(
        !html.contains("SECRET-REF-9"),
        "the merchant reference stays private"
    );

    let id = id.to_string();
    let close = [
        ("account_id", account.as_str()),
        ("link_id", &id),
        ("status", "closed"),
    ];
    app.call("link_status", &close).await;
    let response = anonymous
        .get(app.url(&format!("/pay/{slug}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::GONE);
    assert!(response.text().await.unwrap().contains("ditutup"));

    let response = anonymous
        .get(app.url("/pay/AAAAAAAAAAAAAAAAAAAAAA"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_pages_answer_404() {
    let app = spawn_app().await;
    let (status, html) = app.page("/no-such-page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"));
    let (status, _) = app.page("/health").await;
    assert_eq!(status, StatusCode::OK);
    // An unknown payment link says so in its title too, in both languages.
    let (status, html) = app.page("/pay/0000000000000000000000").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        html.contains("<title>Link tidak ditemukan · Link not found · paylinks</title>"),
        "{html}"
    );
}

#[tokio::test]
async fn a_payer_page_from_memory_is_the_same_bytes_for_every_payer_of_a_language() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@toko.id").await;
    app.create_default_link(&account).await;
    let slug = app.scalar_text("SELECT slug FROM payment_links").await;
    // Without automatic decompression, to see what is sent.
    let anonymous = reqwest::Client::builder().no_gzip().build().unwrap();
    let page = |lang: &'static str, encoding: &'static str| {
        anonymous
            .get(app.url(&format!("/pay/{slug}")))
            .header("accept-language", lang)
            .header("accept-encoding", encoding)
            .send()
    };

    let mut pages = Vec::new();
    let mut policies = Vec::new();
    for _ in 0..3 {
        let response = page("id-ID,id;q=0.9", "identity").await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers().get("set-cookie").is_none());
        assert!(response.headers().get("content-encoding").is_none());
        policies.push(response.headers()["content-security-policy"].clone());
        pages.push(response.text().await.unwrap());
    }
    assert!(pages[0].contains("Pembayaran ke"));
    assert!(
        pages.iter().all(|page| *page == pages[0]),
        "one page for all"
    );
    // Its script is allowed by hash; Leptos's hydration data, which it never reads, is cut.
    assert!(pages[0].contains("<script>") && !pages[0].contains("nonce="));
    assert!(!pages[0].contains("__RESOLVED_RESOURCES"));
    policies.dedup();
    assert_eq!(
        policies.len(),
        3,
        "each response's policy has its own nonce"
    );

    // Kept compressed: the same page in fewer bytes, said so.
    let compressed = page("id-ID,id;q=0.9", "gzip, deflate, br").await.unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "gzip");
    assert_eq!(compressed.headers()["vary"], "accept-encoding");
    let bytes = compressed.bytes().await.unwrap();
    assert!(bytes.len() * 2 < pages[0].len());
    let mut unpacked = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut unpacked)
        .unwrap();
    assert_eq!(unpacked, pages[0]);

    let english = page("en-US,en;q=0.9", "identity").await.unwrap();
    let html = english.text().await.unwrap();
    assert!(html.contains("Payment to"), "not the Indonesian page kept");
}

#[tokio::test]
async fn payer_pages_are_served_from_memory_briefly_and_show_this_instances_changes_at_once() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@toko.id").await;
    let link = app
        .create_link_with(&account, &[("input[max_usage]", "1")])
        .await;
    let slug = app.slug_of(link).await;
    let page = || async {
        let response = reqwest::get(app.url(&format!("/pay/{slug}")))
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    };
    assert!(page().await.1.contains("Kaos dan topi"));

    // A change this instance did not make (another instance, an operator) shows within a second.
    app.execute(&format!(
        "UPDATE payment_links SET title = 'Topi saja' WHERE id = {link}"
    ))
    .await;
    assert!(
        page().await.1.contains("Kaos dan topi"),
        "served from memory"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert!(page().await.1.contains("Topi saja"));

    // The one payment the link takes fills it: the next payer sees it full at once.
    let started = app
        .new_browser()
        .call("pay", &[("slug", slug.as_str()), ("method", "VA_BRI")])
        .await;
    assert!(started.status().is_redirection() || started.status().is_success());
    let reff = app
        .scalar_text("SELECT reff_no FROM payment_link_histories")
        .await;
    assert_eq!(
        app.bank_pays(&reff, "BANK-1", 200_000).await.status(),
        StatusCode::OK
    );
    assert_eq!(page().await.0, StatusCode::GONE);
}

#[tokio::test]
async fn the_favicon_is_found_where_browsers_look() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client.get(app.url("/favicon.ico")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(response.headers()["location"], "/favicon.svg");
}

#[tokio::test]
async fn payer_pages_write_dates_in_the_payers_language() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@toko.id").await;
    app.create_link(&account, &[("input[expired_at]", "2026-12-31T23:59")])
        .await;
    let slug = app.scalar_text("SELECT slug FROM payment_links").await;
    let anonymous = reqwest::Client::new();
    let page = |lang: &'static str| {
        let request = anonymous
            .get(app.url(&format!("/pay/{slug}")))
            .header("accept-language", lang);
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let indonesian = page("id-ID,id;q=0.9").await;
    assert!(indonesian.contains("31 Des 2026 23:59 WIB"), "{indonesian}");
    let english = page("en-US,en;q=0.9").await;
    assert!(english.contains("31 Dec 2026 23:59 WIB"), "{english}");
}

#[tokio::test]
async fn the_page_declares_the_language_it_is_written_in() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@toko.id").await;
    app.create_default_link(&account).await;
    let slug = app.scalar_text("SELECT slug FROM payment_links").await;
    let payer = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let open = |path: String| {
        let request = payer
            .get(app.url(&path))
            .header("accept-language", "id-ID,id;q=0.9");
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let indonesian = open(format!("/pay/{slug}")).await;
    assert!(indonesian.contains(r#"<html lang="id""#), "{indonesian}");
    assert!(indonesian.contains("Pembayaran ke"));

    // Switching to English is remembered for the pages that follow.
    let english = open(format!("/pay/{slug}?lang=en")).await;
    assert!(english.contains(r#"<html lang="en""#), "{english}");
    let again = open(format!("/pay/{slug}")).await;
    assert!(again.contains(r#"<html lang="en""#) && again.contains("Payment to"));

    let (_, dashboard) = app.page("/login").await;
    assert!(dashboard.contains(r#"<html lang="en""#));
}

#[tokio::test]
async fn pages_and_answers_are_compressed_for_clients_that_accept_it() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@toko.id").await;
    app.create_default_link(&account).await;
    let slug = app.scalar_text("SELECT slug FROM payment_links").await;
    let client = reqwest::Client::new();
    let fetch = |encoding: Option<&'static str>| {
        let mut request = client.get(app.url(&format!("/pay/{slug}")));
        if let Some(encoding) = encoding {
            request = request.header("accept-encoding", encoding);
        }
        async move {
            let response = request.send().await.unwrap();
            let encoding = response
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_string());
            (encoding, response.bytes().await.unwrap().len())
        }
    };
    let (plain_encoding, plain_bytes) = fetch(None).await;
    assert_eq!(plain_encoding, None, "nothing compressed unasked");
    // A browser offers brotli too; pages are compressed with gzip, cheap to start per answer.
    let (browser, compressed_bytes) = fetch(Some("gzip, deflate, br, zstd")).await;
    assert_eq!(browser.as_deref(), Some("gzip"));
    assert!(
        compressed_bytes * 2 < plain_bytes,
        "{compressed_bytes} compressed bytes of {plain_bytes}"
    );
    let (brotli_only, _) = fetch(Some("br")).await;
    assert_eq!(brotli_only, None, "not brotli on the fly");
}

#[tokio::test]
async fn payer_pages_load_no_webassembly_and_dashboard_pages_do() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@toko.id").await;
    app.create_default_link(&account).await;
    let slug = app.scalar_text("SELECT slug FROM payment_links").await;
    let payer = app.new_browser();
    let reff = payer.start_payment(&slug, "VA_BRI").await;

    // The link's page as a new payer sees it (the payer holding an attempt is sent to it).
    let first_visit = app.new_browser();
    for (browser, path) in [
        (&first_visit, format!("/pay/{slug}")),
        (&payer, format!("/pay/{slug}/{reff}")),
    ] {
        let (status, html) = browser.page(&path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            !html.contains(".wasm") && !html.contains("modulepreload"),
            "{path}"
        );
        assert!(html.contains("<script>"), "{path}: the inline script");
    }
    let (_, attempt) = payer.page(&format!("/pay/{slug}/{reff}")).await;
    // What the script makes live: the copy button, the countdown, the status it asks for.
    assert!(attempt.contains("data-copy=\""));
    assert!(attempt.contains("data-until=\""));
    assert!(attempt.contains(&format!("data-poll=\"slug={slug}&amp;reff_no={reff}\"")));

    let (_, dashboard) = app.page(&format!("/accounts/{account}/links")).await;
    assert!(dashboard.contains(".wasm") && dashboard.contains("modulepreload"));
}

#[tokio::test]
async fn ready_answers_503_once_the_database_cannot_be_reached() {
    let app = spawn_app().await;
    assert_eq!(app.get("/ready").await.status(), StatusCode::OK);
    match &app.db {
        paylinks::db::Db::Sqlite(pool) => pool.close().await,
        paylinks::db::Db::Postgres(pool) => pool.close().await,
    }
    assert_eq!(
        app.get("/ready").await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        app.get("/health").await.status(),
        StatusCode::OK,
        "the process is still up"
    );
}

#[tokio::test]
async fn every_answer_names_its_request_for_the_logs() {
    let app = spawn_app().await;
    let answer = reqwest::get(app.url("/health")).await.unwrap();
    let id = answer.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let again = reqwest::get(app.url("/health")).await.unwrap();
    assert_ne!(
        again.headers()["x-request-id"],
        id.as_str(),
        "one per request"
    );
    // A balancer's own id is kept, so its logs and ours meet.
    let echoed = reqwest::Client::new()
        .get(app.url("/health"))
        .header("x-request-id", "lb-42")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "lb-42");
}

#[tokio::test]
async fn metrics_are_for_the_scraper_holding_the_token() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko", "owner@toko.id").await;
    let link = app.create_default_link(&account).await;
    let slug = app.slug_of(link).await;
    app.new_browser().start_payment(&slug, "QRIS").await;
    paylinks::jobs::run_due(&app.state).await.unwrap();

    let client = reqwest::Client::new();
    let scrape = |token: Option<&str>| {
        let request = client.get(app.url("/metrics"));
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
        .send()
    };
    assert_eq!(
        scrape(None).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        scrape(Some("not-the-token")).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let scraped = scrape(Some(crate::helpers::METRICS_TOKEN)).await.unwrap();
    assert_eq!(scraped.status(), StatusCode::OK);
    let text = scraped.text().await.unwrap();
    for series in [
        "paylinks_attempts_started_total",
        "paylinks_http_requests_total{",
        "route=\"/fn/pay\"",
        "paylinks_http_request_duration_seconds_bucket",
        "paylinks_webhook_backlog",
        "paylinks_email_backlog",
        "paylinks_db_pool_connections",
        "paylinks_job_run_duration_seconds_bucket",
        "paylinks_job_last_run_timestamp_seconds",
    ] {
        assert!(text.contains(series), "{series} in:\n{text}");
    }
}
