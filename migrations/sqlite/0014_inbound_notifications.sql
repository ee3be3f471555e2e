-- Every verified notification a provider sends is kept: with the credit it causes, or on its
-- own when applying it failed (the database busy), so such a failure never loses a payment
-- that arrived: the job loop applies it again until it is applied or refused. One row per provider
-- transaction, attempt and amount; repeats of the same notice land on it.
CREATE TABLE inbound_notifications (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    provider         TEXT    NOT NULL,
    transaction_id   TEXT    NOT NULL,
    attempt_reff_no  TEXT    NOT NULL,
    amount           BIGINT  NOT NULL,
    -- The notice as received (verified), for the merchant and for support.
    body             TEXT    NOT NULL,
    -- received: still to apply; applied: credited (or credited before); refused: the notice
    -- cannot be applied (wrong amount, unknown or ended attempt), as `outcome` says.
    status           TEXT    NOT NULL CHECK (status IN ('received', 'applied', 'refused')),
    outcome          TEXT,
    tries            BIGINT  NOT NULL DEFAULT 0,
    next_try_at      BIGINT  NOT NULL,
    received_at      BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    CONSTRAINT inbound_notifications_once UNIQUE (provider, transaction_id, attempt_reff_no, amount)
);
-- The job loop's look for notifications still to apply.
CREATE INDEX inbound_notifications_due ON inbound_notifications (next_try_at)
    WHERE status = 'received';
-- A payment's page lists its notifications.
CREATE INDEX inbound_notifications_by_attempt ON inbound_notifications (attempt_reff_no);
