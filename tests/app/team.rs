//! The team: invitations, roles enforced on every server function, the last owner kept, and
//! the audit log written for every change.

use reqwest::StatusCode;
use serde_json::Value;

use crate::api_client::ApiClient;
use crate::helpers::{spawn_app, Browser, TestApp, PASSWORD};
use paylinks::auth::access::{rule, RULES};
use paylinks::domain::merchant::Access;

/// The owner invites `email` as `role`; the invitee joins in their own browser.
pub(crate) async fn invite_and_join(app: &TestApp, email: &str, role: &str) -> Browser {
    let response = app
        .call("team_invite", &[("email", email), ("role", role)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let link: String = response.json().await.unwrap();
    let path = link
        .strip_prefix(&app.address)
        .expect("a link to this site");
    let invitee = app.new_browser();
    let (status, page) = invitee.page(path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Join Toko Sinar") && page.contains(email),
        "{page}"
    );
    let token = path.trim_start_matches("/invitations/");
    let joined = invitee
        .call(
            "invitation_accept",
            &[("token", token), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(joined.status(), StatusCode::OK);
    // An invitation works once.
    let again = app
        .new_browser()
        .call(
            "invitation_accept",
            &[("token", token), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    let (status, _) = app.new_browser().page(path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    invitee
}

/// Every server function the app registers, by endpoint name.
fn endpoints() -> Vec<String> {
    let mut names: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .filter_map(|(path, _)| path.strip_prefix("/fn/").map(str::to_string))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[tokio::test]
async fn every_server_function_has_a_rule_and_viewers_and_admins_are_held_to_it() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    app.create_default_link(&account).await;
    let viewer = invite_and_join(&app, "viewer@sinar.id", "viewer").await;
    let admin = invite_and_join(&app, "admin@sinar.id", "admin").await;

    let names = endpoints();
    assert!(names.len() >= RULES.len(), "{names:?}");
    for name in &names {
        assert!(
            RULES.iter().any(|(listed, ..)| listed == name),
            "{name} has no access rule"
        );
    }
    let links_before = app.count("payment_links").await;
    for name in &names {
        let access = rule(name);
        if access == Access::Public {
            // Payer pages and log-in/out: calling "logout" would end the session under test.
            continue;
        }
        let as_viewer = viewer
            .call(name, &[("account_id", &account)])
            .await
            .status();
        let as_admin = admin.call(name, &[("account_id", &account)]).await.status();
        match access {
            Access::Write => {
                assert_eq!(as_viewer, StatusCode::FORBIDDEN, "viewer calling {name}");
                assert_ne!(as_admin, StatusCode::FORBIDDEN, "admin calling {name}");
            }
            Access::Owner => {
                assert_eq!(as_viewer, StatusCode::FORBIDDEN, "viewer calling {name}");
                assert_eq!(as_admin, StatusCode::FORBIDDEN, "admin calling {name}");
            }
            Access::Read | Access::Public => {
                assert_ne!(as_viewer, StatusCode::FORBIDDEN, "viewer calling {name}");
            }
        }
    }
    // A real change, refused to the viewer, made by the admin.
    let form = [
        ("account_id", account.as_str()),
        ("input[title]", "Topi"),
        ("input[items][0][name]", "Topi"),
        ("input[items][0][quantity]", "1"),
        ("input[items][0][unit_price]", "50000"),
        ("input[max_usage]", "1"),
    ];
    assert_eq!(
        viewer.call("link_create", &form).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("payment_links").await, links_before);
    assert_eq!(
        admin.call("link_create", &form).await.status(),
        StatusCode::OK
    );
    // Viewers read: the payments table and the links list answer them.
    let read = viewer.call("payments", &[("account_id", &account)]).await;
    assert_eq!(read.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_last_owner_stays_and_owners_manage_roles() {
    let app = spawn_app().await;
    app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let other = invite_and_join(&app, "budi@sinar.id", "viewer").await;
    let me = app
        .scalar("SELECT id FROM users WHERE email = 'owner@sinar.id'")
        .await
        .to_string();
    let budi = app
        .scalar("SELECT id FROM users WHERE email = 'budi@sinar.id'")
        .await
        .to_string();

    let demote = app
        .call("team_role", &[("user_id", &me), ("role", "admin")])
        .await;
    assert_eq!(demote.status(), StatusCode::CONFLICT);
    assert!(demote.text().await.unwrap().contains("At least one owner"));
    let leave = app
        .call("team_remove", &[("user_id", &me), ("confirm", "yes")])
        .await;
    assert_eq!(leave.status(), StatusCode::CONFLICT);

    let promote = app
        .call("team_role", &[("user_id", &budi), ("role", "owner")])
        .await;
    assert_eq!(promote.status(), StatusCode::OK);
    let (_, team) = other.page("/team").await;
    assert!(
        team.contains("Create invitation link"),
        "the new owner manages the team"
    );
    let demote = app
        .call("team_role", &[("user_id", &me), ("role", "viewer")])
        .await;
    assert_eq!(demote.status(), StatusCode::OK);
    assert_eq!(
        app.call("team_role", &[("user_id", &budi), ("role", "viewer")])
            .await
            .status(),
        StatusCode::FORBIDDEN,
        "a viewer manages nothing"
    );
    let removed = other
        .call("team_remove", &[("user_id", &me), ("confirm", "yes")])
        .await;
    assert_eq!(removed.status(), StatusCode::OK);
    let (status, _) = app.page("/team").await;
    assert!(
        status.is_redirection(),
        "a removed member is signed out: {status}"
    );

    // Another merchant's member is not found, whatever the owner tries.
    let stranger = app.new_browser();
    stranger.sign_up("Toko Lain", "owner@lain.id").await;
    let response = stranger
        .call("team_role", &[("user_id", &budi), ("role", "viewer")])
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_change_is_in_the_audit_log_for_owners_only() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let link = app.create_default_link(&account).await.to_string();
    let changes: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("account_create", vec![("name", "Cabang Bandung")]),
        ("credential_create", vec![]),
        (
            "webhook_settings",
            vec![
                ("transaction_url", "https://example.com/hook"),
                ("enabled", "yes"),
            ],
        ),
        (
            "link_status",
            vec![
                ("account_id", &account),
                ("link_id", &link),
                ("status", "closed"),
            ],
        ),
        (
            "export_create",
            vec![("account_id", &account), ("format", "csv")],
        ),
    ];
    for (name, form) in &changes {
        let status = app.call(name, form).await.status();
        assert!(
            status.is_success() || status.is_redirection(),
            "{name}: {status}"
        );
    }
    // A refused change leaves no entry.
    let refused = app.call("account_create", &[("name", "  ")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let api = ApiClient::new(&app, "owner@sinar.id", "Toko Sinar").await;
    let created = api
        .call(reqwest::Method::POST, &api.links_path())
        .json(&crate::api_client::new_link("API-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::OK);

    let response = app.call("audit", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page: Value = response.json().await.unwrap();
    let entries = page["entries"].as_array().unwrap();
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for expected in [
        "Created a payment link",
        "Created an account",
        "Created an API credential",
        "Changed webhook settings",
        "Closed or reopened a payment link",
        "Exported payments",
    ] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "Created an account")
            .count(),
        1
    );
    let api_entry = entries
        .iter()
        .find(|e| e["actor"].as_str().unwrap().starts_with("API key "))
        .expect("the API call is logged");
    assert!(api_entry["detail"].as_str().unwrap().contains("API-1"));
    let by_owner = entries
        .iter()
        .filter(|e| e["actor"] == "owner@sinar.id")
        .count();
    assert_eq!(by_owner, 6, "{entries:?}");

    let filtered = app
        .call("audit", &[("query[action]", "webhook")])
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(filtered["entries"].as_array().unwrap().len(), 1);
    let (status, html) = app.page("/audit?actor=API").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<td>API key ") && !html.contains("<td>owner@sinar.id</td>"),
        "{html}"
    );

    let viewer = invite_and_join(&app, "viewer@sinar.id", "viewer").await;
    assert_eq!(
        viewer.call("audit", &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    let (status, _) = viewer.page("/audit").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_viewer_may_simulate_a_sandbox_payment_as_any_payer_may() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let link = app.create_default_link(&account).await;
    let slug = app.slug_of(link).await;
    let reff = app.new_browser().start_payment(&slug, "VA_BRI").await;
    let viewer = invite_and_join(&app, "lihat@sinar.id", "viewer").await;
    let link = link.to_string();
    let form = [
        ("account_id", account.as_str()),
        ("link_id", link.as_str()),
        ("reff_no", reff.as_str()),
    ];
    assert_eq!(
        viewer.call("attempt_simulate", &form).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.scalar_text("SELECT status FROM payment_link_histories")
            .await,
        "paid"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'Simulated a payment'")
            .await,
        1,
        "and it is in the audit log"
    );
}

#[tokio::test]
async fn only_owners_are_shown_the_audit_log_link() {
    let app = spawn_app().await;
    app.sign_up("Toko Sinar", "owner@sinar.id").await;
    let (_, owner_page) = app.page("/team").await;
    assert!(owner_page.contains(r#"href="/audit""#), "{owner_page}");
    let admin = invite_and_join(&app, "admin@sinar.id", "admin").await;
    let (status, admin_page) = admin.page("/team").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        admin_page.contains(r#"href="/team""#),
        "the nav is there: {admin_page}"
    );
    assert!(
        !admin_page.contains(r#"href="/audit""#),
        "no link to a page that answers 403"
    );
}
