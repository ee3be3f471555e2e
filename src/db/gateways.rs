//! Merchants' gateway connections: keys kept sealed (see `crate::secrets`), never read back
//! into anything the dashboard or the log shows.

use crate::db::{Db, Tx};
use crate::domain::gateway::{Gateway, GatewayMode};
use crate::domain::ids::{LinkId, MerchantId};
use crate::error::AppError;
use crate::model::GatewayConnection;
use crate::{on_db, on_tx};

/// A connection as stored, its keys still sealed.
pub struct Sealed {
    pub merchant_id: MerchantId,
    pub connection: GatewayConnection,
    pub secret_sealed: String,
    pub callback_token_sealed: Option<String>,
}

pub struct NewConnection<'a> {
    pub gateway: Gateway,
    pub mode: GatewayMode,
    pub secret_sealed: &'a str,
    pub secret_hint: &'a str,
    pub callback_token_sealed: Option<&'a str>,
    pub now_ms: i64,
}

type Row = (
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    i64,
    MerchantId,
);

const COLUMNS: &str = "id, gateway, mode, secret_hint, callback_token_sealed, secret_sealed, \
    created_at, updated_at, merchant_id";

fn read(row: Row) -> Result<Sealed, AppError> {
    let (
        id,
        gateway,
        mode,
        secret_hint,
        callback_token_sealed,
        secret_sealed,
        created_at,
        updated_at,
        merchant_id,
    ) = row;
    Ok(Sealed {
        merchant_id,
        connection: GatewayConnection {
            id,
            gateway: Gateway::parse(&gateway).map_err(AppError::internal)?,
            mode: GatewayMode::parse(&mode).map_err(AppError::internal)?,
            secret_hint,
            has_callback_token: callback_token_sealed.is_some(),
            created_at,
            updated_at,
        },
        secret_sealed,
        callback_token_sealed,
    })
}

/// Adds the connection, or replaces the keys of the merchant's one for that gateway and mode.
pub async fn save(
    tx: &mut Tx,
    merchant_id: MerchantId,
    new: &NewConnection<'_>,
) -> Result<(), AppError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO gateway_connections (merchant_id, gateway, mode, secret_sealed,
                secret_hint, callback_token_sealed, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
             ON CONFLICT (merchant_id, gateway, mode) DO UPDATE SET
                secret_sealed = excluded.secret_sealed, secret_hint = excluded.secret_hint,
                callback_token_sealed = excluded.callback_token_sealed,
                updated_at = excluded.updated_at",
        )
        .bind(merchant_id)
        .bind(new.gateway.as_str())
        .bind(new.mode.as_str())
        .bind(new.secret_sealed)
        .bind(new.secret_hint)
        .bind(new.callback_token_sealed)
        .bind(new.now_ms)
        .execute(conn)
        .await?;
    });
    Ok(())
}

pub async fn list(db: &Db, merchant_id: MerchantId) -> Result<Vec<GatewayConnection>, AppError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM gateway_connections WHERE merchant_id = $1 ORDER BY gateway, mode"
    );
    let rows: Vec<Row> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(merchant_id).fetch_all(pool).await?
    });
    rows.into_iter()
        .map(|row| read(row).map(|sealed| sealed.connection))
        .collect()
}

/// One of the merchant's connections with its sealed keys; another merchant's is not found.
pub async fn find(db: &Db, merchant_id: MerchantId, id: i64) -> Result<Sealed, AppError> {
    let sql =
        format!("SELECT {COLUMNS} FROM gateway_connections WHERE merchant_id = $1 AND id = $2");
    let row: Option<Row> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(merchant_id).bind(id).fetch_optional(pool).await?
    });
    read(row.ok_or(AppError::NotFound)?)
}

/// Removes one of the merchant's connections; the one removed, if it was there.
pub async fn delete(
    tx: &mut Tx,
    merchant_id: MerchantId,
    id: i64,
) -> Result<Option<GatewayConnection>, AppError> {
    let sql = format!(
        "DELETE FROM gateway_connections WHERE merchant_id = $1 AND id = $2 RETURNING {COLUMNS}"
    );
    let row: Option<Row> = on_tx!(tx, conn => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(merchant_id).bind(id).fetch_optional(conn).await?
    });
    row.map(|row| read(row).map(|sealed| sealed.connection))
        .transpose()
}

/// A connection by its id alone: a gateway's notification names it in its URL, and is then
/// checked with that connection's own key.
pub async fn find_any(db: &Db, id: i64) -> Result<Sealed, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM gateway_connections WHERE id = $1");
    let row: Option<Row> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(pool).await?
    });
    read(row.ok_or(AppError::NotFound)?)
}

/// The connections that issue `method_code` for the link's merchant, in the order they are
/// asked: the earliest connected first.
pub async fn issuers(db: &Db, link_id: LinkId, method_code: &str) -> Result<Vec<Sealed>, AppError> {
    let columns = COLUMNS
        .split(", ")
        .map(|column| format!("c.{}", column.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {columns} FROM gateway_connections c
         JOIN gateway_routes r ON r.connection_id = c.id
         WHERE r.method_code = $2
           AND c.merchant_id = (SELECT merchant_id FROM payment_links WHERE id = $1)
         ORDER BY c.id"
    );
    let rows: Vec<Row> = on_db!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(link_id).bind(method_code).fetch_all(pool).await?
    });
    rows.into_iter().map(read).collect()
}

/// The merchant's routes: (connection id, method code).
pub async fn routes(db: &Db, merchant_id: MerchantId) -> Result<Vec<(i64, String)>, AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query_as(
            "SELECT r.connection_id, r.method_code FROM gateway_routes r
             JOIN gateway_connections c ON c.id = r.connection_id
             WHERE c.merchant_id = $1 ORDER BY r.connection_id, r.method_code",
        )
        .bind(merchant_id)
        .fetch_all(pool)
        .await?
    }))
}

/// Sets the methods one of the merchant's connections issues; false when it is not theirs.
pub async fn save_routes(
    tx: &mut Tx,
    merchant_id: MerchantId,
    connection_id: i64,
    methods: &[String],
) -> Result<bool, AppError> {
    on_tx!(tx, conn => {
        let owned: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM gateway_connections WHERE id = $1 AND merchant_id = $2",
        )
        .bind(connection_id)
        .bind(merchant_id)
        .fetch_optional(&mut *conn)
        .await?;
        if owned.is_none() {
            return Ok(false);
        }
        sqlx::query("DELETE FROM gateway_routes WHERE connection_id = $1")
            .bind(connection_id)
            .execute(&mut *conn)
            .await?;
        for method in methods {
            sqlx::query("INSERT INTO gateway_routes (connection_id, method_code) VALUES ($1, $2)")
                .bind(connection_id)
                .bind(method)
                .execute(&mut *conn)
                .await?;
        }
    });
    Ok(true)
}

/// For the link's merchant: whether the sandbox issues the methods no connection issues, and
/// the methods routed to a connection.
pub async fn issuing_for_link(db: &Db, link_id: LinkId) -> Result<(bool, Vec<String>), AppError> {
    let sandbox: bool = on_db!(db, pool => {
        sqlx::query_scalar(
            "SELECT m.sandbox_issues FROM merchants m
             JOIN payment_links l ON l.merchant_id = m.id WHERE l.id = $1",
        )
        .bind(link_id)
        .fetch_one(pool)
        .await?
    });
    let routed: Vec<String> = on_db!(db, pool => {
        sqlx::query_scalar(
            "SELECT DISTINCT r.method_code FROM gateway_routes r
             JOIN gateway_connections c ON c.id = r.connection_id
             WHERE c.merchant_id = (SELECT merchant_id FROM payment_links WHERE id = $1)",
        )
        .bind(link_id)
        .fetch_all(pool)
        .await?
    });
    Ok((sandbox, routed))
}

/// Whether the sandbox issues the merchant's unrouted methods.
pub async fn sandbox_issues(db: &Db, merchant_id: MerchantId) -> Result<bool, AppError> {
    Ok(on_db!(db, pool => {
        sqlx::query_scalar("SELECT sandbox_issues FROM merchants WHERE id = $1")
            .bind(merchant_id)
            .fetch_one(pool)
            .await?
    }))
}

pub async fn set_sandbox_issues(
    tx: &mut Tx,
    merchant_id: MerchantId,
    on: bool,
) -> Result<(), AppError> {
    on_tx!(tx, conn => {
        sqlx::query("UPDATE merchants SET sandbox_issues = $2 WHERE id = $1")
            .bind(merchant_id)
            .bind(on)
            .execute(conn)
            .await?;
    });
    Ok(())
}
