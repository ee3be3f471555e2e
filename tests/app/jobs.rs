//! Background jobs: expiry frees slots, settlement follows the delay, and two instances
//! running at once never process a row twice.

use reqwest::StatusCode;

use crate::helpers::{spawn_app, TestApp, SETTLEMENT_DELAY_MS};
use paylinks::domain::ids::LinkId;
use paylinks::jobs::{expire_attempts, run_due, settle_payments};

async fn slug_with_max_usage(app: &TestApp, max_usage: &str) -> String {
    let account = app.sign_up("Toko", "owner@toko.id").await;
    let id: i64 = app
        .create_link(&account, &[("input[max_usage]", max_usage)])
        .await
        .json()
        .await
        .unwrap();
    app.slug_of(id).await
}

async fn start(app: &TestApp, slug: &str, method: &str) -> String {
    let response = app
        .new_browser()
        .call("pay", &[("slug", slug), ("method", method)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn expired_attempts_are_marked_and_their_slots_reused() {
    let app = spawn_app().await;
    let slug = slug_with_max_usage(&app, "2").await;
    let qris = start(&app, &slug, "QRIS").await;
    let va = start(&app, &slug, "VA_BRI").await;
    run_due(&app.state).await.unwrap();
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_link_histories WHERE status = 'pending'")
            .await,
        2,
        "nothing is due yet"
    );

    app.clock.advance_ms(30 * 60 * 1000);
    run_due(&app.state).await.unwrap();
    let status =
        |reff: &str| format!("SELECT status FROM payment_link_histories WHERE reff_no = '{reff}'");
    assert_eq!(app.scalar_text(&status(&qris)).await, "expired");
    assert_eq!(
        app.scalar_text(&status(&va)).await,
        "expired",
        "on a capped link a VA holds its place 30 minutes, not its 24 hours"
    );
    start(&app, &slug, "GOPAY").await;
}

/// A backlog larger than one step of the expiry job (a burst of payers who never paid) ends
/// in one pass, a step per transaction, and frees every slot.
#[tokio::test]
async fn a_backlog_larger_than_one_step_expires_in_one_pass() {
    let app = spawn_app().await;
    slug_with_max_usage(&app, "0").await;
    let link_id = LinkId(app.scalar("SELECT id FROM payment_links").await);
    let backlog = 2_345;
    let drawn: Vec<(String, String)> = (0..backlog)
        .map(|n| (format!("REF-BACKLOG-{n:011}"), format!("99002{n:011}")))
        .collect();
    for some in drawn.chunks(200) {
        let reserved = futures::future::join_all(some.iter().map(|(reff_no, value)| {
            app.state
                .reservations
                .reserve(app.va_attempt(link_id, reff_no, value))
        }))
        .await;
        assert!(
            reserved.iter().all(|r| matches!(r, Ok(Some(_)))),
            "{reserved:?}"
        );
    }
    app.clock.advance_ms(61 * 60 * 1000);
    run_due(&app.state).await.unwrap();
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_link_histories WHERE status = 'expired'")
            .await,
        backlog
    );
    assert_eq!(app.pending_usage(link_id.0).await, 0, "every slot is free");
}

#[tokio::test]
async fn paid_attempts_settle_after_the_delay() {
    let app = spawn_app().await;
    let slug = slug_with_max_usage(&app, "5").await;
    let reff = start(&app, &slug, "VA_BCA").await;
    let account = app.default_account_id().await;
    let link_id = app.scalar("SELECT id FROM payment_links").await.to_string();
    let form = [
        ("account_id", account.as_str()),
        ("link_id", &link_id),
        ("reff_no", &reff),
    ];
    assert_eq!(
        app.call("attempt_simulate", &form).await.status(),
        StatusCode::OK
    );

    app.clock.advance_ms(SETTLEMENT_DELAY_MS - 1);
    run_due(&app.state).await.unwrap();
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_link_histories WHERE has_settle")
            .await,
        0
    );
    app.clock.advance_ms(1);
    run_due(&app.state).await.unwrap();
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_link_histories WHERE has_settle")
            .await,
        1
    );
    assert_eq!(
        app.scalar("SELECT settle_at FROM payment_link_histories")
            .await,
        crate::helpers::START_MS + SETTLEMENT_DELAY_MS
    );
}

#[tokio::test]
async fn two_instances_running_the_jobs_at_once_process_each_row_once() {
    let app = spawn_app().await;
    let slug = slug_with_max_usage(&app, "20").await;
    let account = app.default_account_id().await;
    let link_id = app.scalar("SELECT id FROM payment_links").await.to_string();
    for n in 0..12 {
        let reff = start(&app, &slug, "QRIS").await;
        if n < 5 {
            let form = [
                ("account_id", account.as_str()),
                ("link_id", &link_id),
                ("reff_no", &reff),
            ];
            assert_eq!(
                app.call("attempt_simulate", &form).await.status(),
                StatusCode::OK
            );
        }
    }
    app.clock.advance_ms(31 * 60 * 1000);
    let now = app.state.now_ms();
    let (a, b) = tokio::join!(
        expire_attempts(&app.db, now, &app.address),
        expire_attempts(&app.db, now, &app.address)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 7, "the unpaid ones, once");
    let (a, b) = tokio::join!(
        settle_payments(&app.db, now, 0),
        settle_payments(&app.db, now, 0)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 5, "the paid ones, once");
}

#[tokio::test]
async fn an_attempt_left_without_instructions_is_failed_and_its_slot_freed() {
    let app = spawn_app().await;
    let slug = slug_with_max_usage(&app, "1").await;
    let reff = start(&app, &slug, "VA_BRI").await;
    // As if the process died between reserving the slot and recording the VA number.
    app.execute(&format!(
        "UPDATE payment_link_histories SET payment_method_value = '' WHERE reff_no = '{reff}'"
    ))
    .await;
    let full = app
        .new_browser()
        .call("pay", &[("slug", slug.as_str()), ("method", "VA_BNI")])
        .await;
    assert_eq!(
        full.status(),
        StatusCode::CONFLICT,
        "the slot is still held"
    );

    app.clock.advance_ms(60_000);
    run_due(&app.state).await.unwrap();
    let status = |reff: String| {
        let app = &app;
        async move {
            app.scalar_text(&format!(
                "SELECT status FROM payment_link_histories WHERE reff_no = '{reff}'"
            ))
            .await
        }
    };
    assert_eq!(
        status(reff.clone()).await,
        "pending",
        "a minute is not yet abandoned"
    );
    app.clock.advance_ms(60_000);
    run_due(&app.state).await.unwrap();
    assert_eq!(status(reff.clone()).await, "failed");
    start(&app, &slug, "VA_BNI").await;
}
