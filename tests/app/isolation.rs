//! Merchant B must see nothing of merchant A: every page and every server function answers 404
//! for A's account and links, and A's data stays as it was.

use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn another_merchant_gets_404_everywhere_and_changes_nothing() {
    let app = spawn_app().await;
    let a_account = app.sign_up("Toko A", "a@toko.id").await;
    let a_link = app.create_default_link(&a_account).await.to_string();

    let b = app.new_browser();
    let b_account = b.sign_up("Toko B", "b@toko.id").await;
    assert_ne!(a_account, b_account);

    for path in [
        format!("/accounts/{a_account}/links"),
        format!("/accounts/{a_account}/links/new"),
        format!("/accounts/{a_account}/links/{a_link}"),
        format!("/accounts/{a_account}/links/{a_link}/edit"),
        // A's link id under B's own account is not found either.
        format!("/accounts/{b_account}/links/{a_link}"),
    ] {
        let response = b.get(&path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let html = response.text().await.unwrap();
        assert!(!html.contains("Kaos dan topi"), "{path} leaks the link");
    }

    let a_acc = a_account.as_str();
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("links", vec![("account_id", a_acc)]),
        ("link", vec![("account_id", a_acc), ("link_id", &a_link)]),
        (
            "link",
            vec![("account_id", &b_account), ("link_id", &a_link)],
        ),
        ("link_form_options", vec![("account_id", a_acc)]),
        (
            "link_create",
            vec![
                ("account_id", a_acc),
                ("input[title]", "Injected"),
                ("input[items][0][name]", "x"),
                ("input[items][0][quantity]", "1"),
                ("input[items][0][unit_price]", "20000"),
                ("input[max_usage]", "1"),
            ],
        ),
        (
            "link_update",
            vec![
                ("account_id", a_acc),
                ("link_id", &a_link),
                ("input[max_usage]", "99"),
            ],
        ),
        (
            "link_status",
            vec![
                ("account_id", a_acc),
                ("link_id", &a_link),
                ("status", "closed"),
            ],
        ),
        (
            "link_delete",
            vec![
                ("account_id", a_acc),
                ("link_id", &a_link),
                ("confirm", "yes"),
            ],
        ),
        (
            "account_rename",
            vec![("account_id", a_acc), ("name", "Hijacked")],
        ),
        (
            "account_status",
            vec![("account_id", a_acc), ("status", "inactive")],
        ),
    ];
    for (endpoint, form) in calls {
        let response = b.call(endpoint, &form).await;
        assert_eq!(
            response.status(),
            StatusCode::NOT_FOUND,
            "{endpoint} {form:?}"
        );
    }

    // B's own lists show none of A's things.
    let (_, html) = b.page("/accounts").await;
    assert!(!html.contains(&a_account));
    let (_, html) = b.page(&format!("/accounts/{b_account}/links")).await;
    assert!(html.contains("No payment links yet"));

    // A's data is untouched.
    assert_eq!(app.count("payment_links").await, 1);
    assert_eq!(app.scalar("SELECT max_usage FROM payment_links").await, 10);
    let (status, html) = app
        .page(&format!("/accounts/{a_account}/links/{a_link}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Open"));
    assert!(html.contains("Main account"));
    assert!(!html.contains("Hijacked"));
}

#[tokio::test]
async fn the_kept_totals_answer_only_for_the_accounts_own_merchant() {
    use paylinks::db::histories::HistoryFilter;
    use paylinks::db::totals::{count, totals, Scope};
    use paylinks::domain::ids::{AccountId, MerchantId};
    let app = spawn_app().await;
    let account = app.sign_up("Toko Alpha", "owner@alpha.id").await;
    let link = app.create_default_link(&account).await;
    let slug = app.slug_of(link).await;
    app.new_browser().start_payment(&slug, "VA_BRI").await;
    app.new_browser()
        .sign_up("Toko Beta", "owner@beta.id")
        .await;
    let merchant = |email: &str| format!("SELECT merchant_id FROM users WHERE email = '{email}'");
    let alpha = MerchantId(app.scalar(&merchant("owner@alpha.id")).await);
    let beta = MerchantId(app.scalar(&merchant("owner@beta.id")).await);
    // The unfiltered list is counted from the kept buckets.
    let all = HistoryFilter::default();
    let account = AccountId::from(account);
    assert_eq!(count(&app.db, alpha, &account, &all).await.unwrap(), 1);
    assert_eq!(count(&app.db, beta, &account, &all).await.unwrap(), 0);
    let seen = totals(&app.db, beta, &account, &all, Scope::All)
        .await
        .unwrap();
    assert_eq!(seen.count, 0, "Beta reads nothing of Alpha's account");
}
