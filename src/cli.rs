//! Subcommands of the server binary, for bootstrapping, demos and benchmarks:
//! `paylinks credentials create --email E --password P --merchant NAME` and
//! `paylinks seed --histories N [--email E --password P --merchant NAME]`.

use crate::auth::accounts::{authenticate, register};
use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use crate::db::{accounts, merchants, Db};
use crate::domain::account::AccountStatus;
use crate::domain::ids::{AccountId, MerchantId};
use crate::domain::merchant::SignUpInput;
use crate::error::AppError;
use crate::model::CurrentUser;
use crate::service::Actor;

pub const USAGE: &str =
    "usage: paylinks [credentials create --email E --password P --merchant NAME]
       paylinks [seed --histories N [--email E] [--password P] [--merchant NAME]]";

pub async fn run(args: &[String]) -> Result<(), AppError> {
    match args {
        [group, action, rest @ ..] if group == "credentials" && action == "create" => {
            create_credentials(rest).await
        }
        [command, rest @ ..] if command == "seed" => seed(rest).await,
        _ => Err(AppError::config(USAGE)),
    }
}

/// The value after `--name`, if given.
fn flag_value(flags: &[String], name: &str) -> Option<String> {
    flags
        .iter()
        .position(|f| f == name)
        .and_then(|i| flags.get(i + 1))
        .cloned()
}

/// The merchant of this email and password, signed up first when the email is new.
async fn merchant_of(
    db: &Db,
    email: String,
    password: String,
    merchant_name: String,
    now: i64,
) -> Result<crate::model::CurrentUser, AppError> {
    let user_id = match authenticate(db, &email, password.clone()).await? {
        Some(user_id) => user_id,
        None => {
            let input = SignUpInput {
                merchant_name,
                email,
                password,
            };
            match register(db, input, now).await {
                Ok((user_id, _)) => user_id,
                // The email exists but the password did not match.
                Err(AppError::Duplicate(errors)) if errors.get("email").is_some() => {
                    return Err(AppError::config("wrong email or password"));
                }
                Err(other) => return Err(other),
            }
        }
    };
    merchants::find_current_user(db, user_id)
        .await?
        .ok_or(AppError::NotFound)
}

fn command_line(user: &CurrentUser) -> Actor {
    Actor::CommandLine {
        merchant_id: user.merchant_id,
        user_id: user.user_id,
        email: user.email.clone(),
    }
}

async fn first_active_account(db: &Db, merchant_id: MerchantId) -> Result<AccountId, AppError> {
    accounts::list(db, merchant_id)
        .await?
        .into_iter()
        .find(|a| a.status == AccountStatus::Active)
        .map(|a| a.id)
        .ok_or_else(|| AppError::config("the merchant has no active account"))
}

/// Creates the merchant when the email is new (else checks its password), issues a new API
/// credential and prints it with the default account as one JSON object.
async fn create_credentials(flags: &[String]) -> Result<(), AppError> {
    let flag = |name: &str| {
        flag_value(flags, name)
            .ok_or_else(|| AppError::config(format!("{name} is required; {USAGE}")))
    };
    let (email, password, merchant_name) =
        (flag("--email")?, flag("--password")?, flag("--merchant")?);
    let settings = Settings::from_env()?;
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    let now = SystemClock.now_ms();
    let user = merchant_of(&db, email, password, merchant_name, now).await?;
    let account_id = first_active_account(&db, user.merchant_id).await?;
    let issued = crate::service::credentials::create(&db, &command_line(&user), &[], now).await?;
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

/// A demo merchant with a handful of links and `--histories` attempts over the last 90 days.
async fn seed(flags: &[String]) -> Result<(), AppError> {
    use crate::domain::items::LineItem;
    use crate::domain::link::NewPaymentLink;
    use crate::domain::Rupiah;

    let count: i64 = flag_value(flags, "--histories")
        .and_then(|n| n.replace('_', "").parse().ok())
        .filter(|n| *n >= 0)
        .ok_or_else(|| AppError::config(format!("--histories N is required; {USAGE}")))?;
    let email = flag_value(flags, "--email").unwrap_or_else(|| "demo@paylinks.test".into());
    let password = flag_value(flags, "--password").unwrap_or_else(|| "demo-password".into());
    let merchant_name = flag_value(flags, "--merchant").unwrap_or_else(|| "Toko Demo".into());
    let settings = Settings::from_env()?;
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    let started = std::time::Instant::now();
    let now = SystemClock.now_ms();
    let user = merchant_of(&db, email.clone(), password.clone(), merchant_name, now).await?;
    let account_id = first_active_account(&db, user.merchant_id).await?;
    let catalogue = [
        ("Kaos Polos Hitam", 125_000),
        ("Kopi Gayo 250 g", 89_000),
        ("Workshop Batik Tulis", 350_000),
        ("Langganan Bulanan", 49_000),
        ("Donasi Pembangunan", 100_000),
    ];
    let mut links = Vec::new();
    for (title, price) in catalogue {
        let link = NewPaymentLink {
            reff_no: None,
            title: title.into(),
            description: None,
            items: vec![LineItem {
                max_quantity: None,
                name: title.into(),
                quantity: 1,
                unit_price: Rupiah(price),
            }],
            total_amount: Rupiah(price),
            open_amount: None,
            stock: None,
            custom_fields: Vec::new(),
            whitelisted_payment_method: None,
            max_usage: 1_000_000,
            expired_at: None,
            required_customer_detail: false,
            redirect_url: None,
            optional_metadata: Default::default(),
        };
        links.push(
            crate::service::links::create(
                &db,
                &command_line(&user),
                &account_id,
                &link,
                "dashboard",
                now,
            )
            .await?,
        );
    }
    let delay = settings.settlement_delay_ms;
    crate::db::seed::histories(&db, &links, count, now, delay, |done| {
        eprintln!("seeded {done} of {count} histories");
    })
    .await?;
    let output = serde_json::json!({
        "email": email,
        "password": password,
        "account_id": account_id,
        "links": links,
        "histories": count,
        "seconds": started.elapsed().as_secs_f64(),
    });
    println!("{output}");
    db.close().await;
    Ok(())
}
