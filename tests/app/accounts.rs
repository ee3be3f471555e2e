use reqwest::StatusCode;

use crate::helpers::{field_errors, spawn_app};

#[tokio::test]
async fn accounts_are_created_renamed_deactivated_and_reactivated() {
    let app = spawn_app().await;
    let main_id = app.sign_up("Toko", "owner@toko.id").await;

    let response = app
        .call("account_create", &[("name", "Cabang Bandung")])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let branch_id: String = response.json().await.unwrap();
    assert_eq!(branch_id.len(), 26);

    let response = app
        .call(
            "account_rename",
            &[("account_id", &branch_id), ("name", "Cabang Surabaya")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (status, html) = app.page("/accounts").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Cabang Surabaya"));
    assert!(!html.contains("Cabang Bandung"));

    let deactivate = [("account_id", branch_id.as_str()), ("status", "inactive")];
    assert_eq!(
        app.call("account_status", &deactivate).await.status(),
        StatusCode::OK
    );
    let response = app.create_link(&branch_id, &[]).await;
    assert_eq!(
        response.status(),
        StatusCode::CONFLICT,
        "no new links in an inactive account"
    );
    assert_eq!(app.count("payment_links").await, 0);

    let reactivate = [("account_id", branch_id.as_str()), ("status", "active")];
    assert_eq!(
        app.call("account_status", &reactivate).await.status(),
        StatusCode::OK
    );
    app.create_default_link(&branch_id).await;

    // The switcher on every dashboard page lists both accounts.
    let (_, html) = app.page(&format!("/accounts/{main_id}/links")).await;
    assert!(html.contains(&format!("/accounts/{branch_id}/links")));
}

#[tokio::test]
async fn the_last_active_account_cannot_be_deactivated() {
    let app = spawn_app().await;
    let main_id = app.sign_up("Toko", "owner@toko.id").await;
    let response = app
        .call(
            "account_status",
            &[("account_id", &main_id), ("status", "inactive")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM accounts WHERE status = 'active'")
            .await,
        1
    );
}

#[tokio::test]
async fn account_names_are_validated_and_nothing_changes() {
    let app = spawn_app().await;
    let main_id = app.sign_up("Toko", "owner@toko.id").await;
    let errors = field_errors(app.call("account_create", &[("name", "   ")]).await).await;
    assert!(errors.contains_key("name"));
    let long = "x".repeat(101);
    let errors = field_errors(
        app.call(
            "account_rename",
            &[("account_id", &main_id), ("name", &long)],
        )
        .await,
    )
    .await;
    assert!(errors.contains_key("name"));
    assert_eq!(app.count("accounts").await, 1);
    let (_, html) = app.page("/accounts").await;
    assert!(html.contains("Main account"));
}
