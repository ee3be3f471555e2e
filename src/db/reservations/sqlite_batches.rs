//! SQLite takes one writer at a time, and a writer that finds the lock taken sleeps in the busy
//! handler (1, 2, 5 … 100 ms) rather than being woken when it frees. So payers' reservations
//! are not each their own transaction: one task takes every reservation waiting at that moment
//! and commits them together, each still its own statement. The batch costs one commit and
//! writes each page it changed once (the attempts table's and its indexes' last pages, the
//! link's row, the day's total bucket), where separate commits wrote them once each. A payer
//! is answered only after the commit that holds their attempt.

use sqlx::sqlite::{SqliteArguments, SqliteConnection, SqlitePool};
use sqlx::{ConnectOptions, Connection};
use tokio::sync::{mpsc, oneshot};

use crate::domain::ids::AttemptId;
use crate::error::AppError;

/// The most reservations one commit takes: enough to cover every payer waiting at once, few
/// enough that the write lock is never held long for the job loop and the dashboard.
const MOST_PER_COMMIT: usize = 64;

type Reply = Result<Option<AttemptId>, AppError>;

struct Queued {
    args: SqliteArguments,
    reply: oneshot::Sender<Reply>,
}

/// The queue to the task committing reservations on one SQLite database. The task ends when
/// the last handle is dropped.
#[derive(Clone)]
pub struct ReservationBatches {
    queue: mpsc::Sender<Queued>,
}

impl ReservationBatches {
    /// Starts the committing task; call within the server's runtime.
    pub fn start(pool: SqlitePool) -> ReservationBatches {
        let (queue, waiting) = mpsc::channel(4 * MOST_PER_COMMIT);
        tokio::spawn(commit_batches(pool, waiting));
        ReservationBatches { queue }
    }

    /// Runs `statement` (the reservation, returning nothing) with `args` in the next batch.
    pub(super) async fn reserve(&self, args: SqliteArguments) -> Reply {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Queued { args, reply })
            .await
            .map_err(|_| AppError::internal("the reservation writer has stopped"))?;
        answer
            .await
            .map_err(|_| AppError::internal("the reservation writer dropped a reservation"))?
    }
}

async fn commit_batches(pool: SqlitePool, mut waiting: mpsc::Receiver<Queued>) {
    let mut batch = Vec::with_capacity(MOST_PER_COMMIT);
    let mut writer = None;
    while waiting.recv_many(&mut batch, MOST_PER_COMMIT).await > 0 {
        let (args, payers): (Vec<_>, Vec<_>) = batch.drain(..).map(|q| (q.args, q.reply)).unzip();
        let replies = match commit(&pool, &mut writer, args).await {
            Ok(replies) => replies,
            Err(error) => {
                // Nothing of the batch was kept: each payer is told, none is left waiting.
                // The connection goes with its transaction; the next batch opens another.
                writer = None;
                let busy = matches!(AppError::from(error), AppError::Busy);
                let failed = || {
                    if busy {
                        AppError::Busy
                    } else {
                        AppError::Internal
                    }
                };
                payers.iter().map(|_| Err(failed())).collect()
            }
        };
        for (payer, reply) in payers.into_iter().zip(replies) {
            // A payer who went away meanwhile has their attempt all the same, like one whose
            // connection dropped after a commit of its own.
            let _ = payer.send(reply);
        }
    }
}

/// The writer's own connection, outside the pool. A connection drops its page cache whenever
/// another one wrote since its last transaction; kept for the writer alone, which makes most
/// of the writes, its cache holds the pages every reservation touches (the link, the indexes'
/// last pages) from one batch to the next.
async fn connection<'c>(
    pool: &SqlitePool,
    writer: &'c mut Option<SqliteConnection>,
) -> Result<&'c mut SqliteConnection, sqlx::Error> {
    if writer.is_none() {
        *writer = Some(pool.connect_options().connect().await?);
    }
    Ok(writer.as_mut().expect("connected above"))
}

/// One transaction for the batch. A reservation refused by a unique index (a reference or
/// VA number drawn twice) fails alone: SQLite undoes only that statement, and its payer draws
/// again. Any other error ends the batch, before another statement runs: some errors end the
/// transaction itself, and later statements would commit on their own.
async fn commit(
    pool: &SqlitePool,
    writer: &mut Option<SqliteConnection>,
    batch: Vec<SqliteArguments>,
) -> Result<Vec<Reply>, sqlx::Error> {
    let statement = super::statement(crate::db::Backend::Sqlite, super::Hold::Alone, false);
    let mut tx = connection(pool, writer)
        .await?
        .begin_with("BEGIN IMMEDIATE")
        .await?;
    let mut replies = Vec::with_capacity(batch.len());
    for args in batch {
        match sqlx::query_with(statement, args).execute(&mut *tx).await {
            Ok(done) => replies.push(Ok(
                (done.rows_affected() == 1).then(|| AttemptId(done.last_insert_rowid()))
            )),
            Err(error) if super::is_taken(&error) => replies.push(Err(super::reserve_error(error))),
            Err(error) => return Err(error),
        }
    }
    tx.commit().await?;
    Ok(replies)
}
