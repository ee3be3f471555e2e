//! Two app instances on one database, as behind a load balancer: a session made on one is
//! valid on the other, and with both running their background jobs (expiry, settlement,
//! webhook delivery) at once every row is processed once. On Postgres when TEST_DATABASE_URL
//! points at one (the test command's Postgres pass), else on one SQLite file both use.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use paylinks::db::Db;
use paylinks::on_db;
use reqwest::header::ORIGIN;
use reqwest::{Client, StatusCode};

mod support;

use support::*;

const PAYERS: usize = 24;

async fn texts(db: &Db, sql: &str) -> Vec<String> {
    on_db!(db, pool => sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await.unwrap())
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// Reads `sql` every 100 ms until it gives `expected`, for up to 30 s; returns the last value.
async fn eventually(db: &Db, sql: &str, expected: i64) -> i64 {
    let mut seen = -1;
    for _ in 0..300 {
        seen = scalar(db, sql).await;
        if seen == expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_sessions_and_process_each_row_once() {
    let (database, file) = test_database("scale-out").await;
    let (hook_url, seen) = receiver(Duration::ZERO).await;
    // Both look for due work every second and settle at once, so their jobs overlap.
    let settings = [
        ("JOB_INTERVAL_SECONDS", "1"),
        ("SETTLEMENT_DELAY_SECONDS", "0"),
    ];
    let a = start(&database, free_port(), &settings).await;
    let b = start(&database, free_port(), &settings).await;
    let db = Db::connect(&database).await.unwrap();

    // A session made on A is valid on B (cookies do not depend on the port) and ends on both.
    let owner = merchant_with_webhooks(&a, "owner@scale.id", &hook_url).await;
    let on_b = owner
        .get(format!("{}/accounts", b.address))
        .send()
        .await
        .unwrap();
    assert_eq!(on_b.status(), StatusCode::OK, "B knows A's session");
    assert!(on_b.text().await.unwrap().contains("Toko Proses"));
    let stranger = b
        .browser()
        .get(format!("{}/accounts", b.address))
        .send()
        .await
        .unwrap();
    assert!(
        stranger.status().is_redirection(),
        "no session, no dashboard"
    );

    let account = texts(&db, "SELECT id FROM accounts").await.remove(0);
    create_link(&b, &owner, &account, "100").await;
    let slug = texts(&db, "SELECT slug FROM payment_links").await.remove(0);

    // Payers start attempts on both instances.
    let servers = [&a, &b];
    for n in 0..PAYERS {
        let server = servers[n % 2];
        let method = if n % 2 == 0 { "VA_BRI" } else { "QRIS" };
        let started = Client::new()
            .post(format!("{}/fn/pay", server.address))
            .header(ORIGIN, &server.address)
            .header("Accept", "application/json")
            .form(&[("slug", slug.as_str()), ("method", method)])
            .send()
            .await
            .unwrap();
        assert!(started.status().is_success(), "{}", started.status());
    }
    let reffs = texts(
        &db,
        "SELECT reff_no FROM payment_link_histories ORDER BY id",
    )
    .await;
    assert_eq!(reffs.len(), PAYERS);

    // Half are paid through either instance; the other half run out of time.
    let (paid, unpaid) = reffs.split_at(PAYERS / 2);
    for (n, reff) in paid.iter().enumerate() {
        let address = &servers[n % 2].address;
        let credited = bank_pays(address, SECRET, reff, &format!("BANK-{n}"), 100_000)
            .await
            .unwrap();
        assert_eq!(credited.status(), StatusCode::OK);
    }
    let past = now_ms() - 1_000;
    let reff_list = unpaid
        .iter()
        .map(|r| format!("'{r}'"))
        .collect::<Vec<_>>()
        .join(",");
    on_db!(&db, pool => {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE payment_link_histories SET expired_at = {past} WHERE reff_no IN ({reff_list})"
        )))
        .execute(pool)
        .await
        .unwrap();
    });

    // Both instances' jobs expire, settle and deliver; each row once.
    let half = (PAYERS / 2) as i64;
    let expired_count = "SELECT COUNT(*) FROM payment_link_histories WHERE status = 'expired'";
    assert_eq!(eventually(&db, expired_count, half).await, half);
    let settled = "SELECT COUNT(*) FROM payment_link_histories WHERE has_settle = TRUE";
    assert_eq!(eventually(&db, settled, half).await, half);
    let events = scalar(&db, "SELECT COUNT(*) FROM webhook_events").await;
    let delivered = "SELECT COUNT(*) FROM webhook_events WHERE status = 'delivered'";
    assert_eq!(eventually(&db, delivered, events).await, events);
    let settled_at = texts(
        &db,
        "SELECT CAST(settle_at AS TEXT) FROM payment_link_histories WHERE has_settle = TRUE ORDER BY id",
    )
    .await;

    // A few more passes of both instances change nothing: no row is settled or sent twice.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        scalar(&db, "SELECT current_usage FROM payment_links").await,
        half
    );
    assert_eq!(
        texts(
            &db,
            "SELECT CAST(settle_at AS TEXT) FROM payment_link_histories WHERE has_settle = TRUE ORDER BY id",
        )
        .await,
        settled_at,
        "a settled payment is never settled again"
    );
    let per_row = "SELECT COUNT(*) FROM (SELECT history_id, event_type FROM webhook_events
                   GROUP BY history_id, event_type HAVING COUNT(*) > 1) twice";
    assert_eq!(scalar(&db, per_row).await, 0, "one event per row and kind");
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM webhook_events WHERE history_id IS NOT NULL"
        )
        .await,
        // Each payment has its Singapay notification and its paid event; each expiry one.
        scalar(
            &db,
            "SELECT COUNT(*) FROM webhook_events WHERE event_type LIKE '%expired'"
        )
        .await
            + 2 * half,
    );
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM webhook_deliveries").await,
        events,
        "one try per event"
    );
    let mut received: HashMap<String, usize> = HashMap::new();
    for id in seen.lock().unwrap().iter() {
        *received.entry(id.clone()).or_default() += 1;
    }
    assert_eq!(
        received.len() as i64,
        events,
        "every event reached the merchant"
    );
    assert!(received.values().all(|n| *n == 1), "{received:?}");

    // Logging out on B ends the session on A too.
    let logged_out = owner
        .post(format!("{}/fn/logout", b.address))
        .header(ORIGIN, &b.address)
        .send()
        .await
        .unwrap();
    assert!(logged_out.status().is_success() || logged_out.status().is_redirection());
    let after = owner
        .get(format!("{}/accounts", a.address))
        .send()
        .await
        .unwrap();
    assert!(after.status().is_redirection(), "{}", after.status());

    a.kill();
    b.kill();
    db.close().await;
    if let Some(file) = file {
        remove_sqlite_file(&file);
    }
}

/// The Redis to share limits through: `TEST_REDIS_URL` (which must answer), else the local
/// default if one answers; `None` when there is none.
async fn test_redis() -> Option<String> {
    let (url, required) = match std::env::var("TEST_REDIS_URL") {
        Ok(url) => (url, true),
        Err(_) => ("redis://127.0.0.1:6379/".to_string(), false),
    };
    let probe = paylinks::rate_limit::SharedCounts::new(&url, "probe").unwrap();
    let answers = probe.answers(Duration::from_secs(2)).await;
    assert!(answers || !required, "TEST_REDIS_URL {url} does not answer");
    answers.then_some(url)
}

/// Waits, if need be, until at least 20 s remain of the current `window_ms` window, so the
/// counting below happens inside one window.
async fn well_inside_a_window(window_ms: i64) {
    let left = window_ms - now_ms().rem_euclid(window_ms);
    if left < 20_000 {
        tokio::time::sleep(Duration::from_millis(left as u64 + 100)).await;
    }
}

/// One API credential issued with the server's command line; `(api_key, token, account)`.
async fn api_client_of(database: &str, server: &Server) -> (String, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_paylinks"))
        .args(["credentials", "create", "--email", "api@limits.id"])
        .args(["--password", PASSWORD, "--merchant", "Toko Batas"])
        .env("DATABASE_URL", database)
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(output.status.success());
    let issued: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let text = |key: &str| issued[key].as_str().unwrap().to_string();
    let date = paylinks::api::tokens::wib_date(now_ms());
    let signature =
        paylinks::api::tokens::token_signature(&text("client_id"), &text("client_secret"), &date);
    let token: serde_json::Value = Client::new()
        .post(format!("{}/api/v1.1/access-token/b2b", server.address))
        .header("X-PARTNER-ID", text("api_key"))
        .header("X-CLIENT-ID", text("client_id"))
        .header("X-Signature", signature)
        .json(&serde_json::json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["data"]["access_token"].as_str().unwrap().to_string();
    (text("api_key"), token, text("account_id"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_hold_clients_to_one_limit_through_redis() {
    let Some(redis) = test_redis().await else {
        eprintln!("skipped: no Redis answers (set TEST_REDIS_URL)");
        return;
    };
    let (database, _file) = test_database("shared-limits").await;
    // A prefix of this run's own: earlier runs' counts in the same window stay apart.
    let prefix = format!("paylinks-test-{}", now_ms());
    let settings = [
        ("REDIS_URL", redis.as_str()),
        ("REDIS_PREFIX", prefix.as_str()),
        ("API_RATE_LIMIT_PER_MINUTE", "6"),
        ("PAYER_ATTEMPTS_PER_IP", "4"),
    ];
    let a = start(&database, free_port(), &settings).await;
    let b = start(&database, free_port(), &settings).await;
    let servers = [&a, &b];
    for server in servers {
        let ready = reqwest::get(format!("{}/ready", server.address))
            .await
            .unwrap();
        assert_eq!(
            ready.status(),
            StatusCode::OK,
            "Redis and the database answer"
        );
    }

    // Six API calls a minute for one credential, wherever they land.
    let (api_key, token, account) = api_client_of(&database, &a).await;
    well_inside_a_window(60_000).await;
    let list = |server: &Server| {
        Client::new()
            .get(format!(
                "{}/api/v1.0/payment-link-manage/{account}",
                server.address
            ))
            .bearer_auth(&token)
            .header("X-PARTNER-ID", &api_key)
            .send()
    };
    for n in 0..6 {
        let answer = list(servers[n % 2]).await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "call {n}");
    }
    for server in servers {
        let refused = list(server).await.unwrap();
        assert_eq!(
            refused.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "the seventh call, on either instance"
        );
    }

    // Four new attempts per payer address per 10 minutes, wherever they start.
    let owner = merchant_with_webhooks(&a, "owner@limits.id", "http://127.0.0.1:9/hooks").await;
    let db = Db::connect(&database).await.unwrap();
    let accounts = texts(
        &db,
        "SELECT a.id FROM accounts a JOIN users u ON u.merchant_id = a.merchant_id
         WHERE u.email = 'owner@limits.id'",
    )
    .await;
    create_link(&a, &owner, &accounts[0], "100").await;
    let slug = texts(&db, "SELECT slug FROM payment_links").await.remove(0);
    well_inside_a_window(10 * 60_000).await;
    let pay = |server: &Server| {
        Client::new()
            .post(format!("{}/fn/pay", server.address))
            .header(ORIGIN, &server.address)
            .header("Accept", "application/json")
            .form(&[("slug", slug.as_str()), ("method", "QRIS")])
            .send()
    };
    for n in 0..4 {
        let started = pay(servers[n % 2]).await.unwrap();
        assert!(
            started.status().is_success(),
            "attempt {n}: {}",
            started.status()
        );
    }
    for server in servers {
        let refused = pay(server).await.unwrap();
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    }

    // An instance whose Redis does not answer is not ready, though it runs (and counts its
    // own limits meanwhile).
    let unreachable = format!("redis://127.0.0.1:{}/", free_port());
    let lost = start(
        &database,
        free_port(),
        &[("REDIS_URL", unreachable.as_str())],
    )
    .await;
    let ready = reqwest::get(format!("{}/ready", lost.address))
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.text().await.unwrap(), "Redis does not answer");
    let answer = list(&lost).await.unwrap();
    assert_eq!(
        answer.status(),
        StatusCode::OK,
        "limits fall back to this instance"
    );
    for server in [a, b, lost] {
        server.kill();
    }
}
