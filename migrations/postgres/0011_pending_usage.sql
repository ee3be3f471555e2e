-- How many of a link's attempts are pending, kept as they change. A reservation that fits
-- under the cap even counting them all needs no count of the live ones; only near the cap
-- does it count those not yet past their expiry (the expiry job marks the rest later).
ALTER TABLE payment_links ADD COLUMN pending_usage BIGINT NOT NULL DEFAULT 0;

UPDATE payment_links SET pending_usage = (SELECT COUNT(*) FROM payment_link_histories h
    WHERE h.payment_link_id = payment_links.id AND h.status = 'pending');

-- Once per statement: the expiry job ends thousands of attempts in one update, which becomes
-- one update per link instead of one per attempt.
CREATE FUNCTION pending_usage_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE payment_links l SET pending_usage = l.pending_usage + c.n
        FROM (SELECT payment_link_id, COUNT(*) AS n FROM new_rows WHERE status = 'pending'
              GROUP BY payment_link_id) c
        WHERE l.id = c.payment_link_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE payment_links l SET pending_usage = l.pending_usage - c.n
        FROM (SELECT payment_link_id, COUNT(*) AS n FROM old_rows WHERE status = 'pending'
              GROUP BY payment_link_id) c
        WHERE l.id = c.payment_link_id;
    ELSE
        UPDATE payment_links l SET pending_usage = l.pending_usage + c.n
        FROM (SELECT payment_link_id, SUM(d) AS n FROM (
                  SELECT payment_link_id, 1 AS d FROM new_rows WHERE status = 'pending'
                  UNION ALL
                  SELECT payment_link_id, -1 FROM old_rows WHERE status = 'pending') moved
              GROUP BY payment_link_id HAVING SUM(d) <> 0) c
        WHERE l.id = c.payment_link_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER pending_usage_on_insert AFTER INSERT ON payment_link_histories
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION pending_usage_apply();
CREATE TRIGGER pending_usage_on_update AFTER UPDATE ON payment_link_histories
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION pending_usage_apply();
CREATE TRIGGER pending_usage_on_delete AFTER DELETE ON payment_link_histories
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION pending_usage_apply();
