//! Quantities the payer chooses and a link's stock in units: reserved by attempts like usage
//! slots, never oversold under concurrency, given back when attempts end.

use reqwest::StatusCode;
use serde_json::json;

use crate::api_client::ApiClient;
use crate::helpers::{field_errors, spawn_app, Browser, TestApp};

/// A ticket link: one line of Rp 50.000 of which a payer buys 1 to `max`, from `stock` seats.
async fn tickets(app: &TestApp, max: &str, stock: &str) -> (String, String) {
    let account = app.sign_up("Konser Jazz", "owner@jazz.id").await;
    let id = app
        .create_link_with(
            &account,
            &[
                ("input[title]", "Tiket konser"),
                ("input[items][0][name]", "Tiket"),
                ("input[items][0][quantity]", "1"),
                ("input[items][0][unit_price]", "50.000"),
                ("input[items][0][max_quantity]", max),
                ("input[items][1][name]", ""),
                ("input[items][1][quantity]", ""),
                ("input[items][1][unit_price]", ""),
                ("input[max_usage]", "0"),
                ("input[stock]", stock),
            ],
        )
        .await;
    (account, app.slug_of(id).await)
}

async fn buy(payer: &Browser, slug: &str, quantity: &str) -> reqwest::Response {
    payer
        .call(
            "pay",
            &[
                ("slug", slug),
                ("lang", "en"),
                ("quantities[0]", quantity),
                ("method", "VA_BRI"),
            ],
        )
        .await
}

async fn held_units(app: &TestApp) -> i64 {
    app.scalar(
        "SELECT CAST(COALESCE(SUM(units), 0) AS BIGINT) FROM payment_link_histories
         WHERE status IN ('pending', 'paid')",
    )
    .await
}

#[tokio::test]
async fn a_buyer_chooses_how_many_and_pays_for_that_many() {
    let app = spawn_app().await;
    let (account, slug) = tickets(&app, "4", "10").await;
    app.enable_webhooks("http://127.0.0.1:9/hook").await;
    let (_, html) = app.page(&format!("/pay/{slug}?lang=en")).await;
    assert!(html.contains(r#"name="quantities[0]""#), "a quantity field");
    assert!(html.contains(r#"max="4""#));

    let payer = app.new_browser();
    let response = buy(&payer, &slug, "3").await;
    assert_eq!(response.status(), StatusCode::OK);
    let reff: String = response.json().await.unwrap();
    assert_eq!(
        app.numbers(&format!(
            "SELECT amount FROM payment_link_histories WHERE reff_no = '{reff}'
             UNION ALL SELECT units FROM payment_link_histories WHERE reff_no = '{reff}'"
        ))
        .await,
        [150_000, 3]
    );
    let detail = app.payment_detail(&account, &reff).await;
    assert_eq!(detail["attempt"]["quantities"], json!([3]));
    assert_eq!(
        app.bank_pays(&reff, "BANK-1", 150_000).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.numbers("SELECT units_paid FROM payment_links").await,
        [3]
    );
    // The paid event tells the merchant's receiver what is left.
    let paid = app
        .texts("SELECT payload FROM webhook_events WHERE event_type = 'payment_link_history.paid'")
        .await;
    let paid: serde_json::Value = serde_json::from_str(&paid[0]).unwrap();
    assert_eq!(
        paid["data"]["payment_link"]["stock"],
        json!({"units": 10, "paid": 3})
    );

    // Out of range, in the payer's language, and nothing stored.
    for bad in ["0", "5", "dua"] {
        let errors = field_errors(buy(&app.new_browser(), &slug, bad).await).await;
        assert_eq!(
            errors.get("quantities[0]").map(String::as_str),
            Some("Quantity must be a whole number from 1 to 4."),
            "{bad}"
        );
    }
    assert_eq!(app.count("payment_link_histories").await, 1);

    // 7 seats left: 4 fit, then 3, then none.
    assert_eq!(
        buy(&app.new_browser(), &slug, "4").await.status(),
        StatusCode::OK
    );
    let short = buy(&app.new_browser(), &slug, "4").await;
    assert_eq!(short.status(), StatusCode::CONFLICT);
    assert!(short.text().await.unwrap().contains("Not enough left"));
    assert_eq!(
        buy(&app.new_browser(), &slug, "3").await.status(),
        StatusCode::OK
    );
    assert_eq!(held_units(&app).await, 10);

    // Unpaid attempts give their seats back when they expire.
    app.clock.advance_ms(25 * 3600 * 1000);
    paylinks::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(held_units(&app).await, 3);
    assert_eq!(
        buy(&app.new_browser(), &slug, "4").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn two_hundred_concurrent_buyers_of_one_to_three_seats_never_oversell_fifty() {
    let app = spawn_app().await;
    let (_, slug) = tickets(&app, "3", "50").await;
    let mut tasks = Vec::new();
    for n in 0..200 {
        let payer = app.new_browser();
        let slug = slug.clone();
        tasks.push(tokio::spawn(async move {
            let quantity = (n % 3 + 1).to_string();
            buy(&payer, &slug, &quantity).await.status()
        }));
    }
    let mut sold = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::OK => sold += 1,
            StatusCode::CONFLICT => {}
            other => panic!("unexpected status {other}"),
        }
    }
    let held = held_units(&app).await;
    assert!(held <= 50, "oversold: {held} units held");
    // Demand (400 seats) far exceeds supply: only a sliver can stay unsold, less than the
    // largest order (a 3-seat order refused when 2 or fewer were left).
    assert!(held >= 48, "{held} units held by {sold} buyers");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_link_histories")
            .await,
        sold
    );

    // Every attempt expires unpaid: the whole stock is free again, and a second rush takes it.
    app.clock.advance_ms(25 * 3600 * 1000);
    paylinks::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(held_units(&app).await, 0);
    let mut again = Vec::new();
    for _ in 0..60 {
        let payer = app.new_browser();
        let slug = slug.clone();
        again.push(tokio::spawn(async move {
            buy(&payer, &slug, "1").await.status()
        }));
    }
    let mut second = 0;
    for task in again {
        if task.await.unwrap() == StatusCode::OK {
            second += 1;
        }
    }
    assert_eq!(second, 50);
    assert_eq!(held_units(&app).await, 50);
}

#[tokio::test]
async fn a_sold_out_link_says_so_and_a_late_payment_is_kept_and_flagged() {
    let app = spawn_app().await;
    let (_, slug) = tickets(&app, "2", "2").await;
    let first = buy(&app.new_browser(), &slug, "2").await;
    let first: String = first.json().await.unwrap();
    // It expires unpaid; another buyer takes the two seats and pays.
    app.clock.advance_ms(25 * 3600 * 1000);
    paylinks::jobs::run_due(&app.state).await.unwrap();
    let second: String = buy(&app.new_browser(), &slug, "2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        app.bank_pays(&second, "BANK-2", 100_000).await.status(),
        StatusCode::OK
    );
    let (status, html) = app.page(&format!("/pay/{slug}?lang=en")).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains("Sorry, everything has been sold."));
    // The bank still delivers the first buyer's transfer, made before it expired: the money
    // is recorded and flagged, never refused.
    app.execute(&format!(
        "UPDATE payment_link_histories SET expired_at = {} WHERE reff_no = '{first}'",
        app.state.now_ms() + 60_000
    ))
    .await;
    assert_eq!(
        app.bank_pays(&first, "BANK-1", 100_000).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.texts(&format!(
            "SELECT status || ' ' || COALESCE(flag, '') FROM payment_link_histories WHERE reff_no = '{first}'"
        ))
        .await,
        ["paid over_cap"]
    );
}

#[tokio::test]
async fn the_api_creates_quantities_and_a_stock_and_answers_them() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@jazz.id", "Konser Jazz").await;
    let v2 = format!("/api/v2.0/payment-link/{}", client.account_id);
    let body = json!({
        "title": "Tiket", "payment_link_type": "items", "max_usage": 0, "stock": 100,
        "items": [{"name": "Tiket", "quantity": 2, "unit_price": 50000, "max_quantity": 5}]
    });
    let (status, created) = client.json(reqwest::Method::POST, &v2, Some(&body)).await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(created["data"]["stock"], json!({"units": 100, "paid": 0}));
    assert_eq!(created["data"]["items"][0]["max_quantity"], 5);
    assert_eq!(created["data"]["total_amount"], 100_000);

    client.refuses_each(&v2, &[
        (
            json!({"title": "T", "items": [{"name": "T", "quantity": 2, "unit_price": 50000, "max_quantity": 1}]}),
            "items.0.max_quantity",
        ),
        (
            json!({"title": "T", "items": [{"name": "T", "quantity": 1, "unit_price": -50000, "max_quantity": 3}, {"name": "U", "quantity": 1, "unit_price": 100000}]}),
            "items.0.max_quantity",
        ),
        (
            json!({"title": "T", "stock": 0, "total_amount": 50000}),
            "stock",
        ),
        (
            json!({"title": "T", "stock": "many", "total_amount": 50000}),
            "stock",
        ),
    ])
    .await;
    let (_, fixed) = client
        .json(
            reqwest::Method::POST,
            &v2,
            Some(&json!({"title": "T", "total_amount": 50000})),
        )
        .await;
    assert!(fixed["data"].get("stock").is_none());
    assert!(fixed["data"]["items"][0].get("max_quantity").is_none());
}

#[tokio::test]
async fn a_method_is_refused_for_a_quantity_whose_total_it_does_not_take() {
    let app = spawn_app().await;
    let account = app.sign_up("Konser Jazz", "owner@jazz.id").await;
    let id = app
        .create_link_with(
            &account,
            &[
                ("input[items][0][name]", "Meja VIP"),
                ("input[items][0][quantity]", "1"),
                ("input[items][0][unit_price]", "4.000.000"),
                ("input[items][0][max_quantity]", "3"),
                ("input[items][1][name]", ""),
                ("input[items][1][quantity]", ""),
                ("input[items][1][unit_price]", ""),
            ],
        )
        .await;
    let slug = app.slug_of(id).await;
    // QRIS takes Rp 4.000.000 but not Rp 12.000.000: offered, refused for three.
    let (_, html) = app.page(&format!("/pay/{slug}?lang=en")).await;
    assert!(html.contains(r#"value="QRIS""#));
    let pay = |method: &'static str| {
        let payer = app.new_browser();
        let slug = slug.clone();
        async move {
            payer
                .call(
                    "pay",
                    &[
                        ("slug", slug.as_str()),
                        ("lang", "en"),
                        ("quantities[0]", "3"),
                        ("method", method),
                    ],
                )
                .await
        }
    };
    let errors = field_errors(pay("QRIS").await).await;
    assert_eq!(
        errors["method"],
        "QRIS takes Rp 1.000 to Rp 10.000.000. Choose another method or change the amount."
    );
    assert_eq!(pay("VA_BCA").await.status(), StatusCode::OK);
    assert_eq!(
        app.numbers("SELECT amount FROM payment_link_histories")
            .await,
        [12_000_000]
    );
}
