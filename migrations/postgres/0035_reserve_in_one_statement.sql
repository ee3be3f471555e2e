-- A payer's reservation on a link with room to spare becomes one statement committing on its
-- own, instead of BEGIN, the stripe's lock, the insert and COMMIT, four round trips each
-- waiting on the server. The insert's condition calls this function last: it takes the
-- stripe's advisory lock (held to the statement's commit, as before to the transaction's) and
-- only then counts. A VOLATILE function's queries see a snapshot taken when each of them
-- starts (READ COMMITTED), so the count is read after the lock, as the proof in SECURITY.md
-- ("Usage caps on Postgres") needs; the statement's own snapshot, older, is not used for it.
CREATE FUNCTION reserve_striped_room(link BIGINT, lock_class INT, lock_key INT, headroom INT)
RETURNS BOOLEAN LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_class, lock_key);
    RETURN EXISTS (
        SELECT 1 FROM payment_links l
        WHERE l.id = link AND l.stock IS NULL
          AND (l.max_usage = 0 OR l.current_usage
               + (SELECT COALESCE(SUM(p.attempts), 0) FROM link_pending p WHERE p.link_id = l.id)
               + headroom <= l.max_usage));
END;
$$;
