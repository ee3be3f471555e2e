//! Payments exports: the payments table's filter written to a CSV or XLSX file in the
//! background, a batch at a time by key, so memory stays flat however many rows there are.

mod download;
mod sinks;

pub use download::download;

use std::path::PathBuf;

use crate::db::histories::HistoryFilter;
use crate::db::payments::{self, Position};
use crate::domain::export::ExportFormat;
use crate::domain::ids::{AccountId, MerchantId};
use crate::model::PaymentAttempt;
use crate::state::AppState;
use sinks::{CsvSink, Sink, XlsxSink};

/// Rows read and written per step; progress is reported after each.
pub const BATCH: i64 = 3_000;
/// A running export that has not reported for this long was interrupted.
pub const ABANDONED_AFTER_MS: i64 = 10 * 60 * 1000;

/// One cell of an exported row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(i64),
    /// A moment (UTC milliseconds), written in WIB: ISO-8601 text in CSV, a date-time cell in
    /// XLSX so spreadsheets can sort and compute with it. `None` is an empty cell.
    Time(Option<i64>),
}

pub const COLUMNS: [&str; 20] = [
    "id",
    "reff_no",
    "payment_link_reff_no",
    "payment_method_code",
    "payment_method_name",
    "payment_method_value",
    "amount",
    "fee",
    "net_amount",
    "status",
    "customer_name",
    "customer_email",
    "customer_phone",
    "created_at",
    "expired_at",
    "payment_date",
    "has_settle",
    "settle_at",
    // Last, so readers of the earlier columns by position are unaffected.
    "refunded_amount",
    "custom_fields",
];

/// A row in the order of [`COLUMNS`].
pub fn cells(a: &PaymentAttempt, now_ms: i64) -> Vec<Cell> {
    let text = |s: &str| Cell::Text(s.to_string());
    let optional = |s: &Option<String>| Cell::Text(s.clone().unwrap_or_default());
    let time = Cell::Time;
    vec![
        Cell::Number(a.id.0),
        text(&a.reff_no),
        text(&a.payment_link_reff_no),
        text(&a.method_code),
        text(&a.method_name),
        text(a.value.as_deref().unwrap_or_default()),
        Cell::Number(a.amount.value()),
        Cell::Number(a.fee.value()),
        Cell::Number(a.net_amount.value()),
        text(a.status_computed(now_ms).as_str()),
        optional(&a.customer_name),
        optional(&a.customer_email),
        optional(&a.customer_phone),
        time(Some(a.created_at)),
        time(Some(a.expired_at)),
        time(a.payment_date),
        text(if a.has_settle { "yes" } else { "no" }),
        time(a.settle_at),
        Cell::Number(a.refunded.value()),
        text(&crate::domain::link::custom_fields::answers_line(
            &a.custom_values,
        )),
    ]
}

pub fn file_path(state: &AppState, id: &str, format: ExportFormat) -> PathBuf {
    state
        .settings
        .export_dir
        .join(format!("{id}.{}", format.as_str()))
}

/// One export being written.
pub struct Job {
    pub state: AppState,
    pub id: String,
    pub merchant_id: MerchantId,
    pub account_id: AccountId,
    pub filter: HistoryFilter,
    pub format: ExportFormat,
}

impl Job {
    /// Writes the file and records the outcome; a failure leaves no half-written file.
    pub async fn run(self) {
        let path = file_path(&self.state, &self.id, self.format);
        let outcome = self.write(&path).await;
        if outcome.is_err() {
            let _ = std::fs::remove_file(&path);
        }
        let outcome = outcome.map_err(|e| {
            tracing::error!(export = %self.id, error = %e, "export failed");
            "The export could not be written; try again.".to_string()
        });
        let rows = outcome.as_ref().ok().map(|(rows, _)| *rows);
        let finished =
            crate::db::exports::finish(&self.state.db, &self.id, outcome, self.state.now_ms())
                .await;
        if let Err(error) = finished {
            tracing::error!(export = %self.id, %error, "recording an export's end failed");
        } else if let (Some(rows), Some(_)) = (rows, &self.state.mailer) {
            if let Err(error) = self.tell_ready(rows).await {
                tracing::error!(export = %self.id, %error, "queueing an export's notice failed");
            }
        }
    }

    /// The user who started the export hears it is ready, if they chose to.
    async fn tell_ready(&self, rows: i64) -> Result<(), crate::error::AppError> {
        let state = &self.state;
        let link = format!(
            "{}/accounts/{}/exports",
            state.settings.public_base_url, self.account_id
        );
        let told = crate::domain::email::Bilingual::write(|lang| {
            crate::domain::email::export_ready(lang, rows, self.format.as_str(), &link)
        });
        let key = format!("export:{}", self.id);
        let now = state.now_ms();
        // The starter's copy in their language (see `queue_members_email!`).
        let pick = crate::db::emails::by_language;
        let sql = format!(
            "INSERT INTO outbound_emails
                 (merchant_id, kind, dedupe_key, to_address, subject, text_body, html_body,
                  status, next_try_at, created_at)
             SELECT u.merchant_id, 'export_ready', $2, u.email, {}, {}, {}, 'pending', $9, $9
             FROM exports e JOIN users u ON u.id = e.requested_by
             WHERE e.id = $1 AND u.{} = TRUE
             ON CONFLICT (dedupe_key) DO NOTHING",
            pick("u.lang", 3, 6),
            pick("u.lang", 4, 7),
            pick("u.lang", 5, 8),
            crate::domain::notify::Topic::ExportReady.column()
        );
        crate::on_db!(&state.db, pool => {
            sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(&self.id)
                .bind(&key)
                .bind(&told.en.subject)
                .bind(&told.en.text)
                .bind(&told.en.html)
                .bind(&told.id.subject)
                .bind(&told.id.text)
                .bind(&told.id.html)
                .bind(now)
                .execute(pool)
                .await?;
        });
        state.mail_wakeup.notify_one();
        Ok(())
    }

    /// Reads the filter a batch at a time while a blocking thread formats and writes the
    /// previous batch, so the database and the file work side by side.
    async fn write(&self, path: &std::path::Path) -> Result<(i64, i64), String> {
        let db = &self.state.db;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        let mut sink: Box<dyn Sink + Send> = match self.format {
            ExportFormat::Csv => Box::new(CsvSink::create(path)?),
            ExportFormat::Xlsx => Box::new(XlsxSink::create(path)?),
        };
        // Two batches in flight at most: memory stays flat when the file is the slow side.
        let (batches, mut to_write) = tokio::sync::mpsc::channel::<(Vec<PaymentAttempt>, i64)>(1);
        let writer = tokio::task::spawn_blocking(move || {
            sink.write_row(&COLUMNS.map(|c| Cell::Text(c.into())))?;
            while let Some((rows, now)) = to_write.blocking_recv() {
                for row in &rows {
                    sink.write_row(&cells(row, now))?;
                }
            }
            // Zipping a large workbook takes a while: here, off the async threads too.
            sink.finish()
        });
        let mut position = Position::First;
        let mut written = 0_i64;
        let read = async {
            loop {
                let page = payments::page(
                    db,
                    self.merchant_id,
                    &self.account_id,
                    &self.filter,
                    position,
                    BATCH,
                )
                .await
                .map_err(|e| e.to_string())?;
                let now = self.state.now_ms();
                written += page.rows.len() as i64;
                if batches.send((page.rows, now)).await.is_err() {
                    // The writer stopped early; its own error says why.
                    return Ok(());
                }
                crate::db::exports::progress(db, &self.id, written, now)
                    .await
                    .map_err(|e| e.to_string())?;
                match page.next {
                    Some(cursor) => position = Position::After(cursor),
                    None => return Ok::<(), String>(()),
                }
            }
        };
        let read = read.await;
        drop(batches);
        writer.await.map_err(|e| e.to_string())??;
        read?;
        let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
        Ok((written, size as i64))
    }
}
