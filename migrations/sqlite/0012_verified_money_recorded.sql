-- Verified money is always recorded. A payment that arrives for a live attempt is credited
-- even when it takes its link past max_usage (the reservation makes that rare: only clocks
-- that disagree about an attempt's expiry can cause it); the constraint that refused such a
-- credit, and left the money unrecorded, goes. The attempt is flagged for the merchant.
--
-- SQLite cannot drop a CHECK with ALTER TABLE, and rebuilding payment_links inside the
-- migration's transaction (where foreign keys cannot be switched off) would cascade to its
-- items. SQLite's documented procedure for removing a CHECK edits the stored table definition
-- instead; the ALTER TABLE below then changes the schema version, so every connection
-- reloads the definitions, this one included.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql,
    'CHECK (current_usage BETWEEN 0 AND max_usage)',
    'CHECK (current_usage >= 0)')
WHERE type = 'table' AND name = 'payment_links';
PRAGMA writable_schema = OFF;

-- Why a credited payment wants the merchant's attention; NULL when it does not.
ALTER TABLE payment_link_histories ADD COLUMN flag TEXT CHECK (flag IN ('over_cap'));
