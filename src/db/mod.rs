//! Database access. One pool per backend, chosen at start from `DATABASE_URL`; every query is
//! written once in SQL both backends accept and compiled for each through [`on_db!`].

pub mod accounts;
pub mod audit;
pub mod branding;
pub mod checkpoint;
pub mod credentials;
pub mod emails;
pub mod exports;
pub mod gateways;
pub mod histories;
pub mod idempotency;
pub mod links;
pub mod login_failures;
pub mod merchants;
pub mod methods;
pub mod notifications;
pub mod outcomes;
pub mod overview;
pub mod payments;
pub mod refunds;
pub mod reservations;
pub mod seed;
pub mod sessions;
pub mod team;
pub mod totals;
pub mod two_factor;
pub mod user_links;
pub mod user_sessions;
pub mod webhooks;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::error::AppError;

/// Rows SQLite's driver may read ahead of the query consuming them.
const ROW_BUFFER: usize = 1024;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same code against whichever pool is configured. The body is type-checked once per
/// backend, so a query that only one of them could decode does not compile.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// One transaction on whichever backend is configured: the unit a use case writes in, so its
/// checks, changes, audit entry and outbox events commit together or not at all. Dropped
/// without [`Tx::commit`], it rolls back.
#[derive(Debug)]
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Like [`on_db!`] for a transaction: `$conn` is the backend's connection inside it.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::db::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

impl Tx {
    pub async fn commit(self) -> Result<(), AppError> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }

    /// See [`Db::locks_rows`].
    pub fn locks_rows(&self) -> bool {
        matches!(self, Tx::Postgres(_))
    }
}

/// Which database a `DATABASE_URL` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend_of(database_url: &str) -> Result<Backend, AppError> {
    if database_url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(AppError::config(
            "DATABASE_URL must start with sqlite: or postgres://",
        ))
    }
}

impl Db {
    pub async fn connect(database_url: &str) -> Result<Db, AppError> {
        match backend_of(database_url)? {
            Backend::Sqlite => {
                let options = SqliteConnectOptions::from_str(database_url)
                    .map_err(|e| AppError::config(format!("DATABASE_URL: {e}")))?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    // In WAL mode NORMAL syncs at checkpoints rather than at every commit: a
                    // committed change survives the process being killed (tests/crash.rs), but
                    // the last ones before a power cut may be lost. That trade is SQLite's own
                    // advice for WAL; deployments that cannot take it run on Postgres.
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    // The server checkpoints in the background (db::checkpoint); this is the
                    // backstop for a process without it (the seed command, tests).
                    .pragma(
                        "wal_autocheckpoint",
                        (2 * checkpoint::RESTART_FRAMES).to_string(),
                    )
                    // The driver's thread hands rows to the query over a channel; with room
                    // for a thousand (an export reads 3,000 at a time) it reads on instead of
                    // waiting on the consumer row by row.
                    .row_buffer_size(ROW_BUFFER);
                if let Some(parent) = options.get_filename().parent() {
                    std::fs::create_dir_all(parent).map_err(AppError::internal)?;
                }
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(options)
                    .await?;
                Ok(Db::Sqlite(pool))
            }
            Backend::Postgres => {
                let pool = PgPoolOptions::new()
                    .max_connections(10)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(database_url)
                    .await?;
                Ok(Db::Postgres(pool))
            }
        }
    }

    /// Whether the database answers a trivial query within `timeout`.
    pub async fn answers(&self, timeout: std::time::Duration) -> bool {
        let ask =
            async { on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.is_ok()) };
        tokio::time::timeout(timeout, ask).await.unwrap_or(false)
    }

    /// Applies the app's migrations and creates the session table.
    pub async fn migrate(&self) -> Result<(), AppError> {
        match self {
            Db::Sqlite(pool) => {
                sqlx::migrate!("migrations/sqlite").run(pool).await?;
            }
            Db::Postgres(pool) => {
                sqlx::migrate!("migrations/postgres").run(pool).await?;
            }
        }
        sessions::Sessions::new(self.clone()).create_table().await?;
        Ok(())
    }

    pub async fn begin(&self) -> Result<Tx, AppError> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Postgres writers lock rows and must take them in one order; SQLite runs one writer at
    /// a time and has no row locks (nor `FOR UPDATE`).
    pub fn locks_rows(&self) -> bool {
        matches!(self, Db::Postgres(_))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }
}

/// True when the error is a unique-constraint violation whose constraint or message names
/// `hint` (SQLite names the columns, Postgres the constraint).
pub fn is_unique_violation(error: &sqlx::Error, hint: &str) -> bool {
    match error {
        sqlx::Error::Database(db) => db.is_unique_violation() && db.message().contains(hint),
        _ => false,
    }
}

/// How many times a transaction the database aborted for contention is run in all.
const CONTENTION_TRIES: u32 = 5;

/// Runs `work` (one whole transaction, safe to run again because an aborted transaction left
/// nothing behind) until it is not aborted for contention, up to [`CONTENTION_TRIES`] times,
/// with a short random pause between tries so the two sides do not collide again.
pub async fn retry_contended<T, F, Fut>(mut work: F) -> Result<T, AppError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let mut tries = 1;
    loop {
        match work().await {
            Err(AppError::Busy) if tries < CONTENTION_TRIES => {
                let pause_ms =
                    rand::Rng::gen_range(&mut rand::thread_rng(), 1..=10u64) * u64::from(tries);
                tokio::time::sleep(Duration::from_millis(pause_ms)).await;
                tries += 1;
            }
            outcome => return outcome,
        }
    }
}

/// The statement that locks the rows of the links whose attempts match `attempts_where` (its
/// parameters bound by the caller), in id order; run on Postgres only ([`Db::locks_rows`]). Every transaction that changes attempts
/// takes its locks in one order (link rows, then attempt rows, then the totals buckets their
/// triggers write), so no two of them can wait on each other in a cycle.
pub(crate) fn lock_links_sql(attempts_where: &str) -> String {
    format!(
        "SELECT id FROM payment_links WHERE id IN
             (SELECT payment_link_id FROM payment_link_histories WHERE {attempts_where})
         ORDER BY id FOR UPDATE"
    )
}

/// A case-insensitive "contains" pattern for `LOWER(col) LIKE $n ESCAPE '\\'`, with the
/// wildcards in the search text escaped so they match literally.
pub(crate) fn like_pattern(search: &str) -> String {
    let escaped = search
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}
