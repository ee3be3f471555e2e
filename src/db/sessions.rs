//! Sign-in sessions, stored in the app's own database. The tables, columns and MessagePack
//! encoding are those of the tower-sessions sqlx stores this replaces, so sessions already
//! stored stay valid.

use async_trait::async_trait;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use super::Db;
use crate::on_db;

/// The statements of one backend: the same SQL but for the table's name.
struct Statements {
    insert_new: &'static str,
    upsert: &'static str,
    load: &'static str,
    delete: &'static str,
    delete_expired: &'static str,
}

macro_rules! statements {
    ($table:literal) => {
        Statements {
            insert_new: concat!(
                "INSERT INTO ",
                $table,
                " (id, data, expiry_date) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING"
            ),
            upsert: concat!(
                "INSERT INTO ",
                $table,
                " (id, data, expiry_date) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE
                 SET data = excluded.data, expiry_date = excluded.expiry_date"
            ),
            load: concat!(
                "SELECT data FROM ",
                $table,
                " WHERE id = $1 AND expiry_date > $2"
            ),
            delete: concat!("DELETE FROM ", $table, " WHERE id = $1"),
            delete_expired: concat!("DELETE FROM ", $table, " WHERE expiry_date < $1"),
        }
    };
}

static SQLITE: Statements = statements!("tower_sessions");
static POSTGRES: Statements = statements!("tower_sessions.session");

#[derive(Clone, Debug)]
pub struct Sessions {
    db: Db,
}

impl Sessions {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    fn sql(&self) -> &'static Statements {
        match self.db {
            Db::Sqlite(_) => &SQLITE,
            Db::Postgres(_) => &POSTGRES,
        }
    }

    pub async fn create_table(&self) -> Result<(), sqlx::Error> {
        match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query(
                    "CREATE TABLE IF NOT EXISTS tower_sessions (
                         id TEXT PRIMARY KEY NOT NULL,
                         data BLOB NOT NULL,
                         expiry_date INTEGER NOT NULL)",
                )
                .execute(pool)
                .await?;
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                // Two instances starting together may both try to create the schema.
                sqlx::query("SELECT pg_advisory_xact_lock(hashtext('tower_sessions'))")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("CREATE SCHEMA IF NOT EXISTS tower_sessions")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "CREATE TABLE IF NOT EXISTS tower_sessions.session (
                         id TEXT PRIMARY KEY NOT NULL,
                         data BYTEA NOT NULL,
                         expiry_date TIMESTAMPTZ NOT NULL)",
                )
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
            }
        }
        Ok(())
    }

    pub async fn delete_expired(&self) -> Result<(), sqlx::Error> {
        let (sql, now) = (self.sql().delete_expired, OffsetDateTime::now_utc());
        on_db!(&self.db, pool => sqlx::query(sql).bind(now).execute(pool).await.map(|_| ()))
    }

    /// Writes the record; with `only_new`, refuses to replace one of the same id and says so.
    async fn write(&self, record: &Record, only_new: bool) -> session_store::Result<bool> {
        let data = rmp_serde::to_vec(record)
            .map_err(|error| session_store::Error::Encode(error.to_string()))?;
        let id = record.id.to_string();
        let sql = match only_new {
            true => self.sql().insert_new,
            false => self.sql().upsert,
        };
        let written = on_db!(&self.db, pool => {
            sqlx::query(sql)
                .bind(id)
                .bind(data)
                .bind(record.expiry_date)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })
        .map_err(backend)?;
        Ok(written == 1)
    }
}

fn backend(error: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

#[async_trait]
impl SessionStore for Sessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh id is 128 random bits; drawing an existing one is all but impossible, but
        // replacing someone else's session must not be.
        while !self.write(record, true).await? {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.write(record, false).await.map(|_| ())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let (sql, id, now) = (self.sql().load, id.to_string(), OffsetDateTime::now_utc());
        let data: Option<Vec<u8>> = on_db!(&self.db, pool => {
            sqlx::query_scalar(sql).bind(id).bind(now).fetch_optional(pool).await
        })
        .map_err(backend)?;
        data.map(|data| {
            rmp_serde::from_slice(&data)
                .map_err(|error| session_store::Error::Decode(error.to_string()))
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let (sql, id) = (self.sql().delete, id.to_string());
        on_db!(&self.db, pool => sqlx::query(sql).bind(id).execute(pool).await.map(|_| ()))
            .map_err(backend)
    }
}
