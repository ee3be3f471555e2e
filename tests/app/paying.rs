//! From an attempt to "paid": the sandbox bank and wallet, the signed callback, crediting
//! exactly once.

use reqwest::StatusCode;

use crate::helpers::{spawn_app, Browser, TestApp, SANDBOX_SECRET};
use paylinks::payments::callback::{sign, PaymentNotice, CALLBACK_PATH, SIGNATURE_HEADER};

async fn link_and_attempt(
    app: &TestApp,
    method: &str,
    overrides: &[(&str, &str)],
) -> (String, String, Browser) {
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let id: i64 = app
        .create_link(&account, overrides)
        .await
        .json()
        .await
        .unwrap();
    let slug = app.slug_of(id).await;
    let payer = app.new_browser();
    let response = payer
        .call(
            "pay",
            &[
                ("slug", &slug),
                ("method", method),
                ("payer_phone", "081234567890"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let reff: String = response.json().await.unwrap();
    (slug, reff, payer)
}

async fn value_of(app: &TestApp, reff: &str) -> String {
    app.scalar_text(&format!(
        "SELECT payment_method_value FROM payment_link_histories WHERE reff_no = '{reff}'"
    ))
    .await
}

async fn status_of(app: &TestApp, reff: &str) -> String {
    app.scalar_text(&format!(
        "SELECT status FROM payment_link_histories WHERE reff_no = '{reff}'"
    ))
    .await
}

async fn post_json(app: &TestApp, path: &str, body: serde_json::Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_va_transfer_of_the_exact_amount_pays_the_attempt() {
    let app = spawn_app().await;
    let (slug, reff, payer) = link_and_attempt(&app, "VA_BRI", &[]).await;
    let va = value_of(&app, &reff).await;

    let wrong = post_json(
        &app,
        "/sandbox/va/pay",
        serde_json::json!({"va_number": va, "amount": 150_000}),
    )
    .await;
    assert_eq!(
        wrong.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "closed amount"
    );
    assert_eq!(status_of(&app, &reff).await, "pending");

    let paid = post_json(
        &app,
        "/sandbox/va/pay",
        serde_json::json!({"va_number": va, "amount": 200_000}),
    )
    .await;
    assert_eq!(paid.status(), StatusCode::OK);
    assert_eq!(status_of(&app, &reff).await, "paid");
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        1
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT payment_date FROM payment_link_histories WHERE reff_no = '{reff}'"
        ))
        .await,
        crate::helpers::START_MS
    );
    assert_eq!(
        app.scalar("SELECT net_amount FROM payment_link_histories")
            .await,
        196_000
    );

    let (_, html) = payer.page(&format!("/pay/{slug}/{reff}")).await;
    assert!(html.contains("Pembayaran berhasil"));
    assert!(html.contains("Bukti pembayaran"));
    // Paid: the amount is what was paid, no longer what is to pay.
    assert!(html.contains("Jumlah dibayar") && !html.contains("Jumlah yang harus dibayar"));
    // The number is spent: paying it again finds no live attempt.
    let again = post_json(
        &app,
        "/sandbox/va/pay",
        serde_json::json!({"va_number": va, "amount": 200_000}),
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        1
    );
}

#[tokio::test]
async fn permata_and_cimb_vas_are_issued_with_their_banks_steps_and_paid() {
    let app = spawn_app().await;
    let (slug, reff, payer) = link_and_attempt(&app, "VA_PERMATA", &[]).await;
    let permata = value_of(&app, &reff).await;
    assert!(
        permata.starts_with("9913") && permata.len() == 16,
        "{permata}"
    );
    let (_, html) = payer.page(&format!("/pay/{slug}/{reff}")).await;
    assert!(
        html.contains("PermataMobile X"),
        "Permata's own app is named"
    );
    assert!(
        html.contains("kode bank 013"),
        "other banks dial Permata's code"
    );
    let paid = post_json(
        &app,
        "/sandbox/va/pay",
        serde_json::json!({"va_number": permata, "amount": 200_000}),
    )
    .await;
    assert_eq!(paid.status(), StatusCode::OK);
    assert_eq!(status_of(&app, &reff).await, "paid");

    let cimb = app.new_browser().start_payment(&slug, "VA_CIMB").await;
    let number = value_of(&app, &cimb).await;
    assert!(number.starts_with("9922") && number.len() == 16, "{number}");
    let (_, html) = payer.page(&format!("/pay/{slug}/{cimb}")).await;
    assert!(html.contains("OCTO Mobile") && html.contains("kode bank 022"));
}

#[tokio::test]
async fn a_scanned_qris_pays_its_amount() {
    let app = spawn_app().await;
    let (_, reff, _) = link_and_attempt(&app, "QRIS", &[]).await;
    let payload = value_of(&app, &reff).await;
    let tampered = payload.replace("5406200000", "5406100000");
    let refused = post_json(
        &app,
        "/sandbox/qris/pay",
        serde_json::json!({"payload": tampered}),
    )
    .await;
    assert_eq!(
        refused.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "CRC no longer matches"
    );

    let paid = post_json(
        &app,
        "/sandbox/qris/pay",
        serde_json::json!({"payload": payload}),
    )
    .await;
    assert_eq!(paid.status(), StatusCode::OK);
    assert_eq!(status_of(&app, &reff).await, "paid");
    assert_eq!(
        app.scalar("SELECT fee FROM payment_link_histories").await,
        1_400
    );
}

#[tokio::test]
async fn an_approved_wallet_checkout_pays_and_returns_to_the_attempt() {
    let app = spawn_app().await;
    let (slug, reff, payer) = link_and_attempt(
        &app,
        "DANA",
        &[("input[redirect_url]", "https://toko.id/terima-kasih")],
    )
    .await;
    let (status, html) = payer.page(&format!("/sandbox/ewallet/{reff}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("DANA") && html.contains("Rp 200.000"));
    let response = payer
        .client
        .post(app.url(&format!("/sandbox/ewallet/{reff}/approve")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        format!("/pay/{slug}/{reff}").as_str()
    );
    assert_eq!(status_of(&app, &reff).await, "paid");
    let (_, html) = payer.page(&format!("/pay/{slug}/{reff}")).await;
    assert!(
        html.contains("5;url=https://toko.id/terima-kasih"),
        "goes back to the merchant"
    );
}

#[tokio::test]
async fn the_payer_page_simulates_a_payment_in_sandbox_mode() {
    let app = spawn_app().await;
    let (slug, reff, payer) = link_and_attempt(&app, "OVO", &[]).await;
    let (_, html) = payer.page(&format!("/pay/{slug}/{reff}")).await;
    assert!(html.contains("Simulasikan pembayaran"));
    let response = payer
        .call("simulate", &[("slug", &slug), ("reff_no", &reff)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(status_of(&app, &reff).await, "paid");
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        1
    );
}

fn signed(notice: &PaymentNotice, secret: &str) -> (Vec<u8>, String) {
    let body = serde_json::to_vec(notice).unwrap();
    let signature = sign(secret, &body);
    (body, signature)
}

#[tokio::test]
async fn the_same_callback_fifty_times_at_once_credits_once() {
    let app = spawn_app().await;
    let (_, reff, _) = link_and_attempt(&app, "VA_BNI", &[]).await;
    let notice = PaymentNotice {
        transaction_id: "BANK-TXN-1".into(),
        attempt_reff_no: reff.clone(),
        amount: 200_000,
    };
    let credited = notify_many(&app.address, &notice, 50).await;
    assert_eq!(credited, 1);
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        1
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_link_histories WHERE status = 'paid'")
            .await,
        1
    );
}

#[tokio::test]
async fn callbacks_with_a_bad_signature_or_for_an_expired_attempt_are_refused() {
    let app = spawn_app().await;
    let (_, reff, _) = link_and_attempt(&app, "QRIS", &[]).await;
    let notice = PaymentNotice {
        transaction_id: "BANK-TXN-2".into(),
        attempt_reff_no: reff.clone(),
        amount: 200_000,
    };
    let send = |body: Vec<u8>, signature: String| {
        let url = app.url(CALLBACK_PATH);
        async move {
            reqwest::Client::new()
                .post(url)
                .header(SIGNATURE_HEADER, signature)
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let (body, _) = signed(&notice, SANDBOX_SECRET);
    let (_, forged) = signed(&notice, "not-the-secret");
    assert_eq!(send(body.clone(), forged).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        send(body.clone(), String::new()).await,
        StatusCode::UNAUTHORIZED
    );
    let mut altered = notice.clone();
    altered.amount = 1;
    let (_, signature_of_original) = signed(&notice, SANDBOX_SECRET);
    let (altered_body, _) = signed(&altered, SANDBOX_SECRET);
    assert_eq!(
        send(altered_body, signature_of_original).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(status_of(&app, &reff).await, "pending");

    // QRIS attempts live 30 minutes.
    app.clock.advance_ms(31 * 60 * 1000);
    let (body, signature) = signed(&notice, SANDBOX_SECRET);
    assert_eq!(send(body, signature).await, StatusCode::CONFLICT);
    assert_eq!(status_of(&app, &reff).await, "pending");
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        0
    );
}

#[tokio::test]
async fn the_merchant_sees_a_links_payments_and_can_simulate_a_pending_one() {
    let app = spawn_app().await;
    let (_, reff, _) = link_and_attempt(&app, "VA_MAYBANK", &[]).await;
    let account = app.default_account_id().await;
    let link_id = app.scalar("SELECT id FROM payment_links").await.to_string();
    let (status, html) = app
        .page(&format!("/accounts/{account}/links/{link_id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&reff), "the attempt is listed");
    assert!(html.contains("VA MAYBANK") && html.contains("Rp 4.000"));
    assert!(html.contains("Simulate payment"));

    // Another merchant cannot touch it.
    let other = app.new_browser();
    other.sign_up("Toko Lain", "lain@toko.id").await;
    let form = [
        ("account_id", account.as_str()),
        ("link_id", &link_id),
        ("reff_no", &reff),
    ];
    assert_eq!(
        other.call("attempt_simulate", &form).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(status_of(&app, &reff).await, "pending");

    assert_eq!(
        app.call("attempt_simulate", &form).await.status(),
        StatusCode::OK
    );
    assert_eq!(status_of(&app, &reff).await, "paid");
    let (_, html) = app
        .page(&format!("/accounts/{account}/links/{link_id}"))
        .await;
    assert!(html.contains("1 of 10 payments used"));
    assert!(!html.contains("Simulate payment"));
}

#[tokio::test]
async fn an_attempt_held_when_the_link_closes_is_still_honoured() {
    let app = spawn_app().await;
    let (slug, reff, payer) = link_and_attempt(&app, "SHOPEEPAY", &[]).await;
    assert_eq!(
        app.scalar(&format!(
            "SELECT fee FROM payment_link_histories WHERE reff_no = '{reff}'"
        ))
        .await,
        4_000,
        "ShopeePay: 2 % of Rp 200.000"
    );
    let account = app.default_account_id().await;
    let link_id = app.scalar("SELECT id FROM payment_links").await.to_string();
    let close = [
        ("account_id", account.as_str()),
        ("link_id", &link_id),
        ("status", "closed"),
    ];
    assert_eq!(
        app.call("link_status", &close).await.status(),
        StatusCode::OK
    );

    // A new payer is turned away; the one holding an attempt still pays it.
    let (status, _) = app.new_browser().page(&format!("/pay/{slug}")).await;
    assert_eq!(status, StatusCode::GONE);
    let response = payer.get(&format!("/pay/{slug}")).await;
    assert_eq!(
        response.headers()["location"],
        format!("/pay/{slug}/{reff}").as_str()
    );
    let response = payer
        .call("simulate", &[("slug", &slug), ("reff_no", &reff)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(status_of(&app, &reff).await, "paid");
}

#[tokio::test]
async fn an_expired_link_answers_410_in_the_payers_words() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko", "owner@toko.id").await;
    app.create_link(&account, &[("input[expired_at]", "2026-11-25T11:00")])
        .await;
    let slug = app.scalar_text("SELECT slug FROM payment_links").await;
    app.clock.advance_ms(2 * 3600 * 1000);
    let (status, html) = app
        .new_browser()
        .page(&format!("/pay/{slug}?lang=en"))
        .await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains("This payment link has expired."));
    let response = app
        .new_browser()
        .call("pay", &[("slug", &slug), ("method", "VA_BRI")])
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(app.count("payment_link_histories").await, 0);
}

/// Sends the same signed notice `times` times at once to `base`; returns how many credited.
async fn notify_many(base: &str, notice: &PaymentNotice, times: usize) -> usize {
    let (body, signature) = signed(notice, SANDBOX_SECRET);
    let mut tasks = Vec::new();
    for _ in 0..times {
        let (url, body, signature) = (
            format!("{base}{CALLBACK_PATH}"),
            body.clone(),
            signature.clone(),
        );
        tasks.push(tokio::spawn(async move {
            reqwest::Client::new()
                .post(url)
                .header(SIGNATURE_HEADER, signature)
                .body(body)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }));
    }
    let mut credited = 0;
    for task in tasks {
        let answer = task.await.unwrap();
        if answer.contains("\"credited\"") {
            credited += 1;
        } else {
            assert!(answer.contains("already_credited"), "{answer}");
        }
    }
    credited
}

#[tokio::test]
async fn one_transaction_a_hundred_times_and_again_after_a_restart_moves_money_once() {
    let app = spawn_app().await;
    let (_, reff, _) = link_and_attempt(&app, "VA_BRI", &[]).await;
    let saved = app
        .call(
            "webhook_settings",
            &[
                ("transaction_url", "https://example.com/hook"),
                ("enabled", "yes"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let notice = PaymentNotice {
        transaction_id: "BANK-TXN-100".into(),
        attempt_reff_no: reff.clone(),
        amount: 200_000,
    };
    assert_eq!(notify_many(&app.address, &notice, 100).await, 1);
    let restarted = app.restarted().await;
    assert_eq!(notify_many(&restarted, &notice, 100).await, 0);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_link_histories WHERE status = 'paid'")
            .await,
        1
    );
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        1
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM webhook_events").await,
        2,
        "one set of events: the contract's and ours"
    );
}

#[tokio::test]
async fn a_form_refused_without_javascript_comes_back_filled_in_at_a_clean_address() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@toko.id").await;
    let link = app
        .create_link_with(&account, &[("input[required_customer_detail]", "true")])
        .await;
    let slug = app.slug_of(link).await;
    let page = app.url(&format!("/pay/{slug}"));
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // What a browser sends for a plain form post: it asks for HTML.
    let refused = browser
        .post(app.url("/fn/pay"))
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .header("referer", &page)
        .form(&[
            ("slug", slug.as_str()),
            ("lang", "id"),
            ("method", "VA_BRI"),
            ("customer_name", "Siti Aminah"),
            ("customer_email", "siti@example.com"),
            ("customer_phone", "0812"),
        ])
        .send()
        .await
        .unwrap();
    assert!(refused.status().is_redirection(), "{}", refused.status());
    assert_eq!(refused.headers()["location"], format!("/pay/{slug}"));
    assert_eq!(app.count("payment_link_histories").await, 0);

    let open = || async {
        browser
            .get(&page)
            .header("accept-language", "id-ID,id;q=0.9")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let html = open().await;
    for typed in [
        r#"value="Siti Aminah""#,
        r#"value="siti@example.com""#,
        r#"value="0812""#,
        r#"data-field="customer_phone""#,
    ] {
        assert!(html.contains(typed), "{typed} in {html}");
    }
    let bri = html.find(r#"value="VA_BRI""#).expect("the BRI choice");
    let bri_input = &html[bri..bri + html[bri..].find('>').unwrap()];
    assert!(bri_input.contains("checked"), "{bri_input}");

    // Shown once: opened again, the form is empty.
    assert!(!open().await.contains("Siti Aminah"));
}

#[tokio::test]
async fn an_ended_attempt_offers_to_start_again_only_while_the_link_takes_payments() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@toko.id").await;
    let link = app.create_default_link(&account).await;
    let slug = app.slug_of(link).await;
    let reff = app.new_browser().start_payment(&slug, "VA_BRI").await;
    app.execute(&format!(
        "UPDATE payment_link_histories SET expired_at = 1 WHERE reff_no = '{reff}'"
    ))
    .await;
    let attempt_page = || async {
        reqwest::Client::new()
            .get(app.url(&format!("/pay/{slug}/{reff}?lang=en")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    assert!(attempt_page().await.contains("Start again"));

    let link = link.to_string();
    let closed = app
        .call(
            "link_status",
            &[
                ("account_id", account.as_str()),
                ("link_id", link.as_str()),
                ("status", "closed"),
            ],
        )
        .await;
    assert_eq!(closed.status(), StatusCode::OK);
    let html = attempt_page().await;
    assert!(!html.contains("Start again"), "{html}");
    assert!(html.contains(r#"data-testid="link-unpayable""#), "{html}");
}
