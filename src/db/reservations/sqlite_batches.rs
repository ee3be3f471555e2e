//! SQLite takes one writer at a time, and a writer that finds the lock taken sleeps in the busy
//! handler (1, 2, 5 … 100 ms) rather than being woken when it frees. So payers' reservations
//! are not each their own transaction: one thread takes every reservation waiting at that
//! moment and commits them together, each still its own statement. The batch costs one commit
//! and writes each page it changed once (the attempts table's and its indexes' last pages, the
//! link's row, the day's total bucket), where separate commits wrote them once each. A payer
//! is answered only after the commit that holds their attempt.
//!
//! The thread holds its own connection (rusqlite, on the same SQLite library sqlx links) and
//! runs the whole batch itself: through sqlx's driver every statement is a hand-off to the
//! connection's thread and back, two thread wake-ups each, which cost more than the statement.

use std::path::PathBuf;
use std::time::Duration;

use rusqlite::{CachedStatement, Connection, ErrorCode, TransactionBehavior};
use tokio::sync::{mpsc, oneshot};

use super::Param;
use crate::domain::ids::AttemptId;
use crate::error::AppError;

/// The most reservations one commit takes: enough to cover every payer waiting at once, few
/// enough that the write lock is never held long for the job loop and the dashboard.
const MOST_PER_COMMIT: usize = 64;

type Reply = Result<Option<AttemptId>, AppError>;

struct Queued {
    params: [Param; 20],
    reply: oneshot::Sender<Reply>,
}

/// The queue to the thread committing reservations on one SQLite database. The thread ends
/// when the last handle is dropped.
#[derive(Clone)]
pub struct ReservationBatches {
    queue: mpsc::Sender<Queued>,
}

impl ReservationBatches {
    /// Starts the committing thread on the database file of `pool`.
    pub fn start(pool: &sqlx::SqlitePool) -> ReservationBatches {
        let (queue, waiting) = mpsc::channel(4 * MOST_PER_COMMIT);
        let file = pool.connect_options().get_filename().to_path_buf();
        std::thread::Builder::new()
            .name("reservations".into())
            .spawn(move || commit_batches(file, waiting))
            .expect("the reservation writer's thread starts");
        ReservationBatches { queue }
    }

    /// Stores the reservation with `params` in the next batch.
    pub(super) async fn reserve(&self, params: [Param; 20]) -> Reply {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Queued { params, reply })
            .await
            .map_err(|_| AppError::internal("the reservation writer has stopped"))?;
        answer
            .await
            .map_err(|_| AppError::internal("the reservation writer dropped a reservation"))?
    }
}

fn commit_batches(file: PathBuf, mut waiting: mpsc::Receiver<Queued>) {
    let mut batch = Vec::with_capacity(MOST_PER_COMMIT);
    let mut writer = None;
    while let Some(first) = waiting.blocking_recv() {
        batch.push(first);
        while batch.len() < MOST_PER_COMMIT {
            match waiting.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let (params, payers): (Vec<_>, Vec<_>) =
            batch.drain(..).map(|q| (q.params, q.reply)).unzip();
        let replies = match commit(&file, &mut writer, params) {
            Ok(replies) => replies,
            Err(error) => {
                // Nothing of the batch was kept: each payer is told, none is left waiting.
                // The connection goes with its transaction; the next batch opens another.
                writer = None;
                let busy = is_busy(&error);
                tracing::warn!(%error, "a batch of reservations was not committed");
                payers
                    .iter()
                    .map(|_| {
                        Err(if busy {
                            AppError::Busy
                        } else {
                            AppError::Internal
                        })
                    })
                    .collect()
            }
        };
        for (payer, reply) in payers.into_iter().zip(replies) {
            // A payer who went away meanwhile has their attempt all the same, like one whose
            // connection dropped after a commit of its own.
            let _ = payer.send(reply);
        }
    }
}

/// The writer's own connection, set up as the pool's are (db::Db::connect). Kept for the
/// writer alone, which makes most of the writes, its page cache holds the pages every
/// reservation touches (the link, the indexes' last pages) from one batch to the next.
fn connection<'c>(
    file: &PathBuf,
    writer: &'c mut Option<Connection>,
) -> rusqlite::Result<&'c mut Connection> {
    if writer.is_none() {
        let connection = Connection::open(file)?;
        connection.busy_timeout(Duration::from_secs(10))?;
        connection.execute_batch(&format!(
            "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
             PRAGMA wal_autocheckpoint = {};",
            2 * crate::db::checkpoint::RESTART_FRAMES
        ))?;
        *writer = Some(connection);
    }
    Ok(writer.as_mut().expect("connected above"))
}

/// One transaction for the batch. A reservation refused by a unique index (a reference or
/// VA number drawn twice) fails alone: SQLite undoes only that statement, and its payer draws
/// again. Any other error ends the batch, before another statement runs: some errors end the
/// transaction itself, and later statements would commit on their own.
fn commit(
    file: &PathBuf,
    writer: &mut Option<Connection>,
    batch: Vec<[Param; 20]>,
) -> rusqlite::Result<Vec<Reply>> {
    let sql = super::statement(crate::db::Backend::Sqlite, super::Hold::Alone, false);
    let tx = connection(file, writer)?.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut replies = Vec::with_capacity(batch.len());
    {
        let mut statement = tx.prepare_cached(sql)?;
        let mut places = [0; 20];
        for (i, place) in places.iter_mut().enumerate() {
            // SQLite numbers parameters in the order they first appear, not by their names.
            *place = statement
                .parameter_index(&format!("${}", i + 1))?
                .ok_or(rusqlite::Error::InvalidParameterName(format!("${}", i + 1)))?;
        }
        for params in batch {
            match reserve(&mut statement, &places, params) {
                Ok(stored) => {
                    replies.push(Ok((stored == 1).then(|| AttemptId(tx.last_insert_rowid()))))
                }
                Err(error) => match refused_as_taken(&error) {
                    Some(taken) => replies.push(Err(taken)),
                    None => return Err(error),
                },
            }
        }
    }
    tx.commit()?;
    Ok(replies)
}

/// Runs the statement with `params` bound at `places`, where `$1`…`$20` are.
fn reserve(
    statement: &mut CachedStatement<'_>,
    places: &[usize; 20],
    params: [Param; 20],
) -> rusqlite::Result<usize> {
    for (&place, param) in places.iter().zip(params) {
        match param {
            Param::Int(value) => statement.raw_bind_parameter(place, value),
            Param::MaybeInt(value) => statement.raw_bind_parameter(place, value),
            Param::Text(value) => statement.raw_bind_parameter(place, value),
            Param::MaybeText(value) => statement.raw_bind_parameter(place, value),
        }?;
    }
    statement.raw_execute()
}

fn refused_as_taken(error: &rusqlite::Error) -> Option<AppError> {
    match error {
        rusqlite::Error::SqliteFailure(failure, Some(message))
            if failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            super::taken(message)
        }
        _ => None,
    }
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}
