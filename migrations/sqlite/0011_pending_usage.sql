-- How many of a link's attempts are pending, kept as they change. A reservation that fits
-- under the cap even counting them all needs no count of the live ones; only near the cap
-- does it count those not yet past their expiry (the expiry job marks the rest later).
ALTER TABLE payment_links ADD COLUMN pending_usage BIGINT NOT NULL DEFAULT 0;

UPDATE payment_links SET pending_usage = (SELECT COUNT(*) FROM payment_link_histories h
    WHERE h.payment_link_id = payment_links.id AND h.status = 'pending');

CREATE TRIGGER pending_usage_on_insert AFTER INSERT ON payment_link_histories
WHEN NEW.status = 'pending'
BEGIN
    UPDATE payment_links SET pending_usage = pending_usage + 1 WHERE id = NEW.payment_link_id;
END;

CREATE TRIGGER pending_usage_on_update AFTER UPDATE OF status ON payment_link_histories
WHEN (OLD.status = 'pending') <> (NEW.status = 'pending')
BEGIN
    UPDATE payment_links
    SET pending_usage = pending_usage + CASE WHEN NEW.status = 'pending' THEN 1 ELSE -1 END
    WHERE id = NEW.payment_link_id;
END;

CREATE TRIGGER pending_usage_on_delete AFTER DELETE ON payment_link_histories
WHEN OLD.status = 'pending'
BEGIN
    UPDATE payment_links SET pending_usage = pending_usage - 1 WHERE id = OLD.payment_link_id;
END;
