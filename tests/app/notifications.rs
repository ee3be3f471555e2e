//! Inbound notifications are kept before they are applied: a payment whose notification could
//! not be applied at once is credited later by the job loop, never answered 500 and dropped.

use reqwest::StatusCode;

use crate::helpers::{spawn_app, TestApp};
use paylinks::db::Db;

/// Makes every credit fail inside the database, as a database in trouble would.
async fn break_crediting(app: &TestApp) {
    match &app.db {
        Db::Sqlite(_) => {
            app.execute(
                "CREATE TRIGGER fail_credit BEFORE UPDATE OF status ON payment_link_histories
                 WHEN NEW.status = 'paid'
                 BEGIN SELECT RAISE(ABORT, 'the disk is failing'); END",
            )
            .await
        }
        Db::Postgres(_) => {
            app.execute(
                "CREATE FUNCTION fail_credit() RETURNS trigger AS $$
                 BEGIN RAISE EXCEPTION 'the disk is failing'; END $$ LANGUAGE plpgsql",
            )
            .await;
            app.execute(
                "CREATE TRIGGER fail_credit BEFORE UPDATE ON payment_link_histories
                 FOR EACH ROW WHEN (NEW.status = 'paid') EXECUTE FUNCTION fail_credit()",
            )
            .await
        }
    }
}

async fn mend_crediting(app: &TestApp) {
    match &app.db {
        Db::Sqlite(_) => app.execute("DROP TRIGGER fail_credit").await,
        Db::Postgres(_) => {
            app.execute("DROP TRIGGER fail_credit ON payment_link_histories")
                .await
        }
    }
}

/// Mends crediting, lets the jobs try again an hour later, and checks the attempt is paid,
/// dated when its money arrived.
async fn mend_and_apply(app: &TestApp, arrived_at: i64) {
    mend_crediting(app).await;
    app.clock.advance_ms(3600 * 1000);
    paylinks::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(
        app.scalar_text("SELECT status FROM payment_link_histories")
            .await,
        "paid"
    );
    assert_eq!(
        app.scalar("SELECT payment_date FROM payment_link_histories")
            .await,
        arrived_at,
        "paid when the money arrived, not when it was applied"
    );
}

/// A link with one pending VA attempt: (account, history id, attempt reference).
async fn one_attempt(app: &TestApp) -> (String, i64, String) {
    let account = app.sign_up("Toko Tahan", "owner@tahan.id").await;
    app.enable_webhooks("http://127.0.0.1:9/hooks").await;
    let link = app.create_default_link(&account).await;
    let slug = app.slug_of(link).await;
    let reff = app.new_browser().start_payment(&slug, "VA_BRI").await;
    let id = app.scalar("SELECT id FROM payment_link_histories").await;
    (account, id, reff)
}

#[tokio::test]
async fn a_payment_that_could_not_be_applied_is_kept_and_credited_by_the_jobs() {
    let app = spawn_app().await;
    let (account, history, reff) = one_attempt(&app).await;
    let arrived_at = app.state.now_ms();
    break_crediting(&app).await;

    let answer = app.bank_pays(&reff, "BANK-KEPT-1", 200_000).await;
    assert_eq!(
        answer.status(),
        StatusCode::ACCEPTED,
        "received and kept, never a 500 the acquirer gives up on"
    );
    assert_eq!(
        app.scalar_text("SELECT status FROM payment_link_histories")
            .await,
        "pending"
    );
    assert_eq!(
        app.scalar_text("SELECT status FROM inbound_notifications")
            .await,
        "received"
    );
    let (status, page) = app
        .page(&format!("/accounts/{account}/payments/{history}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("provider-notification") && page.contains("Waiting to be applied"),
        "the merchant sees it waiting"
    );

    // Past the attempt's own expiry, with crediting still broken: the attempt waits for its
    // money rather than expiring, and the notification is tried again.
    app.clock.advance_ms(25 * 3600 * 1000);
    paylinks::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(
        app.scalar_text("SELECT status FROM payment_link_histories")
            .await,
        "pending"
    );
    assert_eq!(
        app.scalar("SELECT tries FROM inbound_notifications").await,
        2
    );

    mend_and_apply(&app, arrived_at).await;
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        1
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM webhook_events WHERE event_type = 'payment-link-transaction'"
        )
        .await,
        1
    );
    assert_eq!(
        app.scalar_text("SELECT status || '/' || outcome FROM inbound_notifications")
            .await,
        "applied/credited"
    );

    // The acquirer sending it again changes nothing.
    let again = app.bank_pays(&reff, "BANK-KEPT-1", 200_000).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        1
    );
    assert_eq!(app.count("inbound_notifications").await, 1);
}

#[tokio::test]
async fn a_refused_notification_is_kept_with_its_reason_for_the_merchant() {
    let app = spawn_app().await;
    let (account, history, reff) = one_attempt(&app).await;
    let answer = app.bank_pays(&reff, "BANK-SHORT-1", 150_000).await;
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.scalar_text("SELECT status FROM inbound_notifications")
            .await,
        "refused"
    );
    let (_, page) = app
        .page(&format!("/accounts/{account}/payments/{history}"))
        .await;
    assert!(
        page.contains("Refused") && page.contains("amount must be exactly"),
        "the merchant sees the wrong amount"
    );
    // Refused for good: the jobs do not apply it again (their first retries would be due by
    // now, and the attempt still holds its place).
    app.clock.advance_ms(20 * 60 * 1000);
    paylinks::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(
        app.scalar("SELECT tries FROM inbound_notifications").await,
        1
    );
    assert_eq!(
        app.scalar_text("SELECT status FROM payment_link_histories")
            .await,
        "pending"
    );
}

#[tokio::test]
async fn money_that_arrived_in_time_is_credited_though_the_attempt_expired_meanwhile() {
    let app = spawn_app().await;
    let (_, _, reff) = one_attempt(&app).await;
    let arrived_at = app.state.now_ms();
    break_crediting(&app).await;
    let answer = app.bank_pays(&reff, "BANK-RACE-1", 200_000).await;
    assert_eq!(answer.status(), StatusCode::ACCEPTED);
    // The expiry job got there between the money's arrival and its crediting.
    app.execute("UPDATE payment_link_histories SET status = 'expired'")
        .await;
    app.clock.advance_ms(25 * 3600 * 1000);
    // The acquirer repeats the notice after the expiry: judged by its first arrival, it is
    // still to be applied, not refused.
    let repeat = app.bank_pays(&reff, "BANK-RACE-1", 200_000).await;
    assert_eq!(repeat.status(), StatusCode::ACCEPTED);
    assert_eq!(
        app.scalar_text("SELECT status FROM inbound_notifications")
            .await,
        "received"
    );

    mend_and_apply(&app, arrived_at).await;
    assert_eq!(
        app.scalar("SELECT current_usage FROM payment_links").await,
        1
    );
    assert_eq!(
        app.pending_usage(app.scalar("SELECT id FROM payment_links").await)
            .await,
        0,
        "the kept pending count is untouched by expired → paid"
    );

    // A notice that first arrives after the expiry is refused, as before.
    let slug = app
        .slug_of(app.scalar("SELECT id FROM payment_links").await)
        .await;
    let late = app.new_browser().start_payment(&slug, "VA_BRI").await;
    app.clock.advance_ms(25 * 3600 * 1000);
    paylinks::jobs::run_due(&app.state).await.unwrap();
    let too_late = app.bank_pays(&late, "BANK-LATE-1", 200_000).await;
    assert_eq!(too_late.status(), StatusCode::CONFLICT);
}
