//! Reserving a slot: a new attempt is stored only while its link is open and unexpired and
//! the link's paid and live pending attempts (and units, where it has a stock) stay within its
//! limits, so concurrent payers can never oversell it.
//!
//! SQLite runs each reservation under its one write lock, payers' reservations of the same
//! moment committed together ([`ReservationBatches`]). On Postgres a popular link must not
//! make every payer queue behind one row: a reservation holds one of the link's [`STRIPES`]
//! advisory locks, so at most that many reserve at once, and stores its attempt without
//! counting anything while even all of them together could not overrun the cap; payers'
//! reservations of the same moment are stored together under one stripe ([`StripeBatches`]).
//! Nearer the cap (or on a link with a stock) it holds every stripe and counts exactly, as
//! SQLite does. The proof is in SECURITY.md, "Usage caps on Postgres".

use crate::db::histories::{AttemptRow, ATTEMPT_COLUMNS};
use crate::db::outcomes::LINK_SNAPSHOT_COLUMNS;
use crate::db::{Backend, Db};
use crate::domain::ids::{AttemptId, LinkId};
use crate::domain::Rupiah;
use crate::error::AppError;
use crate::model::{LinkSnapshot, PaymentAttempt};
use crate::on_db;
use crate::wire::events::{self, Subject};
use crate::write_events;
use std::sync::LazyLock;

mod postgres_batches;
mod sqlite_batches;
use postgres_batches::StripeBatches;
pub use postgres_batches::HEADROOM;
use sqlite_batches::ReservationBatches;

#[derive(Clone, Copy)]
pub struct NewAttempt<'a> {
    pub link_id: LinkId,
    pub reff_no: &'a str,
    pub method_code: &'a str,
    pub method_name: &'a str,
    /// What the provider issued (VA number, QRIS payload, checkout): empty only for an
    /// attempt stored to be failed at once, because the provider could not issue.
    pub value: &'a str,
    pub additional: Option<&'a str>,
    /// The link's total, or on an open-amount link what the payer chose.
    pub amount: Rupiah,
    /// What the attempt takes from the link's stock, and the quantities chosen (JSON array),
    /// when the payer chose any.
    pub units: i64,
    pub quantities: Option<&'a str>,
    /// The payer's answers (JSON array), when there are any.
    pub custom_values: Option<&'a str>,
    pub fee: Rupiah,
    /// The method's expiry; the link's own expiry caps it in SQL.
    pub expires_at: i64,
    pub customer_name: Option<&'a str>,
    pub customer_email: Option<&'a str>,
    pub customer_phone: Option<&'a str>,
    pub ip_address: Option<&'a str>,
    pub now_ms: i64,
    /// Set (to the origin of payer URLs) when the merchant's inquiry URL is to hear of the
    /// attempt: its event is written with it, in one transaction.
    pub announce_with: Option<&'a str>,
    /// The merchant's gateway connection that issued it (`None`: the sandbox), and the
    /// gateway's id of the charge.
    pub gateway_connection_id: Option<i64>,
    pub gateway_reference: Option<&'a str>,
    /// The payer's language, for what is written to them.
    pub payer_lang: crate::domain::lang::Lang,
}

/// How many payers may reserve on one Postgres link at once; also the headroom below the cap
/// under which a reservation counts exactly, holding the link alone.
pub const STRIPES: i32 = 16;

/// The first of the advisory lock classes ("PL" + stripe) the stripes use, in Postgres's
/// two-key lock space, which no single-key lock (sqlx's migration lock) shares.
const LOCK_CLASS: i32 = 0x504c_0000;

/// How a reservation holds its link on Postgres.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Hold {
    /// One stripe, taken by the statement itself (`reserve_striped_room`, migration 0035): it
    /// stores the attempt only with `STRIPES` slots to spare.
    Stripe,
    /// Every stripe (SQLite: its write lock), taken before the statement: it counts live
    /// pending attempts exactly.
    Alone,
    /// One stripe of each link, taken before the statement, which stores a batch of
    /// reservations ([`StripeBatches`]) with the stripe's room as `Stripe` does.
    Batch,
}

/// The lock class and key of one of the link's stripes, drawn at random. Two links sharing a
/// key (ids 2^32 apart) only share their stripes' queue.
fn any_stripe(link_id: LinkId) -> (i32, i32) {
    let stripe = rand::Rng::gen_range(&mut rand::thread_rng(), 0..STRIPES);
    (LOCK_CLASS + stripe, link_id.0 as i32)
}

/// Takes every stripe of the link in one order, so two reservations holding the link alone
/// cannot deadlock, and one holding a stripe waits for nothing else before it commits.
fn hold_every_stripe<'q, DB>(link_id: LinkId) -> sqlx::query::Query<'q, DB, DB::Arguments>
where
    DB: sqlx::Database,
    i32: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT pg_advisory_xact_lock($1 + s, $2) FROM generate_series(0, {}) AS s ORDER BY s",
            STRIPES - 1
        )
    });
    sqlx::query(SQL.as_str())
        .bind(LOCK_CLASS)
        .bind(link_id.0 as i32)
}

/// Holds the link alone on Postgres for a change that must see every reservation (its usage
/// limit lowered): reservations in progress commit first, new ones wait until it is done.
pub(crate) async fn hold_link_alone(
    conn: &mut sqlx::PgConnection,
    link_id: LinkId,
) -> Result<(), sqlx::Error> {
    hold_every_stripe(link_id).execute(conn).await?;
    Ok(())
}

/// Where payers' reservations are stored: the database, and the writers committing the
/// reservations of the same moment together (SQLite's thread, Postgres's tasks). Built once
/// per server; reserving only through it means no caller can bypass the batches by mistake.
#[derive(Clone)]
pub struct Reservations {
    db: Db,
    batches: Batches,
}

#[derive(Clone)]
enum Batches {
    Sqlite(ReservationBatches),
    Postgres(StripeBatches),
}

impl Reservations {
    /// Starts the writers.
    pub fn new(db: &Db) -> Reservations {
        let batches = match db {
            Db::Sqlite(pool) => Batches::Sqlite(ReservationBatches::start(pool)),
            Db::Postgres(pool) => Batches::Postgres(StripeBatches::start(pool)),
        };
        Reservations {
            db: db.clone(),
            batches,
        }
    }

    /// Stores a pending attempt, with its issued instructions, if the link is open,
    /// unexpired and has a free slot; `None` when it has not. When the attempt is to be
    /// announced, its inquiry event is written in the same transaction.
    pub async fn reserve(&self, new: NewAttempt<'_>) -> Result<Option<AttemptId>, AppError> {
        let db = &self.db;
        crate::db::retry_contended(|| async {
            let first = match (&self.batches, new.announce_with) {
                (Batches::Sqlite(batches), None) => {
                    return batches.reserve(reserve_params(&new)).await
                }
                (Batches::Postgres(batches), None) => {
                    let params = reserve_params(&new);
                    batches.reserve(new.link_id, new.reff_no, params).await?
                }
                (Batches::Postgres(_), Some(_)) => reserve_holding(db, &new, Hold::Stripe).await?,
                (Batches::Sqlite(_), Some(_)) => None,
            };
            match first {
                Some(id) => Ok(Some(id)),
                None => reserve_holding(db, &new, Hold::Alone).await,
            }
        })
        .await
    }
}

async fn reserve_holding(
    db: &Db,
    new: &NewAttempt<'_>,
    hold: Hold,
) -> Result<Option<AttemptId>, AppError> {
    let statement = statement(db.backend(), hold, new.announce_with.is_some());
    let stripe = (hold == Hold::Stripe).then(|| any_stripe(new.link_id));
    match (db, hold, new.announce_with) {
        // One statement committing on its own: SQLite's write lock is held only while it
        // runs, never across a wait for this task to send the COMMIT. (It returns no row: a
        // RETURNING statement commits only once the driver resets it, which may be after we
        // answered the payer.)
        (Db::Sqlite(pool), _, None) => {
            let done = sqlx::query_with(statement, reserve_args(pool, new, None)?)
                .execute(pool)
                .await
                .map_err(reserve_error)?;
            return Ok((done.rows_affected() == 1).then(|| AttemptId(done.last_insert_rowid())));
        }
        // One round trip on Postgres: the statement takes its stripe and commits on its own
        // (the driver reads the answer to its end, past the commit).
        (Db::Postgres(pool), Hold::Stripe, None) => {
            let row: Option<(AttemptId,)> =
                sqlx::query_as_with(statement, reserve_args(pool, new, stripe)?)
                    .fetch_optional(pool)
                    .await
                    .map_err(reserve_error)?;
            return Ok(row.map(|(id,)| id));
        }
        _ => {}
    }
    on_db!(db, pool => async {
        let mut tx = pool.begin().await?;
        if db.locks_rows() && hold == Hold::Alone {
            hold_every_stripe(new.link_id).execute(&mut *tx).await?;
        }
        let Some(public_base_url) = new.announce_with else {
            let row: Option<(AttemptId,)> = sqlx::query_as_with(statement, reserve_args(pool, new, stripe)?)
                .fetch_optional(&mut *tx)
                .await
                .map_err(reserve_error)?;
            tx.commit().await?;
            return Ok(row.map(|(id,)| id));
        };
        let row: Option<AttemptRow> = sqlx::query_as_with(statement, reserve_args(pool, new, stripe)?)
            .fetch_optional(&mut *tx)
            .await
            .map_err(reserve_error)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let attempt = PaymentAttempt::try_from(row)?;
        let link: LinkSnapshot = sqlx::query_as(READ_LINK.as_str())
            .bind(new.link_id)
            .fetch_one(&mut *tx)
            .await?;
        write_events!(tx, link.merchant_id, new.now_ms, |settings| {
            events::on_issued(
                &Subject {
                    attempt: &attempt,
                    link: &link,
                    public_base_url,
                    now_ms: new.now_ms,
                },
                settings.inquiry_url.is_some(),
            )
        });
        tx.commit().await?;
        Ok::<_, AppError>(Some(attempt.id))
    }
    .await)
}

static READ_LINK: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {LINK_SNAPSHOT_COLUMNS} FROM payment_links WHERE id = $1"));

/// The reservation statement for each database and hold: on SQLite returning nothing (see
/// `reserve_holding`) or the attempt, on Postgres its id (a batch's: with its reference) or
/// the attempt.
fn statement(backend: Backend, hold: Hold, returning_attempt: bool) -> &'static str {
    static ALL: LazyLock<[[String; 2]; 4]> = LazyLock::new(|| {
        let both = |backend, hold, returning_id| {
            [
                reserve_sql(backend, hold, returning_id),
                reserve_sql(backend, hold, &format!("RETURNING {ATTEMPT_COLUMNS}")),
            ]
        };
        [
            both(Backend::Sqlite, Hold::Alone, ""),
            both(Backend::Postgres, Hold::Alone, "RETURNING id"),
            both(Backend::Postgres, Hold::Stripe, "RETURNING id"),
            both(Backend::Postgres, Hold::Batch, "RETURNING reff_no, id"),
        ]
    });
    let variant = match (backend, hold) {
        (Backend::Sqlite, _) => 0,
        (Backend::Postgres, Hold::Alone) => 1,
        (Backend::Postgres, Hold::Stripe) => 2,
        (Backend::Postgres, Hold::Batch) => 3,
    };
    &ALL[variant][usize::from(returning_attempt)]
}

/// The check and the insert; `$1`…`$20` as [`reserve_args`] binds them (a batch: the same
/// places as arrays, one row of each per reservation). The amount must be the link's total,
/// or at least its minimum when the payer chooses it (the caller checked the maximum against
/// the same fixed bounds; quantities chosen change the total, so the amount of a link whose
/// payer chooses them is the caller's, checked against the items).
///
/// Paid slots are the link's `current_usage` (raised in the same transaction as each credit),
/// so only pending attempts are counted: through the link's kept count of them (migrations
/// 0011 and 0034, which includes those whose hold lapsed but the expiry job has not ended yet)
/// while that leaves room, else live ones through the (link, status, expiry) index. Holding
/// one stripe (`$21`, `$22`: its lock; a batch took its stripes before), the kept count must
/// leave room for every stripe's batch, and anything closer (or a stock, whose units are
/// counted live) stores nothing: the caller tries again alone. The stripe's function comes
/// last, so a link that cannot take the attempt anyway takes no lock.
fn reserve_sql(backend: Backend, hold: Hold, returning: &str) -> String {
    let p: [String; 20] = std::array::from_fn(|place| match hold {
        Hold::Batch => format!("n.p{}", place + 1),
        _ => format!("${}", place + 1),
    });
    let rows = match hold {
        Hold::Batch => format!(
            "unnest({}) AS n({}), ",
            (1..=20)
                .map(|place| format!("${place}"))
                .collect::<Vec<_>>()
                .join(", "),
            (1..=20)
                .map(|place| format!("p{place}"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => String::new(),
    };
    let [p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20] =
        &p;
    let pending = match backend {
        Backend::Sqlite => "l.pending_usage",
        // Migration 0035's function counts the same way.
        Backend::Postgres => {
            "(SELECT COALESCE(SUM(p.attempts), 0) FROM link_pending p WHERE p.link_id = l.id)"
        }
    };
    let live_pending = |what: &str| {
        format!(
            "(SELECT {what} FROM payment_link_histories h
              WHERE h.payment_link_id = l.id AND h.status = 'pending' AND h.expired_at > {p11})"
        )
    };
    let limits = match hold {
        Hold::Alone => format!(
            "(l.stock IS NULL OR l.units_paid + {p18} + {units} <= l.stock)
          AND CASE WHEN l.max_usage = 0 OR l.current_usage + {pending} < l.max_usage
              THEN TRUE
              ELSE l.current_usage + {count} < l.max_usage END",
            units = live_pending("COALESCE(SUM(h.units), 0)"),
            count = live_pending("COUNT(*)"),
        ),
        Hold::Stripe => {
            format!("l.stock IS NULL AND reserve_striped_room(l.id, $21, $22, {HEADROOM})")
        }
        Hold::Batch => format!(
            "l.stock IS NULL
          AND (l.max_usage = 0 OR l.current_usage + {pending} + {HEADROOM} <= l.max_usage)"
        ),
    };
    format!(
        "INSERT INTO payment_link_histories (payment_link_id, merchant_id, account_id, reff_no,
            payment_link_reff_no, payment_method_code, payment_method_name, payment_method_value,
            amount, fee, net_amount, status, expired_at, customer_name, customer_email,
            customer_phone, ip_address, created_at, updated_at, payment_method_additional,
            gateway_connection_id, gateway_reference, payer_lang, units, quantities,
            custom_values)
        SELECT l.id, l.merchant_id, l.account_id, {p2}, l.reff_no, {p3}, {p4}, {p12}, {p17},
            {p5}, {p17} - {p5}, 'pending',
            CASE WHEN l.expired_at IS NOT NULL AND l.expired_at < {p6} THEN l.expired_at
                 ELSE {p6} END,
            {p7}, {p8}, {p9}, {p10}, {p11}, {p11}, {p13}, {p14}, {p15}, {p16}, {p18}, {p19},
            {p20}
        FROM {rows}payment_links l
        WHERE l.id = {p1} AND l.status = 'open'
          AND (l.expired_at IS NULL OR l.expired_at > {p11})
          AND (l.total_amount = {p17} OR {p19} IS NOT NULL
               OR (l.open_amount IS NOT NULL AND l.total_amount < {p17}))
          AND {limits}
        {returning}"
    )
}

fn reserve_error(error: sqlx::Error) -> AppError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            taken(db.message()).unwrap_or_else(|| error.into())
        }
        _ => error.into(),
    }
}

/// What a unique index refused, by its message: two payers drew the same reference in the same
/// millisecond, or the provider issued a value a live attempt holds (a VA number); the caller
/// draws again. The live-value index (migration 0002) is named by its columns on SQLite, by
/// its name on Postgres.
fn taken(message: &str) -> Option<AppError> {
    if message.contains("reff_no") {
        Some(AppError::duplicate(
            "reff_no",
            "The attempt reference is taken.",
        ))
    } else if message.contains("payment_method_value")
        || message.contains("payment_link_histories_live_value")
    {
        Some(AppError::duplicate(
            "payment_method_value",
            "The issued instructions belong to another live attempt.",
        ))
    } else {
        None
    }
}

/// One parameter of the reservation statement, owned, in a form either driver binds.
pub(super) enum Param {
    Int(i64),
    MaybeInt(Option<i64>),
    Text(String),
    MaybeText(Option<String>),
}

/// `$1`…`$20` of the reservation statement, in order: the one list both the sqlx arguments
/// and SQLite's batch writer bind.
fn reserve_params(new: &NewAttempt<'_>) -> [Param; 20] {
    use Param::*;
    let text = |text: &str| Text(text.to_owned());
    let maybe = |text: Option<&str>| MaybeText(text.map(str::to_owned));
    [
        Int(new.link_id.0),
        text(new.reff_no),
        text(new.method_code),
        text(new.method_name),
        Int(new.fee.value()),
        Int(new.expires_at),
        maybe(new.customer_name),
        maybe(new.customer_email),
        maybe(new.customer_phone),
        maybe(new.ip_address),
        Int(new.now_ms),
        text(new.value),
        maybe(new.additional),
        MaybeInt(new.gateway_connection_id),
        maybe(new.gateway_reference),
        text(new.payer_lang.as_str()),
        Int(new.amount.value()),
        Int(new.units),
        maybe(new.quantities),
        maybe(new.custom_values),
    ]
}

/// [`reserve_params`] for the database of `_pool`, and `$21`, `$22` when it takes a stripe.
fn reserve_args<DB>(
    _pool: &sqlx::Pool<DB>,
    new: &NewAttempt<'_>,
    stripe: Option<(i32, i32)>,
) -> Result<DB::Arguments, sqlx::Error>
where
    DB: sqlx::Database,
    i32: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
    Option<String>: sqlx::Encode<'static, DB> + sqlx::Type<DB>,
{
    use sqlx::Arguments;
    let mut args = DB::Arguments::default();
    for param in reserve_params(new) {
        match param {
            Param::Int(value) => args.add(value),
            Param::MaybeInt(value) => args.add(value),
            Param::Text(value) => args.add(value),
            Param::MaybeText(value) => args.add(value),
        }
        .map_err(sqlx::Error::Encode)?;
    }
    if let Some((class, key)) = stripe {
        args.add(class).map_err(sqlx::Error::Encode)?;
        args.add(key).map_err(sqlx::Error::Encode)?;
    }
    Ok(args)
}
