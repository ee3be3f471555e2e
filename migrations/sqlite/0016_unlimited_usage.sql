-- max_usage 0 means unlimited, as Singapay's clients send it: the cap's CHECK allows 0.
-- As in migration 0012, SQLite's documented way to change a CHECK edits the stored table
-- definition; the table created and dropped after it changes the schema version, so every
-- connection reloads the definitions.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql,
    'CHECK (max_usage BETWEEN 1 AND 1000000)',
    'CHECK (max_usage BETWEEN 0 AND 1000000)')
WHERE type = 'table' AND name = 'payment_links';
PRAGMA writable_schema = OFF;
CREATE TABLE schema_version_bump (x INTEGER);
DROP TABLE schema_version_bump;
