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
