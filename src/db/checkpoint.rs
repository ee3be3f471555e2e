//! SQLite checkpoints off the request path. Left to itself SQLite checkpoints inside the
//! commit that crosses its threshold, and that commit waits for two fsyncs; under steady
//! load, readers also keep the write-ahead log from ever starting over, so it grows without
//! bound. One background connection checkpoints instead: often and without blocking anyone.
//!
//! Starting the log over, and truncating it, blocks writers while readers still on the log
//! finish (at most [`START_OVER_WAIT`]), and truncating a large file takes longer still: done
//! every time the log passed 64 MB under a crowd of payers, those pauses were the slowest
//! 1.5 % of attempts (130–210 ms). So the log is truncated only once writes have paused (no
//! commit between two passes, everything copied), when nobody waits for it; under load it
//! is only started over, once it has passed [`RESTART_FRAMES`] and all of it is in the
//! database file, so the file stops growing there. Each pass runs one checkpoint, whose kind
//! the previous pass decided (see [`checkpoint`]). A long reader (an export) keeps the copy
//! incomplete; then starting over is only tried once the log passes four times the mark, so
//! it stays bounded.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection};

use crate::error::AppError;

/// How often the log is copied into the database.
const PERIOD: Duration = Duration::from_millis(250);
/// Pages of log (4 KB each) past which, under load, it is started over: 256 MB.
pub const RESTART_FRAMES: i64 = 65_536;
const START_OVER_WAIT: Duration = Duration::from_millis(20);

/// Checkpoints the SQLite database at `database_url` until the task is aborted.
pub fn spawn(database_url: &str) -> Result<tokio::task::JoinHandle<()>, AppError> {
    let options = SqliteConnectOptions::from_str(database_url)
        .map_err(|e| AppError::config(format!("DATABASE_URL: {e}")))?
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(START_OVER_WAIT)
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
        let mut last = LastPass::default();
        loop {
            ticks.tick().await;
            if let Err(error) = checkpoint(&mut connection, &mut last).await {
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

/// What a pass saw, which decides what the next one does.
#[derive(Default)]
struct LastPass {
    /// The log's length, in pages.
    frames: i64,
    next: Mode,
}

#[derive(Clone, Copy, Default)]
enum Mode {
    /// Copy what the log holds into the database, blocking no one.
    #[default]
    Copy,
    /// Copy, then start the log over from its beginning.
    StartOver,
    /// Copy, then cut the log file to nothing.
    Truncate,
}

/// One pass: one checkpoint, never two back to back. SQLite before 3.51.3 has the "WAL-reset
/// bug": a checkpoint starting right after one that copied the whole log, while a writer
/// starts the log over, can record pages as copied that never were, losing committed writes.
/// The bundled SQLite has the fix (`tests/crash.rs` checks); keeping passes [`PERIOD`] apart
/// also keeps this loop from ever provoking that race, should an older SQLite be linked.
async fn checkpoint(
    connection: &mut SqliteConnection,
    last: &mut LastPass,
) -> Result<(), sqlx::Error> {
    let sql = match last.next {
        Mode::Copy => "PRAGMA wal_checkpoint(PASSIVE)",
        Mode::StartOver => "PRAGMA wal_checkpoint(RESTART)",
        Mode::Truncate => "PRAGMA wal_checkpoint(TRUNCATE)",
    };
    // (blocked, frames in the log, frames copied into the database). Blocked (a writer or a
    // reader held on past the wait) is no error: the copy was done passively, and the next
    // pass decides again.
    let (_, frames, copied): (i64, i64, i64) =
        sqlx::query_as(sql).fetch_one(&mut *connection).await?;
    let quiet = frames == last.frames;
    last.frames = frames;
    let past_mark = frames > RESTART_FRAMES && (copied == frames || frames > 4 * RESTART_FRAMES);
    last.next = match last.next {
        _ if frames > 0 && copied == frames && quiet => Mode::Truncate,
        // A log just started over still reports its old length: copy once before judging.
        Mode::Copy if past_mark => Mode::StartOver,
        _ => Mode::Copy,
    };
    Ok(())
}
