//! How attempts end: paid, expired or failed. Each change is one transaction that also
//! writes the webhook events it causes, so an event exists exactly when its change does.

use crate::db::histories::{AttemptRow, ATTEMPT_COLUMNS};
use crate::db::Db;
use crate::domain::attempt::PaymentFlag;
use crate::domain::ids::AttemptId;
use crate::domain::Rupiah;
use crate::error::AppError;
use crate::model::LinkSnapshot;
use crate::model::PaymentAttempt;
use crate::on_db;
use crate::wire::events::{self, Subject};
use crate::write_events;

/// The columns of a [`LinkSnapshot`].
pub(crate) const LINK_SNAPSHOT_COLUMNS: &str = "id, merchant_id, account_id, slug, reff_no, \
    title, status, max_usage, current_usage, expired_at, total_amount, stock, units_paid";

/// The outcome of a provider's "paid" notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credit {
    Credited,
    /// The same provider transaction was credited before: nothing changes.
    AlreadyCredited,
}

pub struct PaidNotice<'a> {
    pub provider_transaction_id: &'a str,
    pub attempt_reff_no: &'a str,
    pub amount: i64,
    pub now_ms: i64,
    /// When the notice reached us: the attempt must have been live then, and it is the
    /// payment's date (a notice applied late, after a failure, keeps its arrival time).
    pub arrived_at_ms: i64,
    /// The notice as received, recorded as applied in the crediting transaction.
    pub notification: &'a crate::db::notifications::Record<'a>,
    /// Origin of payer URLs, for the events' link objects.
    pub public_base_url: &'a str,
    /// Mail is on: the payer who left an email gets a receipt, and the merchant's users who
    /// chose to hear of payments (and of a link used up) a notice, queued with the credit.
    pub mail: bool,
}

/// Marks an attempt paid whose money arrived while it was live, counts it on its link and
/// writes its events, in one transaction. An attempt the expiry job ended after the money
/// arrived (the two raced, or applying the notice had to wait) is paid all the same. A provider transaction id credits at most one attempt, once: the status
/// guard and the UNIQUE column make repeated or concurrent notices no-ops. Money that arrived
/// is always recorded: a payment that takes its link past the usage cap (possible only when
/// clocks disagree about an attempt's expiry) is credited and flagged `over_cap`.
pub async fn credit(db: &Db, notice: PaidNotice<'_>) -> Result<Credit, AppError> {
    if crate::db::retry_contended(|| credit_once(db, &notice)).await? {
        return Ok(Credit::Credited);
    }
    why_not_credited(db, &notice).await
}

/// One try of [`credit`]: true when this notice credited the attempt.
async fn credit_once(db: &Db, notice: &PaidNotice<'_>) -> Result<bool, AppError> {
    let lock_link = crate::db::lock_links_sql("reff_no = $1");
    let pay_attempt = format!(
        "UPDATE payment_link_histories
         SET status = 'paid', payment_date = $5, processed_timestamp = $1,
             provider_transaction_id = $2, updated_at = $1
         WHERE reff_no = $3 AND status IN ('pending', 'expired') AND expired_at > $5
           AND amount = $4
           AND provider_transaction_id IS NULL
         RETURNING {ATTEMPT_COLUMNS}"
    );
    let count_on_link = format!(
        "UPDATE payment_links SET current_usage = current_usage + 1, units_paid = units_paid + $3,
             updated_at = $1
         WHERE id = $2 RETURNING {LINK_SNAPSHOT_COLUMNS}"
    );
    let now = notice.now_ms;
    on_db!(db, pool => async {
        let mut tx = pool.begin().await?;
        if db.locks_rows() {
            sqlx::query(sqlx::AssertSqlSafe(lock_link.as_str()))
                .bind(notice.attempt_reff_no)
                .execute(&mut *tx)
                .await?;
        }
        let row: Option<AttemptRow> = sqlx::query_as(sqlx::AssertSqlSafe(pay_attempt.as_str()))
            .bind(now)
            .bind(notice.provider_transaction_id)
            .bind(notice.attempt_reff_no)
            .bind(notice.amount)
            .bind(notice.arrived_at_ms)
            .fetch_optional(&mut *tx)
            .await
            .map_err(credit_error)?;
        let Some(row) = row else {
            return Ok::<_, AppError>(false);
        };
        let mut attempt = PaymentAttempt::try_from(row)?;
        let link: LinkSnapshot = sqlx::query_as(sqlx::AssertSqlSafe(count_on_link.as_str()))
            .bind(now)
            .bind(attempt.payment_link_id)
            .bind(attempt.units)
            .fetch_one(&mut *tx)
            .await?;
        let over_cap = link.max_usage != crate::domain::link::UNLIMITED_USAGE
            && link.current_usage > link.max_usage;
        // Money verified is recorded even past the stock (a late payment of an attempt whose
        // units were given back): flagged like a payment past the cap, never refused.
        let over_stock = link.stock.is_some_and(|stock| link.units_paid > stock);
        if over_cap || over_stock {
            sqlx::query("UPDATE payment_link_histories SET flag = $1 WHERE id = $2")
                .bind(PaymentFlag::OverCap.as_str())
                .bind(attempt.id)
                .execute(&mut *tx)
                .await?;
            attempt.flag = Some(PaymentFlag::OverCap);
            tracing::warn!(attempt = %attempt.reff_no, "payment credited past its link's usage cap");
        }
        write_events!(tx, link.merchant_id, now, |_settings| {
            events::on_paid(&Subject {
                attempt: &attempt,
                link: &link,
                public_base_url: notice.public_base_url,
                now_ms: now,
            })
        });
        crate::db::notifications::record_try!(
            &mut *tx,
            notice.notification,
            crate::db::notifications::Standing::Applied("credited"),
            now
        )?;
        if notice.mail {
            use crate::domain::email;
            use crate::domain::notify::Topic;
            let told = email::Bilingual::write(|lang| {
                email::payment_received(
                    lang,
                    &link.title,
                    attempt.amount,
                    &attempt.method_name,
                    &attempt.reff_no,
                )
            });
            let key = format!("paid:{}", attempt.id);
            let topic = Topic::PaymentReceived;
            crate::queue_members_email!(tx, link.merchant_id, topic, &key, &told, now);
            if crate::domain::link::is_exhausted(link.current_usage, link.max_usage) {
                let told = email::Bilingual::write(|lang| {
                    email::link_exhausted(lang, &link.title, &link.reff_no, link.current_usage)
                });
                let key = format!("exhausted:{}:{}", link.id, link.current_usage);
                let topic = Topic::LinkExhausted;
                crate::queue_members_email!(tx, link.merchant_id, topic, &key, &told, now);
            }
            if let Some(to) = attempt.customer_email.as_deref().filter(|to| !to.is_empty()) {
                let (merchant, brand_color, logo_key): (String, Option<String>, Option<String>) =
                    sqlx::query_as(
                        "SELECT m.name, m.brand_color, l.logo_key FROM merchants m
                         LEFT JOIN merchant_logos l ON l.merchant_id = m.id WHERE m.id = $1",
                    )
                    .bind(link.merchant_id)
                    .fetch_one(&mut *tx)
                    .await?;
                let brand = crate::db::branding::Brand {
                    color: brand_color,
                    logo_key,
                };
                let logo_url = brand.logo_url(notice.public_base_url);
                let receipt = email::receipt(
                    attempt.payer_lang,
                    &email::Receipt {
                        merchant: &merchant,
                        title: &link.title,
                        amount: attempt.amount,
                        method: &attempt.method_name,
                        reference: &attempt.reff_no,
                        paid_at_ms: attempt.payment_date.unwrap_or(now),
                        customer: attempt.customer_name.as_deref(),
                        logo_url: logo_url.as_deref(),
                        brand_color: brand.color.as_deref(),
                    },
                );
                let key = format!("receipt:{}", attempt.id);
                crate::queue_email!(tx, link.merchant_id, "receipt", &key, to, &receipt, now);
            }
        }
        tx.commit().await?;
        Ok(true)
    }
    .await)
}

fn credit_error(error: sqlx::Error) -> AppError {
    if crate::db::is_unique_violation(&error, "provider_transaction_id") {
        AppError::Conflict("This provider transaction already paid another attempt.".into())
    } else {
        error.into()
    }
}

/// Nothing changed: either this very transaction was credited before, or say why not.
async fn why_not_credited(db: &Db, notice: &PaidNotice<'_>) -> Result<Credit, AppError> {
    let row: Option<(String, i64, i64, Option<String>)> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT status, amount, expired_at, provider_transaction_id
             FROM payment_link_histories WHERE reff_no = $1",
        )
        .bind(notice.attempt_reff_no)
        .fetch_optional(pool)
        .await?
    });
    let (status, amount, expired_at, transaction) = row.ok_or(AppError::NotFound)?;
    if transaction.as_deref() == Some(notice.provider_transaction_id) {
        return Ok(Credit::AlreadyCredited);
    }
    if status != "pending" && status != "expired" {
        return Err(AppError::Conflict(format!(
            "The attempt is already {status}."
        )));
    }
    if amount != notice.amount {
        return Err(AppError::field(
            "amount",
            format!("The amount must be exactly {}.", Rupiah(amount)),
        ));
    }
    if expired_at <= notice.arrived_at_ms {
        return Err(AppError::Conflict("The attempt has expired.".into()));
    }
    Err(AppError::Conflict("The attempt cannot be paid.".into()))
}

/// Gives up an attempt the provider could not issue, freeing its slot.
pub async fn mark_failed(
    db: &Db,
    attempt_id: AttemptId,
    now_ms: i64,
    public_base_url: &str,
) -> Result<(), AppError> {
    let fail = format!(
        "UPDATE payment_link_histories SET status = 'failed', updated_at = $1
         WHERE id = $2 AND status = 'pending' RETURNING {ATTEMPT_COLUMNS}"
    );
    let make_events: MakeEvents = |subject, _| events::on_failed(subject);
    end_one(db, &fail, make_events, attempt_id, now_ms, public_base_url)
        .await
        .map(|_| ())
}

/// The payer gives up their live attempt (to pay another way, or not at all): it ends now as
/// `expired`, which frees its slot at once and stops its instructions, with the events an
/// expiry writes. Not when money for it has arrived and waits to be applied. True when it
/// ended; false when it was no longer pending.
pub async fn cancel(
    db: &Db,
    attempt_id: AttemptId,
    now_ms: i64,
    public_base_url: &str,
) -> Result<bool, AppError> {
    let cancel = format!(
        "UPDATE payment_link_histories SET status = 'expired', expired_at = $1, updated_at = $1
         WHERE id = $2 AND status = 'pending' AND expired_at > $1
           AND NOT EXISTS (SELECT 1 FROM inbound_notifications n
                           WHERE n.attempt_reff_no = payment_link_histories.reff_no
                             AND n.status = 'received')
         RETURNING {ATTEMPT_COLUMNS}"
    );
    end_one(
        db,
        &cancel,
        expired_events,
        attempt_id,
        now_ms,
        public_base_url,
    )
    .await
}

/// Ends one attempt with `end` (`$1` = now, `$2` = the attempt, returning its columns) and
/// writes its events, in one transaction with its link locked. True when it changed.
async fn end_one(
    db: &Db,
    end: &str,
    make_events: MakeEvents,
    attempt_id: AttemptId,
    now_ms: i64,
    public_base_url: &str,
) -> Result<bool, AppError> {
    let lock_link = crate::db::lock_links_sql("id = $1");
    let read_link = format!("SELECT {LINK_SNAPSHOT_COLUMNS} FROM payment_links WHERE id = $1");
    crate::db::retry_contended(|| async {
        on_db!(db, pool => async {
        let mut tx = pool.begin().await?;
        if db.locks_rows() {
            sqlx::query(sqlx::AssertSqlSafe(lock_link.as_str())).bind(attempt_id).execute(&mut *tx).await?;
        }
        let row: Option<AttemptRow> = sqlx::query_as(sqlx::AssertSqlSafe(end))
            .bind(now_ms)
            .bind(attempt_id)
            .fetch_optional(&mut *tx)
            .await?;
        let ended = row.is_some();
        if let Some(row) = row {
            let attempt = PaymentAttempt::try_from(row)?;
            let link: LinkSnapshot = sqlx::query_as(sqlx::AssertSqlSafe(read_link.as_str()))
                .bind(attempt.payment_link_id)
                .fetch_one(&mut *tx)
                .await?;
            write_events!(tx, link.merchant_id, now_ms, |settings| {
                make_events(
                    &Subject {
                        attempt: &attempt,
                        link: &link,
                        public_base_url,
                        now_ms,
                    },
                    &settings,
                )
            });
        }
        tx.commit().await?;
        Ok::<_, AppError>(ended)
    }
    .await)
    })
    .await
}

/// Pending attempts past their expiry become `expired` (which frees their slots), with their
/// events. Returns how many.
pub async fn expire_due(db: &Db, now_ms: i64, public_base_url: &str) -> Result<u64, AppError> {
    let ending = Ending {
        status: "expired",
        // Not while a notification of its payment waits to be applied: money that arrived in
        // time is credited, however late applying it succeeds.
        // A gateway's attempt only once the gateway was asked after its end (reconciliation
        // found no payment and stopped the charge), or an hour after it if the gateway never
        // answered.
        due: "status = 'pending' AND expired_at <= $1
              AND NOT EXISTS (SELECT 1 FROM inbound_notifications n
                              WHERE n.attempt_reff_no = payment_link_histories.reff_no
                                AND n.status = 'received')
              AND (gateway_connection_id IS NULL OR gateway_checked_at >= expired_at
                   OR expired_at <= $1 - 3600000)",
        make_events: expired_events,
    };
    end_attempts(db, &ending, now_ms, public_base_url).await
}

/// How long an attempt may wait for its payment instructions before it counts as abandoned.
pub const UNISSUED_AFTER_MS: i64 = 2 * 60 * 1000;

/// Attempts reserved but never given instructions (the process died between the two steps)
/// become `failed`, freeing their slots, with their events. Returns how many.
pub async fn fail_unissued(db: &Db, now_ms: i64, public_base_url: &str) -> Result<u64, AppError> {
    let due = format!(
        "status = 'pending' AND payment_method_value = '' AND created_at <= $1 - {UNISSUED_AFTER_MS}"
    );
    let ending = Ending {
        status: "failed",
        due: &due,
        make_events: |subject, _| events::on_failed(subject),
    };
    end_attempts(db, &ending, now_ms, public_base_url).await
}

/// The webhook events an ended attempt causes, given its merchant's settings.
type MakeEvents = fn(&Subject<'_>, &crate::db::webhooks::SettingsRow) -> Vec<events::NewEvent>;

fn expired_events(
    subject: &Subject<'_>,
    settings: &crate::db::webhooks::SettingsRow,
) -> Vec<events::NewEvent> {
    events::on_expired(subject, settings.inquiry_url.is_some())
}

/// A batch end of attempts: which ones (`due`, with `$1` = now), the status they take and the
/// events each causes.
struct Ending<'a> {
    status: &'static str,
    due: &'a str,
    make_events: MakeEvents,
}

/// The most attempts one transaction ends: a backlog (a burst of payers who never paid) is
/// ended in steps, so no pass holds the links, or SQLite's write lock, for long, nor reads the
/// whole backlog into memory.
const MOST_ENDED_PER_COMMIT: u64 = 1000;

/// Ends the due attempts and writes each one's events, up to [`MOST_ENDED_PER_COMMIT`] per
/// transaction (each tried again if the database aborts it for contention) until none is
/// left. Concurrent runs change each attempt once: the status guard is checked again on rows
/// another run changed first.
async fn end_attempts(
    db: &Db,
    ending: &Ending<'_>,
    now_ms: i64,
    public_base_url: &str,
) -> Result<u64, AppError> {
    let mut ended = 0;
    loop {
        let step =
            crate::db::retry_contended(|| end_attempts_once(db, ending, now_ms, public_base_url))
                .await?;
        ended += step;
        if step < MOST_ENDED_PER_COMMIT {
            return Ok(ended);
        }
    }
}

async fn end_attempts_once(
    db: &Db,
    ending: &Ending<'_>,
    now_ms: i64,
    public_base_url: &str,
) -> Result<u64, AppError> {
    // Every link with a due attempt: a superset of this step's, which may differ by the time
    // the update picks them, so no attempt is changed without its link held first.
    let lock_links = crate::db::lock_links_sql(ending.due);
    let end = format!(
        "UPDATE payment_link_histories SET status = '{status}', updated_at = $1
         WHERE id IN (SELECT id FROM payment_link_histories WHERE {due}
                      LIMIT {MOST_ENDED_PER_COMMIT})
           AND {due}
         RETURNING {ATTEMPT_COLUMNS}",
        status = ending.status,
        due = ending.due,
    );
    let read_link = format!("SELECT {LINK_SNAPSHOT_COLUMNS} FROM payment_links WHERE id = $1");
    on_db!(db, pool => async {
        let mut tx = pool.begin().await?;
        if db.locks_rows() {
            sqlx::query(sqlx::AssertSqlSafe(lock_links.as_str())).bind(now_ms).execute(&mut *tx).await?;
        }
        let rows: Vec<AttemptRow> = sqlx::query_as(sqlx::AssertSqlSafe(end.as_str())).bind(now_ms).fetch_all(&mut *tx).await?;
        let changed = rows.len() as u64;
        for row in rows {
            let attempt = PaymentAttempt::try_from(row)?;
            let link: LinkSnapshot = sqlx::query_as(sqlx::AssertSqlSafe(read_link.as_str()))
                .bind(attempt.payment_link_id)
                .fetch_one(&mut *tx)
                .await?;
            write_events!(tx, link.merchant_id, now_ms, |settings| {
                (ending.make_events)(
                    &Subject {
                        attempt: &attempt,
                        link: &link,
                        public_base_url,
                        now_ms,
                    },
                    &settings,
                )
            });
        }
        tx.commit().await?;
        Ok::<_, AppError>(changed)
    }
    .await)
}
