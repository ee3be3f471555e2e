//! Benchmark baselines of the storage itself, measured in the same run as the app (`make
//! bench`), so the attempt-creation targets are shares of what this machine's databases can
//! do rather than numbers from another machine:
//!
//! - SQLite: one connection committing the bare shape of a reservation (a conditional
//!   `INSERT … SELECT` of the attempt plus the link's counter `UPDATE`, WAL,
//!   `synchronous=NORMAL`), back to back, each transaction sent as one string;
//! - Postgres (with `BENCH_POSTGRES_URL`): 32 connections committing independent `INSERT`s,
//!   and the same 32 reserving on one hot link row (row lock, insert, counter update), the
//!   ceiling a design that queues every payer behind one row lock meets;
//! - Postgres's attempt rows (with `BENCH_ATTEMPTS_URL`, a database the app has migrated and
//!   seeded, and `BENCH_ATTEMPTS_LINK`, a link in it): 32 connections each committing
//!   independent `INSERT`s of the row a payer's attempt is, into the app's own table (its
//!   indexes and triggers), with no count and no lock: what storing attempts costs with
//!   nothing shared. The rows are left for the caller to delete.
//!
//! Prints one JSON object of commits per second; each figure runs for `BENCH_STORAGE_SECONDS`
//! (default 5).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::{Connection, Executor};

const CLIENTS: usize = 32;

fn seconds() -> Duration {
    let seconds = std::env::var("BENCH_STORAGE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    Duration::from_secs(seconds)
}

#[tokio::main]
async fn main() {
    let mut figures = serde_json::Map::new();
    if let (Ok(url), Ok(link)) = (
        std::env::var("BENCH_ATTEMPTS_URL"),
        std::env::var("BENCH_ATTEMPTS_LINK"),
    ) {
        let link: i64 = link.parse().expect("BENCH_ATTEMPTS_LINK is a link id");
        figures.insert(
            "postgres_attempt_insert_per_s".into(),
            postgres_attempt_rows(&url, link).await.into(),
        );
        println!("{}", serde_json::Value::Object(figures));
        return;
    }
    figures.insert(
        "sqlite_reservation_per_s".into(),
        sqlite_reservations().await.into(),
    );
    if let Ok(url) = std::env::var("BENCH_POSTGRES_URL") {
        prepare_postgres(&url).await;
        const INSERT: &str = "INSERT INTO bench_attempts (link_id, created_at) VALUES (1, $1)";
        let insert = || sqlx::query(INSERT).bind(1_i64);
        figures.insert(
            "postgres_insert_per_s".into(),
            postgres_clients(&url, move |_, _| vec![insert()])
                .await
                .into(),
        );
        let hot_row = move |_, _| {
            vec![
                sqlx::query("SELECT current_usage FROM bench_links WHERE id = 1 FOR UPDATE"),
                insert(),
                sqlx::query(
                    "UPDATE bench_links SET current_usage = current_usage + 1 WHERE id = 1",
                ),
            ]
        };
        figures.insert(
            "postgres_hot_row_per_s".into(),
            postgres_clients(&url, hot_row).await.into(),
        );
        let mut db = sqlx::PgConnection::connect(&url).await.unwrap();
        db.execute("DROP TABLE bench_attempts, bench_links")
            .await
            .unwrap();
    }
    println!("{}", serde_json::Value::Object(figures));
}

async fn sqlite_reservations() -> f64 {
    let path = std::env::temp_dir().join(format!("bench-storage-{}.db", std::process::id()));
    let url = format!("sqlite:{}?mode=rwc", path.display());
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    db.execute(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         CREATE TABLE links (id INTEGER PRIMARY KEY, current_usage INTEGER NOT NULL,
                             max_usage INTEGER NOT NULL);
         CREATE TABLE attempts (id INTEGER PRIMARY KEY, link_id INTEGER NOT NULL,
                                created_at INTEGER NOT NULL);
         INSERT INTO links VALUES (1, 0, 1000000000);",
    )
    .await
    .unwrap();
    let (started, run_for) = (Instant::now(), seconds());
    let mut commits = 0u64;
    while started.elapsed() < run_for {
        // The whole transaction in one string: one trip to the connection's thread, so the
        // figure is SQLite's, not the driver's four round trips.
        let reservation = format!(
            "BEGIN IMMEDIATE;
             INSERT INTO attempts (link_id, created_at)
             SELECT id, {commits} FROM links WHERE id = 1 AND current_usage < max_usage;
             UPDATE links SET current_usage = current_usage + 1 WHERE id = 1 AND changes() = 1;
             COMMIT;"
        );
        sqlx::raw_sql(sqlx::AssertSqlSafe(reservation))
            .execute(&mut db)
            .await
            .unwrap();
        commits += 1;
    }
    let taken: i64 = sqlx::query_scalar("SELECT current_usage FROM links")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(taken as u64, commits, "every reservation took its slot");
    let rate = commits as f64 / started.elapsed().as_secs_f64();
    drop(db);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    rate
}

async fn prepare_postgres(url: &str) {
    let mut db = sqlx::PgConnection::connect(url).await.unwrap();
    db.execute(
        "DROP TABLE IF EXISTS bench_attempts, bench_links;
         CREATE TABLE bench_links (id BIGINT PRIMARY KEY, current_usage BIGINT NOT NULL);
         CREATE TABLE bench_attempts (id BIGSERIAL PRIMARY KEY, link_id BIGINT NOT NULL,
                                      created_at BIGINT NOT NULL);
         INSERT INTO bench_links VALUES (1, 0);",
    )
    .await
    .unwrap();
}

/// A payer's attempt as the app stores it (the link's merchant, account and reference read
/// from the link's row), each with its own reference and VA number, pending for an hour.
async fn postgres_attempt_rows(url: &str, link: i64) -> f64 {
    const ATTEMPT: &str = "INSERT INTO payment_link_histories (payment_link_id, merchant_id,
            account_id, reff_no, payment_link_reff_no, payment_method_code, payment_method_name,
            payment_method_value, amount, fee, net_amount, status, expired_at, created_at,
            updated_at, payer_lang, units)
        SELECT l.id, l.merchant_id, l.account_id, $2, l.reff_no, 'VA_BRI',
            'BRI Virtual Account', $3, l.total_amount, 0, l.total_amount, 'pending', $4, $5, $5,
            'id', 1
        FROM payment_links l WHERE l.id = $1";
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let attempt = move |client: usize, n: u64| {
        vec![sqlx::query(ATTEMPT)
            .bind(link)
            .bind(format!("BENCHROW{client:02}{n:013}"))
            .bind(format!("88{client:02}{n:012}"))
            .bind(now + 3_600_000)
            .bind(now)]
    };
    postgres_clients(url, attempt).await
}

type PgQuery = sqlx::query::Query<'static, sqlx::Postgres, sqlx::postgres::PgArguments>;

/// Commits per second of `CLIENTS` connections each running the statements `transaction`
/// gives (for the client's number and its count of commits so far) in one transaction, back
/// to back.
async fn postgres_clients<F>(url: &str, transaction: F) -> f64
where
    F: Fn(usize, u64) -> Vec<PgQuery> + Clone + Send + 'static,
{
    let stop = Arc::new(AtomicBool::new(false));
    let commits = Arc::new(AtomicU64::new(0));
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let mut db = sqlx::PgConnection::connect(url).await.unwrap();
        let (stop, commits, transaction) = (stop.clone(), commits.clone(), transaction.clone());
        clients.push(tokio::spawn(async move {
            let mut done = 0;
            while !stop.load(Ordering::Relaxed) {
                let mut statements = transaction(client, done);
                if statements.len() == 1 {
                    // One statement commits on its own: no BEGIN and COMMIT round trips.
                    statements.remove(0).execute(&mut db).await.unwrap();
                } else {
                    let mut tx = db.begin().await.unwrap();
                    for statement in statements {
                        statement.execute(&mut *tx).await.unwrap();
                    }
                    tx.commit().await.unwrap();
                }
                done += 1;
                commits.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(seconds()).await;
    stop.store(true, Ordering::Relaxed);
    let counted = commits.load(Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    for client in clients {
        client.await.unwrap();
    }
    counted as f64 / elapsed
}
