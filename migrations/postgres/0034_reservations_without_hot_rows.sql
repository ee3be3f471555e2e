-- Payers reserving on one popular link must not queue behind one row. Two rows every attempt
-- wrote to are spread over stripes, one per writing connection (its backend id modulo 16), so
-- concurrent writers rarely meet: the link's kept count of pending attempts (migration 0011),
-- which moves to its own table, and the payments table's total buckets (migration 0010).
-- Readers add up the stripes; an attempt counted in one stripe may be taken off in another,
-- so a stripe alone may go below zero, never the sum.

CREATE TABLE link_pending (
    link_id  BIGINT   NOT NULL,
    stripe   SMALLINT NOT NULL,
    attempts BIGINT   NOT NULL,
    PRIMARY KEY (link_id, stripe)
);
-- Rows are rewritten on every attempt: room on each page keeps those updates HOT.
ALTER TABLE link_pending SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 1000);

INSERT INTO link_pending (link_id, stripe, attempts)
SELECT id, 0, pending_usage FROM payment_links WHERE pending_usage <> 0;

CREATE OR REPLACE FUNCTION pending_usage_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO link_pending AS p (link_id, stripe, attempts)
        SELECT payment_link_id, pg_backend_pid() % 16, COUNT(*) FROM new_rows
        WHERE status = 'pending' GROUP BY payment_link_id ORDER BY payment_link_id
        ON CONFLICT (link_id, stripe) DO UPDATE SET attempts = p.attempts + EXCLUDED.attempts;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO link_pending AS p (link_id, stripe, attempts)
        SELECT payment_link_id, pg_backend_pid() % 16, -COUNT(*) FROM old_rows
        WHERE status = 'pending' GROUP BY payment_link_id ORDER BY payment_link_id
        ON CONFLICT (link_id, stripe) DO UPDATE SET attempts = p.attempts + EXCLUDED.attempts;
    ELSE
        INSERT INTO link_pending AS p (link_id, stripe, attempts)
        SELECT payment_link_id, pg_backend_pid() % 16, SUM(d) FROM (
            SELECT payment_link_id, 1 AS d FROM new_rows WHERE status = 'pending'
            UNION ALL
            SELECT payment_link_id, -1 FROM old_rows WHERE status = 'pending') moved
        GROUP BY payment_link_id HAVING SUM(d) <> 0 ORDER BY payment_link_id
        ON CONFLICT (link_id, stripe) DO UPDATE SET attempts = p.attempts + EXCLUDED.attempts;
    END IF;
    RETURN NULL;
END;
$$;

ALTER TABLE payment_links DROP COLUMN pending_usage;

ALTER TABLE payment_totals ADD COLUMN stripe SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE payment_totals DROP CONSTRAINT payment_totals_pkey;
ALTER TABLE payment_totals ADD PRIMARY KEY
    (account_id, day, status, payment_method_code, payment_method_name, stripe);

CREATE OR REPLACE FUNCTION payment_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.account_id, OLD.created_at, OLD.status, OLD.payment_method_code,
            OLD.payment_method_name, OLD.amount, OLD.fee, OLD.net_amount, OLD.refunded_amount)
        IS NOT DISTINCT FROM (NEW.account_id, NEW.created_at, NEW.status, NEW.payment_method_code,
            NEW.payment_method_name, NEW.amount, NEW.fee, NEW.net_amount, NEW.refunded_amount) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO payment_totals AS t (account_id, day, status, payment_method_code,
            payment_method_name, stripe, count, amount, fee, net_amount, refunded)
        VALUES (OLD.account_id, (OLD.created_at + 25200000) / 86400000, OLD.status,
            OLD.payment_method_code, OLD.payment_method_name, pg_backend_pid() % 16, -1,
            -OLD.amount, -OLD.fee, -OLD.net_amount, -OLD.refunded_amount)
        ON CONFLICT (account_id, day, status, payment_method_code, payment_method_name, stripe)
        DO UPDATE SET count = t.count + EXCLUDED.count, amount = t.amount + EXCLUDED.amount,
            fee = t.fee + EXCLUDED.fee, net_amount = t.net_amount + EXCLUDED.net_amount,
            refunded = t.refunded + EXCLUDED.refunded;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO payment_totals AS t (account_id, day, status, payment_method_code,
            payment_method_name, stripe, count, amount, fee, net_amount, refunded)
        VALUES (NEW.account_id, (NEW.created_at + 25200000) / 86400000, NEW.status,
            NEW.payment_method_code, NEW.payment_method_name, pg_backend_pid() % 16, 1,
            NEW.amount, NEW.fee, NEW.net_amount, NEW.refunded_amount)
        ON CONFLICT (account_id, day, status, payment_method_code, payment_method_name, stripe)
        DO UPDATE SET count = t.count + EXCLUDED.count, amount = t.amount + EXCLUDED.amount,
            fee = t.fee + EXCLUDED.fee, net_amount = t.net_amount + EXCLUDED.net_amount,
            refunded = t.refunded + EXCLUDED.refunded;
    END IF;
    RETURN NULL;
END;
$$;
