//! The payment-method catalogue.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::db::Db;
use crate::domain::method::{MethodGroup, PaymentMethod};
use crate::domain::Rupiah;
use crate::error::AppError;
use crate::on_db;

#[derive(sqlx::FromRow)]
struct MethodRow {
    code: String,
    name: String,
    method_group: String,
    description: String,
    min_amount: i64,
    max_amount: i64,
    fee_flat: i64,
    fee_percent_bps: i64,
    expiry_seconds: i64,
    active: bool,
}

/// Every catalogue method, active or not, in display order.
/// The codes of the active methods, which a link's whitelist may name; read fresh, so a
/// method switched off a moment ago is refused at once.
pub async fn active_codes(db: &Db) -> Result<Vec<String>, AppError> {
    Ok(catalogue(db)
        .await?
        .into_iter()
        .filter(|m| m.active)
        .map(|m| m.code)
        .collect())
}

pub async fn catalogue(db: &Db) -> Result<Vec<PaymentMethod>, AppError> {
    let rows: Vec<MethodRow> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT code, name, method_group, description, min_amount, max_amount, fee_flat,
                    fee_percent_bps, expiry_seconds, active
             FROM payment_methods ORDER BY sort_order, code",
        )
        .fetch_all(pool)
        .await?
    });
    rows.into_iter()
        .map(|row| {
            Ok(PaymentMethod {
                group: MethodGroup::parse(&row.method_group).map_err(AppError::internal)?,
                code: row.code,
                name: row.name,
                description: row.description,
                min_amount: Rupiah(row.min_amount),
                max_amount: Rupiah(row.max_amount),
                fee_flat: Rupiah(row.fee_flat),
                fee_percent_bps: row.fee_percent_bps,
                expiry_seconds: row.expiry_seconds,
                active: row.active,
            })
        })
        .collect()
}

/// The catalogue as this instance last read it, for the payer pages: it changes only through
/// migrations or an operator's hand, so reading it once a minute instead of on every page view
/// is enough (a change reaches payers within `ttl`; the dashboard always reads it fresh).
pub struct CachedCatalogue {
    ttl: Duration,
    read: RwLock<Option<(Instant, Arc<Vec<PaymentMethod>>)>>,
}

impl CachedCatalogue {
    pub fn new(ttl: Duration) -> CachedCatalogue {
        CachedCatalogue {
            ttl,
            read: RwLock::new(None),
        }
    }

    pub async fn get(&self, db: &Db) -> Result<Arc<Vec<PaymentMethod>>, AppError> {
        let fresh = |read: &Option<(Instant, Arc<Vec<PaymentMethod>>)>| {
            read.as_ref()
                .filter(|(at, _)| at.elapsed() < self.ttl)
                .map(|(_, methods)| methods.clone())
        };
        if let Some(methods) = fresh(&self.read.read().unwrap_or_else(|e| e.into_inner())) {
            return Ok(methods);
        }
        let methods = Arc::new(catalogue(db).await?);
        *self.read.write().unwrap_or_else(|e| e.into_inner()) =
            Some((Instant::now(), methods.clone()));
        Ok(methods)
    }
}
