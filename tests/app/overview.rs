//! The overview: revenue and conversion per window in WIB days, the daily chart, the split by
//! method and the top links, from payments placed at known times.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::spawn_app;
use crate::payments_table::{insert, Seed};

fn paid(reff: &'static str, link: i64, method: &'static str, amount: i64, days_ago: i64) -> Seed {
    Seed {
        reff,
        link,
        method,
        amount,
        status: "paid",
        created_days_ago: days_ago,
        paid_days_ago: Some(days_ago),
        settled_days_ago: None,
        customer: ("", "", ""),
        value: "",
    }
}

#[tokio::test]
async fn figures_chart_and_breakdowns_match_the_payments() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let kaos = app
        .create_link(
            &account,
            &[("input[title]", "Kaos"), ("input[reff_no]", "KAOS")],
        )
        .await
        .json::<i64>()
        .await
        .unwrap();
    let kopi = app
        .create_link(
            &account,
            &[("input[title]", "Kopi"), ("input[reff_no]", "KOPI")],
        )
        .await
        .json::<i64>()
        .await
        .unwrap();
    let seeds = [
        paid("1", kaos, "VA_BRI", 200_000, 0),
        paid("2", kopi, "QRIS", 50_000, 0),
        paid("3", kopi, "QRIS", 50_000, 3),
        paid("4", kaos, "VA_BRI", 200_000, 20),
        // Outside every window.
        paid("5", kaos, "VA_BNI", 999_000, 40),
        Seed {
            status: "expired",
            paid_days_ago: None,
            ..paid("6", kaos, "VA_BNI", 200_000, 0)
        },
        Seed {
            status: "pending",
            paid_days_ago: None,
            ..paid("7", kopi, "QRIS", 50_000, 0)
        },
    ];
    for seed in &seeds {
        insert(&app, seed).await;
    }

    let response = app.call("overview", &[("account_id", &account)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let data: Value = response.json().await.unwrap();
    let window = |name: &str, field: &str| data[name][field].as_i64().unwrap();
    assert_eq!(window("today", "gross"), 250_000);
    assert_eq!(window("today", "net"), 250_000 - 2_000 - 500);
    assert_eq!(window("today", "paid"), 2);
    assert_eq!(
        window("today", "attempts"),
        4,
        "started today: two paid, one expired, one pending"
    );
    assert_eq!(window("today", "attempts_paid"), 2);
    assert_eq!(window("week", "gross"), 300_000);
    assert_eq!(window("month", "gross"), 500_000);
    assert_eq!(window("month", "paid"), 4);

    let days = data["days"].as_array().unwrap();
    assert_eq!(days.len(), 30);
    assert_eq!(days[29]["label"], "25 Nov");
    assert_eq!(days[29]["gross"], 250_000);
    assert_eq!(days[26]["gross"], 50_000);
    assert_eq!(days[9]["gross"], 200_000);
    assert_eq!(
        days.iter()
            .map(|d| d["gross"].as_i64().unwrap())
            .sum::<i64>(),
        500_000
    );

    let labels = |key: &str| -> Vec<String> {
        data[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| format!("{} {}", r["label"].as_str().unwrap(), r["gross"]))
            .collect()
    };
    assert_eq!(labels("methods"), ["VA_BRI 400000", "QRIS 100000"]);
    assert_eq!(labels("top_links"), ["Kaos 400000", "Kopi 100000"]);

    let (status, html) = app.page(&format!("/accounts/{account}/overview")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-testid=\"revenue-chart\""), "{html}");
    assert_eq!(html.matches("class=\"bar\"").count(), 30);
    assert!(html.contains("25 Nov: Rp 250.000 (2 payments)"), "{html}");
    assert!(html.contains("50.0 % of 4 attempts"), "{html}");

    let other = app.new_browser();
    other.sign_up("Toko Lain", "owner@lain.id").await;
    let response = other.call("overview", &[("account_id", &account)]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_empty_chart_shows_no_made_up_scale() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Baru", "owner@baru.id").await;
    let (status, html) = app.page(&format!("/accounts/{account}/overview")).await;
    assert_eq!(status, StatusCode::OK);
    let chart = &html[html.find("data-testid=\"revenue-chart\"").unwrap()..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    assert_eq!(chart.matches("class=\"axis\">Rp").count(), 1, "{chart}");
    assert!(
        chart.contains(">Rp 0<") && !chart.contains("Rp 1<"),
        "{chart}"
    );
}
