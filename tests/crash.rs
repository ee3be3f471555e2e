//! Crash safety with the real server: SIGKILL while payers start attempts, while payments
//! are credited and while webhooks are in flight, on a real SQLite file. After a restart no
//! row is half-written (usage matches payments, every payment has its events) and every
//! event reaches the merchant. And SIGTERM lets the request in flight finish.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode as AxumStatus;
use paylinks::payments::callback::{sign, PaymentNotice, CALLBACK_PATH, SIGNATURE_HEADER};
use reqwest::header::{HeaderMap, HeaderValue, ORIGIN};
use reqwest::{Client, StatusCode};
use sqlx::SqlitePool;

const SECRET: &str = "crash-test-secret";
const PASSWORD: &str = "correct horse battery";

struct Server {
    child: Child,
    address: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the server binary on `database`, and waits until it answers.
async fn start(database: &str, port: u16) -> Server {
    let address = format!("http://127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_paylinks"))
        .env("DATABASE_URL", database)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("PUBLIC_BASE_URL", &address)
        .env("SANDBOX_CALLBACK_SECRET", SECRET)
        .env("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true")
        .env("WEBHOOK_LEASE_SECONDS", "2")
        .env("PAYER_ATTEMPTS_PER_IP", "100000")
        .env("PAYER_ATTEMPTS_PER_LINK", "100000")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server");
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("{address}/health")).await {
            if r.status().is_success() {
                return Server { child, address };
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not start");
}

impl Server {
    /// SIGKILL: no shutdown code runs.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    fn browser(&self) -> Client {
        let mut headers = HeaderMap::new();
        headers.insert(ORIGIN, HeaderValue::from_str(&self.address).unwrap());
        Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap()
    }

    async fn call(
        &self,
        client: &Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(format!("{}/fn/{endpoint}", self.address))
            .form(form)
            .send()
            .await
            .unwrap()
    }
}

/// A receiver that answers slowly, so deliveries are in flight when the server dies.
async fn slow_receiver() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let router = axum::Router::new().fallback({
        let seen = seen.clone();
        move |headers: axum::http::HeaderMap| {
            let seen = seen.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(300)).await;
                let id = headers
                    .get("x-event-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                seen.lock().unwrap().push(id);
                AxumStatus::OK
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, seen)
}

/// Signs a merchant up on `server` with an API credential and webhooks to `hook_url`;
/// returns the owner's browser.
async fn merchant_with_webhooks(server: &Server, email: &str, hook_url: &str) -> Client {
    let owner = server.browser();
    let signed_up = server
        .call(
            &owner,
            "signup",
            &[
                ("merchant_name", "Toko Crash"),
                ("email", email),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(signed_up.status().is_success() || signed_up.status().is_redirection());
    let issued = server.call(&owner, "credential_create", &[]).await;
    assert!(issued.status().is_success());
    let saved = server
        .call(
            &owner,
            "webhook_settings",
            &[("transaction_url", hook_url), ("enabled", "yes")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    owner
}

/// A fresh SQLite file for one test.
fn database_file() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("crash");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{}.db", ulid::Ulid::new()))
}

async fn scalar(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_mid_work_the_server_restarts_consistent_and_delivers_every_event() {
    let file = database_file();
    let database = format!("sqlite:{}", file.display());
    let port = free_port();
    let (hook_url, seen) = slow_receiver().await;

    // A merchant with webhooks on and a link with room for many payers.
    let server = start(&database, port).await;
    let owner = merchant_with_webhooks(&server, "owner@crash.id", &hook_url).await;
    let pool = SqlitePool::connect(&database).await.unwrap();
    let account: String = sqlx::query_scalar("SELECT id FROM accounts")
        .fetch_one(&pool)
        .await
        .unwrap();
    let created = server
        .call(
            &owner,
            "link_create",
            &[
                ("account_id", &account),
                ("input[title]", "Kaos"),
                ("input[items][0][name]", "Kaos"),
                ("input[items][0][quantity]", "1"),
                ("input[items][0][unit_price]", "100000"),
                ("input[max_usage]", "1000"),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::OK);
    let slug: String = sqlx::query_scalar("SELECT slug FROM payment_links")
        .fetch_one(&pool)
        .await
        .unwrap();

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
    tokio::time::sleep(Duration::from_millis(250)).await;
    server.kill();
    for task in payers {
        let _ = task.await;
    }
    let server = start(&database, port).await;
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
    let issued: Vec<String> = sqlx::query_scalar(
        "SELECT reff_no FROM payment_link_histories WHERE payment_method_value <> ''",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut callbacks = Vec::new();
    for (n, reff) in issued.iter().enumerate() {
        let body = serde_json::to_vec(&PaymentNotice {
            transaction_id: format!("BANK-{n}"),
            attempt_reff_no: reff.clone(),
            amount: 100_000,
        })
        .unwrap();
        let (address, signature) = (server.address.clone(), sign(SECRET, &body));
        callbacks.push(tokio::spawn(async move {
            let _ = Client::new()
                .post(format!("{address}{CALLBACK_PATH}"))
                .header(SIGNATURE_HEADER, signature)
                .body(body)
                .timeout(Duration::from_secs(5))
                .send()
                .await;
        }));
    }
    for _ in 0..500 {
        let paid = scalar(
            &pool,
            "SELECT COUNT(*) FROM payment_link_histories WHERE status = 'paid'",
        )
        .await;
        if paid > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.kill();
    for task in callbacks {
        let _ = task.await;
    }
    let server = start(&database, port).await;
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
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");

    // Kill once more while deliveries are in flight, then let the last start finish them.
    tokio::time::sleep(Duration::from_millis(200)).await;
    server.kill();
    let server = start(&database, port).await;
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
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_lets_the_request_in_flight_finish_then_exits_cleanly() {
    let file = database_file();
    let database = format!("sqlite:{}", file.display());
    let (hook_url, seen) = slow_receiver().await;
    let mut server = start(&database, free_port()).await;
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
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}
