//! A merchant's brand: its colour and its logo (a PNG the server drew).

use crate::db::Db;
use crate::domain::ids::MerchantId;
use crate::error::AppError;
use crate::on_db;

/// What the payer pages show of a merchant's brand.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Brand {
    /// "#1a7f5a".
    pub color: Option<String>,
    /// The logo's key: it is served at `/logos/<key>.png`.
    pub logo_key: Option<String>,
}

/// Where a logo is served, below the site's origin.
pub fn logo_path(key: &str) -> String {
    format!("/logos/{key}.png")
}

impl Brand {
    /// The logo's address below `origin` ("" for a path on this site).
    pub fn logo_url(&self, origin: &str) -> Option<String> {
        self.logo_key
            .as_deref()
            .map(|key| format!("{origin}{}", logo_path(key)))
    }
}

pub async fn of_merchant(db: &Db, merchant_id: MerchantId) -> Result<Brand, AppError> {
    let row: Option<(Option<String>, Option<String>)> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT m.brand_color, l.logo_key FROM merchants m
             LEFT JOIN merchant_logos l ON l.merchant_id = m.id WHERE m.id = $1",
        )
        .bind(merchant_id)
        .fetch_optional(pool)
        .await?
    });
    let (color, logo_key) = row.ok_or(AppError::NotFound)?;
    Ok(Brand { color, logo_key })
}

/// The name and brand of the merchant a link belongs to, in one read (the payer pages' cache
/// fills with it).
pub async fn merchant_of_link(
    db: &Db,
    link_id: crate::domain::ids::LinkId,
) -> Result<(String, Brand), AppError> {
    let row: Option<(String, Option<String>, Option<String>)> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT m.name, m.brand_color, g.logo_key FROM payment_links l
             JOIN merchants m ON m.id = l.merchant_id
             LEFT JOIN merchant_logos g ON g.merchant_id = m.id WHERE l.id = $1",
        )
        .bind(link_id)
        .fetch_optional(pool)
        .await?
    });
    let (name, color, logo_key) = row.ok_or(AppError::NotFound)?;
    Ok((name, Brand { color, logo_key }))
}

pub async fn set_color(
    tx: &mut crate::db::Tx,
    merchant_id: MerchantId,
    color: Option<&str>,
) -> Result<(), AppError> {
    crate::on_tx!(tx, conn => {
        sqlx::query("UPDATE merchants SET brand_color = $1 WHERE id = $2")
            .bind(color)
            .bind(merchant_id)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Replaces the logo (a new key, so caches holding the old one never show it for the new).
pub async fn set_logo(
    tx: &mut crate::db::Tx,
    merchant_id: MerchantId,
    key: &str,
    png: &[u8],
    now_ms: i64,
) -> Result<(), AppError> {
    crate::on_tx!(tx, conn => {
        sqlx::query("DELETE FROM merchant_logos WHERE merchant_id = $1")
            .bind(merchant_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "INSERT INTO merchant_logos (merchant_id, logo_key, png, updated_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(merchant_id)
        .bind(key)
        .bind(png)
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

pub async fn remove_logo(tx: &mut crate::db::Tx, merchant_id: MerchantId) -> Result<(), AppError> {
    crate::on_tx!(tx, conn => {
        sqlx::query("DELETE FROM merchant_logos WHERE merchant_id = $1")
            .bind(merchant_id)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// The PNG served under a key.
pub async fn logo_png(db: &Db, key: &str) -> Result<Vec<u8>, AppError> {
    let row: Option<(Vec<u8>,)> = on_db!(db, pool => {
        sqlx::query_as("SELECT png FROM merchant_logos WHERE logo_key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await?
    });
    row.map(|(png,)| png).ok_or(AppError::NotFound)
}
