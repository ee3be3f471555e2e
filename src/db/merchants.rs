//! Merchants and their dashboard users.

use crate::db::{is_unique_violation, Db};
use crate::domain::ids::{MerchantId, UserId};
use crate::domain::lang::Lang;
use crate::domain::merchant::{Email, Role};
use crate::error::AppError;
use crate::model::CurrentUser;
use crate::on_db;

pub struct NewSignUp<'a> {
    pub merchant_name: &'a str,
    pub email: &'a Email,
    pub password_hash: &'a str,
    pub default_account_id: &'a str,
    pub now_ms: i64,
}

/// The name every merchant's first account gets.
pub const DEFAULT_ACCOUNT_NAME: &str = "Main account";

/// Creates the merchant, its owner and its default account in one transaction.
/// Returns the new user's id and the merchant's.
pub async fn sign_up(db: &Db, new: NewSignUp<'_>) -> Result<(UserId, MerchantId), AppError> {
    let result: Result<(UserId, MerchantId), sqlx::Error> = on_db!(db, pool => async {
        // An async block, so `?` stops here with the sqlx error instead of leaving the function.
        let mut tx = pool.begin().await?;
        let (merchant_id,): (MerchantId,) = sqlx::query_as(
            "INSERT INTO merchants (name, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(new.merchant_name)
        .bind(new.now_ms)
        .fetch_one(&mut *tx)
        .await?;
        let (user_id,): (UserId,) = sqlx::query_as(
            "INSERT INTO users (merchant_id, email, password_hash, role, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(merchant_id)
        .bind(new.email.as_str())
        .bind(new.password_hash)
        .bind(Role::Owner.as_str())
        .bind(new.now_ms)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO accounts (id, merchant_id, name, status, created_at, updated_at)
             VALUES ($1, $2, $3, 'active', $4, $4)",
        )
        .bind(new.default_account_id)
        .bind(merchant_id)
        .bind(DEFAULT_ACCOUNT_NAME)
        .bind(new.now_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((user_id, merchant_id))
    }
    .await);
    result.map_err(|e| {
        if is_unique_violation(&e, "email") {
            AppError::field(
                "email",
                "An account with this email already exists. Log in instead.",
            )
        } else {
            e.into()
        }
    })
}

/// What log-in needs to check a password.
#[derive(Debug, sqlx::FromRow)]
pub struct Credentials {
    pub user_id: UserId,
    pub password_hash: String,
}

pub async fn find_credentials(db: &Db, email: &Email) -> Result<Option<Credentials>, AppError> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Credentials>(
            "SELECT id AS user_id, password_hash FROM users WHERE email = $1",
        )
        .bind(email.as_str())
        .fetch_optional(pool)
        .await?
    });
    Ok(row)
}

pub async fn find_current_user(db: &Db, user_id: UserId) -> Result<Option<CurrentUser>, AppError> {
    find_user(db, user_id, None).await
}

/// The user a session signed in as, while that sign-in (`login_id`) has not been ended.
pub async fn find_signed_in(
    db: &Db,
    user_id: UserId,
    login_id: &str,
) -> Result<Option<CurrentUser>, AppError> {
    find_user(db, user_id, Some(login_id)).await
}

async fn find_user(
    db: &Db,
    user_id: UserId,
    login_id: Option<&str>,
) -> Result<Option<CurrentUser>, AppError> {
    const USER: &str = "SELECT u.id, u.merchant_id, m.name, u.email, u.role,
            u.totp_secret IS NOT NULL, m.require_two_factor
         FROM users u JOIN merchants m ON m.id = u.merchant_id
         WHERE u.id = $1";
    // Every signed-in request reads this: one fixed statement each, not one built per call.
    const SIGNED_IN: &str = "SELECT u.id, u.merchant_id, m.name, u.email, u.role,
            u.totp_secret IS NOT NULL, m.require_two_factor
         FROM users u JOIN merchants m ON m.id = u.merchant_id
         WHERE u.id = $1
           AND EXISTS (SELECT 1 FROM user_sessions s WHERE s.login_id = $2 AND s.user_id = u.id)";
    let sql = if login_id.is_some() { SIGNED_IN } else { USER };
    type Row = (UserId, MerchantId, String, String, String, bool, bool);
    let row: Option<Row> = on_db!(db, pool => {
        let query = sqlx::query_as(sql).bind(user_id);
        match login_id {
            Some(login_id) => query.bind(login_id),
            None => query,
        }
        .fetch_optional(pool)
        .await?
    });
    row.map(
        |(user_id, merchant_id, merchant_name, email, role, two_factor, required)| {
            Ok(CurrentUser {
                user_id,
                merchant_id,
                merchant_name,
                email,
                role: Role::parse(&role).map_err(AppError::internal)?,
                two_factor,
                two_factor_required: required,
            })
        },
    )
    .transpose()
}

/// The language a user chose to read the dashboard and their email in, if they have.
pub async fn language(db: &Db, user_id: UserId) -> Result<Option<Lang>, AppError> {
    let lang: Option<Option<String>> = on_db!(db, pool => {
        sqlx::query_scalar("SELECT lang FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?
    });
    Ok(lang.flatten().as_deref().and_then(Lang::parse))
}

pub async fn set_language(db: &Db, user_id: UserId, lang: Lang) -> Result<(), AppError> {
    on_db!(db, pool => {
        sqlx::query("UPDATE users SET lang = $1 WHERE id = $2")
            .bind(lang.as_str())
            .bind(user_id)
            .execute(pool)
            .await?;
    });
    Ok(())
}
