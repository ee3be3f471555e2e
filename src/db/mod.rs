//! Database access. One pool per backend, chosen at start from `DATABASE_URL`; every query is
//! written once in SQL both backends accept and compiled for each through [`on_db!`].

pub mod accounts;
pub mod audit;
pub mod checkpoint;
pub mod credentials;
pub mod exports;
pub mod histories;
pub mod idempotency;
pub mod links;
pub mod merchants;
pub mod methods;
pub mod outcomes;
pub mod overview;
pub mod payments;
pub mod seed;
pub mod team;
pub mod totals;
pub mod webhooks;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::config::{backend_of, Backend};
use crate::error::AppError;

/// Rows SQLite's driver may read ahead of the query consuming them.
const ROW_BUFFER: usize = 4096;

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
                        (2 * checkpoint::TRUNCATE_FRAMES).to_string(),
                    )
                    // The driver's thread hands rows to the query over a channel; with room
                    // for thousands (an export reads 5,000 at a time) it reads on instead of
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

    /// Applies the app's migrations and creates the session table.
    pub async fn migrate(&self) -> Result<(), AppError> {
        match self {
            Db::Sqlite(pool) => {
                sqlx::migrate!("migrations/sqlite").run(pool).await?;
                tower_sessions_sqlx_store::SqliteStore::new(pool.clone())
                    .migrate()
                    .await?;
            }
            Db::Postgres(pool) => {
                sqlx::migrate!("migrations/postgres").run(pool).await?;
                tower_sessions_sqlx_store::PostgresStore::new(pool.clone())
                    .migrate()
                    .await?;
            }
        }
        Ok(())
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
