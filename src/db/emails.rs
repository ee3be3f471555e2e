//! The mail outbox: messages written in the transaction of what they tell of, claimed by the
//! mail worker for a while, and marked sent, retried later or given up.

use crate::db::Db;
use crate::error::AppError;
use crate::on_db;

/// The insert [`queue_email!`] runs: a message with a key it already has is not queued again.
pub const QUEUE_SQL: &str = "INSERT INTO outbound_emails
        (merchant_id, kind, dedupe_key, to_address, subject, text_body, html_body, status,
         next_try_at, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8)
    ON CONFLICT (dedupe_key) DO NOTHING";

/// Queues a message inside a transaction: `queue_email!(conn, merchant_id, kind, key, to,
/// &rendered, now_ms)`.
#[macro_export]
macro_rules! queue_email {
    (
        $conn:expr,
        $merchant_id:expr,
        $kind:expr,
        $key:expr,
        $to:expr,
        $rendered:expr,
        $now_ms:expr
    ) => {{
        let rendered: &$crate::domain::email::Rendered = $rendered;
        sqlx::query($crate::db::emails::QUEUE_SQL)
            .bind($merchant_id)
            .bind($kind)
            .bind($key)
            .bind($to)
            .bind(&rendered.subject)
            .bind(&rendered.text)
            .bind(&rendered.html)
            .bind($now_ms)
            .execute(&mut *$conn)
            .await?;
    }};
}

/// Picks a user's copy of a [`Bilingual`](crate::domain::email::Bilingual) message in SQL:
/// English for `lang = 'en'`, else Indonesian (a user who has not signed in yet has no
/// language, and Indonesian is the product's default). `lang` is the users' column, `en` and
/// `id` the numbers of the parameters holding the two copies.
pub fn by_language(lang: &str, en: u8, id: u8) -> String {
    format!("CASE WHEN {lang} = 'en' THEN ${en} ELSE ${id} END")
}

/// Queues a message to each of the merchant's users who chose `topic`, each in their own
/// language, inside a transaction: `queue_members_email!(conn, merchant_id, topic, key,
/// &bilingual, now_ms)`; each user's copy is keyed `key:user id`, so it exists once.
#[macro_export]
macro_rules! queue_members_email {
    ($conn:expr, $merchant_id:expr, $topic:expr, $key:expr, $told:expr, $now_ms:expr) => {{
        let topic: $crate::domain::notify::Topic = $topic;
        let told: &$crate::domain::email::Bilingual = $told;
        let pick = $crate::db::emails::by_language;
        let sql = format!(
            "INSERT INTO outbound_emails
                 (merchant_id, kind, dedupe_key, to_address, subject, text_body, html_body,
                  status, next_try_at, created_at)
             SELECT merchant_id, $2, $3 || ':' || CAST(id AS TEXT), email, {}, {}, {},
                    'pending', $10, $10
             FROM users WHERE merchant_id = $1 AND {} = TRUE
             ON CONFLICT (dedupe_key) DO NOTHING",
            pick("lang", 4, 7),
            pick("lang", 5, 8),
            pick("lang", 6, 9),
            topic.column()
        );
        sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind($merchant_id)
            .bind(topic.key())
            .bind($key)
            .bind(&told.en.subject)
            .bind(&told.en.text)
            .bind(&told.en.html)
            .bind(&told.id.subject)
            .bind(&told.id.text)
            .bind(&told.id.html)
            .bind($now_ms)
            .execute(&mut *$conn)
            .await?;
    }};
}

/// A message claimed for sending.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub tries: i64,
}

const CLAIM_SQL: &str = "UPDATE outbound_emails SET claimed_until = $1
    WHERE id IN (SELECT id FROM outbound_emails
                 WHERE status = 'pending' AND next_try_at <= $2 AND claimed_until <= $2
                 ORDER BY next_try_at, id LIMIT $3)
      AND status = 'pending' AND claimed_until <= $2
    RETURNING id, to_address, subject, text_body, html_body, tries";

/// Claims up to `limit` due messages for `lease_ms`; the outer guard, checked again on each
/// row after a concurrent claim commits, gives each message to one worker.
pub async fn claim_due(
    db: &Db,
    now_ms: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<Claimed>, AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query_as::<_, Claimed>(CLAIM_SQL)
            .bind(now_ms + lease_ms)
            .bind(now_ms)
            .bind(limit)
            .fetch_all(pool)
            .await?
    }))
}

pub async fn mark_sent(db: &Db, id: i64, now_ms: i64) -> Result<(), AppError> {
    on_db!(db, pool => {
        sqlx::query(
            "UPDATE outbound_emails SET status = 'sent', sent_at = $1, tries = tries + 1,
                 claimed_until = 0, last_error = NULL
             WHERE id = $2",
        )
        .bind(now_ms)
        .bind(id)
        .execute(pool)
        .await?;
    });
    Ok(())
}

/// A try failed: again at `next_try_at`, or given up (`None`).
pub async fn mark_failed_try(
    db: &Db,
    id: i64,
    error: &str,
    next_try_at: Option<i64>,
) -> Result<(), AppError> {
    let status = if next_try_at.is_some() {
        "pending"
    } else {
        "failed"
    };
    on_db!(db, pool => {
        sqlx::query(
            "UPDATE outbound_emails SET status = $1, tries = tries + 1, last_error = $2,
                 next_try_at = COALESCE($3, next_try_at), claimed_until = 0
             WHERE id = $4",
        )
        .bind(status)
        .bind(error)
        .bind(next_try_at)
        .bind(id)
        .execute(pool)
        .await?;
    });
    Ok(())
}

/// Queues the payer's notice of a refund that went through, in the refund's transaction;
/// nothing when the payer left no email.
pub async fn queue_refund_notice(
    tx: &mut crate::db::Tx,
    refund: &crate::model::Refund,
    payment: &crate::model::PaymentAttempt,
    now_ms: i64,
) -> Result<(), AppError> {
    let Some(to) = payment
        .customer_email
        .as_deref()
        .filter(|to| !to.is_empty())
    else {
        return Ok(());
    };
    let read = "SELECT m.id, m.name, l.title FROM payment_links l
        JOIN merchants m ON m.id = l.merchant_id WHERE l.id = $1";
    let key = format!("refund:{}", refund.id);
    crate::on_tx!(tx, conn => {
        let (merchant_id, merchant, title): (crate::domain::ids::MerchantId, String, String) =
            sqlx::query_as(read)
                .bind(payment.payment_link_id)
                .fetch_one(&mut *conn)
                .await?;
        let notice = crate::domain::email::refund_notice(
            payment.payer_lang,
            &crate::domain::email::RefundNotice {
                merchant: &merchant,
                title: &title,
                refunded: refund.amount,
                paid: payment.amount,
                reference: &payment.reff_no,
                reason: &refund.reason,
                at_ms: now_ms,
            },
            payment.customer_name.as_deref(),
        );
        crate::queue_email!(conn, merchant_id, "refund_notice", &key, to, &notice, now_ms);
    });
    Ok(())
}

/// Where a payment's receipt stands: `pending`, `sent` or `failed`; `None` when none was queued.
pub async fn receipt_status(
    db: &Db,
    history_id: crate::domain::ids::AttemptId,
) -> Result<Option<String>, AppError> {
    let key = format!("receipt:{}", history_id.0);
    let row: Option<(String,)> = on_db!(db, pool => {
        sqlx::query_as("SELECT status FROM outbound_emails WHERE dedupe_key = $1")
            .bind(&key)
            .fetch_optional(pool)
            .await?
    });
    Ok(row.map(|(status,)| status))
}

/// Queues a message in the transaction of what it tells of (see [`queue_email!`]).
pub async fn queue(
    tx: &mut crate::db::Tx,
    merchant_id: crate::domain::ids::MerchantId,
    kind: &str,
    dedupe_key: &str,
    to: &str,
    message: &crate::domain::email::Rendered,
    now_ms: i64,
) -> Result<(), AppError> {
    crate::on_tx!(tx, conn => {
        crate::queue_email!(conn, merchant_id, kind, dedupe_key, to, message, now_ms);
    });
    Ok(())
}

/// A merchant's name, for the messages that speak for it.
pub async fn merchant_name(
    tx: &mut crate::db::Tx,
    merchant_id: crate::domain::ids::MerchantId,
) -> Result<String, AppError> {
    let (name,): (String,) = crate::on_tx!(tx, conn => {
        sqlx::query_as("SELECT name FROM merchants WHERE id = $1")
            .bind(merchant_id)
            .fetch_one(conn)
            .await?
    });
    Ok(name)
}
