-- Postgres reserves in one statement through a function here (see its 0035). SQLite's
-- reservation already is one statement: nothing changes.
SELECT 1;
