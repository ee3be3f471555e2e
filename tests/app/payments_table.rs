//! The payments table: every filter and sort returns the right rows, totals match, key-based
//! pages walk the whole list both ways, and nothing of another merchant shows.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{field_errors, spawn_app, Browser, TestApp, START_MS};

const DAY: i64 = 86_400_000;

/// One seeded attempt.
pub struct Seed {
    pub reff: &'static str,
    pub link: i64,
    pub method: &'static str,
    pub amount: i64,
    pub status: &'static str,
    /// Days before the test's "now".
    pub created_days_ago: i64,
    pub paid_days_ago: Option<i64>,
    pub settled_days_ago: Option<i64>,
    pub customer: (&'static str, &'static str, &'static str),
    pub value: &'static str,
}

impl Seed {
    pub fn fee(&self) -> i64 {
        self.amount / 100
    }
}

pub async fn insert(app: &TestApp, seed: &Seed) {
    let reff = format!("{:0>23}", seed.reff);
    let ms =
        |days: Option<i64>| days.map_or("NULL".to_string(), |d| (START_MS - d * DAY).to_string());
    app.execute(&format!(
        "INSERT INTO payment_link_histories (payment_link_id, merchant_id, account_id, reff_no,
            payment_link_reff_no, payment_method_code, payment_method_name, payment_method_value,
            amount, fee, net_amount, status, expired_at, payment_date, has_settle, settle_at,
            customer_name, customer_email, customer_phone, created_at, updated_at)
         SELECT id, merchant_id, account_id, '{reff}', reff_no, '{method}', '{method}', '{value}',
            {amount}, {fee}, {net}, '{status}', {expires}, {paid}, {settled}, {settle_at},
            '{name}', '{email}', '{phone}', {created}, {created}
         FROM payment_links WHERE id = {link}",
        method = seed.method,
        value = seed.value,
        amount = seed.amount,
        fee = seed.fee(),
        net = seed.amount - seed.fee(),
        status = seed.status,
        expires = START_MS + DAY,
        paid = ms(seed.paid_days_ago),
        settled = if seed.settled_days_ago.is_some() {
            "TRUE"
        } else {
            "FALSE"
        },
        settle_at = ms(seed.settled_days_ago),
        name = seed.customer.0,
        email = seed.customer.1,
        phone = seed.customer.2,
        created = START_MS - seed.created_days_ago * DAY,
        link = seed.link,
    ))
    .await;
}

fn seeds(first_link: i64, second_link: i64) -> Vec<Seed> {
    let s = |reff, link, method, amount, status, created, paid, settled, customer, value| Seed {
        reff,
        link,
        method,
        amount,
        status,
        created_days_ago: created,
        paid_days_ago: paid,
        settled_days_ago: settled,
        customer,
        value,
    };
    let budi = ("Budi Santoso", "budi@toko.id", "081234567890");
    let sari = ("Sari Dewi", "sari@mail.id", "085700001111");
    let none = ("", "", "");
    vec![
        s(
            "1",
            first_link,
            "VA_BRI",
            200_000,
            "paid",
            9,
            Some(9),
            Some(8),
            budi,
            "8888800011112222",
        ),
        s(
            "2",
            first_link,
            "QRIS",
            150_000,
            "paid",
            7,
            Some(6),
            None,
            sari,
            "000201QR",
        ),
        s(
            "3",
            second_link,
            "VA_BNI",
            300_000,
            "expired",
            5,
            None,
            None,
            none,
            "9889900933334444",
        ),
        s(
            "4",
            second_link,
            "QRIS",
            120_000,
            "paid",
            4,
            Some(4),
            Some(3),
            budi,
            "000201QR2",
        ),
        s(
            "5",
            first_link,
            "VA_BRI",
            500_000,
            "pending",
            2,
            None,
            None,
            sari,
            "8888800055556666",
        ),
        s(
            "6",
            second_link,
            "DANA",
            80_000,
            "failed",
            1,
            None,
            None,
            none,
            "",
        ),
        s(
            "7",
            first_link,
            "VA_BNI",
            250_000,
            "paid",
            0,
            Some(0),
            None,
            budi,
            "9889900977778888",
        ),
    ]
}

/// A merchant with two links and the seeded attempts, plus another merchant with its own.
async fn seeded() -> (TestApp, String, Vec<Seed>) {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let first = app
        .create_link_with(&account, &[("input[reff_no]", "INV-1")])
        .await;
    let second = app
        .create_link_with(&account, &[("input[reff_no]", "INV-2")])
        .await;
    let seeds = seeds(first, second);
    for seed in &seeds {
        insert(&app, seed).await;
    }
    let other = app.new_browser();
    let other_account = other.sign_up("Toko Lain", "owner@lain.id").await;
    let theirs = other.create_default_link(&other_account).await;
    insert(
        &app,
        &Seed {
            reff: "99",
            link: theirs,
            method: "VA_BRI",
            amount: 200_000,
            status: "paid",
            created_days_ago: 1,
            paid_days_ago: Some(1),
            settled_days_ago: None,
            customer: ("Budi Santoso", "budi@toko.id", "081234567890"),
            value: "8888800011112222",
        },
    )
    .await;
    (app, account, seeds)
}

async fn list(app: &Browser, account: &str, query: &[(&str, &str)]) -> Value {
    let mut form = vec![("account_id".to_string(), account.to_string())];
    for (k, v) in query {
        form.push((format!("query[{k}]"), v.to_string()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let response = app.call("payments", &form).await;
    assert_eq!(response.status(), StatusCode::OK, "{query:?}");
    response.json().await.unwrap()
}

fn reffs(data: &Value) -> Vec<String> {
    data["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["attempt"]["reff_no"]
                .as_str()
                .unwrap()
                .trim_start_matches('0')
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn every_filter_and_sort_returns_the_right_rows_with_matching_totals() {
    let (app, account, seeds) = seeded().await;
    // 2026-11-25 10:00 WIB is "now"; seeds are whole days before it.
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str]);
    let cases: Vec<Case> = vec![
        (&[], &["7", "6", "5", "4", "3", "2", "1"]),
        (&[("status", "paid")], &["7", "4", "2", "1"]),
        (&[("method", "QRIS")], &["4", "2"]),
        (&[("link", "INV-2")], &["6", "4", "3"]),
        (&[("q", "BUDI")], &["7", "4", "1"]),
        (&[("q", "sari@mail")], &["5", "2"]),
        (&[("q", "0857")], &["5", "2"]),
        (&[("q", "88888000555")], &["5"]),
        // As the payer page shows a VA number, in groups.
        (&[("q", "8888 8000 555")], &["5"]),
        (&[("q", "8888-8000-555")], &["5"]),
        (&[("q", "%")], &[]),
        (
            &[("created_from", "2026-11-21"), ("created_to", "2026-11-24")],
            &["6", "5", "4"],
        ),
        (
            &[("paid_from", "2026-11-19"), ("paid_to", "2026-11-21")],
            &["4", "2"],
        ),
        (&[("settled", "yes")], &["4", "1"]),
        (&[("settled", "no"), ("status", "paid")], &["7", "2"]),
        (&[("settled_from", "2026-11-22")], &["4"]),
        (
            &[("amount_min", "150.000"), ("amount_max", "Rp 300.000")],
            &["7", "3", "2", "1"],
        ),
        (
            &[("sort", "amount"), ("order", "asc")],
            &["6", "4", "2", "1", "7", "3", "5"],
        ),
        (&[("sort", "amount")], &["5", "3", "7", "1", "2", "4", "6"]),
        (&[("sort", "paid")], &["7", "4", "2", "1"]),
        (
            &[("sort", "created"), ("order", "asc"), ("method", "VA_BRI")],
            &["1", "5"],
        ),
    ];
    for (query, expected) in cases {
        let data = list(&app, &account, query).await;
        assert_eq!(reffs(&data), expected, "{query:?}");
        let matching: Vec<&Seed> = seeds
            .iter()
            .filter(|s| expected.contains(&s.reff))
            .collect();
        let paid: Vec<&&Seed> = matching.iter().filter(|s| s.status == "paid").collect();
        let totals = &data["totals"];
        assert_eq!(totals["count"], matching.len() as i64, "{query:?}");
        assert_eq!(totals["paid_count"], paid.len() as i64, "{query:?}");
        assert_eq!(
            totals["gross"],
            paid.iter().map(|s| s.amount).sum::<i64>(),
            "{query:?}"
        );
        assert_eq!(
            totals["fee"],
            paid.iter().map(|s| s.fee()).sum::<i64>(),
            "{query:?}"
        );
        assert_eq!(
            totals["net"],
            paid.iter().map(|s| s.amount - s.fee()).sum::<i64>(),
            "{query:?}"
        );
    }
}

/// The totals a filter shows, and the same figures counted straight from the attempts.
async fn shown_and_counted(app: &TestApp, account: &str, query: &[(&str, &str)], sql_filter: &str) {
    let data = list(app, account, query).await;
    let totals = &data["totals"];
    let counted = |what: &str| {
        format!(
            "SELECT CAST(COALESCE({what}, 0) AS BIGINT) FROM payment_link_histories
             WHERE account_id = '{account}' {sql_filter}"
        )
    };
    let paid_sum =
        |column: &str| counted(&format!("SUM(CASE WHEN status = 'paid' THEN {column} END)"));
    assert_eq!(
        totals["count"],
        app.scalar(&counted("COUNT(*)")).await,
        "{query:?}"
    );
    assert_eq!(
        totals["paid_count"],
        app.scalar(&paid_sum("1")).await,
        "{query:?}"
    );
    assert_eq!(
        totals["gross"],
        app.scalar(&paid_sum("amount")).await,
        "{query:?}"
    );
    assert_eq!(
        totals["fee"],
        app.scalar(&paid_sum("fee")).await,
        "{query:?}"
    );
    assert_eq!(
        totals["net"],
        app.scalar(&paid_sum("net_amount")).await,
        "{query:?}"
    );
}

#[tokio::test]
async fn kept_totals_follow_payments_expiries_corrections_and_deletions() {
    let (app, account, _) = seeded().await;
    // Real attempts through the payer flow: two paid by the bank, the rest left to expire.
    let link = app.create_default_link(&account).await;
    let slug = app.slug_of(link).await;
    for method in ["VA_BRI", "QRIS", "VA_BNI", "QRIS"] {
        let started = app
            .new_browser()
            .call("pay", &[("slug", slug.as_str()), ("method", method)])
            .await;
        assert!(started.status().is_redirection() || started.status().is_success());
    }
    let reffs = app
        .texts(&format!(
            "SELECT reff_no FROM payment_link_histories WHERE payment_link_id = {link} ORDER BY id"
        ))
        .await;
    assert_eq!(reffs.len(), 4);
    for (n, reff) in reffs.iter().take(2).enumerate() {
        let paid = app.bank_pays(reff, &format!("BANK-{n}"), 200_000).await;
        assert_eq!(paid.status(), StatusCode::OK);
    }
    let pending_usage = || app.pending_usage(link);
    assert_eq!(
        pending_usage().await,
        2,
        "the link's kept count of pending attempts"
    );
    let postgres = matches!(app.db, paylinks::db::Db::Postgres(_));
    if postgres {
        // As if another connection had written some of the buckets: the job loop folds the
        // stripes of days that are over into one row each, the totals unchanged.
        app.execute("UPDATE payment_totals SET stripe = 99 WHERE status = 'paid'")
            .await;
    }
    app.clock.advance_ms(2 * DAY);
    paylinks::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(
        pending_usage().await,
        0,
        "expired attempts are no longer pending"
    );
    if postgres {
        let today = paylinks::domain::time::wib_day_number(app.state.now_ms());
        assert_eq!(
            app.scalar(&format!(
                "SELECT COUNT(*) FROM payment_totals WHERE stripe <> 0 AND day < {today}"
            ))
            .await,
            0,
            "past days' stripes are folded"
        );
    }
    let started = app
        .new_browser()
        .call("pay", &[("slug", slug.as_str()), ("method", "VA_BRI")])
        .await;
    assert!(started.status().is_redirection() || started.status().is_success());
    assert_eq!(pending_usage().await, 1);
    app.execute(&format!(
        "DELETE FROM payment_link_histories WHERE payment_link_id = {link} AND status = 'pending'"
    ))
    .await;
    assert_eq!(
        pending_usage().await,
        0,
        "a deleted pending attempt is not counted"
    );
    // A correction of a row's money and a row removed by hand are followed too.
    let (corrected, removed) = (format!("{:0>23}", "7"), format!("{:0>23}", "6"));
    app.execute(&format!(
        "UPDATE payment_link_histories SET fee = fee + 500, net_amount = net_amount - 500
         WHERE reff_no = '{corrected}'"
    ))
    .await;
    app.execute(&format!(
        "DELETE FROM payment_link_histories WHERE reff_no = '{removed}'"
    ))
    .await;

    for (query, sql_filter) in [
        (&[][..], ""),
        (&[("status", "paid")][..], "AND status = 'paid'"),
        (&[("status", "expired")][..], "AND status = 'expired'"),
        (
            &[("method", "QRIS")][..],
            "AND payment_method_code = 'QRIS'",
        ),
        (
            &[("created_from", "2026-11-21"), ("created_to", "2026-11-25")][..],
            // 2026-11-21 00:00 WIB up to the end of 2026-11-25.
            "AND created_at >= 1795194000000 AND created_at < 1795626000000",
        ),
        (
            &[("q", "budi")][..],
            "AND LOWER(customer_name) LIKE '%budi%'",
        ),
    ] {
        shown_and_counted(&app, &account, query, sql_filter).await;
    }
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM payment_link_histories WHERE payment_link_id = {link} AND status = 'expired'"
        ))
        .await,
        2,
        "the unpaid attempts expired"
    );
}

#[tokio::test]
async fn bad_filters_are_named_and_the_page_says_so() {
    let (app, account, _) = seeded().await;
    let response = app
        .call(
            "payments",
            &[
                ("account_id", &account),
                ("query[created_from]", "25/11/2026"),
                ("query[amount_min]", "lots"),
                ("query[amount_max]", "10"),
                ("query[sort]", "name"),
                ("query[after]", "garbage"),
            ],
        )
        .await;
    let errors = field_errors(response).await;
    for field in ["created_from", "amount_min", "sort", "after"] {
        assert!(errors.contains_key(field), "{field}: {errors:?}");
    }
    let (status, html) = app
        .page(&format!("/accounts/{account}/payments?paid_to=yesterday"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("YYYY-MM-DD"), "{html}");
}

#[tokio::test]
async fn pages_by_key_walk_every_row_once_in_both_directions() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let link = app.create_default_link(&account).await;
    // 60 rows, several sharing a timestamp and an amount, so ties are broken by id.
    for n in 0..60 {
        let reff = format!("{}", 100 + n);
        let seed = Seed {
            reff: Box::leak(reff.into_boxed_str()),
            link,
            method: "VA_BRI",
            amount: 100_000 + (n % 7) * 10_000,
            status: if n % 3 == 0 { "paid" } else { "pending" },
            created_days_ago: n / 4,
            paid_days_ago: (n % 3 == 0).then_some(n / 4),
            settled_days_ago: None,
            customer: ("", "", ""),
            value: "",
        };
        insert(&app, &seed).await;
    }
    for sort in [("created", "desc"), ("amount", "asc"), ("paid", "desc")] {
        let base = [("sort", sort.0), ("order", sort.1)];
        let everything = {
            let mut all = Vec::new();
            let mut after = String::new();
            let mut pages = 0;
            loop {
                let mut query = base.to_vec();
                if !after.is_empty() {
                    query.push(("after", &after));
                }
                let data = list(&app, &account, &query).await;
                all.extend(reffs(&data));
                pages += 1;
                match data["next"].as_str() {
                    Some(next) => after = next.to_string(),
                    None => break,
                }
            }
            let expected_rows = if sort.0 == "paid" { 20 } else { 60 };
            assert_eq!(all.len(), expected_rows, "{sort:?}");
            assert_eq!(pages, expected_rows.div_ceil(25), "{sort:?}");
            let unique: std::collections::BTreeSet<&String> = all.iter().collect();
            assert_eq!(unique.len(), all.len(), "no row twice in {sort:?}");
            all
        };
        // Walk back from the last page with "previous" links.
        let mut last = list(&app, &account, &base).await;
        while let Some(next) = last["next"].as_str().map(str::to_string) {
            let mut query = base.to_vec();
            query.push(("after", &next));
            last = list(&app, &account, &query).await;
        }
        let mut backwards = reffs(&last);
        let mut page = last;
        while let Some(prev) = page["prev"].as_str().map(str::to_string) {
            let mut query = base.to_vec();
            query.push(("before", &prev));
            page = list(&app, &account, &query).await;
            let mut rows = reffs(&page);
            rows.extend(backwards);
            backwards = rows;
        }
        assert_eq!(backwards, everything, "{sort:?} walked back");
    }
}

#[tokio::test]
async fn the_pages_render_and_another_merchant_sees_none_of_it() {
    let (app, account, _) = seeded().await;
    let (status, html) = app
        .page(&format!("/accounts/{account}/payments?status=paid"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html.matches("data-attempt=").count(), 4, "{html}");
    assert!(html.contains("4 payments · 4 paid"), "{html}");
    let id = app
        .scalar("SELECT id FROM payment_link_histories WHERE customer_name = 'Sari Dewi' AND status = 'paid'")
        .await;
    let (status, html) = app
        .page(&format!("/accounts/{account}/payments/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("sari@mail.id") && html.contains("INV-1"),
        "{html}"
    );

    let other = app.new_browser();
    other
        .log_in("owner@lain.id", crate::helpers::PASSWORD)
        .await;
    let (status, _) = other
        .page(&format!("/accounts/{account}/payments/{id}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let response = other.call("payments", &[("account_id", &account)]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let their_account = other.default_account_id().await;
    let data = list(&other, &their_account, &[]).await;
    assert_eq!(reffs(&data), ["99"]);
}
