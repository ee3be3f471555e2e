-- Postgres spreads the link's pending count and the total buckets over stripes here (see its
-- 0034). SQLite has one writer at a time, so one row each is all it needs: nothing changes.
SELECT 1;
