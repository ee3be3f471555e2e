//! On Postgres each payer's reservation as its own statement costs a commit (a WAL flush), the
//! kept pending count's trigger and a round trip on a connection of its own, and payers queue
//! for the pool's connections. So payers' reservations waiting at the same moment are stored
//! together: two writer tasks each take what is queued (up to [`MOST_PER_COMMIT`]), hold
//! one stripe of each link in it, and insert them all in one statement committed once.
//!
//! Holding a stripe, a batch stores an attempt only while the link has room for every stripe
//! holder's whole batch ([`HEADROOM`]), as the proof in SECURITY.md ("Usage caps on
//! Postgres") needs; anything closer to the cap (or on a link with a stock, or a link that is
//! closed) is left for its payer to reserve holding the link alone. So is every reservation of
//! a batch that fails (a reference or VA number drawn twice): alone, only the one drawn twice
//! is refused.

use std::collections::HashMap;
use std::sync::Arc;

use sqlx::postgres::PgArguments;
use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot, Mutex};

use super::{Hold, Param, LOCK_CLASS, STRIPES};
use crate::db::Backend;
use crate::domain::ids::{AttemptId, LinkId};
use crate::error::AppError;

/// The most reservations one commit takes; the room kept below a cap grows with it.
const MOST_PER_COMMIT: usize = 16;

/// How many batches one server commits at once, each holding a stripe of its own. Two, as
/// measured on two cores: more writers commit smaller batches, and fewer payers a second
/// (four: about 15 % fewer, eight: about 35 %).
const WRITERS: i32 = 2;

/// The room a link must have left, beyond its paid and pending attempts, for a reservation
/// holding one stripe to be stored without counting exactly: every stripe may be held by a
/// batch storing up to [`MOST_PER_COMMIT`] on the link, uncommitted.
pub const HEADROOM: i64 = STRIPES as i64 * MOST_PER_COMMIT as i64;

/// `Some(id)`: stored; `None`: not stored in a batch, for the payer to reserve alone.
type Reply = Option<AttemptId>;

struct Queued {
    link_id: LinkId,
    reff_no: String,
    params: [Param; 20],
    reply: oneshot::Sender<Reply>,
}

/// The queue to the tasks committing reservations on one Postgres database. They end when
/// the last handle is dropped.
#[derive(Clone)]
pub struct StripeBatches {
    queue: mpsc::Sender<Queued>,
}

impl StripeBatches {
    pub fn start(pool: &PgPool) -> StripeBatches {
        let (queue, waiting) = mpsc::channel(4 * MOST_PER_COMMIT);
        let waiting = Arc::new(Mutex::new(waiting));
        for writer in 0..WRITERS {
            tokio::spawn(commit_batches(pool.clone(), writer, waiting.clone()));
        }
        StripeBatches { queue }
    }

    /// Stores the reservation with `params` in the next batch, if it can be.
    pub(super) async fn reserve(
        &self,
        link_id: LinkId,
        reff_no: &str,
        params: [Param; 20],
    ) -> Result<Reply, AppError> {
        let (reply, answer) = oneshot::channel();
        let queued = Queued {
            link_id,
            reff_no: reff_no.to_owned(),
            params,
            reply,
        };
        self.queue
            .send(queued)
            .await
            .map_err(|_| AppError::internal("the reservation writers have stopped"))?;
        answer
            .await
            .map_err(|_| AppError::internal("a reservation writer dropped a reservation"))
    }
}

async fn commit_batches(pool: PgPool, writer: i32, waiting: Arc<Mutex<mpsc::Receiver<Queued>>>) {
    loop {
        // One writer at a time takes what is queued; the others commit meanwhile.
        let batch = {
            let mut waiting = waiting.lock().await;
            let Some(first) = waiting.recv().await else {
                return;
            };
            let mut batch = vec![first];
            while batch.len() < MOST_PER_COMMIT {
                match waiting.try_recv() {
                    Ok(next) => batch.push(next),
                    Err(_) => break,
                }
            }
            batch
        };
        let (rows, payers): (Vec<_>, Vec<_>) = batch
            .into_iter()
            .map(|q| ((q.link_id, q.params), (q.reff_no, q.reply)))
            .unzip();
        let stored = match commit(&pool, stripe(writer), rows).await {
            Ok(stored) => stored,
            Err(error) => {
                tracing::warn!(%error, "a batch of reservations was not committed");
                HashMap::new()
            }
        };
        for (reff_no, payer) in payers {
            // A payer who went away meanwhile has their attempt all the same.
            let _ = payer.send(stored.get(&reff_no).copied());
        }
    }
}

/// A stripe no other writer of this server holds, drawn anew for each batch so that servers
/// sharing the database spread over all of them.
fn stripe(writer: i32) -> i32 {
    let turn = rand::Rng::gen_range(&mut rand::thread_rng(), 0..STRIPES / WRITERS);
    writer + WRITERS * turn
}

/// One transaction: the stripe of each link in the batch, taken in link order (as every
/// holder of several takes them, so none waits on another in a cycle), then one insert of
/// every row, whose count is read after the locks. Returns the attempts stored, by reference.
async fn commit(
    pool: &PgPool,
    stripe: i32,
    rows: Vec<(LinkId, [Param; 20])>,
) -> Result<HashMap<String, AttemptId>, sqlx::Error> {
    let lock_keys: Vec<i32> = rows.iter().map(|(link, _)| link.0 as i32).collect();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "SELECT pg_advisory_xact_lock($1, k)
         FROM (SELECT DISTINCT unnest($2::int4[]) AS k) keys ORDER BY k",
    )
    .bind(LOCK_CLASS + stripe)
    .bind(lock_keys)
    .execute(&mut *tx)
    .await?;
    let statement = super::statement(Backend::Postgres, Hold::Batch, false);
    let stored: Vec<(String, AttemptId)> = sqlx::query_as_with(statement, columns(rows)?)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(stored.into_iter().collect())
}

/// The rows' parameters as 20 arrays, `$1`…`$20` of the batch statement, which unnests them.
/// Each place holds one kind of parameter in every row (see `reserve_params`).
fn columns(rows: Vec<(LinkId, [Param; 20])>) -> Result<PgArguments, sqlx::Error> {
    use sqlx::Arguments;
    let mut ints: [Vec<Option<i64>>; 20] = Default::default();
    let mut texts: [Vec<Option<String>>; 20] = Default::default();
    for (_, params) in rows {
        for (place, param) in params.into_iter().enumerate() {
            match param {
                Param::Int(value) => ints[place].push(Some(value)),
                Param::MaybeInt(value) => ints[place].push(value),
                Param::Text(value) => texts[place].push(Some(value)),
                Param::MaybeText(value) => texts[place].push(value),
            }
        }
    }
    let mut args = PgArguments::default();
    for (ints, texts) in ints.into_iter().zip(texts) {
        if ints.is_empty() {
            args.add(texts)
        } else {
            args.add(ints)
        }
        .map_err(sqlx::Error::Encode)?;
    }
    Ok(args)
}
