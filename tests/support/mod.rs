//! The real server binary as a child process, for the tests that kill, restart or run it
//! twice: its start and stop, a browser for its pages, a merchant set up through them, and a
//! webhook receiver that records every delivery.

#![allow(dead_code)] // Each test crate uses its own part of this.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode as AxumStatus;
use reqwest::header::{HeaderMap, HeaderValue, ORIGIN};
use reqwest::{Client, StatusCode};

pub const SECRET: &str = "process-test-secret";
pub const PASSWORD: &str = "correct horse battery";

pub struct Server {
    pub child: Child,
    pub address: String,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the server binary on `database` with `extra` settings, and waits until it answers.
pub async fn start(database: &str, port: u16, extra: &[(&str, &str)]) -> Server {
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
        .envs(extra.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server");
    for _ in 0..400 {
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
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub fn browser(&self) -> Client {
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

    /// Calls a server function as a page of this server would.
    pub async fn call(
        &self,
        client: &Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(format!("{}/fn/{endpoint}", self.address))
            // Behind one load balancer every instance has the same origin.
            .header(ORIGIN, &self.address)
            .form(form)
            .send()
            .await
            .unwrap()
    }
}

/// A webhook receiver answering 200 after `delay`; returns its URL and the `X-Event-ID` of
/// every delivery it got, in order.
pub async fn receiver(delay: Duration) -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let router = axum::Router::new().fallback({
        let seen = seen.clone();
        move |headers: axum::http::HeaderMap| {
            let seen = seen.clone();
            async move {
                tokio::time::sleep(delay).await;
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
pub async fn merchant_with_webhooks(server: &Server, email: &str, hook_url: &str) -> Client {
    let owner = server.browser();
    let signed_up = server
        .call(
            &owner,
            "signup",
            &[
                ("merchant_name", "Toko Proses"),
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

/// Creates a one-item link of Rp 100.000 with `max_usage` slots on the merchant's account.
pub async fn create_link(server: &Server, owner: &Client, account: &str, max_usage: &str) {
    let created = server
        .call(
            owner,
            "link_create",
            &[
                ("account_id", account),
                ("input[title]", "Kaos"),
                ("input[items][0][name]", "Kaos"),
                ("input[items][0][quantity]", "1"),
                ("input[items][0][unit_price]", "100000"),
                ("input[max_usage]", max_usage),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::OK);
}

/// The acquirer reports `amount` paid for attempt `reff` to the server at `address`, signed
/// with `secret` as the sandbox bank signs its callbacks.
pub async fn bank_pays(
    address: &str,
    secret: &str,
    reff: &str,
    transaction_id: &str,
    amount: i64,
) -> reqwest::Result<reqwest::Response> {
    bank_pays_with(
        &Client::new(),
        address,
        secret,
        reff,
        transaction_id,
        amount,
    )
    .await
}

/// [`bank_pays`] through a client kept across calls (a load test would run out of ports).
pub async fn bank_pays_with(
    client: &Client,
    address: &str,
    secret: &str,
    reff: &str,
    transaction_id: &str,
    amount: i64,
) -> reqwest::Result<reqwest::Response> {
    use paylinks::payments::callback::{sign, PaymentNotice, CALLBACK_PATH, SIGNATURE_HEADER};
    let body = serde_json::to_vec(&PaymentNotice {
        transaction_id: transaction_id.into(),
        attempt_reff_no: reff.into(),
        amount,
    })
    .unwrap();
    client
        .post(format!("{address}{CALLBACK_PATH}"))
        .header(SIGNATURE_HEADER, sign(secret, &body))
        .body(body)
        .timeout(Duration::from_secs(20))
        .send()
        .await
}

/// A fresh SQLite file for one test.
pub fn sqlite_file(folder: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{}.db", ulid::Ulid::new()))
}

pub fn remove_sqlite_file(file: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}

/// The database a test's server processes use: a fresh Postgres database when
/// `TEST_DATABASE_URL` names a Postgres server, else a new SQLite file (returned too, for
/// removal afterwards).
pub async fn test_database(name: &str) -> (String, Option<std::path::PathBuf>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin) if admin.starts_with("postgres") => {
            let database = format!(
                "paylinks_test_{}",
                ulid::Ulid::new().to_string().to_lowercase()
            );
            (fresh_postgres_database(&admin, &database).await, None)
        }
        _ => {
            let file = sqlite_file(name);
            (format!("sqlite:{}", file.display()), Some(file))
        }
    }
}

/// The single integer `sql` selects.
pub async fn scalar(db: &paylinks::db::Db, sql: &str) -> i64 {
    paylinks::on_db!(db, pool => sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)).fetch_one(pool).await.unwrap())
}

/// A fresh Postgres database next to the one `admin_url` names; returns its URL.
pub async fn fresh_postgres_database(admin_url: &str, name: &str) -> String {
    use sqlx::Executor;
    let admin = sqlx::PgPool::connect(admin_url)
        .await
        .expect("connect to Postgres");
    admin
        .execute(sqlx::AssertSqlSafe(format!(r#"CREATE DATABASE "{name}""#)))
        .await
        .expect("create the test database");
    admin.close().await;
    let mut url = url::Url::parse(admin_url).expect("TEST_DATABASE_URL is a URL");
    url.set_path(name);
    url.to_string()
}

pub mod smtp;
