//! Benchmark baselines of the storage itself, measured in the same run as the app (`make
//! bench`), so the attempt-creation targets are shares of what this machine's databases can
//! do rather than numbers from another machine:
//!
//! - SQLite: one connection committing the bare shape of a reservation (a conditional
//!   `INSERT … SELECT` of the attempt plus the link's counter `UPDATE`, WAL,
//!   `synchronous=NORMAL`), back to back, each transaction sent as one string;
//! - Postgres (with `BENCH_POSTGRES_URL`): 32 connections committing independent `INSERT`s,
//!   and the same 32 reserving on one hot link row (row lock, insert, counter update), the
//!   ceiling a design that queues every payer behind one row lock meets.
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
    figures.insert(
        "sqlite_reservation_per_s".into(),
        sqlite_reservations().await.into(),
    );
    if let Ok(url) = std::env::var("BENCH_POSTGRES_URL") {
        prepare_postgres(&url).await;
        let insert = "INSERT INTO bench_attempts (link_id, created_at) VALUES (1, $1)";
        figures.insert(
            "postgres_insert_per_s".into(),
            postgres_clients(&url, &[insert]).await.into(),
        );
        let hot_row = [
            "SELECT current_usage FROM bench_links WHERE id = 1 FOR UPDATE",
            insert,
            "UPDATE bench_links SET current_usage = current_usage + 1 WHERE id = 1",
        ];
        figures.insert(
            "postgres_hot_row_per_s".into(),
            postgres_clients(&url, &hot_row).await.into(),
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

/// Commits per second of `CLIENTS` connections each running `statements` in one transaction,
/// back to back.
async fn postgres_clients(url: &str, statements: &[&'static str]) -> f64 {
    let stop = Arc::new(AtomicBool::new(false));
    let commits = Arc::new(AtomicU64::new(0));
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let mut db = sqlx::PgConnection::connect(url).await.unwrap();
        let (stop, commits, statements) = (stop.clone(), commits.clone(), statements.to_vec());
        clients.push(tokio::spawn(async move {
            let bound = |statement: &'static str| {
                let query = sqlx::query(statement);
                if statement.contains("$1") {
                    query.bind(1_i64)
                } else {
                    query
                }
            };
            while !stop.load(Ordering::Relaxed) {
                if let [alone] = statements[..] {
                    // One statement commits on its own: no BEGIN and COMMIT round trips.
                    bound(alone).execute(&mut db).await.unwrap();
                } else {
                    let mut tx = db.begin().await.unwrap();
                    for statement in &statements {
                        bound(statement).execute(&mut *tx).await.unwrap();
                    }
                    tx.commit().await.unwrap();
                }
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
