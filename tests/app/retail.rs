//! Cash at Alfamart and Indomaret: a payment code at the outlet's cashier, its steps in both
//! languages, the sandbox till paying it once, the outlets' cash limits, and the catalogue's
//! rebuild that admitted the group.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::api_client::{new_link, ApiClient};
use crate::helpers::{field_errors, spawn_app, texts, Browser, TestApp};
use paylinks::db::Db;
use paylinks::payments::sandbox::retail::{is_payment_code, Outlet};

/// A merchant's link (Rp 200.000 unless `overrides` change it) and its slug.
async fn link(app: &TestApp, overrides: &[(&str, &str)]) -> String {
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let id = app.create_link_with(&account, overrides).await;
    app.slug_of(id).await
}

async fn column(app: &TestApp, reff: &str, column: &str) -> String {
    app.scalar_text(&format!(
        "SELECT CAST({column} AS TEXT) FROM payment_link_histories WHERE reff_no = '{reff}'"
    ))
    .await
}

async fn till_pays(app: &TestApp, code: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/sandbox/retail/pay"))
        .json(&json!({ "payment_code": code }))
        .send()
        .await
        .unwrap()
}

/// The attempt page in the payer's language.
async fn attempt_page(payer: &Browser, slug: &str, reff: &str, lang: &str) -> String {
    let (status, html) = payer.page(&format!("/pay/{slug}/{reff}?lang={lang}")).await;
    assert_eq!(status, StatusCode::OK);
    html
}

#[tokio::test]
async fn an_indomaret_code_is_shown_with_its_steps_and_paid_once_at_the_till() {
    let app = spawn_app().await;
    let slug = link(&app, &[]).await;
    // Written and kept: the receiver never answers.
    app.enable_webhooks("http://127.0.0.1:9/hooks").await;
    let (_, offer) = app.new_browser().page(&format!("/pay/{slug}")).await;
    assert!(
        offer.contains("Tunai di gerai ritel"),
        "the group is offered"
    );
    assert!(offer.contains(r#"value="INDOMARET""#) && offer.contains(r#"value="ALFAMART""#));

    let payer = app.new_browser();
    let reff = payer.start_payment(&slug, "INDOMARET").await;
    let code = column(&app, &reff, "payment_method_value").await;
    assert!(is_payment_code(Outlet::Indomaret, &code), "{code}");
    assert_eq!(
        column(&app, &reff, "payment_method_additional").await,
        "a.n. TOKO SINAR"
    );

    let grouped = format!("{} {} {}", &code[..4], &code[4..8], &code[8..]);
    let id = attempt_page(&payer, &slug, &reff, "id").await;
    assert!(id.contains(r#"data-testid="payment-code""#));
    assert!(id.contains("Kode pembayaran Indomaret") && id.contains(&grouped));
    assert!(
        id.contains(&format!(r#"data-copy="{code}""#)),
        "copied bare"
    );
    assert!(id.contains("Di kasir Indomaret"));
    assert!(id.contains("Sampaikan ke kasir bahwa Anda ingin membayar tagihan Toko Sinar."));
    assert!(id.contains(&format!("Tunjukkan kode pembayaran {code} kepada kasir.")));
    assert!(id.contains("Bayar Rp 200.000 secara tunai.") && id.contains("struk"));
    assert!(id.contains("Bayar sebelum"), "the code's deadline is shown");
    let en = attempt_page(&payer, &slug, &reff, "en").await;
    assert!(en.contains("Indomaret payment code") && en.contains("At an Indomaret cashier"));
    assert!(en.contains(&format!("Show the cashier the payment code {code}.")));
    assert!(en.contains("Pay Rp 200.000 in cash."));

    // The till shows the bill's amount: the payer cannot pay another.
    assert_eq!(
        till_pays(&app, &grouped).await.status(),
        StatusCode::OK,
        "keyed in as grouped on the page"
    );
    assert_eq!(column(&app, &reff, "status").await, "paid");
    assert_eq!(column(&app, &reff, "amount").await, "200000");
    assert_eq!(
        app.scalar("SELECT net_amount FROM payment_link_histories")
            .await,
        195_000,
        "the outlet's Rp 5.000 comes off"
    );
    assert_eq!(
        till_pays(&app, &code).await.status(),
        StatusCode::NOT_FOUND,
        "a paid code pays nothing again"
    );
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        1
    );
    let paid_events = app
        .texts("SELECT payload FROM webhook_events WHERE event_type = 'payment_link_history.paid'")
        .await;
    assert_eq!(paid_events.len(), 1, "announced once");
    assert!(paid_events[0].contains("INDOMARET"));
    let receipt = attempt_page(&payer, &slug, &reff, "id").await;
    assert!(receipt.contains("Pembayaran berhasil") && !receipt.contains("payment-code"));
}

#[tokio::test]
async fn an_alfamart_code_is_paid_by_the_sandbox_simulate_button() {
    let app = spawn_app().await;
    let slug = link(&app, &[]).await;
    let payer = app.new_browser();
    let reff = payer.start_payment(&slug, "ALFAMART").await;
    let code = column(&app, &reff, "payment_method_value").await;
    assert!(is_payment_code(Outlet::Alfamart, &code), "{code}");

    let id = attempt_page(&payer, &slug, &reff, "id").await;
    assert!(id.contains("Kode pembayaran Alfamart"));
    assert!(id.contains("Datang ke gerai Alfamart, Alfamidi atau DAN+DAN terdekat"));
    assert!(id.contains("Bayar tunai di kasir."), "the outlets' note");
    let en = attempt_page(&payer, &slug, &reff, "en").await;
    assert!(en.contains("Go to any Alfamart, Alfamidi or DAN+DAN store"));
    assert!(en.contains("Simulate payment (sandbox)"));

    // A VA number keyed in at a till pays nothing.
    let va = app.new_browser().start_payment(&slug, "VA_BNI").await;
    let va_number = column(&app, &va, "payment_method_value").await;
    assert_eq!(
        till_pays(&app, &va_number).await.status(),
        StatusCode::NOT_FOUND
    );

    let simulated = payer
        .call("simulate", &[("slug", &slug), ("reff_no", &reff)])
        .await;
    assert_eq!(simulated.status(), StatusCode::OK);
    assert_eq!(column(&app, &reff, "status").await, "paid");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_link_histories WHERE status = 'paid'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_total_above_alfamarts_cash_limit_offers_indomaret_only() {
    let app = spawn_app().await;
    let slug = link(
        &app,
        &[
            ("input[items][0][quantity]", "1"),
            ("input[items][0][unit_price]", "2.950.000"),
        ],
    )
    .await;
    assert_eq!(
        app.scalar("SELECT total_amount FROM payment_links").await,
        3_000_000
    );
    let payer = app.new_browser();
    let (_, offer) = payer.page(&format!("/pay/{slug}")).await;
    assert!(offer.contains(r#"value="INDOMARET""#));
    assert!(
        !offer.contains(r#"value="ALFAMART""#),
        "Alfamart takes at most Rp 2.500.000 in cash"
    );
    let refused = payer
        .call("pay", &[("slug", &slug), ("method", "ALFAMART")])
        .await;
    assert!(field_errors(refused).await.contains_key("method"));
    payer.start_payment(&slug, "INDOMARET").await;
}

#[tokio::test]
async fn the_api_whitelists_the_outlets_by_their_codes() {
    let app = spawn_app().await;
    let client = ApiClient::new(&app, "dev@ritel.id", "Toko Ritel").await;
    let (_, methods) = client
        .json(
            Method::GET,
            "/api/v1.0/payment-link-manage/payment-methods",
            None,
        )
        .await;
    let available = methods["data"]["available_codes"].as_array().unwrap();
    assert!(available.contains(&json!("ALFAMART")) && available.contains(&json!("INDOMARET")));

    // As Singapay's own example whitelists Indomaret.
    let mut body = new_link("RITEL-1");
    body["whitelisted_payment_method"] = json!(["INDOMARET", "ALFAMART", "VA_BRI"]);
    let (status, created) = client
        .json(Method::POST, &client.links_path(), Some(&body))
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(
        created["data"]["whitelisted_payment_method"],
        json!(["VA_BRI", "ALFAMART", "INDOMARET"]),
        "in the catalogue's order"
    );
    let slug = app
        .scalar_text("SELECT slug FROM payment_links WHERE reff_no = 'RITEL-1'")
        .await;
    let (_, offer) = app.new_browser().page(&format!("/pay/{slug}")).await;
    assert!(offer.contains(r#"value="INDOMARET""#) && !offer.contains(r#"value="QRIS""#));

    let mut unknown = new_link("RITEL-2");
    unknown["whitelisted_payment_method"] = json!(["ALFAMIDI"]);
    let (status, _) = client
        .json(Method::POST, &client.links_path(), Some(&unknown))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// The database as it stood before the retail migration, holding attempts of every kind.
async fn database_before_retail() -> (Db, Option<std::path::PathBuf>) {
    let name = format!(
        "paylinks_test_{}",
        ulid::Ulid::new().to_string().to_lowercase()
    );
    let (url, file, backend) = match std::env::var("TEST_DATABASE_URL") {
        Ok(admin) if admin.starts_with("postgres") => (
            crate::support::fresh_postgres_database(&admin, &name).await,
            None,
            "postgres",
        ),
        _ => {
            let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("test-dbs");
            std::fs::create_dir_all(&dir).unwrap();
            let file = dir.join(format!("{name}.db"));
            (format!("sqlite:{}", file.display()), Some(file), "sqlite")
        }
    };
    let earlier =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-migrations"));
    std::fs::create_dir_all(&earlier).unwrap();
    let all = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    for entry in std::fs::read_dir(all).unwrap() {
        let path = entry.unwrap().path();
        let file_name = path.file_name().unwrap().to_str().unwrap().to_string();
        if file_name.as_str() < "0029" {
            std::fs::copy(&path, earlier.join(file_name)).unwrap();
        }
    }
    let db = Db::connect(&url).await.unwrap();
    let migrator = sqlx::migrate::Migrator::new(earlier.clone()).await.unwrap();
    match &db {
        Db::Sqlite(pool) => migrator.run(pool).await.unwrap(),
        Db::Postgres(pool) => migrator.run(pool).await.unwrap(),
    }
    std::fs::remove_dir_all(earlier).unwrap();

    let now = crate::helpers::START_MS;
    let rows = [
        "INSERT INTO merchants (name, created_at) VALUES ('Toko Lama', 1)".to_string(),
        "INSERT INTO accounts (id, merchant_id, name, status, created_at, updated_at)
         VALUES ('01JBZZZZZZZZZZZZZZZZZZZZZZ', 1, 'Utama', 'active', 1, 1)"
            .to_string(),
        format!(
            "INSERT INTO payment_links (merchant_id, account_id, slug, reff_no, title, total_amount,
                 required_customer_detail, max_usage, status, source, created_at, updated_at)
             VALUES (1, '01JBZZZZZZZZZZZZZZZZZZZZZZ', 'LamaLamaLamaLamaLamaLa', 'OLD-1', 'Lama',
                 200000, FALSE, 1000, 'open', 'dashboard', {now}, {now})"
        ),
    ];
    for sql in rows {
        execute(&db, &sql).await.unwrap();
    }
    let settlement_delay_ms = 3_600_000;
    let link = [paylinks::domain::ids::LinkId(1)];
    paylinks::db::seed::histories(&db, &link, 40, now, settlement_delay_ms, |_| {})
        .await
        .unwrap();
    (db, file)
}

async fn execute(db: &Db, sql: &str) -> Result<(), sqlx::Error> {
    paylinks::on_db!(db, pool => sqlx::query(sqlx::AssertSqlSafe(sql)).execute(pool).await.map(|_| ()))
}

#[tokio::test]
async fn admitting_retail_keeps_the_attempts_and_their_reference_to_the_catalogue() {
    let (db, file) = database_before_retail().await;
    let count = "SELECT CAST(COUNT(*) AS TEXT) FROM payment_link_histories";
    assert_eq!(texts(&db, count).await, ["40"]);

    db.migrate()
        .await
        .expect("the rebuild keeps every reference");

    assert_eq!(texts(&db, count).await, ["40"], "no attempt lost");
    let catalogue = texts(&db, "SELECT code FROM payment_methods ORDER BY sort_order").await;
    assert_eq!(catalogue, paylinks::domain::method::CATALOGUE_CODES);
    let references = match &db {
        Db::Sqlite(_) => {
            assert!(
                texts(&db, "SELECT \"table\" FROM pragma_foreign_key_check")
                    .await
                    .is_empty(),
                "no reference dangles"
            );
            texts(
                &db,
                "SELECT \"table\" FROM pragma_foreign_key_list('payment_link_histories')
                 WHERE \"from\" = 'payment_method_code'",
            )
            .await
        }
        Db::Postgres(_) => {
            texts(
                &db,
                "SELECT confrelid::regclass::text FROM pg_constraint
                 WHERE conrelid = 'payment_link_histories'::regclass AND contype = 'f'
                   AND pg_get_constraintdef(oid) LIKE 'FOREIGN KEY (payment_method_code)%'",
            )
            .await
        }
    };
    assert_eq!(references, ["payment_methods"]);
    // The reference is enforced still, and the group check admits retail and nothing else.
    let orphan = "UPDATE payment_link_histories SET payment_method_code = 'VA_GONE'
                  WHERE id = (SELECT MIN(id) FROM payment_link_histories)";
    assert!(execute(&db, orphan).await.is_err());
    let bogus = "INSERT INTO payment_methods (code, name, method_group, description, min_amount,
                     max_amount, fee_flat, fee_percent_bps, expiry_seconds, active, sort_order)
                 VALUES ('CASH', 'Cash', 'cash', '', 1, 2, 0, 0, 1, TRUE, 1)";
    assert!(execute(&db, bogus).await.is_err());

    db.close().await;
    if let Some(file) = file {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
    }
}
