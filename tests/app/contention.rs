//! Money paths under contention: payers starting attempts, payments arriving, the expiry job
//! and the merchant's edits, all on one link at once. Run on Postgres too, where they take
//! row locks and must take them in one order.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::helpers::{spawn_app, Browser, TestApp, SANDBOX_SECRET};

/// How long the mixed load runs.
const MIXED_LOAD_FOR: Duration = Duration::from_secs(20);
const PAYERS: usize = 50;

#[derive(Default)]
struct Tally {
    started: AtomicU64,
    credited: AtomicU64,
    refused: AtomicU64,
    server_errors: AtomicU64,
    dropped: AtomicU64,
}

impl Tally {
    /// Counts one answer; true when it was a success.
    fn answer(&self, outcome: reqwest::Result<StatusCode>, success: &AtomicU64) -> bool {
        match outcome {
            Ok(status) if status.is_success() => {
                success.fetch_add(1, Ordering::Relaxed);
                true
            }
            Ok(status) if status.is_server_error() => {
                self.server_errors.fetch_add(1, Ordering::Relaxed);
                false
            }
            Ok(_) => {
                self.refused.fetch_add(1, Ordering::Relaxed);
                false
            }
            Err(_) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
                false
            }
        }
    }
}

async fn start_attempt(payer: &Browser, slug: &str, method: &str) -> reqwest::Result<String> {
    let response = payer
        .client
        .post(payer.url("/fn/pay"))
        .form(&[("slug", slug), ("method", method)])
        .send()
        .await?
        .error_for_status()?;
    response.json().await
}

/// One payer's loop: start an attempt, pay it, again, until the time is up.
async fn payer_loop(address: String, slug: String, method: &'static str, tally: Arc<Tally>) {
    let payer = Browser::new(&address);
    let bank = reqwest::Client::new();
    let until = Instant::now() + MIXED_LOAD_FOR;
    let mut n = 0;
    while Instant::now() < until {
        let started = start_attempt(&payer, &slug, method).await;
        let reff = match started {
            Ok(reff) => {
                tally.started.fetch_add(1, Ordering::Relaxed);
                reff
            }
            Err(error) => {
                let status = error.status();
                tally.answer(status.ok_or(error), &tally.started);
                continue;
            }
        };
        n += 1;
        let paid = crate::support::bank_pays_with(
            &bank,
            &address,
            SANDBOX_SECRET,
            &reff,
            &format!("BANK-{reff}-{n}"),
            200_000,
        )
        .await
        .map(|r| r.status());
        tally.answer(paid, &tally.credited);
    }
}

#[tokio::test]
async fn paying_and_starting_attempts_on_one_link_at_once_never_fails() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Ramai", "owner@ramai.id").await;
    let link = app
        .create_link_with(&account, &[("input[max_usage]", "1000000")])
        .await;
    let slug = app.slug_of(link).await;
    let tally = Arc::new(Tally::default());
    let mut payers = Vec::new();
    for i in 0..PAYERS {
        // VA attempts live a day; QRIS ones half an hour, so the running clock expires them
        // while payers still pay others and the expiry job ends them in batches.
        let method = if i % 2 == 0 { "VA_BRI" } else { "QRIS" };
        payers.push(tokio::spawn(payer_loop(
            app.address.clone(),
            slug.clone(),
            method,
            tally.clone(),
        )));
    }
    let until = Instant::now() + MIXED_LOAD_FOR;
    let mut job_runs = 0;
    while Instant::now() < until {
        app.clock.advance_ms(60_000);
        paylinks::jobs::run_due(&app.state)
            .await
            .expect("the jobs run beside the payers");
        job_runs += 1;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for payer in payers {
        payer.await.unwrap();
    }
    // A notice answered 202 was kept to be applied later: apply what is left before counting.
    app.clock.advance_ms(3_600_000);
    paylinks::service::payments::apply_due(&app.state)
        .await
        .expect("kept notifications apply");
    let count = |n: &AtomicU64| n.load(Ordering::Relaxed);
    assert_eq!(
        (count(&tally.server_errors), count(&tally.dropped)),
        (0, 0),
        "no 5xx and no dropped connection ({} started, {} credited, {} refused)",
        count(&tally.started),
        count(&tally.credited),
        count(&tally.refused),
    );
    assert!(count(&tally.started) > 100 && count(&tally.credited) > 50);
    // Each pass waits for the link's lock behind 50 payers: on two busy cores a pass can take
    // seconds. A handful of passes during the load is what this needs.
    assert!(job_runs >= 5, "the jobs ran {job_runs} times");

    // Every credit is counted on the link, once, and its kept pending count is exact.
    let paid = app
        .scalar("SELECT COUNT(*) FROM payment_link_histories WHERE status = 'paid'")
        .await;
    assert_eq!(paid, count(&tally.credited) as i64);
    assert_eq!(
        app.scalar(&format!(
            "SELECT current_usage FROM payment_links WHERE id = {link}"
        ))
        .await,
        paid
    );
    assert_eq!(
        app.pending_usage(link).await,
        app.scalar("SELECT COUNT(*) FROM payment_link_histories WHERE status = 'pending'")
            .await
    );
    assert_eq!(
        app.scalar("SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM payment_totals WHERE status = 'paid'")
            .await,
        paid,
        "the kept totals agree"
    );
}

#[tokio::test]
async fn lowering_max_usage_while_payers_reserve_never_leaves_more_promised_than_allowed() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Ramai", "owner@ramai.id").await;
    for round in 0..4 {
        let link = app
            .create_link_with(
                &account,
                &[
                    ("input[title]", &format!("Putaran {round}")),
                    ("input[max_usage]", "30"),
                ],
            )
            .await;
        let slug = app.slug_of(link).await;
        let mut payers = Vec::new();
        for _ in 0..40 {
            let payer = app.new_browser();
            let slug = slug.clone();
            payers.push(tokio::spawn(async move {
                start_attempt(&payer, &slug, "VA_BRI").await.is_ok()
            }));
        }
        // Meanwhile the merchant tries lower and lower limits; each one either holds or is
        // refused because the payments in progress do not fit under it.
        let mut accepted = Vec::new();
        for max_usage in (5..=30).rev().step_by(5) {
            let response = lower_max_usage(&app, &account, link, max_usage).await;
            match response.status() {
                StatusCode::OK => accepted.push(max_usage),
                StatusCode::UNPROCESSABLE_ENTITY => {}
                other => panic!("unexpected status {other}"),
            }
        }
        for payer in payers {
            payer.await.unwrap();
        }
        let max_usage = app
            .scalar(&format!(
                "SELECT max_usage FROM payment_links WHERE id = {link}"
            ))
            .await;
        let promised = app
            .scalar(&format!(
                "SELECT COUNT(*) FROM payment_link_histories
                 WHERE payment_link_id = {link} AND status IN ('pending', 'paid')"
            ))
            .await;
        assert!(
            promised <= max_usage,
            "round {round}: {promised} attempts promised under a limit of {max_usage} (accepted {accepted:?})"
        );
    }
}

async fn lower_max_usage(
    app: &TestApp,
    account: &str,
    link: i64,
    max_usage: i64,
) -> reqwest::Response {
    app.call(
        "link_update",
        &[
            ("account_id", account),
            ("link_id", &link.to_string()),
            ("input[max_usage]", &max_usage.to_string()),
        ],
    )
    .await
}

#[tokio::test]
async fn a_payment_past_the_usage_cap_is_credited_and_flagged_never_refused() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Ramai", "owner@ramai.id").await;
    let link = app
        .create_link_with(&account, &[("input[max_usage]", "2")])
        .await;
    let slug = app.slug_of(link).await;
    let mut reffs = Vec::new();
    for _ in 0..2 {
        reffs.push(
            start_attempt(&app.new_browser(), &slug, "VA_BRI")
                .await
                .unwrap(),
        );
    }
    // Behind the app, as an instance whose clock ran ahead would see it: the cap is reached
    // by others while these two attempts are still live for the acquirer.
    app.execute(&format!(
        "UPDATE payment_links SET max_usage = 1 WHERE id = {link}"
    ))
    .await;
    for (n, reff) in reffs.iter().enumerate() {
        let paid = app.bank_pays(reff, &format!("BANK-{n}"), 200_000).await;
        assert_eq!(paid.status(), StatusCode::OK, "verified money is recorded");
    }
    assert_eq!(
        app.scalar(&format!(
            "SELECT current_usage FROM payment_links WHERE id = {link}"
        ))
        .await,
        2
    );
    let flags = app
        .texts("SELECT COALESCE(flag, '-') FROM payment_link_histories ORDER BY id")
        .await;
    assert_eq!(
        flags,
        ["-", "over_cap"],
        "the payment past the cap is flagged"
    );

    let over = app
        .scalar(&format!(
            "SELECT id FROM payment_link_histories WHERE reff_no = '{}'",
            reffs[1]
        ))
        .await;
    let (status, html) = app
        .page(&format!("/accounts/{account}/payments/{over}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("data-testid=\"payment-flag\"")
            && html.contains("after the link had reached its usage limit"),
        "the merchant sees the flag"
    );
    let (_, first) = app
        .page(&format!(
            "/accounts/{account}/payments/{}",
            app.scalar(&format!(
                "SELECT id FROM payment_link_histories WHERE reff_no = '{}'",
                reffs[0]
            ))
            .await
        ))
        .await;
    assert!(!first.contains("payment-flag"));
}
