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
    on_db!(db, pool => sqlx::query_scalar::<_, String>(sql).fetch_all(pool).await.unwrap())
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
        sqlx::query(&format!(
            "UPDATE payment_link_histories SET expired_at = {past} WHERE reff_no IN ({reff_list})"
        ))
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
