//! Subcommands of the server binary, for bootstrapping and scripts:
//! `paylinks credentials create --email E --password P --merchant NAME`.

use crate::auth::accounts::{authenticate, register};
use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use crate::db::{accounts, credentials, merchants, Db};
use crate::domain::account::AccountStatus;
use crate::domain::merchant::SignUpInput;
use crate::error::AppError;

pub const USAGE: &str =
    "usage: paylinks [credentials create --email E --password P --merchant NAME]";

pub async fn run(args: &[String]) -> Result<(), AppError> {
    match args {
        [group, action, rest @ ..] if group == "credentials" && action == "create" => {
            create_credentials(rest).await
        }
        _ => Err(AppError::config(USAGE)),
    }
}

/// Creates the merchant when the email is new (else checks its password), issues a new API
/// credential and prints it with the default account as one JSON object.
async fn create_credentials(flags: &[String]) -> Result<(), AppError> {
    let flag = |name: &str| {
        flags
            .iter()
            .position(|f| f == name)
            .and_then(|i| flags.get(i + 1))
            .cloned()
            .ok_or_else(|| AppError::config(format!("{name} is required; {USAGE}")))
    };
    let (email, password, merchant_name) =
        (flag("--email")?, flag("--password")?, flag("--merchant")?);
    let settings = Settings::from_env()?;
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    let now = SystemClock.now_ms();

    let user_id = match authenticate(&db, &email, password.clone()).await? {
        Some(user_id) => user_id,
        None => {
            let input = SignUpInput {
                merchant_name,
                email,
                password,
            };
            match register(&db, input, now).await {
                Ok((user_id, _)) => user_id,
                // The email exists but the password did not match.
                Err(AppError::Duplicate(errors)) if errors.get("email").is_some() => {
                    return Err(AppError::config("wrong email or password"));
                }
                Err(other) => return Err(other),
            }
        }
    };
    let user = merchants::find_current_user(&db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let account_id = accounts::list(&db, user.merchant_id)
        .await?
        .into_iter()
        .find(|a| a.status == AccountStatus::Active)
        .map(|a| a.id)
        .ok_or_else(|| AppError::config("the merchant has no active account"))?;
    let issued = credentials::create(&db, user.merchant_id, &[], now).await?;
    let output = serde_json::json!({
        "api_key": issued.api_key,
        "client_id": issued.client_id,
        "client_secret": issued.client_secret,
        "account_id": account_id,
    });
    println!("{output}");
    db.close().await;
    Ok(())
}
