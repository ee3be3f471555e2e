//! Payment links and their line items. Every query is scoped by merchant and account.

use crate::db::{is_unique_violation, Db, Tx};
use crate::domain::ids::{AccountId, LinkId, MerchantId};
use crate::domain::items::LineItem;
use crate::domain::link::{LinkSettings, LinkState, LinkStatus, NewPaymentLink};
use crate::domain::Rupiah;
use crate::error::AppError;
use crate::model::{LinkSummary, Page, PaymentLink};
use crate::{on_db, on_tx};

/// A link ready to store: its public slug and reference drawn, its rules checked.
pub struct NewLinkRecord<'a> {
    pub merchant_id: MerchantId,
    pub account_id: &'a AccountId,
    pub slug: &'a str,
    pub reff_no: &'a str,
    pub link: &'a NewPaymentLink,
    pub source: &'a str,
    pub now_ms: i64,
}

/// Stores a link and its items; returns the link id.
pub async fn insert(tx: &mut Tx, new: NewLinkRecord<'_>) -> Result<LinkId, AppError> {
    let link = new.link;
    let whitelist = link
        .whitelisted_payment_method
        .as_ref()
        .map(|codes| serde_json::to_string(codes).expect("a list of strings serialises"));
    let metadata = serde_json::Value::Object(link.optional_metadata.clone()).to_string();
    let open_amount = link
        .open_amount
        .as_ref()
        .map(|open| serde_json::to_string(open).expect("amounts serialise"));
    let custom_fields = (!link.custom_fields.is_empty())
        .then(|| serde_json::to_string(&link.custom_fields).expect("questions serialise"));
    let result: Result<LinkId, sqlx::Error> = on_tx!(tx, conn => async {
        // An async block, so `?` stops here with the sqlx error instead of leaving the function.
        let (id,): (LinkId,) = sqlx::query_as(
            "INSERT INTO payment_links (merchant_id, account_id, slug, reff_no, title, description,
                total_amount, required_customer_detail, max_usage, current_usage, expired_at, status,
                whitelisted_payment_method, redirect_url, optional_metadata, source, created_at,
                updated_at, open_amount, stock, custom_fields)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, 'open', $11, $12, $13, $14, $15, $15,
                $16, $17, $18)
             RETURNING id",
        )
        .bind(new.merchant_id)
        .bind(new.account_id)
        .bind(new.slug)
        .bind(new.reff_no)
        .bind(&link.title)
        .bind(&link.description)
        .bind(link.total_amount.value())
        .bind(link.required_customer_detail)
        .bind(link.max_usage)
        .bind(link.expired_at)
        .bind(&whitelist)
        .bind(&link.redirect_url)
        .bind(&metadata)
        .bind(new.source)
        .bind(new.now_ms)
        .bind(&open_amount)
        .bind(link.stock)
        .bind(&custom_fields)
        .fetch_one(&mut *conn)
        .await?;
        for (position, item) in link.items.iter().enumerate() {
            let subtotal = item.subtotal().map(Rupiah::value).unwrap_or(i64::MAX);
            sqlx::query(
                "INSERT INTO payment_link_items
                    (payment_link_id, position, name, quantity, unit_price, subtotal, max_quantity)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(&item.name)
            .bind(item.quantity)
            .bind(item.unit_price.value())
            .bind(subtotal)
            .bind(item.max_quantity)
            .execute(&mut *conn)
            .await?;
        }
        Ok(id)
    }
    .await);
    result.map_err(|e| {
        if is_unique_violation(&e, "reff_no") {
            AppError::duplicate("reff_no", "This reference is already used by another link.")
        } else {
            e.into()
        }
    })
}

pub struct LinkFilter {
    /// Matched against title and reff_no, case-insensitively.
    pub search: Option<String>,
    pub status: Option<LinkState>,
    pub page: i64,
    pub per_page: i64,
}

/// The SQL form of `domain::link::LinkState::of`; `$3` is "now". A `max_usage` of 0 is
/// unlimited (`domain::link::is_exhausted`).
fn status_condition(status: Option<LinkState>) -> &'static str {
    match status {
        None => "TRUE",
        Some(LinkState::Closed) => "status = 'closed'",
        Some(LinkState::Exhausted) => {
            "(status = 'open' AND max_usage <> 0 AND current_usage >= max_usage)"
        }
        Some(LinkState::Expired) => {
            "(status = 'open' AND (max_usage = 0 OR current_usage < max_usage)
              AND expired_at IS NOT NULL AND expired_at <= $3)"
        }
        Some(LinkState::Open) => {
            "(status = 'open' AND (max_usage = 0 OR current_usage < max_usage)
              AND (expired_at IS NULL OR expired_at > $3))"
        }
    }
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: LinkId,
    reff_no: String,
    title: String,
    total_amount: i64,
    open_amount: bool,
    max_usage: i64,
    current_usage: i64,
    expired_at: Option<i64>,
    status: String,
    created_at: i64,
}

/// One account's links, newest first, with the total count for the pager.
pub async fn list(
    db: &Db,
    merchant_id: MerchantId,
    account_id: &AccountId,
    filter: &LinkFilter,
    now_ms: i64,
) -> Result<Page<LinkSummary>, AppError> {
    let pattern = filter
        .search
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(crate::db::like_pattern);
    let per_page = filter.per_page.clamp(1, 100);
    let page = filter.page.max(1);
    let condition = format!(
        "merchant_id = $1 AND account_id = $2 AND {}
         AND ($4 IS NULL OR LOWER(title) LIKE $4 ESCAPE '\\' OR LOWER(reff_no) LIKE $4 ESCAPE '\\')",
        status_condition(filter.status)
    );
    let count_sql = format!("SELECT COUNT(*) FROM payment_links WHERE {condition}");
    let rows_sql = format!(
        "SELECT id, reff_no, title, total_amount, open_amount IS NOT NULL AS open_amount,
                max_usage, current_usage, expired_at, status, created_at
         FROM payment_links WHERE {condition}
         ORDER BY id DESC LIMIT $5 OFFSET $6"
    );
    let (total, rows): (i64, Vec<SummaryRow>) = on_db!(db, pool => {
        let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(count_sql.as_str()))
            .bind(merchant_id)
            .bind(account_id)
            .bind(now_ms)
            .bind(&pattern)
            .fetch_one(pool)
            .await?;
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(rows_sql.as_str()))
            .bind(merchant_id)
            .bind(account_id)
            .bind(now_ms)
            .bind(&pattern)
            .bind(per_page)
            .bind(crate::domain::paging::offset(page, per_page))
            .fetch_all(pool)
            .await?;
        (total, rows)
    });
    let rows = rows
        .into_iter()
        .map(|row| {
            Ok(LinkSummary {
                status: LinkStatus::parse(&row.status).map_err(AppError::internal)?,
                id: row.id,
                reff_no: row.reff_no,
                title: row.title,
                total_amount: Rupiah(row.total_amount),
                open_amount: row.open_amount,
                max_usage: row.max_usage,
                current_usage: row.current_usage,
                expired_at: row.expired_at,
                created_at: row.created_at,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Page {
        rows,
        total,
        page,
        per_page,
    })
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    id: LinkId,
    account_id: AccountId,
    slug: String,
    reff_no: String,
    title: String,
    description: Option<String>,
    total_amount: i64,
    open_amount: Option<String>,
    stock: Option<i64>,
    units_paid: i64,
    custom_fields: Option<String>,
    required_customer_detail: bool,
    max_usage: i64,
    current_usage: i64,
    expired_at: Option<i64>,
    status: String,
    whitelisted_payment_method: Option<String>,
    redirect_url: Option<String>,
    optional_metadata: String,
    source: String,
    created_at: i64,
    updated_at: i64,
    has_history: bool,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    payment_link_id: LinkId,
    name: String,
    quantity: i64,
    unit_price: i64,
    max_quantity: Option<i64>,
}

const LINK_COLUMNS: &str = "l.id, l.account_id, l.slug, l.reff_no, l.title, l.description,
    l.total_amount, l.open_amount, l.stock, l.units_paid, l.custom_fields,
    l.required_customer_detail, l.max_usage, l.current_usage,
    l.expired_at, l.status, l.whitelisted_payment_method, l.redirect_url, l.optional_metadata, l.source,
    l.created_at, l.updated_at,
    EXISTS (SELECT 1 FROM payment_link_histories h WHERE h.payment_link_id = l.id) AS has_history";

pub async fn find(
    db: &Db,
    merchant_id: MerchantId,
    account_id: &AccountId,
    link_id: LinkId,
) -> Result<PaymentLink, AppError> {
    let sql = format!(
        "SELECT {LINK_COLUMNS} FROM payment_links l
         WHERE l.merchant_id = $1 AND l.account_id = $2 AND l.id = $3"
    );
    let row: Option<LinkRow> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(merchant_id)
            .bind(account_id)
            .bind(link_id)
            .fetch_optional(pool)
            .await?
    });
    with_items(db, row.ok_or(AppError::NotFound)?).await
}

/// A link of the merchant by id, whatever its account (the v2 API addresses links so).
pub async fn find_for_merchant(
    db: &Db,
    merchant_id: MerchantId,
    link_id: LinkId,
) -> Result<PaymentLink, AppError> {
    let sql = format!(
        "SELECT {LINK_COLUMNS} FROM payment_links l WHERE l.merchant_id = $1 AND l.id = $2"
    );
    let row: Option<LinkRow> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(merchant_id).bind(link_id).fetch_optional(pool).await?
    });
    with_items(db, row.ok_or(AppError::NotFound)?).await
}

/// A link by id alone, for the provider side, which knows attempts, not merchants.
pub async fn find_by_id(db: &Db, link_id: LinkId) -> Result<PaymentLink, AppError> {
    let sql = format!("SELECT {LINK_COLUMNS} FROM payment_links l WHERE l.id = $1");
    let row: Option<LinkRow> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(link_id).fetch_optional(pool).await?
    });
    with_items(db, row.ok_or(AppError::NotFound)?).await
}

/// The public lookup behind `/pay/{slug}`.
pub async fn find_by_slug(db: &Db, slug: &str) -> Result<PaymentLink, AppError> {
    let sql = format!("SELECT {LINK_COLUMNS} FROM payment_links l WHERE l.slug = $1");
    let row: Option<LinkRow> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(slug).fetch_optional(pool).await?
    });
    with_items(db, row.ok_or(AppError::NotFound)?).await
}

async fn with_items(db: &Db, row: LinkRow) -> Result<PaymentLink, AppError> {
    let items: Vec<ItemRow> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT payment_link_id, name, quantity, unit_price, max_quantity FROM payment_link_items
             WHERE payment_link_id = $1 ORDER BY position",
        )
        .bind(row.id)
        .fetch_all(pool)
        .await?
    });
    assemble(row, items)
}

/// Full links for one page of the list: two queries for the page, not two per link.
pub async fn list_full(
    db: &Db,
    merchant_id: MerchantId,
    account_id: &AccountId,
    filter: &LinkFilter,
    now_ms: i64,
) -> Result<Page<PaymentLink>, AppError> {
    let page = list(db, merchant_id, account_id, filter, now_ms).await?;
    let ids: Vec<LinkId> = page.rows.iter().map(|row| row.id).collect();
    if ids.is_empty() {
        return Ok(Page {
            rows: Vec::new(),
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        });
    }
    let (rows, items): (Vec<LinkRow>, Vec<ItemRow>) = on_db!(db, pool => {
        let mut links = sqlx::QueryBuilder::new(format!(
            "SELECT {LINK_COLUMNS} FROM payment_links l WHERE l.merchant_id = "
        ));
        links.push_bind(merchant_id).push(" AND l.id IN (");
        let mut separated = links.separated(", ");
        for id in &ids {
            separated.push_bind(*id);
        }
        links.push(")");
        let mut items = sqlx::QueryBuilder::new(
            "SELECT payment_link_id, name, quantity, unit_price, max_quantity FROM payment_link_items
             WHERE payment_link_id IN (",
        );
        let mut separated = items.separated(", ");
        for id in &ids {
            separated.push_bind(*id);
        }
        items.push(") ORDER BY payment_link_id, position");
        (
            links.build_query_as().fetch_all(pool).await?,
            items.build_query_as().fetch_all(pool).await?,
        )
    });
    let mut by_id: std::collections::HashMap<LinkId, LinkRow> =
        rows.into_iter().map(|row| (row.id, row)).collect();
    let mut items_by_link: std::collections::HashMap<LinkId, Vec<ItemRow>> = Default::default();
    for item in items {
        items_by_link
            .entry(item.payment_link_id)
            .or_default()
            .push(item);
    }
    let mut links = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(row) = by_id.remove(&id) {
            let items = items_by_link.remove(&id).unwrap_or_default();
            links.push(assemble(row, items)?);
        }
    }
    Ok(Page {
        rows: links,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    })
}

fn assemble(row: LinkRow, items: Vec<ItemRow>) -> Result<PaymentLink, AppError> {
    let whitelisted_payment_method = row
        .whitelisted_payment_method
        .as_deref()
        .map(serde_json::from_str::<Vec<String>>)
        .transpose()
        .map_err(AppError::internal)?;
    let optional_metadata = match serde_json::from_str(&row.optional_metadata) {
        Ok(serde_json::Value::Object(map)) => map,
        Ok(_) | Err(_) => return Err(AppError::internal("optional_metadata is not an object")),
    };
    Ok(PaymentLink {
        id: row.id,
        account_id: row.account_id,
        slug: row.slug,
        reff_no: row.reff_no,
        title: row.title,
        description: row.description,
        items: items
            .into_iter()
            .map(|item| LineItem {
                name: item.name,
                quantity: item.quantity,
                unit_price: Rupiah(item.unit_price),
                max_quantity: item.max_quantity,
            })
            .collect(),
        total_amount: Rupiah(row.total_amount),
        open_amount: row
            .open_amount
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(AppError::internal)?,
        stock: row.stock,
        units_paid: row.units_paid,
        custom_fields: row
            .custom_fields
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(AppError::internal)?
            .unwrap_or_default(),
        required_customer_detail: row.required_customer_detail,
        max_usage: row.max_usage,
        current_usage: row.current_usage,
        expired_at: row.expired_at,
        status: LinkStatus::parse(&row.status).map_err(AppError::internal)?,
        whitelisted_payment_method,
        redirect_url: row.redirect_url,
        optional_metadata,
        source: row.source,
        created_at: row.created_at,
        updated_at: row.updated_at,
        has_history: row.has_history,
    })
}

#[derive(Debug, Clone, Copy)]
pub struct LinkKey<'a> {
    pub merchant_id: MerchantId,
    pub account_id: &'a AccountId,
    pub link_id: LinkId,
}

/// What a change tells the audit log about the link it changed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkLabel {
    pub title: String,
    pub reff_no: String,
}

/// The link's label, read in the change's transaction; 404 when it is not this merchant's.
async fn label(tx: &mut Tx, key: LinkKey<'_>) -> Result<LinkLabel, AppError> {
    let found: Option<LinkLabel> = on_tx!(tx, conn => {
        sqlx::query_as(
            "SELECT title, reff_no FROM payment_links
             WHERE merchant_id = $1 AND account_id = $2 AND id = $3",
        )
        .bind(key.merchant_id)
        .bind(key.account_id)
        .bind(key.link_id)
        .fetch_optional(conn)
        .await?
    });
    found.ok_or(AppError::NotFound)
}

/// Writes the mutable settings, and the status when one is given, in one statement. The
/// usage guard is repeated in SQL, counting live pending attempts too: their slots are
/// promised, so the limit may not drop below paid + pending.
pub async fn update_settings(
    tx: &mut Tx,
    key: LinkKey<'_>,
    settings: &LinkSettings,
    status: Option<LinkStatus>,
    now_ms: i64,
) -> Result<LinkLabel, AppError> {
    let whitelist = settings
        .whitelisted_payment_method
        .as_ref()
        .map(|codes| serde_json::to_string(codes).expect("a list of strings serialises"));
    let metadata = serde_json::Value::Object(settings.optional_metadata.clone()).to_string();
    // On Postgres the link is held alone before the count: a reservation committing meanwhile
    // would otherwise be missed by it, and the new limit could fall below paid + pending.
    if let crate::db::Tx::Postgres(conn) = tx {
        crate::db::reservations::hold_link_alone(conn, key.link_id).await?;
    }
    let changed: Option<LinkLabel> = on_tx!(tx, conn => {
        sqlx::query_as(
            "UPDATE payment_links SET whitelisted_payment_method = $1, max_usage = $2,
                expired_at = $3, required_customer_detail = $4, redirect_url = $5,
                optional_metadata = $6, updated_at = $7, status = COALESCE($11, status)
             WHERE merchant_id = $8 AND account_id = $9 AND id = $10
               AND ($2 = 0 OR $2 = max_usage
                    OR current_usage + (SELECT COUNT(*) FROM payment_link_histories h
                    WHERE h.payment_link_id = payment_links.id
                      AND h.status = 'pending' AND h.expired_at > $7)
                   <= $2)
             RETURNING title, reff_no",
        )
        .bind(&whitelist)
        .bind(settings.max_usage)
        .bind(settings.expired_at)
        .bind(settings.required_customer_detail)
        .bind(&settings.redirect_url)
        .bind(&metadata)
        .bind(now_ms)
        .bind(key.merchant_id)
        .bind(key.account_id)
        .bind(key.link_id)
        .bind(status.map(LinkStatus::as_str))
        .fetch_optional(conn)
        .await?
    });
    match changed {
        Some(changed) => Ok(changed),
        None => {
            // Either the link is not this merchant's, or usage overtook the new limit meanwhile.
            label(tx, key).await?;
            Err(AppError::field(
                "max_usage",
                "Max usage cannot be below the payments made or in progress.",
            ))
        }
    }
}

pub async fn set_status(
    tx: &mut Tx,
    key: LinkKey<'_>,
    status: LinkStatus,
    now_ms: i64,
) -> Result<LinkLabel, AppError> {
    let changed: Option<LinkLabel> = on_tx!(tx, conn => {
        sqlx::query_as(
            "UPDATE payment_links SET status = $1, updated_at = $2
             WHERE merchant_id = $3 AND account_id = $4 AND id = $5
             RETURNING title, reff_no",
        )
        .bind(status.as_str())
        .bind(now_ms)
        .bind(key.merchant_id)
        .bind(key.account_id)
        .bind(key.link_id)
        .fetch_optional(conn)
        .await?
    });
    changed.ok_or(AppError::NotFound)
}

/// Deletes a link that has no payment attempts; with attempts it must be closed instead.
pub async fn delete(tx: &mut Tx, key: LinkKey<'_>) -> Result<LinkLabel, AppError> {
    let deleted: Option<LinkLabel> = on_tx!(tx, conn => {
        sqlx::query_as(
            "DELETE FROM payment_links
             WHERE merchant_id = $1 AND account_id = $2 AND id = $3
               AND NOT EXISTS (SELECT 1 FROM payment_link_histories h
                               WHERE h.payment_link_id = payment_links.id)
             RETURNING title, reff_no",
        )
        .bind(key.merchant_id)
        .bind(key.account_id)
        .bind(key.link_id)
        .fetch_optional(conn)
        .await?
    });
    match deleted {
        Some(deleted) => Ok(deleted),
        None => {
            label(tx, key).await?;
            Err(AppError::Conflict(
                "This link has payments, so it cannot be deleted. Close it instead.".into(),
            ))
        }
    }
}
