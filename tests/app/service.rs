//! The link use cases called directly, without HTTP: each change is seen by the payer page
//! memory at once (its one-second memory would otherwise show the link as it was).

use paylinks::domain::ids::{AccountId, LinkId, MerchantId, UserId};
use paylinks::domain::link::{LinkSettings, LinkStatus};
use paylinks::domain::merchant::Role;
use paylinks::service::{self, links::LinkRef, Actor};

use crate::helpers::spawn_app;

#[tokio::test]
async fn link_changes_reach_the_payer_memory_at_once() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Layanan", "owner@layanan.id").await;
    let account_id = AccountId::from(account.as_str());
    let link_id = app.create_default_link(&account).await;
    let slug = app.slug_of(link_id).await;
    let owner = owner_of(&app, "owner@layanan.id").await;
    let key = || LinkRef {
        account_id: &account_id,
        link_id: LinkId(link_id),
    };
    let remembered = || async {
        app.state
            .payer_cache
            .link(&app.state.db, &slug)
            .await
            .map(|read| read.link.clone())
    };
    assert_eq!(remembered().await.unwrap().status, LinkStatus::Open);

    service::links::set_status(&app.state, &owner, key(), LinkStatus::Closed)
        .await
        .unwrap();
    assert_eq!(remembered().await.unwrap().status, LinkStatus::Closed);

    let settings = LinkSettings {
        whitelisted_payment_method: None,
        max_usage: 7,
        expired_at: None,
        required_customer_detail: false,
        redirect_url: None,
        optional_metadata: serde_json::Map::new(),
    };
    service::links::change(&app.state, &owner, key(), &settings, Some(LinkStatus::Open))
        .await
        .unwrap();
    let changed = remembered().await.unwrap();
    assert_eq!((changed.status, changed.max_usage), (LinkStatus::Open, 7));

    service::links::delete(&app.state, &owner, key())
        .await
        .unwrap();
    assert!(remembered().await.is_err(), "a deleted link is not served");
}

#[tokio::test]
async fn starting_attempts_issues_until_the_link_is_full() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Mulai", "owner@mulai.id").await;
    let link_id = app
        .create_link_with(&account, &[("input[max_usage]", "1")])
        .await;
    let slug = app.slug_of(link_id).await;
    let read = app
        .state
        .payer_cache
        .link(&app.state.db, &slug)
        .await
        .unwrap();
    let catalogue = app.state.catalogue.get(&app.state.db).await.unwrap();
    let method = catalogue.iter().find(|m| m.code == "VA_BNI").unwrap();
    let order = paylinks::domain::order::as_offered(&read.link.items, read.link.total_amount);
    let start = || service::attempts::Start {
        lang: paylinks::domain::lang::Lang::Id,
        routed: false,
        link: &read.link,
        merchant_name: &read.merchant_name,
        method,
        order: &order,
        answers: &[],
        customer: None,
        payer_phone: None,
        ip_address: Some("203.0.113.9"),
        announce: read.announces_attempts,
    };
    let first = service::attempts::start(&app.state, start()).await.unwrap();
    let service::attempts::Started::Issued {
        reff_no,
        expires_at,
    } = first
    else {
        panic!("the first payer gets the link's one slot");
    };
    assert!(expires_at > app.state.now_ms());
    let stored = app
        .scalar_text(&format!(
            "SELECT status || ' ' || payment_method_value FROM payment_link_histories
             WHERE reff_no = '{reff_no}'"
        ))
        .await;
    assert!(
        stored.starts_with("pending ") && stored.len() > "pending ".len(),
        "{stored}"
    );
    let second = service::attempts::start(&app.state, start()).await.unwrap();
    assert!(matches!(second, service::attempts::Started::NoSlot));
    assert_eq!(app.count("payment_link_histories").await, 1);
}

/// The owner of the app's one merchant, as the service layer takes them.
async fn owner_of(app: &crate::helpers::TestApp, email: &str) -> Actor {
    Actor::Member {
        merchant_id: MerchantId(
            app.scalar(&format!(
                "SELECT merchant_id FROM users WHERE email = '{email}'"
            ))
            .await,
        ),
        user_id: UserId(
            app.scalar(&format!("SELECT id FROM users WHERE email = '{email}'"))
                .await,
        ),
        email: email.into(),
        role: Role::Owner,
    }
}

#[tokio::test]
async fn a_change_and_its_audit_entry_are_kept_together_or_not_at_all() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Catat", "owner@catat.id").await;
    let account_id = AccountId::from(account.as_str());
    let link_id = app.create_default_link(&account).await;
    let owner = owner_of(&app, "owner@catat.id").await;
    let link = LinkRef {
        account_id: &account_id,
        link_id: LinkId(link_id),
    };
    let entries = || app.texts("SELECT action || ': ' || detail FROM audit_log ORDER BY id");
    let before = entries().await;

    service::links::set_status(&app.state, &owner, link, LinkStatus::Closed)
        .await
        .unwrap();
    let after = entries().await;
    assert_eq!(after.len(), before.len() + 1);
    let reff = app
        .scalar_text(&format!(
            "SELECT reff_no FROM payment_links WHERE id = {link_id}"
        ))
        .await;
    let written = after.last().unwrap();
    assert!(
        written.starts_with("Closed or reopened a payment link: Closed “")
            && written.contains(&reff),
        "{written}"
    );

    // Refused inside the transaction (the link does not exist): nothing is written.
    let missing = LinkRef {
        account_id: &account_id,
        link_id: LinkId(link_id + 1000),
    };
    let refused = service::links::set_status(&app.state, &owner, missing, LinkStatus::Open).await;
    assert!(matches!(refused, Err(paylinks::error::AppError::NotFound)));
    assert_eq!(entries().await, after);

    // A viewer is refused by the operation itself, wherever it is called from.
    let Actor::Member {
        merchant_id,
        user_id,
        ..
    } = owner
    else {
        unreachable!()
    };
    let viewer = Actor::Member {
        merchant_id,
        user_id,
        email: "owner@catat.id".into(),
        role: Role::Viewer,
    };
    let forbidden = service::links::set_status(&app.state, &viewer, link, LinkStatus::Open).await;
    assert!(matches!(
        forbidden,
        Err(paylinks::error::AppError::Forbidden)
    ));
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT status FROM payment_links WHERE id = {link_id}"
        ))
        .await,
        "closed"
    );
    assert_eq!(entries().await, after);
}

#[tokio::test]
async fn an_api_credential_may_change_links_but_never_the_team() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Kunci", "owner@kunci.id").await;
    let account_id = AccountId::from(account.as_str());
    let link_id = app.create_default_link(&account).await;
    let owner = owner_of(&app, "owner@kunci.id").await;
    let credential = Actor::Credential {
        merchant_id: owner.merchant_id(),
        api_key: "key-for-test".into(),
    };
    let link = LinkRef {
        account_id: &account_id,
        link_id: LinkId(link_id),
    };
    service::links::set_status(&app.state, &credential, link, LinkStatus::Closed)
        .await
        .unwrap();
    assert_eq!(
        app.scalar_text("SELECT actor FROM audit_log ORDER BY id DESC LIMIT 1")
            .await,
        "API key key-for-test"
    );
    let invited = service::team::invite(&app.state, &credential, "baru@kunci.id", "admin").await;
    assert!(matches!(invited, Err(paylinks::error::AppError::Forbidden)));
    assert_eq!(app.count("invitations").await, 0);
}

#[tokio::test]
async fn the_last_active_account_and_the_last_owner_stay() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Tetap", "owner@tetap.id").await;
    let account_id = AccountId::from(account.as_str());
    let owner = owner_of(&app, "owner@tetap.id").await;
    let deactivated = service::accounts::set_status(
        &app.state,
        &owner,
        &account_id,
        paylinks::domain::account::AccountStatus::Inactive,
    )
    .await;
    assert!(
        matches!(deactivated, Err(paylinks::error::AppError::Conflict(_))),
        "{deactivated:?}"
    );
    let Actor::Member { user_id, .. } = owner else {
        unreachable!()
    };
    let demoted =
        service::team::change_member(&app.state, &owner, user_id, Some(Role::Admin)).await;
    assert!(matches!(
        demoted,
        Err(paylinks::error::AppError::Conflict(_))
    ));
    assert_eq!(app.scalar_text("SELECT role FROM users").await, "owner");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log").await, 0);
}
