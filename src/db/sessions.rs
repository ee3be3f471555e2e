//! Sign-in sessions, stored in the app's own database. The tables, columns and MessagePack
//! encoding are those of the tower-sessions sqlx stores this replaces, so sessions already
//! stored stay valid.

use async_trait::async_trait;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use super::Db;

#[derive(Clone, Debug)]
pub struct Sessions {
    db: Db,
}

impl Sessions {
    pub fn new(db: Db) -> Self {
        Self { db }
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
        let now = OffsetDateTime::now_utc();
        match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query("DELETE FROM tower_sessions WHERE expiry_date < ?")
                    .bind(now)
                    .execute(pool)
                    .await?;
            }
            Db::Postgres(pool) => {
                sqlx::query("DELETE FROM tower_sessions.session WHERE expiry_date < $1")
                    .bind(now)
                    .execute(pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// Writes the record; with `only_new`, refuses to replace one of the same id and says so.
    async fn write(&self, record: &Record, only_new: bool) -> session_store::Result<bool> {
        let data = rmp_serde::to_vec(record)
            .map_err(|error| session_store::Error::Encode(error.to_string()))?;
        let id = record.id.to_string();
        let written = match (&self.db, only_new) {
            (Db::Sqlite(pool), true) => sqlx::query(
                "INSERT INTO tower_sessions (id, data, expiry_date) VALUES (?, ?, ?)
                     ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(data)
            .bind(record.expiry_date)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()),
            (Db::Sqlite(pool), false) => sqlx::query(
                "INSERT INTO tower_sessions (id, data, expiry_date) VALUES (?, ?, ?)
                     ON CONFLICT (id) DO UPDATE
                     SET data = excluded.data, expiry_date = excluded.expiry_date",
            )
            .bind(id)
            .bind(data)
            .bind(record.expiry_date)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()),
            (Db::Postgres(pool), true) => sqlx::query(
                "INSERT INTO tower_sessions.session (id, data, expiry_date)
                     VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(data)
            .bind(record.expiry_date)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()),
            (Db::Postgres(pool), false) => sqlx::query(
                "INSERT INTO tower_sessions.session (id, data, expiry_date)
                     VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE
                     SET data = excluded.data, expiry_date = excluded.expiry_date",
            )
            .bind(id)
            .bind(data)
            .bind(record.expiry_date)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()),
        }
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
        let (id, now) = (id.to_string(), OffsetDateTime::now_utc());
        let data: Option<Vec<u8>> =
            match &self.db {
                Db::Sqlite(pool) => {
                    sqlx::query_scalar(
                        "SELECT data FROM tower_sessions WHERE id = ? AND expiry_date > ?",
                    )
                    .bind(id)
                    .bind(now)
                    .fetch_optional(pool)
                    .await
                }
                Db::Postgres(pool) => sqlx::query_scalar(
                    "SELECT data FROM tower_sessions.session WHERE id = $1 AND expiry_date > $2",
                )
                .bind(id)
                .bind(now)
                .fetch_optional(pool)
                .await,
            }
            .map_err(backend)?;
        data.map(|data| {
            rmp_serde::from_slice(&data)
                .map_err(|error| session_store::Error::Decode(error.to_string()))
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let id = id.to_string();
        match &self.db {
            Db::Sqlite(pool) => sqlx::query("DELETE FROM tower_sessions WHERE id = ?")
                .bind(id)
                .execute(pool)
                .await
                .map(|_| ()),
            Db::Postgres(pool) => sqlx::query("DELETE FROM tower_sessions.session WHERE id = $1")
                .bind(id)
                .execute(pool)
                .await
                .map(|_| ()),
        }
        .map_err(backend)?;
        Ok(())
    }
}
