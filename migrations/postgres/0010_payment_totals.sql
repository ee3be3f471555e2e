-- Totals of the payments table kept as the rows change, so an account's totals cost a few
-- hundred bucket rows instead of a scan of every attempt. One bucket per account, WIB day of
-- creation, stored status and method: exactly the filters whose totals can be read from them
-- (see db::payments::totals). A trigger keeps them in step in the writing transaction.
CREATE TABLE payment_totals (
    account_id           TEXT    NOT NULL,
    day                  BIGINT  NOT NULL,  -- WIB days since 1970-01-01 of created_at
    status               TEXT    NOT NULL,
    payment_method_code  TEXT    NOT NULL,
    payment_method_name  TEXT    NOT NULL,
    count                BIGINT  NOT NULL,
    amount               BIGINT  NOT NULL,
    fee                  BIGINT  NOT NULL,
    net_amount           BIGINT  NOT NULL,
    PRIMARY KEY (account_id, day, status, payment_method_code, payment_method_name)
);
-- Every write to an attempt rewrites a bucket row: room on each page keeps those updates HOT,
-- and vacuuming after every thousand dead rows keeps the small table small.
ALTER TABLE payment_totals SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0.05);

INSERT INTO payment_totals
SELECT account_id, (created_at + 25200000) / 86400000, status, payment_method_code,
       payment_method_name, COUNT(*), SUM(amount), SUM(fee), SUM(net_amount)
FROM payment_link_histories
GROUP BY 1, 2, 3, 4, 5;

CREATE FUNCTION payment_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.account_id, OLD.created_at, OLD.status, OLD.payment_method_code,
            OLD.payment_method_name, OLD.amount, OLD.fee, OLD.net_amount)
        IS NOT DISTINCT FROM (NEW.account_id, NEW.created_at, NEW.status, NEW.payment_method_code,
            NEW.payment_method_name, NEW.amount, NEW.fee, NEW.net_amount) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE payment_totals SET count = count - 1, amount = amount - OLD.amount,
            fee = fee - OLD.fee, net_amount = net_amount - OLD.net_amount
        WHERE account_id = OLD.account_id AND day = (OLD.created_at + 25200000) / 86400000
          AND status = OLD.status AND payment_method_code = OLD.payment_method_code
          AND payment_method_name = OLD.payment_method_name;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO payment_totals VALUES (NEW.account_id, (NEW.created_at + 25200000) / 86400000,
            NEW.status, NEW.payment_method_code, NEW.payment_method_name, 1, NEW.amount, NEW.fee,
            NEW.net_amount)
        ON CONFLICT (account_id, day, status, payment_method_code, payment_method_name)
        DO UPDATE SET count = payment_totals.count + 1,
            amount = payment_totals.amount + EXCLUDED.amount,
            fee = payment_totals.fee + EXCLUDED.fee,
            net_amount = payment_totals.net_amount + EXCLUDED.net_amount;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER payment_totals_in_step
AFTER INSERT OR DELETE OR UPDATE OF account_id, created_at, status, payment_method_code,
    payment_method_name, amount, fee, net_amount ON payment_link_histories
FOR EACH ROW EXECUTE FUNCTION payment_totals_apply();

-- The payments table filtered by one link, and the API list in id order (its default), of
-- every status or of one.
CREATE INDEX payment_link_histories_account_link
    ON payment_link_histories (account_id, payment_link_reff_no, created_at, id);
CREATE INDEX payment_link_histories_account_id
    ON payment_link_histories (account_id, id);
CREATE INDEX payment_link_histories_account_status_id
    ON payment_link_histories (account_id, status, id);
