//! Creating and changing payment links. Every change forgets the payer pages this instance
//! keeps, so a payer never sees a closed, deleted or changed link as it was.

use crate::db::links::{self, LinkKey, NewLinkRecord};
use crate::db::{accounts, methods, Db};
use crate::domain::account::AccountStatus;
use crate::domain::link::{LinkSettings, LinkStatus, NewPaymentLink};
use crate::domain::method::offered_methods;
use crate::domain::reff::ReffNo;
use crate::domain::slug::Slug;
use crate::error::AppError;
use crate::state::AppState;

/// Creates a link in an active account, for the dashboard, the REST API and the command line:
/// at least one method must accept its total; a blank reff_no gets a generated one; the slug
/// is 128 random bits.
pub async fn create(
    db: &Db,
    merchant_id: i64,
    account_id: &str,
    link: &NewPaymentLink,
    source: &str,
    now_ms: i64,
) -> Result<i64, AppError> {
    use rand::Rng;

    // Drawn before any await: the thread-local generator must not cross one.
    let (slug, suffix) = {
        let mut rng = rand::thread_rng();
        let suffix: String = (0..8)
            .map(|_| char::from(REFF_ALPHABET[rng.gen_range(0..REFF_ALPHABET.len())]))
            .collect();
        (Slug::from_random_bytes(rng.gen()), suffix)
    };
    let account = accounts::find(db, merchant_id, account_id).await?;
    if account.status != AccountStatus::Active {
        return Err(AppError::Conflict(
            "This account is inactive. Reactivate it before creating links.".into(),
        ));
    }
    let catalogue = methods::catalogue(db).await?;
    let whitelist = link.whitelisted_payment_method.as_deref();
    if offered_methods(&catalogue, whitelist, link.total_amount).is_empty() {
        return Err(AppError::field(
            "methods",
            format!(
                "None of the chosen payment methods accepts {}. Choose other methods or change the items.",
                link.total_amount
            ),
        ));
    }
    let generated_reff;
    let reff_no = match &link.reff_no {
        Some(reff) => reff.as_str(),
        None => {
            generated_reff = ReffNo::generated(now_ms, &suffix);
            generated_reff.as_str()
        }
    };
    links::insert(
        db,
        NewLinkRecord {
            merchant_id,
            account_id: &account.id,
            slug: slug.as_str(),
            reff_no,
            link,
            source,
            now_ms,
        },
    )
    .await
}

/// Crockford base32: no I, L, O or U to misread when a reference is typed or read aloud.
const REFF_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Writes the settings, and the status when one is given, at once.
pub async fn change(
    state: &AppState,
    key: LinkKey<'_>,
    settings: &LinkSettings,
    status: Option<LinkStatus>,
) -> Result<(), AppError> {
    links::update_settings(&state.db, key, settings, status, state.now_ms()).await?;
    state.payer_cache.changed();
    Ok(())
}

/// Opens or closes the link.
pub async fn set_status(
    state: &AppState,
    key: LinkKey<'_>,
    status: LinkStatus,
) -> Result<(), AppError> {
    links::set_status(&state.db, key, status, state.now_ms()).await?;
    state.payer_cache.changed();
    Ok(())
}

/// Deletes a link without payment attempts (one with attempts is closed instead).
pub async fn delete(state: &AppState, key: LinkKey<'_>) -> Result<(), AppError> {
    links::delete(&state.db, key).await?;
    state.payer_cache.changed();
    Ok(())
}
