//! The link use cases called directly, without HTTP: each change is seen by the payer page
//! memory at once (its one-second memory would otherwise show the link as it was).

use paylinks::db::links::LinkKey;
use paylinks::domain::link::{LinkSettings, LinkStatus};
use paylinks::service;

use crate::helpers::spawn_app;

#[tokio::test]
async fn link_changes_reach_the_payer_memory_at_once() {
    let app = spawn_app().await;
    let account = app.sign_up("Toko Layanan", "owner@layanan.id").await;
    let link_id = app.create_default_link(&account).await;
    let slug = app.slug_of(link_id).await;
    let merchant_id = app
        .scalar(&format!(
            "SELECT merchant_id FROM payment_links WHERE id = {link_id}"
        ))
        .await;
    let key = || LinkKey {
        merchant_id,
        account_id: &account,
        link_id,
    };
    let remembered = || async {
        app.state
            .payer_cache
            .link(&app.state.db, &slug)
            .await
            .map(|read| read.link.clone())
    };
    assert_eq!(remembered().await.unwrap().status, LinkStatus::Open);

    service::links::set_status(&app.state, key(), LinkStatus::Closed)
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
    service::links::change(&app.state, key(), &settings, Some(LinkStatus::Open))
        .await
        .unwrap();
    let changed = remembered().await.unwrap();
    assert_eq!((changed.status, changed.max_usage), (LinkStatus::Open, 7));

    service::links::delete(&app.state, key()).await.unwrap();
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
    let start = || service::attempts::Start {
        link: &read.link,
        merchant_name: &read.merchant_name,
        method,
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
