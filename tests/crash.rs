//! Crash safety with the real server: SIGKILL while payers start attempts, while payments
//! are credited and while webhooks are in flight, on a real SQLite file (and on Postgres in
//! the test command's Postgres pass, when TEST_DATABASE_URL names one). After a restart no
//! row is half-written (usage matches payments, every payment has its events) and every
//! event reaches the merchant. And SIGTERM lets the request in flight finish, and the
//! server keeps its SQLite log copied and bounded.

use std::process::Command;
use std::time::Duration;

use paylinks::db::Db;
use paylinks::on_db;
use reqwest::header::ORIGIN;
use reqwest::{Client, StatusCode};
use sqlx::SqlitePool;

mod support;

use support::*;

/// Waits (at most about five seconds) until the count `sql` selects is above zero.
async fn until_any(db: &Db, sql: &str) {
    for _ in 0..2500 {
        if scalar(db, sql).await > 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// The single text value `sql` selects.
async fn text(db: &Db, sql: &str) -> String {
    on_db!(db, pool => sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql)).fetch_one(pool).await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_mid_work_the_server_restarts_consistent_and_delivers_every_event() {
    let (database, file) = test_database("crash").await;
    let port = free_port();
    let (hook_url, seen) = receiver(Duration::from_millis(300)).await;

    // A merchant with webhooks on and a link with room for many payers.
    let server = start(&database, port, &[]).await;
    let owner = merchant_with_webhooks(&server, "owner@crash.id", &hook_url).await;
    let pool = Db::connect(&database).await.unwrap();
    let account = text(&pool, "SELECT id FROM accounts").await;
    create_link(&server, &owner, &account, "1000").await;
    let slug = text(&pool, "SELECT slug FROM payment_links").await;

    // Round 1: killed while 150 payers start attempts.
    let mut payers = Vec::new();
    for n in 0..150 {
        let (address, slug) = (server.address.clone(), slug.clone());
        payers.push(tokio::spawn(async move {
            let method = if n % 2 == 0 { "VA_BRI" } else { "QRIS" };
            let _ = Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap()
                .post(format!("{address}/fn/pay"))
                .header(ORIGIN, &address)
                .form(&[("slug", slug.as_str()), ("method", method)])
                .send()
                .await;
        }));
    }
    // Kill as soon as the first attempt has its instructions: the rest are mid-flight, and
    // round 2 has something to pay however slow this machine is.
    until_any(
        &pool,
        "SELECT COUNT(*) FROM payment_link_histories WHERE payment_method_value <> ''",
    )
    .await;
    server.kill();
    for task in payers {
        let _ = task.await;
    }
    let server = start(&database, port, &[]).await;
    let attempts = scalar(&pool, "SELECT COUNT(*) FROM payment_link_histories").await;
    let unissued = scalar(
        &pool,
        "SELECT COUNT(*) FROM payment_link_histories WHERE payment_method_value = ''",
    )
    .await;
    println!("killed during attempts: {attempts} attempts, {unissued} without instructions");
    assert!(attempts > 0);
    assert_eq!(
        scalar(&pool, "SELECT current_usage FROM payment_links").await,
        0
    );

    // Round 2: killed while the bank's callbacks for the issued attempts are credited.
    let issued: Vec<String> = on_db!(&pool, pool => sqlx::query_scalar(
        "SELECT reff_no FROM payment_link_histories WHERE payment_method_value <> ''",
    )
    .fetch_all(pool)
    .await
    .unwrap());
    let mut callbacks = Vec::new();
    for (n, reff) in issued.iter().enumerate() {
        let (address, reff) = (server.address.clone(), reff.clone());
        callbacks.push(tokio::spawn(async move {
            let answer = bank_pays(&address, SECRET, &reff, &format!("BANK-{n}"), 100_000).await;
            // What the acquirer was told: after a 2xx it will not send the notice again.
            answer.ok().map(|r| (reff, r.status()))
        }));
    }
    until_any(
        &pool,
        "SELECT COUNT(*) FROM payment_link_histories WHERE status = 'paid'",
    )
    .await;
    server.kill();
    let mut acknowledged = Vec::new();
    for task in callbacks {
        if let Ok(Some(answer)) = task.await {
            acknowledged.push(answer);
        }
    }
    let server = start(&database, port, &[]).await;
    println!("{} notices answered before the kill", acknowledged.len());
    for (reff, status) in &acknowledged {
        let sql = match status.as_u16() {
            // Credited: paid, whatever the kill did after.
            200 => format!(
                "SELECT COUNT(*) FROM payment_link_histories WHERE reff_no = '{reff}' AND status = 'paid'"
            ),
            // Received and kept to be applied: still there for the job loop.
            202 => format!(
                "SELECT COUNT(*) FROM inbound_notifications WHERE attempt_reff_no = '{reff}'
                   AND status IN ('received', 'applied')"
            ),
            _ => continue,
        };
        assert_eq!(
            scalar(&pool, &sql).await,
            1,
            "a notice answered {status} for {reff} was lost in the crash"
        );
    }
    let paid = scalar(
        &pool,
        "SELECT COUNT(*) FROM payment_link_histories WHERE status = 'paid'",
    )
    .await;
    println!(
        "killed during payments: {paid} of {} issued attempts paid",
        issued.len()
    );
    assert!(paid > 0, "some payments landed before the kill");
    assert_eq!(
        scalar(&pool, "SELECT current_usage FROM payment_links").await,
        paid,
        "usage counts exactly the paid attempts"
    );
    assert_eq!(
        scalar(
            &pool,
            "SELECT COUNT(*) FROM webhook_events WHERE event_type = 'payment-link-transaction'"
        )
        .await,
        paid,
        "every payment has its event, and no event lacks its payment"
    );
    assert_eq!(
        scalar(&pool, "SELECT COUNT(*) FROM payment_link_histories WHERE status = 'paid' AND provider_transaction_id IS NULL").await,
        0
    );
    if let Db::Sqlite(sqlite) = &pool {
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(sqlite)
            .await
            .unwrap();
        assert_eq!(integrity, "ok");
    }

    // Kill once more while deliveries are in flight, then let the last start finish them.
    tokio::time::sleep(Duration::from_millis(200)).await;
    server.kill();
    let server = start(&database, port, &[]).await;
    let events = scalar(&pool, "SELECT COUNT(*) FROM webhook_events").await;
    let mut delivered = 0;
    for _ in 0..300 {
        delivered = scalar(
            &pool,
            "SELECT COUNT(*) FROM webhook_events WHERE status = 'delivered'",
        )
        .await;
        if delivered == events {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!(
        "{events} events, {} deliveries seen",
        seen.lock().unwrap().len()
    );
    assert_eq!(
        delivered, events,
        "every event delivered after the restarts"
    );
    let mut received = seen.lock().unwrap().clone();
    received.sort();
    received.dedup();
    assert_eq!(
        received.len() as i64,
        events,
        "each event reached the receiver"
    );
    server.kill();
    pool.close().await;
    if let Some(file) = file {
        remove_sqlite_file(&file);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_lets_the_request_in_flight_finish_then_exits_cleanly() {
    let file = sqlite_file("crash");
    let database = format!("sqlite:{}", file.display());
    let (hook_url, seen) = receiver(Duration::from_millis(300)).await;
    let mut server = start(&database, free_port(), &[]).await;
    let owner = merchant_with_webhooks(&server, "owner@term.id", &hook_url).await;

    // "Send test event" waits for the slow receiver: it is in flight when SIGTERM arrives.
    let in_flight = {
        let (client, url) = (owner.clone(), format!("{}/fn/webhook_test", server.address));
        tokio::spawn(async move { client.post(url).send().await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let answer = in_flight
        .await
        .unwrap()
        .expect("the request in flight is answered");
    assert_eq!(answer.status(), StatusCode::OK);
    let result: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(result["response_status"], 200, "{result}");
    assert_eq!(seen.lock().unwrap().len(), 1);

    let mut exit = None;
    for _ in 0..100 {
        if let Some(status) = server.child.try_wait().unwrap() {
            exit = Some(status);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let exit = exit.expect("the server exits after SIGTERM");
    assert!(exit.success(), "{exit}");
    assert!(reqwest::get(format!("{}/health", server.address))
        .await
        .is_err());
    remove_sqlite_file(&file);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_copies_its_log_into_the_database_file_without_waiting_for_a_threshold() {
    let file = sqlite_file("checkpoint");
    let database = format!("sqlite:{}", file.display());
    let (hook_url, _) = receiver(Duration::ZERO).await;
    let server = start(&database, free_port(), &[]).await;
    let owner = merchant_with_webhooks(&server, "owner@log.id", &hook_url).await;
    let pool = Db::connect(&database).await.unwrap();
    let account = text(&pool, "SELECT id FROM accounts").await;
    pool.close().await;
    create_link(&server, &owner, &account, "10").await;

    // A few hundred KB of log is far below SQLite's own threshold, so only the background
    // checkpointer puts the link into the main file: a copy of that file alone shows it.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let copy = sqlite_file("checkpoint");
    std::fs::copy(&file, &copy).unwrap();
    let alone = Db::connect(&format!("sqlite:{}", copy.display()))
        .await
        .unwrap();
    assert_eq!(
        scalar(&alone, "SELECT COUNT(*) FROM payment_links").await,
        1,
        "the link is in the database file, not only in its log"
    );
    alone.close().await;
    server.kill();
    remove_sqlite_file(&copy);
    remove_sqlite_file(&file);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_truncates_a_log_grown_past_its_mark_once_it_is_copied() {
    let file = sqlite_file("checkpoint");
    let database = format!("sqlite:{}", file.display());
    let server = start(&database, free_port(), &[]).await;
    let wal = std::path::PathBuf::from(format!("{}-wal", file.display()));
    let wal_mb = || std::fs::metadata(&wal).map_or(0, |m| m.len()) / 1_000_000;

    // 80 MB in one transaction, then no more writes. SQLite never shrinks the file by
    // itself; only the server's checkpointer truncating it does.
    let pool = SqlitePool::connect(&database).await.unwrap();
    sqlx::query("CREATE TABLE filler (b BLOB)")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 80)
         INSERT INTO filler SELECT randomblob(1000000) FROM n",
    )
    .execute(&pool)
    .await
    .unwrap();
    let grown = wal_mb();
    assert!(grown >= 64, "the log grew to {grown} MB");
    pool.close().await;

    let mut size = grown;
    for _ in 0..100 {
        size = wal_mb();
        if size == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(size, 0, "the {grown} MB log was truncated");
    server.kill();
    remove_sqlite_file(&file);
}

/// SQLite from 3.7.0 to 3.51.2 can lose committed writes when a checkpoint races a writer
/// starting the log over (sqlite.org/wal.html, "WAL-reset bug"); the server checkpoints while
/// payers write, so the SQLite it links must have the fix.
#[tokio::test]
async fn the_linked_sqlite_has_the_wal_reset_fix() {
    let pool = SqlitePool::connect("sqlite::memory:").await.unwrap();
    let version: String = sqlx::query_scalar("SELECT sqlite_version()")
        .fetch_one(&pool)
        .await
        .unwrap();
    let parts: Vec<u32> = version.split('.').map(|p| p.parse().unwrap()).collect();
    assert!(parts >= vec![3, 51, 3], "SQLite {version}");
}
