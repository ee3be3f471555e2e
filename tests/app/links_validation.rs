use reqwest::StatusCode;

use crate::helpers::{field_errors, spawn_app};

/// Every create rule: the answer names the field, and no link (or item) is stored.
#[tokio::test]
async fn every_create_rule_is_refused_with_its_field_named() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko", "owner@toko.id").await;
    app.create_link(&account, &[("input[reff_no]", "TAKEN-1")])
        .await;
    let long_title = "t".repeat(256);
    let long_reff = "R".repeat(41);
    let long_url = format!("https://toko.id/{}", "a".repeat(2040));
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("input[title]", "")], "title"),
        (vec![("input[title]", &long_title)], "title"),
        (
            vec![
                ("input[items][0][name]", ""),
                ("input[items][0][quantity]", ""),
                ("input[items][0][unit_price]", ""),
                ("input[items][1][name]", ""),
                ("input[items][1][quantity]", ""),
                ("input[items][1][unit_price]", ""),
            ],
            "items",
        ),
        (vec![("input[items][0][name]", "")], "items[0].name"),
        (
            vec![("input[items][0][quantity]", "0")],
            "items[0].quantity",
        ),
        (
            vec![("input[items][0][quantity]", "1000001")],
            "items[0].quantity",
        ),
        (
            vec![("input[items][1][quantity]", "1.5")],
            "items[1].quantity",
        ),
        (
            vec![("input[items][1][unit_price]", "abc")],
            "items[1].unit_price",
        ),
        (
            vec![("input[items][0][unit_price]", "-145.000")],
            "total_amount",
        ),
        (
            vec![("input[items][0][quantity]", "1000000")],
            "total_amount",
        ),
        (vec![("input[reff_no]", "INV 1")], "reff_no"),
        (vec![("input[reff_no]", "INV/1")], "reff_no"),
        (vec![("input[reff_no]", &long_reff)], "reff_no"),
        (vec![("input[reff_no]", "TAKEN-1")], "reff_no"),
        (vec![("input[max_usage]", "-1")], "max_usage"),
        (vec![("input[max_usage]", "1000001")], "max_usage"),
        (vec![("input[max_usage]", "")], "max_usage"),
        (
            vec![("input[expired_at]", "2026-11-25T09:00")],
            "expired_at",
        ),
        (vec![("input[expired_at]", "next week")], "expired_at"),
        (
            vec![("input[redirect_url]", "ftp://toko.id/")],
            "redirect_url",
        ),
        (
            vec![("input[redirect_url]", "javascript:alert(1)")],
            "redirect_url",
        ),
        (vec![("input[redirect_url]", &long_url)], "redirect_url"),
        (vec![("input[methods][0]", "BITCOIN")], "methods"),
        // QRIS alone tops out at Rp 10.000.000, so no method could take Rp 20.000.000.
        (
            vec![
                ("input[methods][0]", "QRIS"),
                ("input[items][0][unit_price]", "10.000.000"),
                ("input[items][1][unit_price]", "0"),
            ],
            "methods",
        ),
    ];
    for (overrides, field) in cases {
        let errors = field_errors(app.create_link(&account, &overrides).await).await;
        assert!(
            errors.contains_key(field),
            "{overrides:?} should be refused on {field}, got {errors:?}"
        );
    }
    assert_eq!(
        app.count("payment_links").await,
        1,
        "only the first, valid link"
    );
    assert_eq!(app.count("payment_link_items").await, 2);
}

#[tokio::test]
async fn several_mistakes_are_reported_together() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko", "owner@toko.id").await;
    let errors = field_errors(
        app.create_link(
            &account,
            &[
                ("input[title]", ""),
                ("input[max_usage]", "-1"),
                ("input[reff_no]", "a b"),
            ],
        )
        .await,
    )
    .await;
    for field in ["title", "max_usage", "reff_no"] {
        assert!(errors.contains_key(field), "{field}: {errors:?}");
    }
}

#[tokio::test]
async fn every_edit_rule_is_refused_and_nothing_changes() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko", "owner@toko.id").await;
    let id = app.create_default_link(&account).await.to_string();
    app.execute("UPDATE payment_links SET current_usage = 3")
        .await;
    let big_metadata = format!(r#"{{"note":"{}"}}"#, "x".repeat(17_000));
    let cases: Vec<(&str, &str, &str)> = vec![
        ("input[max_usage]", "2", "max_usage"),
        ("input[max_usage]", "abc", "max_usage"),
        ("input[expired_at]", "2020-01-01T00:00", "expired_at"),
        ("input[redirect_url]", "not a url", "redirect_url"),
        ("input[optional_metadata]", "[1, 2]", "optional_metadata"),
        ("input[optional_metadata]", "{broken", "optional_metadata"),
        (
            "input[optional_metadata]",
            &big_metadata,
            "optional_metadata",
        ),
        ("input[methods][0]", "NOPE", "methods"),
    ];
    for (key, value, field) in cases {
        let mut form = vec![
            ("account_id", account.as_str()),
            ("link_id", id.as_str()),
            ("input[max_usage]", "10"),
        ];
        form.retain(|(k, _)| *k != key);
        form.push((key, value));
        let errors = field_errors(app.call("link_update", &form).await).await;
        assert!(errors.contains_key(field), "{key}={value}: {errors:?}");
    }
    assert_eq!(
        app.scalar("SELECT max_usage FROM payment_links").await,
        10,
        "unchanged"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM payment_links WHERE redirect_url IS NULL AND optional_metadata = '{}'")
            .await,
        1
    );
    // Raising the limit above what is used works.
    let ok = [
        ("account_id", account.as_str()),
        ("link_id", id.as_str()),
        ("input[max_usage]", "3"),
    ];
    assert_eq!(app.call("link_update", &ok).await.status(), StatusCode::OK);
}
