use reqwest::StatusCode;

use crate::helpers::{field_errors, spawn_app};

#[tokio::test]
async fn a_link_goes_through_create_list_show_edit_close_reopen_delete() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let response = app
        .create_link(
            &account,
            &[
                ("input[reff_no]", "INV-2026-001"),
                ("input[description]", "Pesanan #1"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let id: i64 = response.json().await.unwrap();

    // List
    let (status, html) = app.page(&format!("/accounts/{account}/links")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Kaos dan topi"));
    assert!(html.contains("INV-2026-001"));
    assert!(html.contains("Rp 200.000"));
    assert!(html.contains("0 / 10"));

    // Show
    let show = format!("/accounts/{account}/links/{id}");
    let (status, html) = app.page(&show).await;
    assert_eq!(status, StatusCode::OK);
    let slug = app.slug_of(id).await;
    assert_eq!(slug.len(), 22);
    assert!(
        html.contains(&format!("{}/pay/{slug}", app.address)),
        "payer URL shown"
    );
    assert!(
        html.contains(&format!("/pay/{slug}/qr.svg")),
        "QR image shown"
    );
    assert!(
        html.contains(&format!("/pay/{slug}/qr.png")),
        "PNG download offered"
    );
    assert!(html.contains("https://wa.me/?text="));
    assert!(html.contains("mailto:?subject="));
    assert!(html.contains("sms:?&amp;body=") || html.contains("sms:?&body="));
    assert!(html.contains("Pesanan #1"));
    assert!(html.contains("Rp 150.000"), "item subtotal 2 × Rp 75.000");
    assert!(html.contains("All active methods"));
    assert!(
        !html.contains("INV-2026-001\" "),
        "reff_no never sits in a URL"
    );

    // Edit the mutable settings.
    let id_text = id.to_string();
    let response = app
        .call(
            "link_update",
            &[
                ("account_id", &account),
                ("link_id", &id_text),
                ("input[methods][0]", "QRIS"),
                ("input[methods][1]", "VA_BCA"),
                ("input[max_usage]", "5"),
                ("input[expired_at]", "2026-12-31T23:59"),
                ("input[required_customer_detail]", "on"),
                ("input[redirect_url]", "https://toko.id/terima-kasih"),
                ("input[optional_metadata]", r#"{"order":"A-1"}"#),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (_, html) = app.page(&show).await;
    assert!(html.contains("QRIS, VA BCA"));
    assert!(html.contains("0 of 5 payments used"));
    assert!(html.contains("31 Dec 2026 23:59 WIB"));
    assert!(html.contains("Required from the payer"));
    assert!(html.contains("https://toko.id/terima-kasih"));
    assert!(html.contains("A-1"));
    assert_eq!(
        app.scalar("SELECT expired_at FROM payment_links").await,
        1_798_736_340_000,
        "31 Dec 2026 23:59 WIB stored as UTC milliseconds"
    );

    // Close, then it lists under "closed" only.
    let close = [
        ("account_id", account.as_str()),
        ("link_id", &id_text),
        ("status", "closed"),
    ];
    assert_eq!(
        app.call("link_status", &close).await.status(),
        StatusCode::OK
    );
    let (_, html) = app
        .page(&format!("/accounts/{account}/links?status=closed"))
        .await;
    assert!(html.contains("Kaos dan topi"));
    let (_, html) = app
        .page(&format!("/accounts/{account}/links?status=open"))
        .await;
    assert!(!html.contains("Kaos dan topi"));
    assert!(html.contains("No payment links match"));

    let reopen = [
        ("account_id", account.as_str()),
        ("link_id", &id_text),
        ("status", "open"),
    ];
    assert_eq!(
        app.call("link_status", &reopen).await.status(),
        StatusCode::OK
    );
    let (_, html) = app
        .page(&format!("/accounts/{account}/links?status=open"))
        .await;
    assert!(html.contains("Kaos dan topi"));

    // Delete needs the confirmation box.
    let delete = [("account_id", account.as_str()), ("link_id", &id_text)];
    let errors = field_errors(app.call("link_delete", &delete).await).await;
    assert!(errors.contains_key("confirm"));
    assert_eq!(app.count("payment_links").await, 1);
    let confirmed = [
        ("account_id", account.as_str()),
        ("link_id", &id_text),
        ("confirm", "yes"),
    ];
    assert_eq!(
        app.call("link_delete", &confirmed).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.count("payment_links").await, 0);
    assert_eq!(app.count("payment_link_items").await, 0);
    let (status, _) = app.page(&show).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_link_with_history_cannot_be_deleted_only_closed() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko", "owner@toko.id").await;
    let id = app.create_default_link(&account).await;
    app.execute(&format!(
        "INSERT INTO payment_link_histories (payment_link_id, merchant_id, account_id, reff_no,
            payment_link_reff_no, payment_method_code, payment_method_name, payment_method_value,
            amount, fee, net_amount, status, expired_at, created_at, updated_at)
         SELECT id, merchant_id, account_id, '12917720251024134439474', reff_no, 'VA_BRI', 'VA BRI',
            '8888800012345678', 200000, 4000, 196000, 'pending', 1, 1, 1
         FROM payment_links WHERE id = {id}"
    ))
    .await;
    let id_text = id.to_string();
    let confirmed = [
        ("account_id", account.as_str()),
        ("link_id", &id_text),
        ("confirm", "yes"),
    ];
    let response = app.call("link_delete", &confirmed).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let body = response.text().await.unwrap();
    assert!(body.contains("Close it instead"), "{body}");
    assert_eq!(app.count("payment_links").await, 1);
    let (_, html) = app.page(&format!("/accounts/{account}/links/{id}")).await;
    assert!(html.contains("cannot be deleted"));
}

#[tokio::test]
async fn the_list_searches_filters_by_computed_status_and_paginates() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko", "owner@toko.id").await;
    for n in 1..=24 {
        let reff = format!("BATCH-{n:02}");
        let title = format!("Tagihan {n:02}");
        let response = app
            .create_link(
                &account,
                &[("input[reff_no]", &reff), ("input[title]", &title)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let response = app
        .create_link(
            &account,
            &[
                ("input[reff_no]", "SOON-1"),
                ("input[title]", "Promo kilat"),
                ("input[expired_at]", "2026-11-25T12:00"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    let base = format!("/accounts/{account}/links");
    let (_, page1) = app.page(&base).await;
    assert!(page1.contains("Page 1 of 2 · 25 in total"));
    assert_eq!(page1.matches("data-link-id=").count(), 20);
    assert!(page1.contains("Promo kilat"), "newest first");
    let (_, page2) = app.page(&format!("{base}?page=2")).await;
    assert_eq!(page2.matches("data-link-id=").count(), 5);
    assert!(page2.contains("Tagihan 01"));

    let (_, found) = app.page(&format!("{base}?q=batch-07")).await;
    assert_eq!(
        found.matches("data-link-id=").count(),
        1,
        "reff_no, case-insensitive"
    );
    assert!(found.contains("Tagihan 07"));
    let (_, found) = app.page(&format!("{base}?q=TAGIHAN%201")).await;
    assert_eq!(
        found.matches("data-link-id=").count(),
        10,
        "title: 10 to 19"
    );
    let (_, found) = app.page(&format!("{base}?q=100%25")).await;
    assert!(
        found.contains("No payment links match"),
        "% is matched literally"
    );

    // Two hours later the flash sale link has expired; the others are still open.
    app.clock.advance_ms(2 * 3600 * 1000);
    let (_, expired) = app.page(&format!("{base}?status=expired")).await;
    assert_eq!(expired.matches("data-link-id=").count(), 1);
    assert!(expired.contains("Promo kilat"));
    let (_, open) = app.page(&format!("{base}?status=open")).await;
    assert!(open.contains("Page 1 of 2 · 24 in total"));

    // A full link is exhausted: a state of its own, not closed.
    app.execute("UPDATE payment_links SET current_usage = max_usage WHERE reff_no = 'BATCH-03'")
        .await;
    let (_, exhausted) = app.page(&format!("{base}?status=exhausted")).await;
    assert_eq!(exhausted.matches("data-link-id=").count(), 1);
    assert!(exhausted.contains("Tagihan 03"));
    let (_, closed) = app.page(&format!("{base}?status=closed")).await;
    assert_eq!(closed.matches("data-link-id=").count(), 0);
}

#[tokio::test]
async fn blank_reference_is_generated_and_whitelist_all_means_every_method() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko", "owner@toko.id").await;
    let codes = paylinks::domain::method::CATALOGUE_CODES;
    let keys: Vec<String> = (0..codes.len())
        .map(|i| format!("input[methods][{i}]"))
        .collect();
    let fields: Vec<(&str, &str)> = keys.iter().map(String::as_str).zip(codes).collect();
    let response = app.create_link(&account, &fields).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_links WHERE whitelisted_payment_method IS NULL")
            .await,
        1,
        "ticking every method stores 'all methods'"
    );
    let reff = app.scalar_text("SELECT reff_no FROM payment_links").await;
    assert!(reff.starts_with("PL20261125100000"), "{reff}");
}

#[tokio::test]
async fn a_link_that_took_its_last_payment_shows_as_exhausted_not_closed() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Habis", "owner@habis.id").await;
    let link = app
        .create_link_with(&account, &[("input[max_usage]", "1")])
        .await;
    let slug = app.slug_of(link).await;
    let reff = app.new_browser().start_payment(&slug, "VA_BNI").await;
    assert_eq!(
        app.bank_pays(&reff, "BANK-HABIS-1", 200_000).await.status(),
        StatusCode::OK
    );

    let app = &app;
    let account = &account;
    let list = |status: &'static str| async move {
        app.page(&format!("/accounts/{account}/links?status={status}"))
            .await
            .1
    };
    let exhausted = list("exhausted").await;
    assert!(
        exhausted.contains("badge-exhausted") && exhausted.contains(">Exhausted<"),
        "{exhausted}"
    );
    assert!(!list("closed").await.contains("badge-exhausted"));
    assert!(!list("open").await.contains("badge-exhausted"));
    let (_, page) = app.page(&format!("/accounts/{account}/links/{link}")).await;
    assert!(page.contains("badge-exhausted"), "{page}");
    // Still open as stored: the merchant may close it, or raise its usage to reopen it.
    assert!(page.contains("Close link"));
}
