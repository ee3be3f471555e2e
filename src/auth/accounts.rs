//! Registering a merchant and checking a password: shared by the dashboard and the CLI.

use crate::auth::password;
use crate::db::merchants::{self, NewSignUp};
use crate::db::Db;
use crate::domain::ids::{MerchantId, UserId};
use crate::domain::merchant::{Email, SignUpInput};
use crate::error::AppError;

/// Creates the merchant, its owner (argon2id password) and its default account.
/// Returns (user id, merchant id).
pub async fn register(
    db: &Db,
    input: SignUpInput,
    now_ms: i64,
) -> Result<(UserId, MerchantId), AppError> {
    let new = input.parse()?;
    let password_hash = password::hash(new.password).await?;
    merchants::sign_up(
        db,
        NewSignUp {
            merchant_name: &new.name,
            email: &new.email,
            password_hash: &password_hash,
            default_account_id: &ulid::Ulid::new().to_string(),
            now_ms,
        },
    )
    .await
}

/// The user id when the email and password match; `None` otherwise, in the same time
/// whether or not the email exists.
pub async fn authenticate(
    db: &Db,
    email: &str,
    password: String,
) -> Result<Option<UserId>, AppError> {
    let credentials = match Email::parse(email) {
        Ok(email) => merchants::find_credentials(db, &email).await?,
        Err(_) => None,
    };
    let user_id = credentials.as_ref().map(|c| c.user_id);
    let verified = password::verify(password, credentials.map(|c| c.password_hash)).await?;
    Ok(user_id.filter(|_| verified))
}
