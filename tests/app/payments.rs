//! A payer opens a link, picks a method and gets payment instructions (an attempt).

use reqwest::StatusCode;

use crate::helpers::{field_errors, spawn_app, Browser, TestApp};
use paylinks::payments::sandbox::qris::parse_payload;

/// A merchant with one link (Rp 200.000, max usage 10 unless overridden); returns its slug.
async fn link(app: &TestApp, overrides: &[(&str, &str)]) -> String {
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let response = app.create_link(&account, overrides).await;
    assert_eq!(response.status(), StatusCode::OK);
    let id: i64 = response.json().await.unwrap();
    app.slug_of(id).await
}

async fn pay(payer: &Browser, slug: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let mut fields = vec![("slug", slug)];
    fields.extend_from_slice(form);
    payer.call("pay", &fields).await
}

/// Starts a payment that must succeed; returns the attempt reference.
async fn start(payer: &Browser, slug: &str, method: &str) -> String {
    let response = pay(
        payer,
        slug,
        &[("method", method), ("payer_phone", "0812 3456 7890")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK, "{method}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_va_attempt_gets_a_bank_number_with_fee_and_instructions() {
    let app = spawn_app().await;
    // Unlimited: the VA lives its full window (a capped link holds a place for less).
    let slug = link(&app, &[("input[max_usage]", "0")]).await;
    let payer = app.new_browser();
    let (status, html) = payer.page(&format!("/pay/{slug}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Pilih metode pembayaran"),
        "Indonesian by default"
    );
    assert!(html.contains("VA BRI") && html.contains("QRIS") && html.contains("GoPay"));

    let reff = start(&payer, &slug, "VA_BRI").await;
    assert_eq!(reff.len(), 23);
    let row =
        |col: &str| format!("SELECT {col} FROM payment_link_histories WHERE reff_no = '{reff}'");
    let va = app.scalar_text(&row("payment_method_value")).await;
    assert_eq!(va.len(), 16, "{va}");
    assert!(
        va.starts_with("77002"),
        "the configured sandbox prefix: {va}"
    );
    assert!(va.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(app.scalar(&row("amount")).await, 200_000);
    assert_eq!(app.scalar(&row("fee")).await, 4_000);
    assert_eq!(app.scalar(&row("net_amount")).await, 196_000);
    assert_eq!(app.scalar_text(&row("status")).await, "pending");
    // 24 hours from now (VA window).
    assert_eq!(
        app.scalar(&row("expired_at")).await,
        crate::helpers::START_MS + 24 * 3600 * 1000
    );
    assert_eq!(
        app.scalar_text(&row("payment_method_additional")).await,
        "a.n. TOKO SINAR"
    );

    let (status, html) = payer.page(&format!("/pay/{slug}/{reff}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&va[..4]), "the VA number is shown");
    assert!(html.contains("Rp 200.000"));
    assert!(html.contains("Menunggu pembayaran"));
    assert!(html.contains("Mobile banking") && html.contains("ATM"));
    assert!(
        html.contains("26 Nov 2026 10:00 WIB"),
        "pay-before time in WIB"
    );
}

#[tokio::test]
async fn a_qris_attempt_carries_a_valid_dynamic_payload() {
    let app = spawn_app().await;
    let slug = link(&app, &[]).await;
    let payer = app.new_browser();
    let reff = start(&payer, &slug, "QRIS").await;
    let payload = app
        .scalar_text(&format!(
            "SELECT payment_method_value FROM payment_link_histories WHERE reff_no = '{reff}'"
        ))
        .await;
    let parsed = parse_payload(&payload).expect("a QRIS payload whose CRC verifies");
    assert!(parsed.is_dynamic());
    assert_eq!(parsed.amount(), Some(200_000));
    assert_eq!(parsed.get("53"), Some("360"));
    assert_eq!(parsed.get("58"), Some("ID"));
    assert_eq!(parsed.sub("62", "01").as_deref(), Some(&reff[..]));
    assert_eq!(parsed.sub("51", "00").as_deref(), Some("ID.CO.QRIS.WWW"));
    // QRIS fee: 0.7 % of Rp 200.000.
    assert_eq!(
        app.scalar(&format!(
            "SELECT fee FROM payment_link_histories WHERE reff_no = '{reff}'"
        ))
        .await,
        1_400
    );
    let (_, html) = payer.page(&format!("/pay/{slug}/{reff}")).await;
    assert!(html.contains(&format!("/pay/{slug}/{reff}/code.svg")));
    let image = payer.get(&format!("/pay/{slug}/{reff}/code.png")).await;
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(&image.bytes().await.unwrap()[..4], b"\x89PNG");
}

#[tokio::test]
async fn e_wallets_get_a_checkout_link_and_ovo_a_push_to_the_phone() {
    let app = spawn_app().await;
    let slug = link(&app, &[]).await;
    let reff = start(&app.new_browser(), &slug, "GOPAY").await;
    let value = |reff: &str| {
        format!("SELECT payment_method_value FROM payment_link_histories WHERE reff_no = '{reff}'")
    };
    let checkout = app.scalar_text(&value(&reff)).await;
    assert_eq!(checkout, format!("{}/sandbox/ewallet/{reff}", app.address));

    let ovo_payer = app.new_browser();
    let errors = field_errors(
        pay(
            &ovo_payer,
            &slug,
            &[("method", "OVO"), ("payer_phone", "12345")],
        )
        .await,
    )
    .await;
    assert!(errors.contains_key("payer_phone"), "{errors:?}");
    let reff = start(&ovo_payer, &slug, "OVO").await;
    assert_eq!(app.scalar_text(&value(&reff)).await, "+6281234567890");
    let (_, html) = ovo_payer.page(&format!("/pay/{slug}/{reff}")).await;
    assert!(html.contains("0812-3456-7890"));
}

#[tokio::test]
async fn required_customer_details_are_validated_in_the_payers_language() {
    let app = spawn_app().await;
    let slug = link(&app, &[("input[required_customer_detail]", "on")]).await;
    let payer = app.new_browser();
    let errors = field_errors(
        pay(
            &payer,
            &slug,
            &[
                ("method", "VA_BNI"),
                ("customer_email", "nope"),
                ("lang", "en"),
            ],
        )
        .await,
    )
    .await;
    for field in ["customer_name", "customer_email", "customer_phone"] {
        assert!(errors.contains_key(field), "{field}: {errors:?}");
    }
    assert_eq!(
        app.count("payment_link_histories").await,
        0,
        "nothing reserved"
    );

    let response = pay(
        &payer,
        &slug,
        &[
            ("method", "VA_BNI"),
            ("customer_name", "Budi Santoso"),
            ("customer_email", "Budi@Example.com"),
            ("customer_phone", "0812-3456-7890"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.scalar_text("SELECT customer_phone FROM payment_link_histories")
            .await,
        "+6281234567890"
    );
    assert_eq!(
        app.scalar_text("SELECT customer_email FROM payment_link_histories")
            .await,
        "budi@example.com"
    );
    // The language picked with ?lang=en sticks for this payer.
    let (_, html) = payer.page(&format!("/pay/{slug}")).await;
    assert!(
        html.is_empty() || !html.contains("Pilih metode"),
        "redirected or English"
    );
}

#[tokio::test]
async fn coming_back_shows_the_same_attempt_never_a_second_one() {
    let app = spawn_app().await;
    let slug = link(&app, &[]).await;
    let payer = app.new_browser();
    let reff = start(&payer, &slug, "VA_BCA").await;

    let response = payer.get(&format!("/pay/{slug}")).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(
        response.headers()["location"],
        format!("/pay/{slug}/{reff}").as_str()
    );
    let again = start(&payer, &slug, "QRIS").await;
    assert_eq!(again, reff, "a second pick returns the live attempt");
    assert_eq!(app.count("payment_link_histories").await, 1);

    // Another payer gets their own attempt.
    let other = start(&app.new_browser(), &slug, "VA_BCA").await;
    assert_ne!(other, reff);
}

#[tokio::test]
async fn the_attempt_is_remembered_in_a_cookie_of_its_link_and_no_session_is_stored() {
    let app = spawn_app().await;
    let slug = link(&app, &[]).await;
    let response = pay(&app.new_browser(), &slug, &[("method", "VA_BRI")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookies: Vec<String> = response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .map(|value| value.to_str().unwrap().to_string())
        .collect();
    let reff: String = response.json().await.unwrap();
    let [cookie] = cookies.as_slice() else {
        panic!("one cookie, the attempt's, and no session cookie: {cookies:?}");
    };
    assert!(
        cookie.starts_with(&format!("attempt-{slug}={reff};")),
        "{cookie}"
    );
    // As long as the attempt lives: on this capped link, the 30 minutes it holds its place.
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=1800"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }

    // The cookie is followed only to a pending attempt of its own link: a reference copied
    // to another link's cookie, or garbage, gets that link's page.
    let other = app
        .create_link_with(
            &app.default_account_id().await,
            &[("input[reff_no]", "OTHER")],
        )
        .await;
    let other_slug = app.slug_of(other).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let cases = [
        (&slug, format!("attempt-{slug}={reff}"), StatusCode::FOUND),
        (
            &other_slug,
            format!("attempt-{other_slug}={reff}"),
            StatusCode::OK,
        ),
        (
            &slug,
            format!("attempt-{slug}=1; attempt-{slug}x={reff}"),
            StatusCode::OK,
        ),
    ];
    for (slug, cookie, expected) in cases {
        let response = client
            .get(format!("{}/pay/{slug}", app.address))
            .header(reqwest::header::COOKIE, &cookie)
            .header(reqwest::header::ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected, "/pay/{slug} with {cookie}");
    }
}

#[tokio::test]
async fn usage_is_reserved_and_an_expired_attempt_frees_its_slot() {
    let app = spawn_app().await;
    let slug = link(&app, &[("input[max_usage]", "1")]).await;
    start(&app.new_browser(), &slug, "QRIS").await;

    let late = app.new_browser();
    let response = pay(&late, &slug, &[("method", "QRIS")]).await;
    assert_eq!(
        response.status(),
        StatusCode::CONFLICT,
        "the only slot is held"
    );
    // The truth: the place is being paid, and frees when that attempt ends unpaid.
    let frees_at = app
        .scalar("SELECT expired_at FROM payment_link_histories WHERE status = 'pending'")
        .await;
    let when = paylinks::domain::time::format_wib_in(frees_at, paylinks::domain::lang::Lang::Id);
    let text = response.text().await.unwrap();
    assert!(
        text.contains("sedang dibayar oleh pembayar lain") && text.contains(&when),
        "{text}"
    );

    app.clock.advance_ms(30 * 60 * 1000);
    start(&late, &slug, "QRIS").await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_link_histories WHERE status = 'pending'")
            .await,
        2,
        "one expired in place, one live"
    );
}

#[tokio::test]
async fn two_hundred_concurrent_payers_get_exactly_max_usage_attempts_again_after_expiry() {
    let app = spawn_app().await;
    let slug = link(&app, &[("input[max_usage]", "10")]).await;
    assert_eq!(rush(&app, &slug, 200).await, 10);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_link_histories WHERE status = 'pending'")
            .await,
        10
    );
    assert_eq!(
        app.scalar("SELECT COUNT(DISTINCT payment_method_value) FROM payment_link_histories")
            .await,
        10,
        "every VA number is unique"
    );

    // Three pay, the other seven expire: another rush gets exactly the seven freed slots.
    let reffs = app
        .texts("SELECT reff_no FROM payment_link_histories ORDER BY id LIMIT 3")
        .await;
    for (n, reff) in reffs.iter().enumerate() {
        let paid = app.bank_pays(reff, &format!("BANK-{n}"), 200_000).await;
        assert_eq!(paid.status(), StatusCode::OK);
    }
    app.clock.advance_ms(25 * 3600 * 1000);
    paylinks::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(rush(&app, &slug, 200).await, 7);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM payment_link_histories WHERE status IN ('pending', 'paid')"
        )
        .await,
        10
    );
}

/// A cap well above the room Postgres's stripes need: the first payers reserve in batches
/// holding one stripe each without counting, the last ones holding the link alone; either way
/// exactly the cap.
#[tokio::test]
async fn a_rush_through_the_striped_headroom_still_stops_exactly_at_the_cap() {
    let app = spawn_app().await;
    let cap = paylinks::db::reservations::HEADROOM as usize + 60;
    let slug = link(&app, &[("input[max_usage]", &cap.to_string())]).await;
    assert_eq!(rush(&app, &slug, cap + 140).await, cap);
    let link_id = app.scalar("SELECT id FROM payment_links").await;
    assert_eq!(
        app.pending_usage(link_id).await,
        cap as i64,
        "the kept pending count adds up over its stripes"
    );
    assert_eq!(rush(&app, &slug, 20).await, 0, "a full link takes no one");
}

/// Reservations of the same moment share one commit: a reference drawn twice is refused
/// alone (its payer draws again), and the others in the batch are kept.
#[tokio::test]
async fn a_reference_drawn_twice_at_once_is_refused_alone() {
    use paylinks::domain::ids::LinkId;
    use paylinks::error::AppError;
    let app = spawn_app().await;
    link(&app, &[("input[max_usage]", "0")]).await;
    let link_id = LinkId(app.scalar("SELECT id FROM payment_links").await);
    let reservations = &app.state.reservations;
    let results = futures::future::join_all(
        [
            ("REF-TWICE-0000000000000", "9900200000000001"),
            ("REF-OTHER-0000000000000", "9900200000000002"),
            ("REF-TWICE-0000000000000", "9900200000000003"),
            ("REF-THIRD-0000000000000", "9900200000000004"),
        ]
        .map(|(reff_no, value)| reservations.reserve(app.va_attempt(link_id, reff_no, value))),
    )
    .await;
    let refused = results
        .iter()
        .filter(|result| matches!(result, Err(AppError::Duplicate(_))))
        .count();
    let kept = results
        .iter()
        .filter(|result| matches!(result, Ok(Some(_))))
        .count();
    assert_eq!((refused, kept), (1, 3), "{results:?}");
    assert_eq!(
        app.texts("SELECT reff_no FROM payment_link_histories ORDER BY reff_no")
            .await,
        [
            "REF-OTHER-0000000000000",
            "REF-THIRD-0000000000000",
            "REF-TWICE-0000000000000"
        ]
    );
}

/// A payer is answered only once the commit holding their attempt is done: payers arriving
/// together, each opening their instructions the moment they are answered, all find them.
#[tokio::test]
async fn every_payer_answered_finds_their_attempt_at_once() {
    let app = spawn_app().await;
    let slug = link(&app, &[("input[max_usage]", "0")]).await;
    for _ in 0..3 {
        let payers = (0..40).map(|_| {
            let (payer, slug) = (app.new_browser(), slug.clone());
            tokio::spawn(async move {
                let reff = start(&payer, &slug, "VA_BRI").await;
                let (status, page) = payer.page(&format!("/pay/{slug}/{reff}")).await;
                (reff, status, page)
            })
        });
        for payer in futures::future::join_all(payers).await {
            let (reff, status, page) = payer.unwrap();
            assert_eq!(status, StatusCode::OK, "attempt {reff} read back at once");
            let va = app
                .scalar_text(&format!(
                    "SELECT payment_method_value FROM payment_link_histories WHERE reff_no = '{reff}'"
                ))
                .await;
            assert!(page.contains(&va), "attempt {reff} shows its VA number");
        }
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_link_histories")
            .await,
        120
    );
}

/// `payers` new payers pick a VA at once; returns how many got one (the rest 409).
async fn rush(app: &TestApp, slug: &str, payers: usize) -> usize {
    let mut tasks = Vec::new();
    for _ in 0..payers {
        let payer = app.new_browser();
        let slug = slug.to_string();
        tasks.push(tokio::spawn(async move {
            pay(&payer, &slug, &[("method", "VA_BRI")]).await.status()
        }));
    }
    let mut created = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::OK => created += 1,
            StatusCode::CONFLICT => {}
            other => panic!("unexpected status {other}"),
        }
    }
    created
}

#[tokio::test]
async fn unpayable_links_and_unknown_attempts() {
    let app = spawn_app().await;
    let slug = link(&app, &[]).await;
    let payer = app.new_browser();
    let (status, _) = payer
        .page(&format!("/pay/{slug}/00000000000000000000000"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = payer.page(&format!("/pay/{slug}/not-a-reference")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Only methods whose limits include the total are offered: QRIS stops at Rp 10.000.000.
    let big = app.new_browser();
    let account = app.default_account_id().await;
    let response = app
        .create_link(
            &account,
            &[
                ("input[items][0][unit_price]", "10.000.000"),
                ("input[reff_no]", "BIG"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let big_slug = app
        .scalar_text("SELECT slug FROM payment_links WHERE reff_no = 'BIG'")
        .await;
    let (_, html) = big.page(&format!("/pay/{big_slug}")).await;
    assert!(html.contains("VA BRI"));
    assert!(
        !html.contains("value=\"QRIS\""),
        "QRIS is not offered above its limit"
    );
    let response = pay(&big, &big_slug, &[("method", "QRIS")]).await;
    assert!(field_errors(response).await.contains_key("method"));

    app.execute("UPDATE payment_links SET current_usage = max_usage WHERE reff_no <> 'BIG'")
        .await;
    // Written behind the app's back: as if by another instance, whose change shows here
    // after the payer memory's second; this instance's own writers clear it at once.
    app.state.payer_cache.changed();
    let (status, html) = payer.page(&format!("/pay/{slug}")).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains("Kuota pembayaran"));
}
