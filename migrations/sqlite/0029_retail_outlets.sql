-- Retail outlets: payers take a payment code to an Alfamart or Indomaret cashier and pay in
-- cash. Limits are the outlets' own for cash (Alfamart takes at most Rp 2.500.000 in cash,
-- Indomaret Rp 5.000.000); a code lives a day, as both gateways issue it by default.
--
-- SQLite cannot alter a CHECK, so the catalogue is rebuilt with the wider one. The migrator
-- runs this file inside a transaction (sqlx's SQLite driver ignores `-- no-transaction`),
-- where `PRAGMA foreign_keys = OFF` does nothing; deferring the checks to COMMIT instead lets
-- the attempts' references to the catalogue dangle for the moment between its drop and its
-- refill, and COMMIT fails if any is left dangling.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE payment_methods_before AS SELECT * FROM payment_methods;

-- Dropped and created under the same name rather than built aside and renamed: a rename
-- would rewrite the attempts' REFERENCES clause, and the refill is what settles every
-- reference the drop left dangling.
DROP TABLE payment_methods;

CREATE TABLE payment_methods (
    code             TEXT    PRIMARY KEY,
    name             TEXT    NOT NULL,
    method_group     TEXT    NOT NULL CHECK (method_group IN ('va', 'qris', 'ewallet', 'retail')),
    description      TEXT    NOT NULL,
    min_amount       BIGINT  NOT NULL CHECK (min_amount >= 1),
    max_amount       BIGINT  NOT NULL CHECK (max_amount >= min_amount),
    fee_flat         BIGINT  NOT NULL CHECK (fee_flat >= 0),
    fee_percent_bps  BIGINT  NOT NULL CHECK (fee_percent_bps BETWEEN 0 AND 10000),
    expiry_seconds   BIGINT  NOT NULL CHECK (expiry_seconds > 0),
    active           BOOLEAN NOT NULL,
    sort_order       BIGINT  NOT NULL
);

INSERT INTO payment_methods
    (code, name, method_group, description, min_amount, max_amount, fee_flat, fee_percent_bps, expiry_seconds, active, sort_order)
SELECT code, name, method_group, description, min_amount, max_amount, fee_flat, fee_percent_bps, expiry_seconds, active, sort_order
FROM payment_methods_before;

DROP TABLE payment_methods_before;

INSERT INTO payment_methods
    (code, name, method_group, description, min_amount, max_amount, fee_flat, fee_percent_bps, expiry_seconds, active, sort_order)
VALUES
    ('ALFAMART',  'Alfamart',  'retail', 'Cash at Alfamart, Alfamidi and DAN+DAN',  10000, 2500000, 5000, 0, 86400, TRUE, 120),
    ('INDOMARET', 'Indomaret', 'retail', 'Cash at Indomaret',                       10000, 5000000, 5000, 0, 86400, TRUE, 130);
