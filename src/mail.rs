//! Sending the mail outbox over SMTP (`SMTP_URL`, `MAIL_FROM`). Messages were queued in the
//! transaction of what they tell of; the worker claims due ones, sends each, and marks it
//! sent, or tries again later (30 s doubling to an hour, for about two days) while the SMTP
//! server is away or answers "try later", or gives up on a permanent refusal. Each message
//! keeps one Message-ID on every try, so a resend after a crash mid-send reads as the same
//! message to mail clients.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::db::emails::{self, Claimed};
use crate::error::AppError;
use crate::state::AppState;

const BATCH: i64 = 50;
const CLAIM_LEASE_MS: i64 = 2 * 60 * 1000;
const MAX_TRIES: i64 = 48;
/// How long the worker waits when not woken: retries and other instances' messages.
const POLL: Duration = Duration::from_secs(5);

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// Why a message did not go.
struct Failure {
    message: String,
    /// The server refused it for good (or the address cannot be mailed): no retry.
    permanent: bool,
}

impl Mailer {
    /// From `SMTP_URL` (e.g. `smtp://localhost:2525`, `smtps://user:pass@smtp.example.com`)
    /// and `MAIL_FROM` (e.g. `paylinks <receipts@example.com>`).
    pub fn new(smtp_url: &str, from: &str) -> Result<Mailer, AppError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|error| AppError::config(format!("SMTP_URL: {error}")))?
            .timeout(Some(Duration::from_secs(10)))
            .build();
        let from = from
            .parse()
            .map_err(|error| AppError::config(format!("MAIL_FROM: {error}")))?;
        Ok(Mailer { transport, from })
    }

    async fn send(&self, email: &Claimed) -> Result<(), Failure> {
        let permanent = |message: String| Failure {
            message,
            permanent: true,
        };
        let to: Mailbox = email
            .to_address
            .parse()
            .map_err(|error| permanent(format!("cannot mail {}: {error}", email.to_address)))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&email.subject)
            .message_id(Some(format!(
                "<paylinks-{}@{}>",
                email.id,
                self.from.email.domain()
            )))
            .multipart(MultiPart::alternative_plain_html(
                email.text_body.clone(),
                email.html_body.clone(),
            ))
            .map_err(|error| permanent(error.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|error| Failure {
                permanent: error.is_permanent(),
                message: error.to_string(),
            })
    }
}

/// 30 s after the first failed try, doubling up to an hour.
fn retry_delay_ms(tries: i64) -> i64 {
    30_000_i64
        .saturating_mul(1_i64 << tries.clamp(0, 20))
        .min(3_600_000)
}

/// Sends the due messages; how many were tried. Nothing without mail configured.
pub async fn send_due(state: &AppState) -> Result<usize, AppError> {
    let Some(mailer) = state.mailer.as_deref() else {
        return Ok(0);
    };
    let now = state.now_ms();
    let claimed = emails::claim_due(&state.db, now, CLAIM_LEASE_MS, BATCH).await?;
    for email in &claimed {
        match mailer.send(email).await {
            Ok(()) => emails::mark_sent(&state.db, email.id, state.now_ms()).await?,
            Err(failure) => {
                let next = (!failure.permanent && email.tries + 1 < MAX_TRIES)
                    .then(|| state.now_ms() + retry_delay_ms(email.tries));
                tracing::warn!(
                    email = email.id,
                    error = %failure.message,
                    retry = next.is_some(),
                    "an email was not sent"
                );
                emails::mark_failed_try(&state.db, email.id, &failure.message, next).await?;
            }
        }
    }
    Ok(claimed.len())
}

/// The language a mail to a dashboard user is written in: the one stored for them (chosen,
/// or taken from their browser at their first sign-in), else the request's that sends it.
pub async fn user_language(
    db: &crate::db::Db,
    user_id: crate::domain::ids::UserId,
) -> Result<crate::domain::lang::Lang, AppError> {
    Ok(crate::db::merchants::language(db, user_id)
        .await?
        .unwrap_or_else(|| crate::i18n::current().into()))
}

/// Sends mail until aborted at shutdown: at once when woken after messages are queued, and
/// every few seconds for retries.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let _ = tokio::time::timeout(POLL, state.mail_wakeup.notified()).await;
            loop {
                match send_due(&state).await {
                    Ok(tried) if tried as i64 == BATCH => continue,
                    Ok(_) => break,
                    Err(error) => {
                        tracing::error!(%error, "mail worker failed; retrying shortly");
                        break;
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn retries_back_off_to_an_hour() {
        use super::retry_delay_ms;
        assert_eq!(retry_delay_ms(0), 30_000);
        assert_eq!(retry_delay_ms(3), 240_000);
        assert_eq!(retry_delay_ms(40), 3_600_000);
    }
}
