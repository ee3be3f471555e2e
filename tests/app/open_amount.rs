//! Links whose payer chooses the amount: the dashboard and API create them, the payer page
//! takes a picked or typed amount (with and without JavaScript), each attempt carries its own
//! amount, and the money recorded is what was paid.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::api_client::{new_link, ApiClient};
use crate::helpers::{field_errors, spawn_app, Browser, TestApp};

const DONATION: [(&str, &str); 5] = [
    ("input[amount_type]", "open"),
    ("input[open_minimum]", "10.000"),
    ("input[open_maximum]", "20.000.000"),
    ("input[open_suggested]", "100.000, 50.000"),
    ("input[title]", "Donasi banjir"),
];

/// A merchant with an open-amount link (Rp 10.000 – Rp 20.000.000, suggesting 50.000 and
/// 100.000); its account and slug.
async fn donation_link(app: &TestApp) -> (String, String) {
    let account = app.sign_up("Yayasan Peduli", "owner@peduli.id").await;
    let id = app.create_link_with(&account, &DONATION).await;
    (account, app.slug_of(id).await)
}

async fn pay(payer: &Browser, slug: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut form = vec![("slug", slug), ("lang", "id")];
    form.extend_from_slice(fields);
    payer.call("pay", &form).await
}

async fn started(response: reqwest::Response) -> String {
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

async fn attempt_money(app: &TestApp, reff: &str) -> Vec<i64> {
    app.numbers(&format!(
        "SELECT amount FROM payment_link_histories WHERE reff_no = '{reff}'
         UNION ALL SELECT fee FROM payment_link_histories WHERE reff_no = '{reff}'
         UNION ALL SELECT net_amount FROM payment_link_histories WHERE reff_no = '{reff}'"
    ))
    .await
}

#[tokio::test]
async fn each_donor_pays_the_amount_they_chose() {
    let app = spawn_app().await;
    let (account, slug) = donation_link(&app).await;

    let (status, html) = app.page(&format!("/pay/{slug}?lang=en")).await;
    assert_eq!(status, StatusCode::OK);
    for shown in [
        r#"name="amount_pick" value="50000""#,
        r#"name="amount_pick" value="100000""#,
        r#"name="amount""#,
        "Rp 10.000 – Rp 20.000.000",
        "Donasi banjir · Rp 10.000 – Rp 20.000.000",
    ] {
        assert!(html.contains(shown), "{shown} in the payer page");
    }
    assert!(
        !html.contains(r#"data-testid="payer-total""#),
        "no items table"
    );
    // Methods carry their limits for the page's script.
    assert!(
        html.contains(r#"value="QRIS" required data-min="1000" data-max="10000000""#),
        "{html}"
    );

    // A typed amount, written as payers write it.
    let first = app.new_browser();
    let typed = started(
        pay(
            &first,
            &slug,
            &[("amount", "Rp 75.000"), ("method", "VA_BRI")],
        )
        .await,
    )
    .await;
    assert_eq!(attempt_money(&app, &typed).await, [75_000, 4_000, 71_000]);
    // The bank must transfer exactly that amount.
    let va = app
        .scalar_text(&format!(
            "SELECT payment_method_value FROM payment_link_histories WHERE reff_no = '{typed}'"
        ))
        .await;
    let transfer = |amount: i64| {
        reqwest::Client::new()
            .post(app.url("/sandbox/va/pay"))
            .json(&json!({"va_number": va, "amount": amount}))
            .send()
    };
    assert_eq!(
        transfer(100_000).await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(transfer(75_000).await.unwrap().status(), StatusCode::OK);

    // A picked suggestion; a typed amount would win over it.
    let second = app.new_browser();
    let picked = started(
        pay(
            &second,
            &slug,
            &[("amount_pick", "100000"), ("method", "QRIS")],
        )
        .await,
    )
    .await;
    assert_eq!(attempt_money(&app, &picked).await, [100_000, 700, 99_300]);
    let third = app.new_browser();
    let both = started(
        pay(
            &third,
            &slug,
            &[
                ("amount_pick", "100000"),
                ("amount", "12.500"),
                ("method", "DANA"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(attempt_money(&app, &both).await[0], 12_500);

    // The attempt page, the dashboard and the API all show the amount paid.
    let (_, attempt_page) = first.page(&format!("/pay/{slug}/{typed}")).await;
    assert!(attempt_page.contains("Rp 75.000"));
    let detail = app.payment_detail(&account, &typed).await;
    assert_eq!(detail["attempt"]["amount"], 75_000, "{detail}");
    assert_eq!(
        app.numbers("SELECT current_usage FROM payment_links").await,
        [1]
    );
    assert_eq!(
        app.numbers("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM payment_totals WHERE status = 'paid'")
            .await,
        [75_000]
    );
}

#[tokio::test]
async fn amounts_outside_the_bounds_are_refused_by_name_in_the_payers_language() {
    let app = spawn_app().await;
    let (_, slug) = donation_link(&app).await;
    let payer = app.new_browser();
    for (typed, lang, message) in [
        ("5.000", "id", "Jumlah minimal Rp 10.000."),
        (
            "25.000.000",
            "en",
            "The amount must be at most Rp 20.000.000.",
        ),
        (
            "lima puluh ribu",
            "id",
            "Masukkan jumlah dalam rupiah, mis. 50.000.",
        ),
        ("", "en", "Enter an amount in rupiah, e.g. 50.000."),
        ("-50.000", "en", "Enter an amount in rupiah, e.g. 50.000."),
        ("50.000,50", "en", "Enter an amount in rupiah, e.g. 50.000."),
    ] {
        let response = payer
            .call(
                "pay",
                &[
                    ("slug", &slug),
                    ("lang", lang),
                    ("amount", typed),
                    ("method", "VA_BRI"),
                ],
            )
            .await;
        let errors = field_errors(response).await;
        assert_eq!(
            errors.get("amount").map(String::as_str),
            Some(message),
            "{typed}"
        );
        assert!(
            !errors.contains_key("method"),
            "the method is not blamed: {errors:?}"
        );
    }
    // A suggestion the page never offered is checked like a typed amount.
    let forged = pay(&payer, &slug, &[("amount_pick", "1"), ("method", "VA_BRI")]).await;
    assert!(field_errors(forged).await.contains_key("amount"));
    assert_eq!(
        app.count("payment_link_histories").await,
        0,
        "nothing stored"
    );
}

#[tokio::test]
async fn a_method_whose_limits_exclude_the_chosen_amount_is_refused_for_it() {
    let app = spawn_app().await;
    let (_, slug) = donation_link(&app).await;
    let payer = app.new_browser();
    // QRIS takes at most Rp 10.000.000.
    let refused = pay(
        &payer,
        &slug,
        &[("amount", "15.000.000"), ("method", "QRIS")],
    )
    .await;
    let errors = field_errors(refused).await;
    assert_eq!(
        errors.get("method").map(String::as_str),
        Some("QRIS menerima Rp 1.000 sampai Rp 10.000.000. Pilih metode lain atau ubah jumlahnya.")
    );
    assert_eq!(app.count("payment_link_histories").await, 0);
    let va = started(
        pay(
            &payer,
            &slug,
            &[("amount", "15.000.000"), ("method", "VA_BCA")],
        )
        .await,
    )
    .await;
    assert_eq!(attempt_money(&app, &va).await[0], 15_000_000);
}

#[tokio::test]
async fn without_javascript_a_refused_amount_comes_back_with_its_reason() {
    let app = spawn_app().await;
    let (_, slug) = donation_link(&app).await;
    let page = app.url(&format!("/pay/{slug}"));
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let post = |fields: Vec<(&'static str, String)>| {
        let mut form = vec![("slug", slug.clone()), ("lang", "en".to_string())];
        form.extend(fields);
        browser
            .post(app.url("/fn/pay"))
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .header("referer", &page)
            .form(&form)
            .send()
    };
    let refused = post(vec![
        ("amount", "Rp 5.000".into()),
        ("method", "VA_BRI".into()),
    ])
    .await
    .unwrap();
    assert!(refused.status().is_redirection());
    let html = browser
        .get(&page)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"value="Rp 5.000""#),
        "what was typed is kept"
    );
    assert!(html.contains("The amount must be at least Rp 10.000."));
    assert!(html.contains(r#"data-field="amount""#));

    // A picked suggestion comes back picked.
    post(vec![("amount_pick", "50000".into())]).await.unwrap();
    let html = browser
        .get(&page)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"value="50000" checked"#), "{html}");

    let paid = post(vec![
        ("amount_pick", "50000".into()),
        ("method", "VA_BRI".into()),
    ])
    .await
    .unwrap();
    let location = paid.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(&format!("/pay/{slug}/")), "{location}");
    assert_eq!(
        app.numbers("SELECT amount FROM payment_link_histories")
            .await,
        [50_000]
    );
}

#[tokio::test]
async fn the_dashboard_names_each_wrong_open_amount_field() {
    let app = spawn_app().await;
    let account = app.sign_up("Yayasan Peduli", "owner@peduli.id").await;
    let response = app
        .create_link(
            &account,
            &[
                ("input[amount_type]", "open"),
                ("input[open_minimum]", "5.000"),
                ("input[open_maximum]", "abc"),
                ("input[open_suggested]", "50.000, x"),
            ],
        )
        .await;
    let errors = field_errors(response).await;
    assert!(
        errors["open_amount.minimum"].contains("Minimum amount"),
        "{errors:?}"
    );
    assert!(errors["open_amount.maximum"].starts_with("Maximum amount"));
    assert!(errors["open_amount.suggested_amounts"].starts_with("Suggested amount"));
    let response = app
        .create_link(
            &account,
            &[
                ("input[amount_type]", "open"),
                ("input[open_minimum]", "50.000"),
                ("input[open_maximum]", "20.000"),
                (
                    "input[open_suggested]",
                    "10.000, 20.000, 30.000, 40.000, 50.000",
                ),
            ],
        )
        .await;
    let errors = field_errors(response).await;
    assert_eq!(
        errors["open_amount.maximum"],
        "Maximum amount must not be below the minimum."
    );
    assert_eq!(
        errors["open_amount.suggested_amounts"],
        "Suggest at most 4 amounts."
    );
    assert_eq!(app.count("payment_links").await, 0);

    // The items of the form are not read for an open amount: the link has none.
    let id = app.create_link_with(&account, &DONATION).await;
    assert_eq!(
        app.numbers(&format!(
            "SELECT COUNT(*) FROM payment_link_items WHERE payment_link_id = {id}"
        ))
        .await,
        [0]
    );
    let (_, html) = app.page(&format!("/accounts/{account}/links/{id}")).await;
    assert!(html.contains("The payer chooses the amount."));
    let (_, list) = app.page(&format!("/accounts/{account}/links")).await;
    assert!(list.contains("from Rp 10.000"));
}

#[tokio::test]
async fn the_api_creates_and_shows_an_open_amount_and_keeps_it_fixed() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@peduli.id", "Yayasan Peduli").await;
    let v2 = format!("/api/v2.0/payment-link/{}", client.account_id);
    let open = json!({"minimum": 20000, "suggested_amounts": [100000, 50000]});
    let (status, created) = client
        .json(
            reqwest::Method::POST,
            &v2,
            Some(&json!({"title": "Donasi", "max_usage": 0, "open_amount": open})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let link = &created["data"];
    assert_eq!(
        link["open_amount"],
        json!({"minimum": 20000, "maximum": null, "suggested_amounts": [50000, 100000]})
    );
    assert_eq!(
        link["total_amount"], 20000,
        "an open link's total is its minimum"
    );
    assert_eq!(link["items"], json!([]));
    let id = link["id"].as_i64().unwrap();

    // v1 takes it too, without items.
    let mut v1_body = new_link("DON-1");
    let v1_body = v1_body.as_object_mut().unwrap();
    v1_body.remove("items");
    v1_body.remove("total_amount");
    v1_body.insert(
        "open_amount".into(),
        json!({"minimum": "10000", "maximum": 500000}),
    );
    let (status, v1) = client
        .json(
            reqwest::Method::POST,
            &client.links_path(),
            Some(&Value::Object(v1_body.clone())),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v1}");
    assert_eq!(v1["data"]["open_amount"]["maximum"], 500000);

    // A fixed link says nothing of it.
    let (_, fixed) = client
        .json(
            reqwest::Method::POST,
            &client.links_path(),
            Some(&new_link("INV-1")),
        )
        .await;
    assert!(fixed["data"].get("open_amount").is_none(), "{fixed}");

    // Wrong bodies are refused by field, and nothing is stored.
    let before = app.count("payment_links").await;
    client.refuses_each(&v2, &[
        (
            json!({"open_amount": {"minimum": 10000}, "total_amount": 50000}),
            "total_amount",
        ),
        (
            json!({"open_amount": {"minimum": 10000}, "items": [{"name": "x", "quantity": 1, "unit_price": 10000}]}),
            "items",
        ),
        (json!({"open_amount": {}}), "open_amount.minimum"),
        (
            json!({"open_amount": {"minimum": 10000, "maximum": 5000}}),
            "open_amount.maximum",
        ),
        (
            json!({"open_amount": {"minimum": 10000, "maximum": 50000, "suggested_amounts": [60000]}}),
            "open_amount.suggested_amounts",
        ),
        (
            json!({"open_amount": {"minimum": 10000, "suggested_amounts": 5}}),
            "open_amount.suggested_amounts",
        ),
        (json!({"open_amount": "any"}), "open_amount"),
    ])
    .await;
    assert_eq!(app.count("payment_links").await, before);

    // Fixed once created: repeating it is fine, changing it is refused.
    let update = format!("/api/v2.0/payment-link/update/{id}");
    let (status, _) = client
        .json(
            reqwest::Method::PUT,
            &update,
            Some(&json!({"open_amount": {"minimum": 20000, "suggested_amounts": [50000, 100000]}, "items": []})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, answer) = client
        .json(
            reqwest::Method::PUT,
            &update,
            Some(&json!({"open_amount": {"minimum": 30000}})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.to_string().contains("open_amount"), "{answer}");

    // The payer of the API's link pays what they choose, and the history says so.
    let slug = app.slug_of(id).await;
    let payer = app.new_browser();
    let reff = started(
        pay(
            &payer,
            &slug,
            &[("amount", "250.000"), ("method", "VA_BNI")],
        )
        .await,
    )
    .await;
    assert_eq!(
        app.bank_pays(&reff, "BANK-9", 250_000).await.status(),
        StatusCode::OK
    );
    let (_, histories) = client
        .json(
            reqwest::Method::GET,
            &format!("/api/v1.0/payment-link-histories/{}", client.account_id),
            None,
        )
        .await;
    let amount = histories["data"][0]["amount"].to_string();
    assert!(amount.contains("250000"), "{histories}");
}

#[tokio::test]
async fn the_reservation_itself_refuses_an_amount_the_link_does_not_take() {
    use paylinks::domain::Rupiah;
    use paylinks::service::attempts::{start, Start, Started};
    let app = spawn_app().await;
    let (account, donation) = donation_link(&app).await;
    let fixed = app.create_default_link(&account).await;
    let fixed = app.slug_of(fixed).await;
    let catalogue = app.state.catalogue.get(&app.state.db).await.unwrap();
    let method = catalogue.iter().find(|m| m.code == "VA_BNI").unwrap();
    // A caller that skipped the payer page's checks still cannot store another amount.
    for (slug, amount, stored) in [
        (&fixed, 200_001, false),
        (&fixed, 200_000, true),
        (&donation, 9_999, false),
        (&donation, 10_000, true),
    ] {
        let read = app
            .state
            .payer_cache
            .link(&app.state.db, slug)
            .await
            .unwrap();
        let started = start(
            &app.state,
            Start {
                link: &read.link,
                merchant_name: &read.merchant_name,
                method,
                order: &paylinks::domain::order::Order {
                    quantities: Vec::new(),
                    amount: Rupiah(amount),
                    units: 1,
                },
                answers: &[],
                customer: None,
                payer_phone: None,
                ip_address: None,
                announce: false,
                lang: paylinks::domain::lang::Lang::Id,
                routed: false,
            },
        )
        .await
        .unwrap();
        assert_eq!(
            matches!(started, Started::Issued { .. }),
            stored,
            "{amount}"
        );
    }
    assert_eq!(
        app.numbers("SELECT amount FROM payment_link_histories ORDER BY amount")
            .await,
        [10_000, 200_000]
    );
}
