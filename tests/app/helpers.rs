//! `spawn_app()`: the app on 127.0.0.1:0 with its own database and a cookie-keeping client.

use std::sync::Arc;

use leptos::config::LeptosOptions;
use paylinks::clock::ManualClock;
use paylinks::config::Settings;
use paylinks::db::Db;
use paylinks::on_db;
use paylinks::payments::sandbox::va::VaPrefixes;
use paylinks::startup::{build_router, build_state};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT_LANGUAGE, ORIGIN};
use reqwest::{Client, Response, StatusCode};

pub const PASSWORD: &str = "correct horse battery";
pub const METRICS_TOKEN: &str = "scraper-token-0001";
pub const SETTLEMENT_DELAY_MS: i64 = 3_600_000;
/// The key the tests' sandbox acquirer signs callbacks with.
pub const SANDBOX_SECRET: &str = "test-sandbox-secret";
/// 2026-11-25 10:00 WIB: a fixed "now" so expiry tests read like a calendar.
pub const START_MS: i64 = 1_795_575_600_000;
/// Seals gateway keys in the tests (32 bytes, base64).
pub const SECRET_KEY: &str = "dGVzdHMtc2VhbC1nYXRld2F5LWtleXMtd2l0aC1pdCE=";

pub struct TestApp {
    /// The merchant's browser; `app.call(..)` and friends go through it.
    pub browser: Browser,
    pub address: String,
    pub db: Db,
    pub clock: ManualClock,
    /// For running background jobs by hand.
    pub state: paylinks::state::AppState,
    sqlite_file: Option<std::path::PathBuf>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.state.settings.export_dir);
        if let Some(file) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// `spawn_app` with settings changed first, e.g. a tiny rate limit.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let name = format!(
        "paylinks_test_{}",
        ulid::Ulid::new().to_string().to_lowercase()
    );
    let (database_url, sqlite_file) = match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if admin_url.starts_with("postgres") => (
            crate::support::fresh_postgres_database(&admin_url, &name).await,
            None,
        ),
        _ => {
            let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("test-dbs");
            std::fs::create_dir_all(&dir).expect("create the test database folder");
            let file = dir.join(format!("{name}.db"));
            (format!("sqlite:{}", file.display()), Some(file))
        }
    };
    let db = Db::connect(&database_url)
        .await
        .expect("connect to the test database");
    db.migrate().await.expect("migrate the test database");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port");
    let addr = listener.local_addr().unwrap();
    let address = format!("http://{addr}");
    let mut settings = Settings {
        database_url,
        site_addr: addr,
        public_base_url: address.clone(),
        cookie_secure: false,
        log_filter: "warn".into(),
        log_json: false,
        metrics_token: Some(METRICS_TOKEN.into()),
        sandbox_callback_secret: SANDBOX_SECRET.into(),
        settlement_delay_ms: SETTLEMENT_DELAY_MS,
        va_prefixes: VaPrefixes::with_overrides("VA_BRI=77002").unwrap(),
        api_rate_limit_per_minute: 600,
        // Every test payer comes from 127.0.0.1: limits high enough for the concurrency tests.
        webhook_claim_lease_ms: paylinks::webhooks::deliver::CLAIM_LEASE_MS,
        redis_url: None,
        redis_prefix: "paylinks".into(),
        payer_attempts_per_ip: 100_000,
        payer_attempts_per_link: 100_000,
        trusted_proxy_hops: 0,
        header_read_timeout: paylinks::serve::HEADER_READ_TIMEOUT,
        job_interval: std::time::Duration::from_secs(30),
        // The tests' receivers listen on loopback.
        webhook_allow_private_targets: true,
        export_dir: std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("exports")
            .join(&name),
        secret_key: Some(SECRET_KEY.into()),
        midtrans_base_url: None,
        xendit_base_url: None,
        smtp_url: None,
        mail_from: "Toko via paylinks <receipts@paylinks.test>".into(),
    };
    configure(&mut settings);
    let leptos_options = LeptosOptions::builder()
        .output_name("paylinks")
        .site_addr(addr)
        .build();
    let clock = ManualClock::starting_at(START_MS);
    let state = build_state(
        settings,
        db.clone(),
        leptos_options,
        Arc::new(clock.clone()),
    );
    let router = build_router(state.clone());
    tokio::spawn(paylinks::serve::serve(
        listener,
        router,
        state.settings.header_read_timeout,
        std::future::pending(),
    ));

    TestApp {
        browser: Browser::new(&address),
        address,
        db,
        clock,
        state,
        sqlite_file,
    }
}

/// An HTTP client that behaves like a browser on our pages: keeps cookies, sends our Origin,
/// and shows redirects instead of following them.
pub struct Browser {
    pub client: Client,
    pub address: String,
}

impl std::ops::Deref for TestApp {
    type Target = Browser;
    fn deref(&self) -> &Browser {
        &self.browser
    }
}

impl TestApp {
    /// A second server process as after a restart: fresh state on the same database and
    /// clock. Returns its address.
    pub async fn restarted(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a free port");
        let address = format!("http://{}", listener.local_addr().unwrap());
        let state = build_state(
            (*self.state.settings).clone(),
            self.db.clone(),
            self.state.leptos_options.clone(),
            Arc::new(self.clock.clone()),
        );
        let header_read_timeout = state.settings.header_read_timeout;
        tokio::spawn(paylinks::serve::serve(
            listener,
            build_router(state),
            header_read_timeout,
            std::future::pending(),
        ));
        address
    }

    /// Another browser with its own cookies, e.g. a second merchant.
    pub fn new_browser(&self) -> Browser {
        Browser::new(&self.address)
    }
}

impl Browser {
    /// A browser that sends no Accept-Language and has chosen English for the dashboard (the
    /// tests read its English words); payer pages, which follow a choice of their own, keep
    /// their Indonesian default.
    pub fn new(address: &str) -> Self {
        let jar = reqwest::cookie::Jar::default();
        jar.add_cookie_str("dashboard_lang=en; Path=/", &address.parse().unwrap());
        Browser::with(address, HeaderMap::new(), jar)
    }

    /// A browser that has chosen nothing and whose Accept-Language is `accept_language`.
    pub fn speaking(address: &str, accept_language: &str) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert(
            ACCEPT_LANGUAGE,
            HeaderValue::from_str(accept_language).unwrap(),
        );
        Browser::with(address, headers, reqwest::cookie::Jar::default())
    }

    fn with(address: &str, mut headers: HeaderMap, jar: reqwest::cookie::Jar) -> Self {
        headers.insert(ORIGIN, HeaderValue::from_str(address).unwrap());
        let client = Client::builder()
            .cookie_provider(Arc::new(jar))
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            // A hung request fails its test by name instead of stalling the whole run.
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap();
        Browser {
            client,
            address: address.to_string(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// GET as a browser navigates: asking for HTML.
    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .header(reqwest::header::ACCEPT, "text/html")
            .send()
            .await
            .unwrap()
    }

    /// GET a page; returns its status and HTML.
    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.text().await.unwrap())
    }

    /// Calls a server function the way the hydrated app does (form-encoded, JSON back).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(&format!("/fn/{endpoint}")))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Starts a payment on a link's payer page as a payer would; the attempt's reference.
    pub async fn start_payment(&self, slug: &str, method: &str) -> String {
        let response = self
            .call("pay", &[("slug", slug), ("method", method)])
            .await;
        let status = response.status();
        let body = response.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "starting a payment failed: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// Turns webhooks on, to a receiver that never answers: events are written and kept.
    pub async fn enable_webhooks(&self, url: &str) {
        let response = self
            .call(
                "webhook_settings",
                &[("transaction_url", url), ("enabled", "yes")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "webhook settings");
    }

    /// The app's own OpenAPI document.
    pub async fn openapi_document(&self) -> serde_json::Value {
        self.client
            .get(self.url("/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Signs up a merchant (which logs it in) and returns its default account id.
    pub async fn sign_up(&self, merchant_name: &str, email: &str) -> String {
        let response = self
            .call(
                "signup",
                &[
                    ("merchant_name", merchant_name),
                    ("email", email),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "sign-up failed");
        self.default_account_id().await
    }

    /// Follows /dashboard, which lands on the first active account.
    pub async fn default_account_id(&self) -> String {
        let response = self.get("/dashboard").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        location
            .strip_prefix("/accounts/")
            .and_then(|rest| rest.strip_suffix("/links"))
            .unwrap_or_else(|| panic!("unexpected dashboard redirect {location}"))
            .to_string()
    }

    pub async fn log_in(&self, email: &str, password: &str) -> Response {
        self.call("login", &[("email", email), ("password", password)])
            .await
    }

    /// Creates a link from the dashboard form: a valid two-item link (Rp 200.000) unless
    /// `overrides` replaces or adds fields.
    pub async fn create_link(&self, account_id: &str, overrides: &[(&str, &str)]) -> Response {
        let mut form: Vec<(&str, &str)> = vec![
            ("account_id", account_id),
            ("input[title]", "Kaos dan topi"),
            ("input[items][0][name]", "Kaos"),
            ("input[items][0][quantity]", "2"),
            ("input[items][0][unit_price]", "75.000"),
            ("input[items][1][name]", "Topi"),
            ("input[items][1][quantity]", "1"),
            ("input[items][1][unit_price]", "50000"),
            ("input[max_usage]", "10"),
        ];
        for (key, value) in overrides {
            form.retain(|(k, _)| k != key);
            form.push((key, value));
        }
        self.call("link_create", &form).await
    }

    /// The credential just issued, read off the Developers page (api key, client id, secret).
    pub async fn fresh_secret(&self) -> (String, String, String) {
        let (status, html) = self.page("/developers").await;
        assert_eq!(status, StatusCode::OK);
        let grab = |label: &str| {
            let start = html
                .find(label)
                .unwrap_or_else(|| panic!("{label} in {html}"));
            let code = &html[start..];
            let open = code.find("<code").unwrap();
            let value_start = open + code[open..].find('>').unwrap() + 1;
            let value_end = value_start + code[value_start..].find('<').unwrap();
            code[value_start..value_end].to_string()
        };
        let fresh = (
            grab("API key (X-PARTNER-ID)"),
            grab("Client ID"),
            grab("Client secret"),
        );
        let (_, again) = self.page("/developers").await;
        assert!(!again.contains(&fresh.2), "the secret is shown once");
        fresh
    }

    /// Creates the default link and returns its id.
    pub async fn create_default_link(&self, account_id: &str) -> i64 {
        self.create_link_with(account_id, &[]).await
    }

    /// A link with these fields changed from the default; its id.
    pub async fn create_link_with(&self, account_id: &str, overrides: &[(&str, &str)]) -> i64 {
        let response = self.create_link(account_id, overrides).await;
        assert_eq!(response.status(), StatusCode::OK, "link creation failed");
        response.json::<i64>().await.unwrap()
    }
}

impl TestApp {
    /// The public slug of a link.
    pub async fn slug_of(&self, link_id: i64) -> String {
        self.scalar_text(&format!(
            "SELECT slug FROM payment_links WHERE id = {link_id}"
        ))
        .await
    }

    /// The link's kept count of pending attempts: one column on SQLite, striped on Postgres.
    pub async fn pending_usage(&self, link_id: i64) -> i64 {
        self.scalar(&match &self.db {
            Db::Sqlite(_) => {
                format!("SELECT pending_usage FROM payment_links WHERE id = {link_id}")
            }
            Db::Postgres(_) => format!(
                "SELECT CAST(COALESCE(SUM(attempts), 0) AS BIGINT) FROM link_pending
                 WHERE link_id = {link_id}"
            ),
        })
        .await
    }

    pub async fn count(&self, table: &str) -> i64 {
        self.scalar(&format!("SELECT COUNT(*) FROM {table}")).await
    }

    /// The single integer a query returns, read straight from the database.
    pub async fn scalar(&self, sql: &str) -> i64 {
        crate::support::scalar(&self.db, sql).await
    }

    /// The single text value a query returns.
    pub async fn scalar_text(&self, sql: &str) -> String {
        on_db!(&self.db, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(pool).await.unwrap())
    }

    /// One integer column of every row a query returns.
    pub async fn numbers(&self, sql: &str) -> Vec<i64> {
        on_db!(&self.db, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await.unwrap())
    }

    /// One text column of every row a query returns.
    pub async fn texts(&self, sql: &str) -> Vec<String> {
        texts(&self.db, sql).await
    }

    /// A pending BRI VA attempt of 200,000 on `link_id`, as the payer page stores it, due in
    /// an hour: for reserving straight through `state.reservations`.
    pub fn va_attempt<'a>(
        &self,
        link_id: paylinks::domain::ids::LinkId,
        reff_no: &'a str,
        value: &'a str,
    ) -> paylinks::db::reservations::NewAttempt<'a> {
        let now = self.state.now_ms();
        paylinks::db::reservations::NewAttempt {
            link_id,
            reff_no,
            method_code: "VA_BRI",
            method_name: "BRI Virtual Account",
            value,
            additional: None,
            amount: paylinks::domain::Rupiah(200_000),
            units: 1,
            quantities: None,
            custom_values: None,
            fee: paylinks::domain::Rupiah(0),
            expires_at: now + 3_600_000,
            customer_name: None,
            customer_email: None,
            customer_phone: None,
            ip_address: None,
            now_ms: now,
            announce_with: None,
            gateway_connection_id: None,
            gateway_reference: None,
            payer_lang: Default::default(),
        }
    }

    /// An attempt's row id (the API's history id), by its reference.
    pub async fn history_id(&self, reff: &str) -> String {
        self.scalar(&format!(
            "SELECT id FROM payment_link_histories WHERE reff_no = '{reff}'"
        ))
        .await
        .to_string()
    }

    /// What the dashboard's payment page shows of an attempt (its server function's answer).
    pub async fn payment_detail(&self, account: &str, reff: &str) -> serde_json::Value {
        let history_id = self.history_id(reff).await;
        let response = self
            .call(
                "payment",
                &[("account_id", account), ("history_id", &history_id)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    pub async fn bank_pays(&self, reff: &str, transaction_id: &str, amount: i64) -> Response {
        crate::support::bank_pays(&self.address, SANDBOX_SECRET, reff, transaction_id, amount)
            .await
            .unwrap()
    }

    pub async fn execute(&self, sql: &str) {
        match &self.db {
            Db::Sqlite(pool) => sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(pool)
                .await
                .map(|_| ()),
            Db::Postgres(pool) => sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(pool)
                .await
                .map(|_| ()),
        }
        .unwrap();
    }
}

/// The field errors of a 422 answer (or a 409 for a taken value), as field -> message.
pub async fn field_errors(response: Response) -> std::collections::BTreeMap<String, String> {
    let status = response.status();
    let body: serde_json::Value = response.json().await.unwrap();
    let (expected, key) = if body.get("Duplicate").is_some() {
        (StatusCode::CONFLICT, "Duplicate")
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, "Validation")
    };
    assert_eq!(status, expected, "{body}");
    serde_json::from_value(body[key].clone())
        .unwrap_or_else(|_| panic!("not a field error: {body}"))
}

/// One text column of every row `sql` returns.
pub async fn texts(db: &Db, sql: &str) -> Vec<String> {
    on_db!(db, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await.unwrap())
}
