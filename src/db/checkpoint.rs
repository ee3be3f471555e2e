//! SQLite checkpoints off the request path. Left to itself SQLite checkpoints inside the
//! commit that crosses its threshold, and that commit waits for two fsyncs; under steady
//! load, readers also keep the write-ahead log from ever starting over, so it grows without
//! bound. One background connection checkpoints instead: often and without blocking anyone,
//! and, once the log has grown past [`TRUNCATE_FRAMES`] and all of it is in the database file,
//! truncating it. Truncating waits for readers still on the log (at most [`TRUNCATE_WAIT`],
//! writers waiting too); with everything copied those are only readers that began before the
//! copy, so the wait is short. A long reader (an export) keeps the copy incomplete; then
//! truncation is only tried once the log passes four times the mark, so it stays bounded.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection};

use crate::error::AppError;

/// How often the log is copied into the database.
const PERIOD: Duration = Duration::from_millis(250);
/// Pages of log (4 KB each) past which it is truncated: 64 MB.
pub const TRUNCATE_FRAMES: i64 = 16_384;
const TRUNCATE_WAIT: Duration = Duration::from_millis(20);

/// Checkpoints the SQLite database at `database_url` until the task is aborted.
pub fn spawn(database_url: &str) -> Result<tokio::task::JoinHandle<()>, AppError> {
    let options = SqliteConnectOptions::from_str(database_url)
        .map_err(|e| AppError::config(format!("DATABASE_URL: {e}")))?
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(TRUNCATE_WAIT)
        .disable_statement_logging();
    Ok(tokio::spawn(async move {
        let mut connection = match options.connect().await {
            Ok(connection) => connection,
            Err(error) => {
                tracing::error!(%error, "the checkpointer cannot open the database");
                return;
            }
        };
        let mut ticks = tokio::time::interval(PERIOD);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = checkpoint(&mut connection).await {
                tracing::warn!(%error, "checkpoint failed; trying again");
                if connection.ping().await.is_err() {
                    match options.connect().await {
                        Ok(fresh) => connection = fresh,
                        Err(error) => tracing::error!(%error, "checkpointer reconnect failed"),
                    }
                }
            }
        }
    }))
}

async fn checkpoint(connection: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    // (blocked, frames in the log, frames copied into the database)
    let (_, frames, copied): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
        .fetch_one(&mut *connection)
        .await?;
    if frames > TRUNCATE_FRAMES && (copied == frames || frames > 4 * TRUNCATE_FRAMES) {
        // Busy (a reader held on past the wait) is no error: the next tick tries again.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}
