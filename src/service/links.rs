//! Creating and changing payment links. Every change is written with its audit entry in one
//! transaction, then forgets the payer pages this instance keeps, so a payer never sees a
//! closed, deleted or changed link as it was.

use crate::db::links::{self, LinkKey, LinkLabel, NewLinkRecord};
use crate::db::{accounts, methods, retry_contended, Db};
use crate::domain::account::AccountStatus;
use crate::domain::audit::{link_named, AuditAction};
use crate::domain::ids::{AccountId, LinkId};
use crate::domain::link::open_amount::amount_range;
use crate::domain::link::{LinkSettings, LinkStatus, NewPaymentLink};
use crate::domain::merchant::Access;
use crate::domain::method::offered_between;
use crate::domain::reff::ReffNo;
use crate::domain::slug::Slug;
use crate::error::AppError;
use crate::service::Actor;
use crate::state::AppState;

/// Creates a link in an active account, for the dashboard, the REST API and the command line:
/// at least one method must accept its total; a blank reff_no gets a generated one; the slug
/// is 128 random bits.
pub async fn create(
    db: &Db,
    actor: &Actor,
    account_id: &AccountId,
    link: &NewPaymentLink,
    source: &str,
    now_ms: i64,
) -> Result<LinkId, AppError> {
    use rand::Rng;

    actor.require(Access::Write)?;
    // Drawn before any await: the thread-local generator must not cross one.
    let (slug, suffix) = {
        let mut rng = rand::thread_rng();
        let suffix: String = (0..8)
            .map(|_| char::from(REFF_ALPHABET[rng.gen_range(0..REFF_ALPHABET.len())]))
            .collect();
        (Slug::from_random_bytes(rng.gen()), suffix)
    };
    let account = accounts::find(db, actor.merchant_id(), account_id).await?;
    if account.status != AccountStatus::Active {
        return Err(AppError::Conflict(crate::tr!(links.account_inactive)));
    }
    let catalogue = methods::catalogue(db).await?;
    let whitelist = link.whitelisted_payment_method.as_deref();
    let (low, high) = amount_range(link.total_amount, link.open_amount.as_ref(), &link.items);
    let amounts = match &link.open_amount {
        Some(open) => open.range_label(crate::domain::lang::Lang::En),
        None => link.total_amount.to_string(),
    };
    if offered_between(&catalogue, whitelist, low, high).is_empty() {
        // In the language of the message; the audit entry below keeps English.
        let amounts = match &link.open_amount {
            Some(open) => open.range_label(crate::i18n::current().into()),
            None => link.total_amount.to_string(),
        };
        return Err(AppError::field(
            "methods",
            crate::tr!(links.no_method_accepts, amounts),
        ));
    }
    let reff_no = match &link.reff_no {
        Some(reff) => reff.clone(),
        None => ReffNo::generated(now_ms, &suffix),
    };
    let mut tx = db.begin().await?;
    let id = links::insert(
        &mut tx,
        NewLinkRecord {
            merchant_id: actor.merchant_id(),
            account_id: &account.id,
            slug: slug.as_str(),
            reff_no: reff_no.as_str(),
            link,
            source,
            now_ms,
        },
    )
    .await?;
    let detail = format!(
        "{}, {} in {}",
        link_named(&link.title, reff_no.as_str()),
        amounts,
        account.name
    );
    actor
        .audit(&mut tx, AuditAction::LinkCreated, &detail, now_ms)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Crockford base32: no I, L, O or U to misread when a reference is typed or read aloud.
const REFF_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Writes the settings, and the status when one is given, at once.
pub async fn change(
    state: &AppState,
    actor: &Actor,
    link: LinkRef<'_>,
    settings: &LinkSettings,
    status: Option<LinkStatus>,
) -> Result<(), AppError> {
    actor.require(Access::Write)?;
    let key = link.key(actor);
    let now_ms = state.now_ms();
    // On Postgres a reservation may hold the link row; the whole change is run again then.
    retry_contended(|| async {
        let mut tx = state.db.begin().await?;
        let changed = links::update_settings(&mut tx, key, settings, status, now_ms).await?;
        let detail = match status {
            Some(status) => format!("{}, now {}", named(&changed), status.as_str()),
            None => named(&changed),
        };
        actor
            .audit(&mut tx, AuditAction::LinkEdited, &detail, now_ms)
            .await?;
        tx.commit().await
    })
    .await?;
    state.payer_cache.changed();
    Ok(())
}

/// Opens or closes the link.
pub async fn set_status(
    state: &AppState,
    actor: &Actor,
    link: LinkRef<'_>,
    status: LinkStatus,
) -> Result<(), AppError> {
    actor.require(Access::Write)?;
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    let changed = links::set_status(&mut tx, link.key(actor), status, now_ms).await?;
    let verb = match status {
        LinkStatus::Open => "Reopened",
        LinkStatus::Closed => "Closed",
    };
    let detail = format!("{verb} {}", named(&changed));
    actor
        .audit(&mut tx, AuditAction::LinkStatusChanged, &detail, now_ms)
        .await?;
    tx.commit().await?;
    state.payer_cache.changed();
    Ok(())
}

/// Deletes a link without payment attempts (one with attempts is closed instead).
pub async fn delete(state: &AppState, actor: &Actor, link: LinkRef<'_>) -> Result<(), AppError> {
    actor.require(Access::Write)?;
    let now_ms = state.now_ms();
    let mut tx = state.db.begin().await?;
    let deleted = links::delete(&mut tx, link.key(actor)).await?;
    actor
        .audit(&mut tx, AuditAction::LinkDeleted, &named(&deleted), now_ms)
        .await?;
    tx.commit().await?;
    state.payer_cache.changed();
    Ok(())
}

/// A link of one of the actor's accounts.
#[derive(Debug, Clone, Copy)]
pub struct LinkRef<'a> {
    pub account_id: &'a AccountId,
    pub link_id: LinkId,
}

impl LinkRef<'_> {
    /// Scoped to the actor's merchant, so another merchant's link is simply not found.
    fn key(&self, actor: &Actor) -> LinkKey<'_> {
        LinkKey {
            merchant_id: actor.merchant_id(),
            account_id: self.account_id,
            link_id: self.link_id,
        }
    }
}

fn named(link: &LinkLabel) -> String {
    link_named(&link.title, &link.reff_no)
}
