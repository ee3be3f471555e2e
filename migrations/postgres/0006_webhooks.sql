-- Merchant notifications: where to send them, the outbox of events, and every delivery try.

-- One row per merchant. Transaction events (paid, expired, failed, exhausted) go to
-- transaction_url; Singapay-style inquiry events (a history expired) also go to inquiry_url
-- when it is set.
CREATE TABLE webhook_settings (
    merchant_id      BIGINT  PRIMARY KEY REFERENCES merchants (id) ON DELETE CASCADE,
    transaction_url  TEXT    NOT NULL CHECK (length(transaction_url) <= 2048),
    inquiry_url      TEXT    CHECK (length(inquiry_url) <= 2048),
    enabled          BOOLEAN NOT NULL,
    updated_at       BIGINT  NOT NULL
);

-- The outbox: an event is written in the same transaction as the change that causes it and
-- delivered later by a worker. A worker claims a due row by setting claim_token and
-- locked_until; a row whose lease ran out (its worker died) is due again.
CREATE TABLE webhook_events (
    id               BIGSERIAL PRIMARY KEY,
    event_id         TEXT    NOT NULL UNIQUE,
    merchant_id      BIGINT  NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    account_id       TEXT    NOT NULL,
    event_type       TEXT    NOT NULL,
    -- 'transaction' or 'inquiry': which configured URL receives it.
    target           TEXT    NOT NULL CHECK (target IN ('transaction', 'inquiry')),
    history_id       BIGINT,
    payment_link_id  BIGINT,
    payload          TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT  NOT NULL,
    claim_token      TEXT,
    locked_until     BIGINT,
    last_response_status BIGINT,
    last_error       TEXT,
    delivered_at     BIGINT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);
-- The worker's scan: due pending events, oldest first.
CREATE INDEX webhook_events_due ON webhook_events (status, next_attempt_at);
-- The delivery log: one merchant's events, newest first.
CREATE INDEX webhook_events_by_merchant ON webhook_events (merchant_id, id DESC);

-- Each try: when, what came back, how long it took.
CREATE TABLE webhook_deliveries (
    id               BIGSERIAL PRIMARY KEY,
    event_id         BIGINT  NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    url              TEXT    NOT NULL,
    attempted_at     BIGINT  NOT NULL,
    response_status  BIGINT,
    latency_ms       BIGINT  NOT NULL,
    response_excerpt TEXT,
    error            TEXT
);
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_id, id);
